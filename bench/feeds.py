"""A member's calendar feed with 1,000 events, against bare icalendar serialisation of the same
events and against django-scheduler's own iCal feed for a calendar of the same 1,000 events.

The member: 600 bookings on 12 resources (a tenth cancelled, each with the audit entry of its
creation, some moved) and 400 sign-ups for the dates of 8 weekly activities (some cancelled,
one date cancelled and one moved), all in the feed window (a month back, a year ahead of NOW).
Made with bulk inserts, consistent with what the services would have written (places taken,
audit entries), so that setting it up takes about a second.

Measured interleaved, each building the whole iCalendar text:
(a) ``member_feed(member_id=..., now=...)`` in the member's language, as the feed view calls it:
    its queries, the ORM, the VEVENTs, the VTIMEZONE, ``to_ical``;
(b) bare icalendar: the same calendar built with ``add`` and ``add_component`` from plain
    values (datetimes, strings, numbers) read back once from (a)'s output before the timing —
    its 1,000 VEVENTs and its VTIMEZONE — and ``to_ical``: the floor of what serialising those
    events costs. (b) must write the same bytes as (a), or the run fails; read back from (a),
    the floor follows whatever properties the member feed comes to write;
(c) django-scheduler's ``CalendarICalendar``, resolved from its own URL conf and called with a
    RequestFactory GET, over a django-scheduler Calendar of 1,000 single Event rows with the
    same titles, descriptions, starts and ends (it writes UID, DTSTART, DTEND, SUMMARY and
    CREATED, in UTC, without a VTIMEZONE).
"""

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any, NamedTuple

import icalendar
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import translation
from schedule.models import Calendar, Event, Rule

from accounts.models import User
from bench.dataset import NOW, ZONE
from bench.timing import Step, Timings, time_interleaved
from scheduling.feeds import AHEAD, PAST, member_feed
from scheduling.models import (
    PLACE_STATUSES,
    Activity,
    ActivityKind,
    ActivityRole,
    AuditEntry,
    Booking,
    BookingStatus,
    Resource,
    ResourceGroup,
    ResourceKind,
    SignUp,
    SignUpStatus,
    Slot,
    SlotRole,
    Unit,
)

BOOKINGS = 600
ACTIVITIES = 8
DATES_PER_ACTIVITY = 50  # weekly: 350 days, inside the feed window
EVENTS = BOOKINGS + ACTIVITIES * DATES_PER_ACTIVITY
FIRST_DAY = (NOW - PAST + timedelta(days=1)).date()
BOOKING_TIMES = (time(9), time(13), time(17, 30))
RESOURCES = (
    (ResourceKind.WORKBENCH, "Hobelbank", "Werkhaus, Halle 1"),
    (ResourceKind.WORKBENCH, "Werkbank Metall", "Werkhaus, Halle 2"),
    (ResourceKind.MACHINE, "Formatkreissäge", "Werkhaus, Maschinenraum"),
    (ResourceKind.MACHINE, "Drechselbank", "Werkhaus, Maschinenraum"),
    (ResourceKind.MACHINE, "Lasercutter", "Werkhaus, Fablab"),
    (ResourceKind.MACHINE, "3D-Drucker", "Werkhaus, Fablab"),
    (ResourceKind.TOOL, "Akkuschrauber", "Ausgabe"),
    (ResourceKind.TOOL, "Stichsäge", "Ausgabe"),
    (ResourceKind.TOOL, "Bohrhammer", "Ausgabe"),
    (ResourceKind.TOOL, "Lastenrad", "Hof"),
    (ResourceKind.ROOM, "Seminarraum", "Werkhaus, 1. OG"),
    (ResourceKind.ROOM, "Küche", "Werkhaus, EG"),
)
PROGRAMME = (  # title, weekday (Monday 0), begins, hours, role, location
    ("Gießdienst", 0, time(7), 1.5, "", "Garten, Beete"),
    ("Café-Tresen", 1, time(15), 3, "Tresen", "Café"),
    ("Repair-Café", 5, time(14), 3, "Reparatur", "Werkhaus, Halle 1"),
    ("Holzwerkstatt Einführung", 3, time(18), 3, "", "Werkhaus, Halle 1"),
    ("Nähcafé", 2, time(17), 2.5, "", "Werkhaus, 1. OG"),
    ("Fahrradwerkstatt", 4, time(16), 3, "Schrauben", "Hof"),
    ("Gartentreff", 6, time(10), 3, "Beete", "Garten"),
    ("Kompost", 2, time(8, 30), 1, "", "Garten, Kompostplatz"),
)


