"""Understaffing: an occurrence still below its minimum staffing a while before it starts
(``UNDERSTAFFED_ALERT_HOURS``, 72 by default) is flagged once; the coordinators and the
eligible members who are free at that time are told (the reminders send it)."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.models import User
from scheduling.models import (
    LIVE_SIGNUP_STATUSES,
    Activity,
    Eligibility,
    MemberQualification,
    SignUp,
    Slot,
)
from scheduling.selectors.occurrences import occurrences_in_window
from scheduling.services.records import notify
from scheduling.services.signups import find_occurrence, slot_for


def eligible_helpers(activity: Activity, start: datetime, end: datetime) -> QuerySet[User]:
    """Members who may take the shift and have no other sign-up at that time."""
    people = User.objects.filter(is_active=True)
    if activity.eligibility == Eligibility.HONORARY:
        people = people.filter(is_honorary_worker=True)
    elif activity.eligibility == Eligibility.QUALIFIED:
        if activity.required_qualification_id is None:
            return people.none()
        people = people.filter(
            pk__in=MemberQualification.objects.filter(
                Q(valid_until__isnull=True) | Q(valid_until__gte=end),
                qualification_id=activity.required_qualification_id,
                revoked_at__isnull=True,
            ).values("member_id")
        )
    else:  # everyone and volunteers: the people who do shifts
        people = people.filter(Q(is_volunteer=True) | Q(is_honorary_worker=True))
    busy = SignUp.objects.filter(
        status__in=LIVE_SIGNUP_STATUSES, slot__start__lt=end, slot__end__gt=start
    ).values("member_id")
    return people.exclude(pk__in=busy)


@transaction.atomic
def understaffing_alert(*, now: datetime) -> int:
    """Flag each understaffed occurrence in the coming window once and record the notices."""
    horizon = now + timedelta(hours=settings.UNDERSTAFFED_ALERT_HOURS)
    flagged = 0
    coordinators = list(User.objects.filter(is_coordinator=True, is_active=True))
    for occurrence in occurrences_in_window(start=now, end=horizon):
        if not occurrence.understaffed or occurrence.start <= now:
            continue
        activity = occurrence.activity
        slot = slot_for(activity, find_occurrence(activity, occurrence.start))
        claimed = Slot.objects.filter(pk=slot.pk, understaffed_alerted_at__isnull=True).update(
            understaffed_alerted_at=now
        )
        if not claimed:
            continue  # already alerted
        payload: dict[str, Any] = {
            "event": activity.event_id,
            "title": str(activity.event.title),
            "start": occurrence.start.isoformat(),
            "taken": occurrence.taken,
            "min_staffing": activity.min_staffing,
        }
        for coordinator in coordinators:
            notify(member_id=coordinator.pk, kind="occurrence_understaffed", now=now, **payload)
        for helper in eligible_helpers(activity, occurrence.start, occurrence.end):
            notify(member_id=helper.pk, kind="shift_needs_you", now=now, **payload)
        flagged += 1
    return flagged
