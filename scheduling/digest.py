"""The weekly digest for coordinators: what the coming week holds and what waits for them.

Written on Monday morning (``DIGEST_HOUR``, local time) as one outbox row per coordinator; a
unique key per ISO week makes it once a week, also when the worker was down on Monday morning
and catches up later that day. The figures are gathered when the mail is written, in the
coordinator's language. Apps add sections
(the Werkhaus: overdue loans; the garden: hours to approve) with ``register_section``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.timeutil import as_utc
from scheduling.models import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    Notification,
    NotificationChannel,
)
from scheduling.reminders import ReminderKind, register, wanted
from scheduling.selectors.occurrences import occurrences_in_window

WEEK = timedelta(days=7)
MAX_ITEMS = 25

# A section's figures: how many, and up to MAX_ITEMS lines (text, optionally when).
Items = list[dict[str, Any]]


@dataclass(frozen=True)
class Section:
    key: str
    title: Promise
    build: Callable[[datetime], tuple[int, Items]]


_SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    _SECTIONS[section.key] = section


def section_title(key: str) -> Promise | None:
    section = _SECTIONS.get(key)
    return section.title if section else None


def item(text: str, when: datetime | None = None) -> dict[str, Any]:
    return {"text": text, "when": as_utc(when).isoformat() if when else None}


def digest_sections(now: datetime) -> list[dict[str, Any]]:
    found = []
    for section in _SECTIONS.values():
        count, items = section.build(now)
        found.append({"key": section.key, "count": count, "items": items[:MAX_ITEMS]})
    return found


# --- The engine's sections --------------------------------------------------------------------


def _bookings_next_week(now: datetime) -> tuple[int, Items]:
    by_resource = (
        Booking.objects.filter(status__in=ACTIVE_STATUSES, start__gte=now, start__lt=now + WEEK)
        .values("resource__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "resource__name")
    )
    rows = list(by_resource)
    return sum(row["n"] for row in rows), [
        item(f"{row['resource__name']}: {row['n']}") for row in rows
    ]


def _awaiting_approval(now: datetime) -> tuple[int, Items]:
    waiting = (
        Booking.objects.filter(status=BookingStatus.REQUESTED, end__gt=now)
        .select_related("resource", "member")
        .order_by("start")
    )
    rows = list(waiting[:MAX_ITEMS])
    return waiting.count() if len(rows) == MAX_ITEMS else len(rows), [
        item(f"{b.resource.name} · {b.member.get_full_name()}", b.start) for b in rows
    ]


def _understaffed_next_week(now: datetime) -> tuple[int, Items]:
    short = [
        o
        for o in occurrences_in_window(start=now, end=now + WEEK)
        if o.understaffed and not o.cancelled
    ]
    return len(short), [
        item(
            f"{o.activity.event.title}: {o.taken}/{o.activity.min_staffing}",
            o.start,
        )
        for o in short
    ]


def _to_call(now: datetime) -> tuple[int, Items]:
    from scheduling.messages import subject_for

    calls = (
        Notification.objects.filter(channel=NotificationChannel.CALL, sent_at__gte=now - WEEK)
        .select_related("member")
        .order_by("member__display_name", "sent_at")
    )
    rows = list(calls[:MAX_ITEMS])
    return calls.count() if len(rows) == MAX_ITEMS else len(rows), [
        item(
            f"{n.member.get_full_name()} ({n.member.phone or _('no phone')}): "
            f"{subject_for(n.kind)}",
            n.sent_at,
        )
        for n in rows
    ]


register_section(Section("bookings", _("Bookings in the coming week"), _bookings_next_week))
register_section(Section("approvals", _("Bookings waiting for approval"), _awaiting_approval))
register_section(
    Section("understaffed", _("Shifts and sessions short of people"), _understaffed_next_week)
)
register_section(Section("to_call", _("Members without e-mail to call"), _to_call))


# --- The digest as a reminder kind ------------------------------------------------------------


def week_key(now: datetime) -> str:
    year, week, _weekday = timezone.localtime(now).isocalendar()
    return f"{year}-W{week:02d}"


def _digests(now: datetime) -> Iterable[Notification]:
    from django.conf import settings

    local = timezone.localtime(now)
    if local.isoweekday() != 1 or local.hour < settings.DIGEST_HOUR:
        return []
    week = week_key(now)
    coordinators = list(
        User.objects.filter(is_coordinator=True, is_active=True)
        .filter(~wanted("weekly_digest", member="pk"))
        .exclude(
            pk__in=Notification.objects.filter(
                kind="weekly_digest", key__startswith=f"weekly_digest:{week}:"
            ).values("member_id")
        )
        .values_list("pk", flat=True)
    )
    if not coordinators:
        return []
    return [
        Notification(
            member_id=pk,
            kind="weekly_digest",
            key=f"weekly_digest:{week}:{pk}",
            payload={"week": week},
        )
        for pk in coordinators
    ]


def _is_coordinator(member: User) -> bool:
    return bool(member.is_coordinator)


register(
    ReminderKind(
        kind="weekly_digest",
        label=_("Weekly digest for coordinators (Monday morning)"),
        produce=_digests,
        applies=lambda notification: True,
        offered_to=_is_coordinator,
    )
)