@dataclass(frozen=True)
class FeedWorld:
    member_id: int
    calendar_id: int  # django-scheduler's calendar of the same 1,000 events
    bookings: int
    signups: int
    cancelled: int


# One property as plain data: its name, its value as Python has it, its parameters.
Property = tuple[str, object, dict[str, str]]


class Plain(NamedTuple):
    """A component (calendar, VTIMEZONE, VEVENT, ...) as plain data."""

    name: str
    properties: list[Property]
    components: list["Plain"]


def _bookings(member: User) -> int:
    group = ResourceGroup.objects.create(name="Werkhaus (Feed)", slug="bench-feed")
    resources = Resource.objects.bulk_create(
        Resource(kind=kind, name=f"{name} (Feed)", location=location, group=group)
        for kind, name, location in RESOURCES
    )
    units = Unit.objects.bulk_create(Unit(resource=r, label=f"{r.pk}-01") for r in resources)
    span = (AHEAD + PAST).days - 2
    bookings = []
    for i in range(BOOKINGS):
        # The same resource comes back every 12th booking, a week later at least: no overlap.
        day = FIRST_DAY + timedelta(days=i * span // BOOKINGS)
        start = datetime.combine(day, BOOKING_TIMES[i % len(BOOKING_TIMES)], ZONE)
        end = start + timedelta(hours=1 + i % 3)
        created = start - timedelta(days=3 + i % 11)
        if i % 10 == 3:
            status = BookingStatus.CANCELLED
        elif start < NOW:
            status = BookingStatus.COMPLETED
        else:
            status = BookingStatus.CONFIRMED
        unit = units[i % len(units)]
        bookings.append(
            Booking(
                unit=unit,
                resource=resources[i % len(resources)],
                member=member,
                start=start,
                end=end,
                blocked_until=end,
                status=status,
                created_by=member,
                created_at=created,
                updated_at=created + timedelta(hours=i % 20),
            )
        )
    bookings = Booking.objects.bulk_create(bookings)
    audit = [
        AuditEntry(at=b.created_at, actor=member, action="created", booking=b, to_status=b.status)
        for b in bookings
    ]
    audit += [
        AuditEntry(at=b.updated_at, actor=member, action="moved", booking=b)
        for i, b in enumerate(bookings)
        if i % 7 == 0
    ]
    AuditEntry.objects.bulk_create(audit)
    return len(bookings)


def _signups(member: User) -> tuple[int, int]:
    calendar = Calendar.objects.create(name="Programm (Feed)", slug="bench-feed-programm")
    others = User.objects.bulk_create(
        User(
            username=f"feed-helfer{n}",
            display_name=f"Helfer {n}",
            email=f"feed-helfer{n}@example.org",
            password=make_password(None),
        )
        for n in range(2)
    )
    signups: list[SignUp] = []
    cancelled_slots = 0
    for a, (title, weekday, begins, hours, role_name, location) in enumerate(PROGRAMME):
        first = FIRST_DAY + timedelta(days=(weekday - FIRST_DAY.weekday()) % 7)
        start = datetime.combine(first, begins, ZONE)
        byweekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[weekday]
        rule = Rule.objects.create(
            name=f"weekly {byweekday}",
            description="",
            frequency="WEEKLY",
            params=f"byweekday:{byweekday}",
        )
        event = Event.objects.create(
            calendar=calendar,
            title=f"{title} (Feed)",
            description="Bitte festes Schuhwerk." if a % 2 else "",
            start=start,
            end=start + timedelta(hours=hours),
            rule=rule,
        )
        kind = ActivityKind.SHIFT if a % 2 == 0 else ActivityKind.WORKSHOP
        activity = Activity.objects.create(event=event, kind=kind, location=location)
        role = ActivityRole.objects.create(activity=activity, name=role_name, places=6)
        slots = []
        for k in range(DATES_PER_ACTIVITY):
            # Wall-clock weekly, as the rule gives it in Berlin across both DST changes.
            begin = datetime.combine(first + timedelta(weeks=k), begins, ZONE)
            moved = a == 2 and k == 30
            cancelled = (a, k) in ((1, 20), (5, 40))
            cancelled_slots += cancelled
            shift = timedelta(hours=1) if moved else timedelta(0)
            slots.append(
                Slot(
                    activity=activity,
                    original_start=begin,
                    start=begin + shift,
                    end=begin + timedelta(hours=hours) + shift,
                    cancelled=cancelled,
                )
            )
        slots = Slot.objects.bulk_create(slots)
        for k, slot in enumerate(slots):
            created = slot.original_start - timedelta(days=5)
            status = (
                SignUpStatus.CANCELLED
                if (a + k) % 12 == 5
                else SignUpStatus.ATTENDED
                if slot.start < NOW
                else SignUpStatus.CONFIRMED
            )
            signups.append(
                SignUp(
                    slot=slot,
                    role=role,
                    member=member,
                    status=status,
                    created_by=member,
                    created_at=created,
                    updated_at=created + timedelta(days=k % 3),
                )
            )
            # Somebody else on every other date, as in a real programme.
            if k % 2:
                signups.append(
                    SignUp(
                        slot=slot,
                        role=role,
                        member=others[k % len(others)],
                        status=SignUpStatus.CONFIRMED,
                        created_by=others[k % len(others)],
                        created_at=created,
                        updated_at=created,
                    )
                )
    SignUp.objects.bulk_create(signups)
    taken: dict[tuple[int, int], int] = {}
    for s in signups:
        if s.status in PLACE_STATUSES:
            taken[(s.slot_id, s.role_id)] = taken.get((s.slot_id, s.role_id), 0) + 1
    slot_roles = Slot.objects.filter(activity__event__calendar=calendar).values_list(
        "pk", "activity__roles__pk", "activity__roles__places"
    )
    SlotRole.objects.bulk_create(
        SlotRole(
            slot_id=slot_id, role_id=role_id, places=places, taken=taken.get((slot_id, role_id), 0)
        )
        for slot_id, role_id, places in slot_roles
    )
    return sum(1 for s in signups if s.member_id == member.pk), cancelled_slots


def plain_feed(body: bytes) -> Plain:
    """What a feed says, as plain Python values (datetimes, strings, numbers): read back from
    the member feed's own output, so that the floor writes exactly the components, properties
    and values that the member feed writes, whatever those are."""
    return _plain(icalendar.Calendar.from_ical(body))


def _plain(component: icalendar.Component) -> Plain:
    return Plain(
        name=str(component.name),
        properties=[
            (name.lower(), component.decoded(name), dict(component[name].params))
            for name in component
        ],
        components=[_plain(c) for c in component.subcomponents],
    )


COMPONENTS = icalendar.ComponentFactory()


def _component(plain: Plain) -> icalendar.Component:
    component = COMPONENTS.get_component_class(plain.name)()
    for name, value, parameters in plain.properties:
        component.add(name, value, parameters=parameters)
    for child in plain.components:
        component.add_component(_component(child))
    return component


def bare_feed(plain: Plain) -> bytes:
    """(b): icalendar alone, from plain data: every component built with ``add`` and
    ``add_component``, then ``to_ical``."""
    return bytes(_component(plain).to_ical())


def _scheduler_calendar(plain: Plain) -> int:
    """django-scheduler's Calendar with one single Event per event of the member feed."""
    calendar = Calendar.objects.create(name="Mein Kalender (Feed)", slug="bench-feed-mitglied")
    values = [
        {name: value for name, value, _ in event.properties}
        for event in plain.components
        if event.name == "VEVENT"
    ]
    Event.objects.bulk_create(
        Event(
            calendar=calendar,
            title=str(v["summary"]),
            description=str(v.get("description", "")),
            start=v["dtstart"],
            end=v["dtend"],
        )
        for v in values
    )
    return int(calendar.pk)


def _member_feed(member: User) -> bytes:
    """As the feed view calls it: in the member's language."""
    with translation.override(member.preferred_language):
        return member_feed(member_id=member.pk, now=NOW)


@transaction.atomic
def world_create() -> FeedWorld:
    member = User.objects.create(
        username="feed-mitglied",
        display_name="Feed Mitglied",
        email="feed-mitglied@example.org",
        password=make_password(None),
    )
    bookings = _bookings(member)
    signups, cancelled = _signups(member)
    return FeedWorld(
        member_id=member.pk,
        calendar_id=_scheduler_calendar(plain_feed(_member_feed(member))),
        bookings=bookings,
        signups=signups,
        cancelled=cancelled,
    )


def _vevents(body: bytes) -> dict[str, bytes]:
    parsed = icalendar.Calendar.from_ical(body)
    return {str(e["uid"]): e.to_ical() for e in parsed.walk("VEVENT")}


def _differences(ours: dict[str, bytes], bare: dict[str, bytes]) -> list[str]:
    found = [f"only in member_feed: {uid}" for uid in sorted(ours.keys() - bare.keys())[:5]]
    found += [f"only in the bare feed: {uid}" for uid in sorted(bare.keys() - ours.keys())[:5]]
    for uid in sorted(ours.keys() & bare.keys()):
        if ours[uid] != bare[uid]:
            lines = set(ours[uid].splitlines()) ^ set(bare[uid].splitlines())
            found.append(f"{uid} differs: {sorted(line.decode()[:60] for line in lines)}")
            if len(found) >= 10:
                break
    return found


def _counted(step: Callable[[int], bytes]) -> tuple[bytes, list[str]]:
    """The step's output and its queries (untimed)."""
    with CaptureQueriesContext(connection) as captured:
        body = step(0)
    return body, [" ".join(q["sql"].split())[:90] for q in captured.captured_queries]


def measure(*, world: FeedWorld, repetitions: int, warmup: int) -> dict[str, Any]:
    member = User.objects.get(pk=world.member_id)  # as the feed view has it from the token
    plain = plain_feed(_member_feed(member))
    path = f"/ical/calendar/{world.calendar_id}/"
    match = resolve(path, urlconf="schedule.urls")
    request = RequestFactory().get(path)

    def ours(_i: int) -> bytes:
        return _member_feed(member)

    def bare(_i: int) -> bytes:
        return bare_feed(plain)

    def theirs(_i: int) -> bytes:
        response = match.func(request, *match.args, **match.kwargs)
        assert response.status_code == 200, response.status_code
        return bytes(response.content)

    steps: dict[str, Callable[[int], bytes]] = {
        "member_feed": ours,
        "bare": bare,
        "django_scheduler": theirs,
    }
    counted = {name: _counted(step) for name, step in steps.items()}
    bodies = {name: body for name, (body, _) in counted.items()}
    statements = {name: listed for name, (_, listed) in counted.items()}
    timed: dict[str, Step] = dict(steps)
    samples = time_interleaved(
        timed,
        repetitions=repetitions,
        warmup=warmup,
    )
    ours_vs_bare = Timings(operation_ns=samples["member_feed"], baseline_ns=samples["bare"])
    theirs_vs_bare = Timings(operation_ns=samples["django_scheduler"], baseline_ns=samples["bare"])
    ours_vs_theirs = Timings(
        operation_ns=samples["member_feed"], baseline_ns=samples["django_scheduler"]
    )
    # The floor must have done the same work: written the same bytes.
    same_output = bodies["member_feed"] == bodies["bare"]
    differences = []
    if not same_output:
        differences = _differences(_vevents(bodies["member_feed"]), _vevents(bodies["bare"]))
        differences = differences or ["the same VEVENTs; the calendar or its VTIMEZONE differ"]
    labels = {
        "member_feed": "member_feed (queries included)",
        "bare": "bare icalendar, from plain data",
        "django_scheduler": "django-scheduler CalendarICalendar",
    }
    ratios = {
        "member_feed": ours_vs_bare.ratio,
        "bare": 1.0,
        "django_scheduler": theirs_vs_bare.ratio,
    }
    return {
        "events": EVENTS,
        "bookings": world.bookings,
        "signups": world.signups,
        "cancelled_dates": world.cancelled,
        "now": NOW.isoformat(),
        "repetitions": repetitions,
        "rows": [
            {
                "operation": labels[name],
                "median_ms": round(statistics.median(samples[name]) / 1e6, 3),
                "ratio_to_bare": round(ratios[name], 2),
                "queries": len(statements[name]),
                "vevents": bodies[name].count(b"BEGIN:VEVENT\r\n"),
                "vtimezones": bodies[name].count(b"BEGIN:VTIMEZONE\r\n"),
                "bytes": len(bodies[name]),
            }
            for name in ("member_feed", "bare", "django_scheduler")
        ],
        "member_feed_vs_bare": ours_vs_bare.as_dict(),
        "django_scheduler_vs_bare": theirs_vs_bare.as_dict(),
        "member_feed_vs_django_scheduler": ours_vs_theirs.as_dict(),
        "member_feed_queries": len(statements["member_feed"]),
        "statements": statements,
        "same_output": same_output,
        "member_feed_events": bodies["member_feed"].count(b"BEGIN:VEVENT\r\n"),
        "differences": differences,
    }
