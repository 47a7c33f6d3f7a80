"""Who may act: the two checks every service of the engine and of the apps above it makes."""

from accounts.models import User
from scheduling import errors


def require_coordinator(actor: User) -> None:
    if not actor.is_coordinator:
        raise errors.NotYourBooking()


def require_self_or_coordinator(actor: User, member_id: int | None) -> None:
    """A member acts for themselves; a coordinator for anybody."""
    if actor.pk != member_id and not actor.is_coordinator:
        raise errors.NotYourBooking()
