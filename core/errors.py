"""Domain errors: typed exceptions with a machine code, raised by services.

One place (core.api.errors.exception_handler) turns them into the API's
``{"code", "detail", "fields"}`` answers; pages show ``message``.
Messages are lazy so that they render in the language of the request that shows them.
"""

from typing import Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base of every refusal a service can answer with."""

    code: ClassVar[str] = "invalid"
    status: ClassVar[int] = 400
    default_message: ClassVar[str | Promise] = _("The request is not valid.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        fields: dict[str, Any] | None = None,
        code: str | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        self.fields = fields or {}
        if code is not None:
            self.code = code  # type: ignore[misc]
        super().__init__(str(self.message))


class InvalidInput(DomainError):
    code = "invalid"
    status = 400


class UnknownReference(InvalidInput):
    """The input names an object (by its id) that does not exist or that the actor cannot use."""

    code = "unknown_reference"
    default_message = _("The input refers to something that does not exist or is not available.")


class InvalidRange(InvalidInput):
    code = "invalid_range"
    default_message = _("The end must be after the start.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("This collides with something that already exists.")


class NotAllowed(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You are not allowed to do this.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")
