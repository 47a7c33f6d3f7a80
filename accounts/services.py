"""Every write to members, roles and credentials goes through here."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session
from django.db import transaction

from accounts.models import ApiToken, User

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
