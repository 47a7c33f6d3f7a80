"""The one place that turns every API error into ``{"code", "detail", "fields"}``."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, permissions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, UnknownReference

log = logging.getLogger(__name__)


def error_body(code: str, detail: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"code": code, "detail": detail, "fields": fields or {}}


def _first_code(codes: Any) -> str | None:
    if isinstance(codes, str):
        return codes
    if isinstance(codes, list | tuple):
        for item in codes:
            found = _first_code(item)
            if found:
                return found
    if isinstance(codes, dict):
        for item in codes.values():
            found = _first_code(item)
            if found:
                return found
    return None


# DRF's code of a field refusal -> the answer's code, when every refusal of the input is of it.
_SPECIFIC_CODES = {
    "does_not_exist": UnknownReference.code,  # an id of an object that does not exist
    "null_characters_not_allowed": "null_character",  # text with U+0000, which nothing can store
}


def _leaf_codes(codes: Any) -> set[str]:
    if isinstance(codes, str):
        return {codes}
    items = codes.values() if isinstance(codes, dict) else codes
    return {code for item in items for code in _leaf_codes(item)}


def _validation_body(exc: exceptions.ValidationError) -> dict[str, Any]:
    detail = exc.detail
    if isinstance(detail, dict):
        fields: dict[str, Any] = dict(detail)
    else:
        fields = {"non_field_errors": detail}
    non_field = fields.get("non_field_errors")
    if isinstance(non_field, list) and len(fields) == 1 and non_field:
        # A refusal that concerns the whole input reads better as the detail itself.
        message = str(non_field[0])
    else:
        message = _("The input is not valid; see the fields for details.")
    # Input of the right shape that DRF still refuses, for a reason no schema states: its own
    # code, so that a client (and the API fuzzing) can tell it from malformed input.
    codes = _leaf_codes(exc.get_codes())
    code = _SPECIFIC_CODES.get(codes.pop(), "invalid") if len(codes) == 1 else "invalid"
    return error_body(code, message, fields)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, str(exc.message), exc.fields), status=exc.status)
    if isinstance(exc, OperationalError | InterfaceError):
        # The database is unreachable or restarting: a clean 503 the client may retry.
        log.warning("database unavailable during %s: %s", context.get("view"), exc)
        body = error_body("unavailable", _("The service is briefly unavailable; please retry."))
        return Response(body, status=503, headers={"Retry-After": "5"})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )

    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response

    if isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    else:
        code = _first_code(exc.get_codes()) or exc.default_code
        response.data = error_body(str(code), str(exc.detail))
    return response


class _NotFoundView(APIView):
    """Answers every method with the JSON 404 of the error format."""

    authentication_classes: list[type] = []
    permission_classes = [permissions.AllowAny]
    throttle_classes: list[type] = []
    schema = None

    def _not_found(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise exceptions.NotFound(_("There is no API endpoint at this address."))

    get = post = put = patch = delete = head = options = _not_found


api_not_found = _NotFoundView.as_view()


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: JSON in the error format under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        body = error_body("server_error", _("Something went wrong on our side."))
        return JsonResponse(body, status=500)
    return defaults.server_error(request)
