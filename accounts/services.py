"""Every write to members, roles and credentials goes through here."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, User
from core import privacy
from core.errors import Conflict, InvalidInput, NotAllowed

COORDINATOR_GROUP = "Koordination"
# Apps whose models coordinators manage in the admin.
COORDINATOR_APPS = (
    "accounts",
    "scheduling",
    "werkhaus",
    "garden",
    "schedule",
    "django_celery_beat",
    "core",
)


@dataclass(frozen=True)
class Roles:
    resident: bool = True
    volunteer: bool = False
    honorary_worker: bool = False
    coordinator: bool = False


def _apply_roles(member: User, roles: Roles) -> None:
    member.is_resident = roles.resident
    member.is_volunteer = roles.volunteer
    member.is_honorary_worker = roles.honorary_worker
    member.is_coordinator = roles.coordinator
    if roles.coordinator:
        member.is_staff = True


@transaction.atomic
def member_create(
    *,
    display_name: str,
    username: str | None = None,
    password: str | None = None,
    email: str = "",
    phone: str = "",
    preferred_language: str = settings.LANGUAGE_CODE,
    roles: Roles = Roles(),
    managed_by: User | None = None,
) -> User:
    """Create a member. Without username (a walk-in resident) the member cannot log in."""
    member = User(
        username=username or None,
        display_name=display_name,
        email=User.objects.normalize_email(email) if email else "",
        phone=phone,
        preferred_language=preferred_language,
        managed_by=managed_by,
    )
    _apply_roles(member, roles)
    if password and member.username:
        member.set_password(password)
    else:
        member.set_unusable_password()
    member.full_clean()
    member.save()
    _sync_coordinator_membership(member)
    return member


PROFILE_FIELDS = ("display_name", "email", "phone", "preferred_language")


@transaction.atomic
def member_update_profile(*, member: User, changes: dict[str, str]) -> User:
    """Change what a member may change about themselves (never roles or username)."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(member, field, value)
    if "email" in changes and member.email:
        member.email = User.objects.normalize_email(member.email)
    member.full_clean(exclude=["password"])
    member.save(update_fields=list(changes))
    return member


@transaction.atomic
def member_set_roles(*, member: User, roles: Roles) -> User:
    was_coordinator = member.is_coordinator
    _apply_roles(member, roles)
    if was_coordinator and not roles.coordinator and not member.is_superuser:
        member.is_staff = False
    member.save(
        update_fields=[
            "is_resident",
            "is_volunteer",
            "is_honorary_worker",
            "is_coordinator",
            "is_staff",
        ]
    )
    _sync_coordinator_membership(member)
    return member


def _sync_coordinator_membership(member: User) -> None:
    group = coordinator_group_sync()
    if member.is_coordinator:
        member.groups.add(group)
    else:
        member.groups.remove(group)


def coordinator_group_sync() -> Group:
    """Ensure the coordinators' group holds every permission of the apps they manage."""
    group, _created = Group.objects.get_or_create(name=COORDINATOR_GROUP)
    wanted = set(
        Permission.objects.filter(content_type__app_label__in=COORDINATOR_APPS).values_list(
            "pk", flat=True
        )
    )
    have = set(group.permissions.values_list("pk", flat=True))
    if wanted - have:
        group.permissions.add(*(wanted - have))
    return group


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, now: datetime) -> tuple[ApiToken, str]:
    """Create a token; the plain key is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        digest=token_digest(key),
        prefix=key[:8],
        created_at=now,
        expires_at=now + timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).delete()


def api_token_touch(*, token: ApiToken, now: datetime) -> None:
    """Record use at most once an hour, so that reading with a token is not a write each time."""
    ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - timedelta(hours=1)).update(
        last_used_at=now
    )


@dataclass(frozen=True)
class ClearedCredentials:
    sessions: int
    tokens: int


@transaction.atomic
def credentials_clear_expired(*, now: datetime) -> ClearedCredentials:
    sessions, _detail = Session.objects.filter(expire_date__lt=now).delete()
    tokens, _detail = ApiToken.objects.filter(expires_at__lt=now).delete()
    return ClearedCredentials(sessions=sessions, tokens=tokens)


# --- Privacy ----------------------------------------------------------------------------------


@transaction.atomic
def member_delete(*, member: User, actor: User, now: datetime) -> User:
    """Delete a member's personal data on their own request or a coordinator's.

    The account row stays, anonymised, because bookings, sign-ups, loans and hours point to it
    and the statistics keep counting them; every app strips and cancels its part
    (``<app>.privacy``), and ``core.privacy.sweep`` removes the name, e-mail, phone and
    username wherever free text still holds them.
    """
    if actor.pk != member.pk and not actor.is_coordinator:
        raise NotAllowed()
    member = User.objects.select_for_update().get(pk=member.pk)
    privacy.member_check(member=member)
    privacy.member_anonymise(member=member, actor=actor, now=now)
    return member


def members_inactive(*, now: datetime) -> QuerySet[User]:
    """Members whom the retention rule anonymises: nothing done for
    ``PERSONAL_DATA_RETENTION_DAYS`` (no login, booking, sign-up, loan or hours), no tool out,
    never coordinators or staff, not anonymised already."""
    since = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    inactive: QuerySet[User] = privacy.inactive_members(since=since)
    return inactive.filter(is_staff=False, is_superuser=False)


def members_anonymise_inactive(*, now: datetime, limit: int = 200) -> int:
    """Anonymise up to ``limit`` inactive members, each in a transaction of its own."""
    done = 0
    due = list(members_inactive(now=now).order_by("pk").values_list("pk", flat=True)[:limit])
    for pk in due:
        with transaction.atomic():
            member = User.objects.select_for_update().get(pk=pk)
            if not members_inactive(now=now).filter(pk=pk).exists():
                continue  # active again since the list was made
            privacy.member_anonymise(member=member, actor=member, now=now)
            done += 1
    return done


# --- A password set by a coordinator ----------------------------------------------------------


@transaction.atomic
def member_set_password(
    *, member: User, actor: User, password: str, username: str | None = None
) -> User:
    """A coordinator gives a member without e-mail (who cannot reset it themselves) a password,
    and a username when they have none yet (a walk-in), so that they can log in.

    Never for staff or coordinators (no one takes over an account with more rights), never for a
    member with an e-mail address (the reset link reaches only them). Their API tokens end;
    their sessions end with the old password's hash. The password is checked by the form
    (Django's validators), not here.
    """
    if not actor.is_coordinator:
        raise NotAllowed()
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.is_staff or member.is_superuser or member.is_coordinator:
        raise NotAllowed(_("Coordinators and staff set their own password."))
    if member.email:
        raise InvalidInput(
            _("This member has an e-mail address: they can reset their password themselves.")
        )
    changed = ["password"]
    if member.username is None:
        if not username:
            message = _("Choose a username: this member has none yet.")
            raise InvalidInput(message, fields={"username": [message]})
        member.username = username
        changed.append("username")
    member.set_password(password)
    taken = _("A member with that username already exists.")
    if "username" in changed and User.objects.filter(username=member.username).exists():
        raise Conflict(taken, fields={"username": [taken]})
    try:
        with transaction.atomic():
            member.save(update_fields=changed)
    except IntegrityError as exc:  # the same username given at the same moment
        raise Conflict(taken, fields={"username": [taken]}) from exc
    ApiToken.objects.filter(user=member).delete()
    return member
