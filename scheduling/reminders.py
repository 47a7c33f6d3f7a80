"""Reminders and digests: which kinds exist, what falls due, and whether one still applies.

The engine owns the mechanism; apps register kinds of their own (the Werkhaus: a loan due
tomorrow). Every minute ``services.reminders.reminders_create`` asks each kind for what is due
*now* and writes outbox rows with a unique key, so a second run, a second beat or a run after an
outage creates nothing twice; the dispatcher sends them like any notification. Before sending,
the kind's ``applies`` decides whether the reminder still holds (the booking may have been
cancelled or moved since). Nothing is scheduled days ahead as a Celery ETA task.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.timeutil import as_utc
from scheduling.models import (
    Booking,
    BookingStatus,
    Notification,
    NotificationOptOut,
    SignUp,
    SignUpStatus,
)


@dataclass(frozen=True)
class ReminderKind:
    kind: str
    label: Promise
    # Unsaved outbox rows that are due at ``now``, each with its unique ``key``.
    produce: Callable[[datetime], Iterable[Notification]]
    # Whether a created reminder should still be sent (re-read at sending time).
    applies: Callable[[Notification], bool]
    # Who may choose it on their settings page.
    offered_to: Callable[[User], bool] = lambda member: True


_KINDS: dict[str, ReminderKind] = {}


def register(kind: ReminderKind) -> None:
    _KINDS[kind.kind] = kind


def reminder_kinds() -> list[ReminderKind]:
    return list(_KINDS.values())


def reminder_kind(kind: str) -> ReminderKind | None:
    return _KINDS.get(kind)


def wanted(kind: str, member: str = "member") -> Exists:
    """For ``~wanted(...)`` filters: the member has switched this kind off."""
    return Exists(NotificationOptOut.objects.filter(member=OuterRef(member), kind=kind))


def stamp(moment: datetime) -> str:
    return f"{as_utc(moment):%Y%m%dT%H%MZ}"


def lead() -> timedelta:
    return timedelta(hours=settings.REMINDER_HOURS_BEFORE)


def short_lead() -> timedelta:
    return timedelta(hours=settings.SHIFT_REMINDER_SHORT_HOURS)


# --- The engine's own kinds ------------------------------------------------------------------


def _booking_reminders(now: datetime) -> Iterable[Notification]:
    ahead = lead()
    bookings = (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            start__gt=now,
            start__lte=now + ahead,
            # Booked within the last day before it starts: the confirmation is reminder enough.
            created_at__lt=F("start") - ahead,
            member__is_active=True,
        )
        .filter(~wanted("booking_reminder"))
        .select_related("resource")
        .only("pk", "member_id", "start", "end", "resource__name", "resource_id")
    )
    for booking in bookings:
        yield Notification(
            member_id=booking.member_id,
            kind="booking_reminder",
            key=f"booking_reminder:{booking.pk}:{stamp(booking.start)}",
            booking=booking,
            due_at=booking.start - ahead,
            payload={
                "resource": booking.resource_id,
                "title": str(booking.resource.name),
                "start": as_utc(booking.start).isoformat(),
                "end": as_utc(booking.end).isoformat(),
            },
        )


def _booking_applies(notification: Notification) -> bool:
    booking = notification.booking
    return (
        booking is not None
        and booking.status == BookingStatus.CONFIRMED
        and as_utc(booking.start).isoformat() == notification.payload.get("start")
    )


def _signup_reminders(
    kind: str, *, earliest: timedelta, latest: timedelta
) -> Callable[[datetime], Iterable[Notification]]:
    """Sign-ups whose date starts between ``earliest`` and ``latest`` from now."""

    def produce(now: datetime) -> Iterable[Notification]:
        signups = (
            SignUp.objects.filter(
                status=SignUpStatus.CONFIRMED,
                slot__cancelled=False,
                slot__start__gt=now + earliest,
                slot__start__lte=now + latest,
                created_at__lt=F("slot__start") - latest,
                member__is_active=True,
            )
            .filter(~wanted(kind))
            .select_related("slot", "slot__activity__event", "role")
        )
        for signup in signups:
            slot = signup.slot
            title = str(slot.activity.event.title)
            yield Notification(
                member_id=signup.member_id,
                kind=kind,
                key=f"{kind}:{signup.pk}:{stamp(slot.start)}",
                signup=signup,
                due_at=slot.start - latest,
                payload={
                    "slot": slot.pk,
                    "title": f"{title} ({signup.role.name})" if signup.role.name else title,
                    "start": as_utc(slot.start).isoformat(),
                    "end": as_utc(slot.end).isoformat(),
                    "location": slot.activity.location,
                },
            )

    return produce


def _signup_day_reminders(now: datetime) -> Iterable[Notification]:
    # When the short reminder is already due (a worker that was down), only that one goes out.
    return _signup_reminders("signup_reminder", earliest=short_lead(), latest=lead())(now)


def _signup_short_reminders(now: datetime) -> Iterable[Notification]:
    return _signup_reminders("signup_reminder_soon", earliest=timedelta(0), latest=short_lead())(
        now
    )


def _signup_applies(notification: Notification) -> bool:
    signup = notification.signup
    return (
        signup is not None
        and signup.status == SignUpStatus.CONFIRMED
        and not signup.slot.cancelled
        and as_utc(signup.slot.start).isoformat() == notification.payload.get("start")
    )


register(
    ReminderKind(
        kind="booking_reminder",
        label=_("Reminder the day before a booking"),
        produce=_booking_reminders,
        applies=_booking_applies,
    )
)
register(
    ReminderKind(
        kind="signup_reminder",
        label=_("Reminder the day before a session or shift"),
        produce=_signup_day_reminders,
        applies=_signup_applies,
    )
)
register(
    ReminderKind(
        kind="signup_reminder_soon",
        label=_("Reminder shortly before a session or shift"),
        produce=_signup_short_reminders,
        applies=_signup_applies,
    )
)


def opted_out(notification: Notification) -> bool:
    return NotificationOptOut.objects.filter(
        member_id=notification.member_id, kind=notification.kind
    ).exists()


def still_applies(notification: Notification) -> bool:
    """Ordinary notifications always apply; reminders only while what they remind of holds."""
    kind = reminder_kind(notification.kind)
    if kind is None:
        return True
    return kind.applies(notification) and not opted_out(notification)
