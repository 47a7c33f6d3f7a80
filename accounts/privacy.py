"""The account's part of a member's data: the account itself, API tokens, sessions.

Anonymising keeps the row (bookings, sign-ups and hours point to it, some with PROTECT, and
the statistics count people by role, language and first visit) but strips everything that
identifies the person and ends every way of logging in.
"""

from datetime import datetime

from django.contrib.sessions.models import Session
from django.db.models import Q

from accounts.models import ApiToken, User
from core.privacy import DELETED_MEMBER, Contribution, contribution, ids, label, row, stored

ACCOUNT_FIELDS = (
    "username",
    "display_name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "preferred_language",
    "is_active",
    "date_joined",
    "last_login",
    "managed_by_id",
)


def export(member: User) -> Contribution:
    part = contribution()
    part["records"][label(User)] = [
        row(member, ACCOUNT_FIELDS, roles=member.roles, has_login=member.has_login)
    ]
    part["records"][label(ApiToken)] = [
        row(token, ("prefix", "created_at", "expires_at", "last_used_at"))
        for token in ApiToken.objects.filter(user=member).order_by("created_at")
    ]
    # Members registered by a coordinator without a login of their own: ids only.
    part["actions"][label(User)] = ids(User.objects.filter(managed_by=member))
    return part


def member_sessions(member: User) -> list[str]:
    """Keys of the member's live sessions (the session table has no column for the user)."""
    wanted = str(member.pk)
    return [
        session.session_key
        for session in Session.objects.all()
        if session.get_decoded().get("_auth_user_id") == wanted
    ]


def anonymise(member: User, *, actor: User, now: datetime) -> None:
    ApiToken.objects.filter(user=member).delete()
    Session.objects.filter(session_key__in=member_sessions(member)).delete()
    member.display_name = stored(DELETED_MEMBER)
    member.first_name = ""
    member.last_name = ""
    member.email = ""
    member.phone = ""
    member.username = None
    member.set_unusable_password()
    member.is_active = False
    member.is_superuser = False
    # The role flags stay: the statistics count people served by role (and never
    # coordinators); an inactive account cannot log in, whatever its flags.
    member.save()
    member.groups.clear()
    member.user_permissions.clear()


def active_since(since: datetime) -> Q:
    return Q(last_login__gte=since) | Q(date_joined__gte=since)


def kept() -> Q:
    """Already anonymised: nothing left to take."""
    return Q(is_active=False, username__isnull=True, email="", phone="") & Q(
        display_name=stored(DELETED_MEMBER)
    )
