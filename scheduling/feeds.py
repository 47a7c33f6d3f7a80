"""iCalendar (RFC 5545) feeds: the public programme, garden shifts with open places, one
resource's busy times (no names), and a member's own bookings and sign-ups.

Stable UIDs (a booking or a dated occurrence keeps its UID when it moves), a VTIMEZONE for
Europe/Berlin, DTSTAMP from the item's last change (so an unchanged feed is byte-identical),
SEQUENCE that rises with every change (counted in the audit log), STATUS:CANCELLED for what was
cancelled, TENTATIVE for what is not yet certain, and a URL back to the item's page.

The window is whole local days (a month back to a year ahead), so that within one day a feed
depends on the data alone: ``scheduling.selectors.feeds`` reads, in one query, what it depends on;
its digest is the ETag and the cache key of the serialised feed (see ``ical_views``).
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from core.timeutil import as_utc
from scheduling.models import (
    LIVE_SIGNUP_STATUSES,
    ActivityKind,
    AuditEntry,
    Booking,
    BookingStatus,
    Resource,
    SignUp,
    SignUpStatus,
)
from scheduling.recurrence import day_bounds
from scheduling.selectors.occurrences import OccurrenceView, occurrences_in_window

DOMAIN = "werkhaus-garten"
PAST = timedelta(days=30)
AHEAD = timedelta(days=365)
# Part of every fingerprint: raise it when the text of the feeds changes, so that bodies
# cached by an older release are not served after a deploy.
FORMAT = "2"
OCCURRENCE_CHANGES = ("occurrence_moved", "occurrence_cancelled")
TENTATIVE_BOOKINGS = (BookingStatus.REQUESTED, BookingStatus.HELD)
TENTATIVE_SIGNUPS = (SignUpStatus.WAITLISTED, SignUpStatus.OFFERED)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def feed_window(now: datetime) -> tuple[datetime, datetime]:
    """Local midnight a month back to local midnight after the day a year ahead (in UTC)."""
    return day_bounds(now - PAST)[0], day_bounds(now + AHEAD)[1]


# --- links back to the pages ---------------------------------------------------------------


def page_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def occurrence_path(*, kind: str, event_id: int, original_start: datetime) -> str:
    """A dated session or shift, named like its UID by the start its rule gave it."""
    section = "schichten" if kind == ActivityKind.SHIFT else "programm"
    return f"/{section}/{event_id}/{as_utc(original_start):%Y%m%dT%H%M%SZ}/"


def booking_path(booking_id: int) -> str:
    return f"/buchungen/{booking_id}/"


def resource_path(resource_id: int) -> str:
    return f"/ressourcen/{resource_id}/"


# --- building blocks (also used for the invitations in e-mails) -----------------------------


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
    url: str = "",
    tentative: bool = False,
) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{DOMAIN}")
    event.add("dtstamp", as_utc(stamp))
    event.add("dtstart", start.astimezone(_zone()))
    event.add("dtend", end.astimezone(_zone()))
    event.add("summary", summary)
    event.add("sequence", sequence)
    status = "CANCELLED" if cancelled else "TENTATIVE" if tentative else "CONFIRMED"
    event.add("status", status)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    return event


def serialise(
    cal: Calendar, *, first_date: date | None = None, last_date: date | None = None
) -> bytes:
    """With a VTIMEZONE for every TZID; its transitions only from ``first_date`` to
    ``last_date`` when given (a feed's window), not the 70 years icalendar writes otherwise."""
    if first_date is not None and last_date is not None:
        cal.add_missing_timezones(first_date=first_date, last_date=last_date)
    else:
        cal.add_missing_timezones()
    return bytes(cal.to_ical())


def _serialise_window(cal: Calendar, start: datetime, end: datetime) -> bytes:
    """Time zone transitions of the window and a year either side (for the rare booking that
    reaches into the window from far outside it)."""
    margin = timedelta(days=366)
    return serialise(cal, first_date=(start - margin).date(), last_date=(end + margin).date())


def occurrence_uid(occurrence: OccurrenceView) -> str:
    return f"occ-{occurrence.activity.event_id}-{as_utc(occurrence.original_start):%Y%m%dT%H%M%SZ}"


def occurrence_changes(slot_ids: Iterable[int]) -> dict[int, tuple[int, datetime]]:
    """How often each dated occurrence was moved or cancelled, and when last."""
    wanted = sorted(set(slot_ids))
    changes: dict[int, tuple[int, datetime]] = {}
    if not wanted:
        return changes
    rows = AuditEntry.objects.filter(
        action__in=OCCURRENCE_CHANGES, detail__slot__in=wanted
    ).values_list("detail__slot", "at")
    for slot_id, at in rows:
        count, last = changes.get(int(slot_id), (0, at))
        changes[int(slot_id)] = (count + 1, max(last, at))
    return changes


def booking_sequence(changes: int) -> int:
    """SEQUENCE of a booking from its audit entries: 0 when created, +1 with every change."""
    return max(changes - 1, 0)


def signup_sequence(*, changes: int, slot_changes: int, moved: bool) -> int:
    """SEQUENCE of a sign-up: its own changes plus the moves and cancellations of its date."""
    return booking_sequence(changes) + max(slot_changes, int(moved))


# --- the feeds ------------------------------------------------------------------------------


def _occurrence_events(
    occurrences: Iterable[OccurrenceView],
    changes: dict[int, tuple[int, datetime]] | None = None,
) -> Iterable[Event]:
    changes = changes or {}
    for occurrence in occurrences:
        event = occurrence.activity.event
        moved = occurrence.start != occurrence.original_start
        count, last = changes.get(occurrence.slot_id or 0, (0, event.updated_on))
        places = _("%(open)d of %(capacity)d places free") % {
            "open": occurrence.open_places,
            "capacity": occurrence.capacity,
        }
        yield _event(
            uid=occurrence_uid(occurrence),
            start=occurrence.start,
            end=occurrence.end,
            summary=str(event.title),
            stamp=max(event.updated_on, last),
            sequence=max(count, int(moved) + int(occurrence.cancelled)),
            cancelled=occurrence.cancelled,
            description="\n\n".join(filter(None, [str(event.description), places])),
            location=occurrence.activity.location,
            url=page_url(
                occurrence_path(
                    kind=occurrence.activity.kind,
                    event_id=event.pk,
                    original_start=occurrence.original_start,
                )
            ),
        )


def programme_feed(*, kind: str, now: datetime, open_only: bool = False) -> bytes:
    """Dated sessions (``workshop``) or shifts (``shift``) from a month ago to a year ahead."""
    start, end = feed_window(now)
    found = occurrences_in_window(start=start, end=end, kind=kind)
    if open_only:
        found = [o for o in found if o.cancelled or o.open_places > 0]
    name = _("Workshop programme") if kind == ActivityKind.WORKSHOP else _("Garden shifts")
    cal = new_calendar(name)
    changes = occurrence_changes(o.slot_id for o in found if o.slot_id is not None)
    for event in _occurrence_events(found, changes):
        cal.add_component(event)
    return _serialise_window(cal, start, end)


def resource_bookings(resource_id: int, start: datetime, end: datetime) -> QuerySet[Booking]:
    return Booking.objects.filter(resource_id=resource_id, start__lt=end, end__gt=start).exclude(
        status=BookingStatus.NO_SHOW
    )


def resource_feed(*, resource: Resource, now: datetime) -> bytes:
    """When the resource is taken — times only, never who took it."""
    start, end = feed_window(now)
    cal = new_calendar(str(resource.name))
    bookings = (
        resource_bookings(resource.pk, start, end)
        .annotate(changes=Count("audit"))
        .only("pk", "start", "end", "status", "updated_at")
        .order_by("start", "pk")
    )
    busy = _("Booked")
    url = page_url(resource_path(resource.pk))
    for booking in bookings:
        cal.add_component(
            _event(
                uid=f"booking-{booking.pk}",
                start=booking.start,
                end=booking.end,
                summary=busy,
                stamp=booking.updated_at,
                sequence=booking_sequence(booking.changes),
                cancelled=booking.status == BookingStatus.CANCELLED,
                tentative=booking.status in TENTATIVE_BOOKINGS,
                url=url,
            )
        )
    return _serialise_window(cal, start, end)


def member_bookings(member_id: int, start: datetime, end: datetime) -> QuerySet[Booking]:
    return Booking.objects.filter(member_id=member_id, start__lt=end, end__gt=start)


def member_signups(member_id: int, start: datetime, end: datetime) -> QuerySet[SignUp]:
    return SignUp.objects.filter(
        Q(status__in=LIVE_SIGNUP_STATUSES) | Q(status=SignUpStatus.CANCELLED),
        member_id=member_id,
        slot__start__lt=end,
        slot__end__gt=start,
    )


def member_feed(*, member_id: int, now: datetime) -> bytes:
    """A member's own bookings (loans with their due date) and sign-ups, in their language."""
    start, end = feed_window(now)
    cal = new_calendar(_("My Werkhaus & Garden"))
    bookings = (
        member_bookings(member_id, start, end)
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
                sequence=booking_sequence(booking.changes),
                cancelled=booking.status == BookingStatus.CANCELLED,
                tentative=booking.status in TENTATIVE_BOOKINGS,
                description=_("Unit: %(unit)s") % {"unit": booking.unit.label},
                location=booking.resource.location,
                url=page_url(booking_path(booking.pk)),
            )
        )
    signups = list(
        member_signups(member_id, start, end)
        .select_related("slot", "slot__activity", "slot__activity__event", "role")
        .annotate(changes=Count("audit"))
        .order_by("slot__start", "pk")
    )
    moves = occurrence_changes(s.slot_id for s in signups)
    for signup in signups:
        slot = signup.slot
        title = str(slot.activity.event.title)
        count, last = moves.get(slot.pk, (0, signup.updated_at))
        cal.add_component(
            _event(
                uid=f"signup-{signup.pk}",
                start=slot.start,
                end=slot.end,
                summary=f"{title} ({signup.role.name})" if signup.role.name else title,
                stamp=max(signup.updated_at, last),
                sequence=signup_sequence(
                    changes=signup.changes,
                    slot_changes=count,
                    moved=slot.start != slot.original_start,
                ),
                cancelled=signup.status == SignUpStatus.CANCELLED or slot.cancelled,
                tentative=signup.status in TENTATIVE_SIGNUPS,
                location=slot.activity.location,
                url=page_url(
                    occurrence_path(
                        kind=slot.activity.kind,
                        event_id=slot.activity.event_id,
                        original_start=slot.original_start,
                    )
                ),
            )
        )
    return _serialise_window(cal, start, end)
