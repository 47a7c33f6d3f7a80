from datetime import datetime

from django.db.models import Q

from accounts.models import ApiToken, User
from accounts.services import token_digest


def api_token_find_valid(*, key: str, now: datetime) -> ApiToken | None:
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(key), expires_at__gt=now, user__is_active=True)
        .first()
    )


def member_match(text: str) -> Q:
    """Members whose name or phone contains ``text``, or whose username it is: what the
    coordinators' searches (booking on behalf, the counter) look for."""
    return Q(display_name__icontains=text) | Q(phone__icontains=text) | Q(username__iexact=text)


def members_typed(text: str) -> list[User]:
    """The active member a coordinator means by what they typed: ``#<number>``, else whoever
    has it as username, whole name or phone, else whoever matches part of it. At most two, so
    that a caller can tell one from several."""
    active = User.objects.filter(is_active=True)
    if text.startswith("#") and text[1:].isdigit():
        return list(active.filter(pk=int(text[1:])))
    exact = Q(username__iexact=text) | Q(display_name__iexact=text) | Q(phone=text)
    return list(active.filter(exact)[:2]) or list(active.filter(member_match(text))[:2])
