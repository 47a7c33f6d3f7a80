from datetime import datetime, timedelta

from django.db import transaction

from accounts.models import User
from scheduling import errors
from scheduling.models import MemberQualification, Qualification
from scheduling.services.access import require_coordinator


@transaction.atomic
def qualification_grant(
    *,
    member: User,
    qualification: Qualification,
    granted_by: User | None,
    now: datetime,
    valid_until: datetime | None = None,
) -> MemberQualification:
    """Grant (or renew) a qualification. ``granted_by`` None: granted by the system, e.g. for
    attending a briefing session."""
    if granted_by is not None and not granted_by.is_coordinator:
        raise errors.NotYourBooking()
    if valid_until is None and qualification.valid_days:
        valid_until = now + timedelta(days=qualification.valid_days)
    return MemberQualification.objects.create(
        member=member,
        qualification=qualification,
        granted_by=granted_by,
        granted_at=now,
        valid_until=valid_until,
    )


@transaction.atomic
def qualification_revoke(*, grant: MemberQualification, actor: User, now: datetime) -> None:
    require_coordinator(actor)
    MemberQualification.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(revoked_at=now)
