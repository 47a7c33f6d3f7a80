"""iCalendar (RFC 5545) feeds: the public programme, garden shifts with open places, one
resource's busy times (no names), and a member's own bookings and sign-ups.

Stable UIDs (a booking or a dated occurrence keeps its UID when it moves), a VTIMEZONE for
Europe/Berlin, DTSTAMP from the item's last change (so an unchanged feed is byte-identical and
its ETag holds), SEQUENCE that rises with changes, STATUS:CANCELLED for what was cancelled.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from core.timeutil import as_utc
from scheduling.models import (
    LIVE_SIGNUP_STATUSES,
    Booking,
    BookingStatus,
    Resource,
    SignUp,
    SignUpStatus,
)
from scheduling.selectors.occurrences import OccurrenceView, occurrences_in_window

DOMAIN = "werkhaus-garten"
PAST = timedelta(days=30)
AHEAD = timedelta(days=365)
UTC = ZoneInfo("UTC")


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def new_calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Werkhaus & Garten//Terminplanung//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    cal.add("x-published-ttl", vDuration(timedelta(hours=1)))
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    return cal


def _event(
    *,
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    stamp: datetime,
    sequence: int = 0,
    cancelled: bool = False,
    description: str = "",
    location: str = "",
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{DOMAIN}")
    event.add("dtstamp", as_utc(stamp))
    event.add("dtstart", start.astimezone(_zone()))
    event.add("dtend", end.astimezone(_zone()))
    event.add("summary", summary)
    event.add("sequence", sequence)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    return event


def serialise(cal: Calendar) -> bytes:
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def occurrence_uid(occurrence: OccurrenceView) -> str:
    return f"occ-{occurrence.activity.event_id}-{as_utc(occurrence.original_start):%Y%m%dT%H%M%SZ}"


def _occurrence_events(occurrences: Iterable[OccurrenceView]) -> Iterable[Event]:
    for occurrence in occurrences:
        event = occurrence.activity.event
        moved = occurrence.start != occurrence.original_start
        places = _("%(open)d of %(capacity)d places free") % {
            "open": occurrence.open_places,
            "capacity": occurrence.capacity,
        }
        yield _event(
            uid=occurrence_uid(occurrence),
            start=occurrence.start,
            end=occurrence.end,
            summary=str(event.title),
            stamp=event.updated_on,
            sequence=int(moved) + int(occurrence.cancelled),
            cancelled=occurrence.cancelled,
            description="\n\n".join(filter(None, [str(event.description), places])),
            location=occurrence.activity.location,
        )


def programme_feed(*, kind: str, now: datetime, open_only: bool = False) -> bytes:
    """Dated sessions (``workshop``) or shifts (``shift``) from a month ago to a year ahead."""
    found = occurrences_in_window(start=now - PAST, end=now + AHEAD, kind=kind)
    if open_only:
        found = [o for o in found if o.cancelled or o.open_places > 0]
    name = _("Workshop programme") if kind == "workshop" else _("Garden shifts")
    cal = new_calendar(name)
    for event in _occurrence_events(found):
        cal.add_component(event)
    return serialise(cal)


def resource_feed(*, resource: Resource, now: datetime) -> bytes:
    """When the resource is taken — times only, never who took it."""
    cal = new_calendar(str(resource.name))
    bookings = (
        Booking.objects.filter(
            resource=resource,
            start__lt=now + AHEAD,
            end__gt=now - PAST,
        )
        .exclude(status__in=[BookingStatus.NO_SHOW])
        .annotate(changes=Count("audit"))
        .only("pk", "start", "end", "status", "updated_at")
        .order_by("start", "pk")
    )
    busy = _("Booked")
    for booking in bookings:
        cal.add_component(
            _event(
                uid=f"booking-{booking.pk}",
                start=booking.start,
                end=booking.end,
                summary=busy,
                stamp=booking.updated_at,
                sequence=max(booking.changes - 1, 0),
                cancelled=booking.status == BookingStatus.CANCELLED,
            )
        )
    return serialise(cal)


def member_feed(*, member_id: int, now: datetime) -> bytes:
    """A member's own bookings (loans with their due date) and sign-ups, in their language."""
    cal = new_calendar(_("My Werkhaus & Garden"))
    bookings = (
        Booking.objects.filter(member_id=member_id, start__lt=now + AHEAD, end__gt=now - PAST)
        .select_related("resource", "unit")
        .annotate(changes=Count("audit"))
        .order_by("start", "pk")
    )
    for booking in bookings:
        cal.add_component(
            _event(
                uid=f"booking-{booking.pk}",
                start=booking.start,
                end=booking.end,
                summary=str(booking.resource.name),
                stamp=booking.updated_at,
                sequence=max(booking.changes - 1, 0),
                cancelled=booking.status == BookingStatus.CANCELLED,
                description=_("Unit: %(unit)s") % {"unit": booking.unit.label},
                location=booking.resource.location,
            )
        )
    signups = (
        SignUp.objects.filter(member_id=member_id, slot__start__lt=now + AHEAD)
        .filter(slot__end__gt=now - PAST)
        .filter(Q(status__in=LIVE_SIGNUP_STATUSES) | Q(status=SignUpStatus.CANCELLED))
        .select_related("slot", "slot__activity", "slot__activity__event", "role")
        .order_by("slot__start", "pk")
    )
    for signup in signups:
        slot = signup.slot
        title = str(slot.activity.event.title)
        cal.add_component(
            _event(
                uid=f"signup-{signup.pk}",
                start=slot.start,
                end=slot.end,
                summary=f"{title} ({signup.role.name})" if signup.role.name else title,
                stamp=signup.updated_at,
                sequence=int(slot.start != slot.original_start),
                cancelled=signup.status == SignUpStatus.CANCELLED or slot.cancelled,
                location=slot.activity.location,
            )
        )
    return serialise(cal)
