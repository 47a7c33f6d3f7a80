"""A year of dated occurrences of a calendar's activities, against django-scheduler's own
expansion of the same events over the same window.

The programme: a calendar with 20 recurring events (8 DAILY, 12 WEEKLY with ``byweekday``,
two of them every other day or week, one ending within the window), begun a few months before
the window, each with an Activity of one or two roles; sign-ups on every few dated occurrences
(made by ``signup_create``, so slots and their counters are real), two cancelled occurrences
and one moved, by the services that mirror them into django-scheduler's Occurrence.

Measured interleaved over 2026 in Europe/Berlin (both changes of daylight saving time):
(a) ``occurrences_in_window(calendar_id=...)``, our listing with places and state;
(b) django-scheduler's ``Event.get_occurrences`` for each event of the calendar, the events
    fetched fresh as a caller would;
(c) django-scheduler's ``Period(events, start, end).get_occurrences()``.
All three must list the same occurrences (event, start, end, cancelled). A second calendar
with 20 more events shows whether the query counts grow with the number of events.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from schedule.models import Calendar, Event, Rule
from schedule.periods import Period

from accounts.models import User
from bench.dataset import ZONE
from bench.timing import Timings, time_interleaved
from core.timeutil import as_utc
from scheduling.models import Activity, ActivityKind, ActivityRole, Slot
from scheduling.selectors.occurrences import OccurrenceView, occurrences_in_window
from scheduling.services.signups import (
    SignupRequest,
    occurrence_cancel,
    occurrence_move,
    signup_create,
)

WINDOW_START = datetime(2026, 1, 1, 0, 0, tzinfo=ZONE)
WINDOW_END = datetime(2027, 1, 1, 0, 0, tzinfo=ZONE)
MEMBERS = 40
SIGNUP_EVERY = 12  # sign-ups on every 12th dated occurrence of each activity

Key = tuple[int, datetime, datetime, bool]


@dataclass(frozen=True)
class Spec:
    title: str
    kind: str
    frequency: str
    params: str
    first_day: date
    begins: time
    hours: float
    places: dict[str, int]
    min_staffing: int = 0
    until: date | None = None


SHIFT, WORKSHOP = ActivityKind.SHIFT.value, ActivityKind.WORKSHOP.value
SPECS = (
    # DAILY
    Spec("Gießdienst früh", SHIFT, "DAILY", "", date(2025, 9, 1), time(7), 1.5, {"": 2}, 1),
    Spec("Gießdienst abends", SHIFT, "DAILY", "", date(2025, 9, 1), time(19), 1, {"": 2}, 1),
    Spec("Hühnerstall", SHIFT, "DAILY", "", date(2025, 10, 1), time(8), 0.5,
         {"Füttern": 1, "Ausmisten": 1}),
    Spec("Werkstattaufsicht Nachmittag", SHIFT, "DAILY", "", date(2025, 9, 15), time(14), 4,
         {"Aufsicht": 1, "Ausgabe": 1}, 1),
    Spec("Werkstattaufsicht Abend", SHIFT, "DAILY", "", date(2025, 9, 15), time(18), 3, {"": 1}),
    Spec("Café-Tresen", SHIFT, "DAILY", "", date(2025, 10, 1), time(15), 3,
         {"Tresen": 2, "Küche": 1}, 2),
    Spec("Kompost", SHIFT, "DAILY", "interval:2", date(2025, 9, 2), time(17), 1, {"": 3}),
    Spec("Offene Werkstatt", WORKSHOP, "DAILY", "", date(2025, 11, 1), time(10), 6, {"": 12}),
    # WEEKLY
    Spec("Repair-Café", WORKSHOP, "WEEKLY", "byweekday:SA", date(2025, 9, 6), time(14), 3,
         {"Reparatur": 6, "Empfang": 2}, 3),
    Spec("Holzwerkstatt Einführung", WORKSHOP, "WEEKLY", "byweekday:TU,TH", date(2025, 9, 2),
         time(18), 3, {"": 8}),
    Spec("Nähcafé", WORKSHOP, "WEEKLY", "byweekday:WE", date(2025, 9, 3), time(17), 2.5,
         {"": 10}),
    Spec("Fahrradwerkstatt", WORKSHOP, "WEEKLY", "byweekday:MO,FR", date(2025, 9, 1), time(16),
         3, {"Schrauben": 6, "Anleitung": 2}, 1),
    Spec("Siebdruck", WORKSHOP, "WEEKLY", "interval:2;byweekday:TH", date(2025, 9, 4),
         time(18, 30), 3, {"": 6}),
    Spec("Lasercutter-Einweisung", WORKSHOP, "WEEKLY", "byweekday:MO", date(2025, 10, 6),
         time(19), 2, {"": 4}, until=date(2026, 9, 30)),
    Spec("Gartentreff", SHIFT, "WEEKLY", "byweekday:SA,SU", date(2025, 9, 6), time(10), 3,
         {"Beete": 8, "Wege": 4}, 2),
    Spec("Saatgutbörse", SHIFT, "WEEKLY", "byweekday:FR", date(2025, 10, 3), time(16), 2,
         {"": 5}),
    Spec("Werkhaus-Putz", SHIFT, "WEEKLY", "byweekday:SU", date(2025, 9, 7), time(11), 2,
         {"": 6}, 2),
    Spec("Kinderwerkstatt", WORKSHOP, "WEEKLY", "byweekday:WE,FR", date(2025, 9, 3), time(15),
         2, {"Kinder": 10, "Betreuung": 2}),
    Spec("Schweißkurs", WORKSHOP, "WEEKLY", "byweekday:TU", date(2025, 9, 2), time(17, 30), 3.5,
         {"": 5}),
    Spec("Imkerei", SHIFT, "WEEKLY", "byweekday:TH,SA", date(2025, 9, 4), time(9), 2, {"": 2}),
)  # fmt: skip


@dataclass(frozen=True)
class Programme:
    calendar_id: int  # the measured calendar: 20 events
    other_calendar_id: int  # 20 more events, for the query counts at 40
    events: int
    signups: int
    slots: int
    cancelled: int
    moved: int


def _activity(calendar: Calendar, spec: Spec, suffix: str) -> Activity:
    rule = Rule.objects.create(
        name=f"{spec.frequency} {spec.params}",
        description="",
        frequency=spec.frequency,
        params=spec.params,
    )
    start = datetime.combine(spec.first_day, spec.begins, ZONE)
    event = Event.objects.create(
        calendar=calendar,
        title=f"{spec.title}{suffix}",
        start=start,
        end=start + timedelta(hours=spec.hours),
        rule=rule,
        end_recurring_period=(
            datetime.combine(spec.until, time(23, 59), ZONE) if spec.until else None
        ),
    )
    activity = Activity.objects.create(event=event, kind=spec.kind, min_staffing=spec.min_staffing)
    ActivityRole.objects.bulk_create(
        ActivityRole(activity=activity, name=name, places=places)
        for name, places in spec.places.items()
    )
    return activity


def _calendar(
    name: str, slug: str, members: list[User], coordinator: User
) -> tuple[int, dict[str, int]]:
    calendar = Calendar.objects.create(name=name, slug=slug)
    suffix = "" if slug.endswith("programm") else f" ({name})"
    for spec in SPECS:
        _activity(calendar, spec, suffix)
    listed = occurrences_in_window(start=WINDOW_START, end=WINDOW_END, calendar_id=calendar.pk)
    by_activity: dict[int, list[OccurrenceView]] = {}
    for occurrence in listed:
        by_activity.setdefault(occurrence.activity.pk, []).append(occurrence)

    signups = 0
    turn = 0
    for a, dated in enumerate(by_activity.values()):
        for n, occurrence in enumerate(dated[a % SIGNUP_EVERY :: SIGNUP_EVERY]):
            # 1, 2, 3 people in turn; every fourth date as many as there are places (full).
            wanted = occurrence.capacity if n % 4 == 3 else min(1 + n % 3, occurrence.capacity)
            for _ in range(wanted):
                member = members[turn % len(members)]
                turn += 1
                signup_create(
                    request=SignupRequest(
                        activity=occurrence.activity, start=occurrence.start, member=member
                    ),
                    actor=member,
                    now=occurrence.start - timedelta(days=3),
                )
                signups += 1

    # Cancelled: a date with sign-ups and one without; moved: one date by an hour, in place.
    activities = list(by_activity.values())
    cancelled = [activities[0][SIGNUP_EVERY], activities[9][5]]
    for occurrence in cancelled:
        occurrence_cancel(
            activity=occurrence.activity,
            start=occurrence.start,
            actor=coordinator,
            now=occurrence.start - timedelta(days=7),
            reason="Bench",
        )
    moved = activities[8][20]
    occurrence_move(
        activity=moved.activity,
        start=moved.start,
        new_start=moved.start + timedelta(hours=1),
        new_end=moved.end + timedelta(hours=1),
        actor=coordinator,
        now=moved.start - timedelta(days=7),
    )
    return calendar.pk, {"signups": signups, "cancelled": len(cancelled), "moved": 1}


@transaction.atomic
def programme_create() -> Programme:
    """Two calendars of 20 activities each, with sign-ups, cancellations and a move."""
    unusable = make_password(None)
    members = User.objects.bulk_create(
        User(
            username=f"programm{n:02d}",
            display_name=f"Programm {n:02d}",
            email=f"programm{n:02d}@example.org",
            password=unusable,
        )
        for n in range(MEMBERS)
    )
    coordinator = User.objects.create(
        username="koordination",
        display_name="Koordination",
        email="koordination@example.org",
        password=unusable,
        is_coordinator=True,
        is_staff=True,
    )
    first, made = _calendar("Programm", "bench-programm", members, coordinator)
    other, _ = _calendar("Garten", "bench-garten", members, coordinator)
    return Programme(
        calendar_id=first,
        other_calendar_id=other,
        events=len(SPECS),
        signups=made["signups"],
        slots=Slot.objects.filter(activity__event__calendar_id=first).count(),
        cancelled=made["cancelled"],
        moved=made["moved"],
    )


def ours(calendar_id: int | None) -> list[OccurrenceView]:
    return occurrences_in_window(start=WINDOW_START, end=WINDOW_END, calendar_id=calendar_id)


def _events(calendar_ids: Iterable[int]) -> Any:
    return Event.objects.filter(calendar_id__in=list(calendar_ids)).order_by("pk")


def per_event(calendar_ids: Iterable[int]) -> list[Any]:
    """django-scheduler's expansion, event by event, as its Event API offers it."""
    return [
        occurrence
        for event in _events(calendar_ids)
        for occurrence in event.get_occurrences(WINDOW_START, WINDOW_END)
    ]


def period(calendar_ids: Iterable[int]) -> list[Any]:
    """django-scheduler's Period (what its calendar views use), in Berlin wall-clock time."""
    window = Period(_events(calendar_ids), WINDOW_START, WINDOW_END, tzinfo=ZONE)
    return list(window.get_occurrences())


def _keys_ours(listed: list[OccurrenceView]) -> list[Key]:
    return sorted(
        (o.activity.event_id, as_utc(o.start), as_utc(o.end), o.cancelled) for o in listed
    )


def _keys_theirs(listed: list[Any]) -> list[Key]:
    return sorted((o.event_id, as_utc(o.start), as_utc(o.end), bool(o.cancelled)) for o in listed)


def _difference(a: list[Key], b: list[Key]) -> list[str]:
    only_a = sorted(set(a) - set(b))
    only_b = sorted(set(b) - set(a))
    return [f"only ours: event {k[0]} at {_local(k[1])}" for k in only_a[:10]] + [
        f"only theirs: event {k[0]} at {_local(k[1])}" for k in only_b[:10]
    ]


def _local(moment: datetime) -> str:
    return f"{moment.astimezone(ZONE).isoformat()} ({moment.astimezone(UTC):%H:%M} UTC)"


DST_NIGHTS = (date(2026, 3, 29), date(2026, 10, 25))
NIGHT = Spec("Nachtwache", SHIFT, "DAILY", "", date(2025, 9, 1), time(2, 30), 1, {"": 1})


def dst_probe() -> dict[str, Any]:
    """A nightly shift at 02:30, which Berlin skips on 29 March 2026 and has twice on
    25 October 2026: do the three listings put those two nights at the same instants?
    Made in a transaction that is rolled back, outside the measured data."""
    with transaction.atomic():
        calendar = Calendar.objects.create(name="Nachtwache", slug="bench-nachtwache")
        _activity(calendar, NIGHT, "")
        keys = _keys_ours(ours(calendar.pk))
        their_keys = _keys_theirs(per_event([calendar.pk]))
        period_keys = _keys_theirs(period([calendar.pk]))
        transaction.set_rollback(True)
    listings = {"ours": keys, "get_occurrences": their_keys, "period": period_keys}
    return {
        "event": f"{NIGHT.title}, DAILY {NIGHT.begins:%H:%M}–03:30 Europe/Berlin",
        "occurrences": {name: len(listed) for name, listed in listings.items()},
        "same_count": len(keys) == len(their_keys) == len(period_keys),
        # The night without 02:30 and the night with it twice, as each listing puts it.
        "nights": {
            night.isoformat(): {
                name: [_local(k[1]) for k in listed if k[1].astimezone(ZONE).date() == night]
                for name, listed in listings.items()
            }
            for night in DST_NIGHTS
        },
        "differences": {
            "get_occurrences": _difference(keys, their_keys),
            "period": _difference(keys, period_keys),
        },
    }


def _count_queries(step: Any) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        step()
    return len(captured.captured_queries), [
        " ".join(q["sql"].split())[:90] for q in captured.captured_queries
    ]


def measure(*, programme: Programme, repetitions: int, warmup: int) -> dict[str, Any]:
    calendar = programme.calendar_id
    both = (programme.calendar_id, programme.other_calendar_id)

    listed = ours(calendar)
    theirs = per_event([calendar])
    via_period = period([calendar])
    keys = _keys_ours(listed)
    their_keys = _keys_theirs(theirs)
    period_keys = _keys_theirs(via_period)
    assert len(keys) == len(their_keys) == len(period_keys), (
        f"occurrence counts differ: ours {len(keys)}, Event.get_occurrences {len(their_keys)}, "
        f"Period {len(period_keys)}"
    )

    samples = time_interleaved(
        {
            "ours": lambda _i: ours(calendar),
            "per_event": lambda _i: per_event([calendar]),
            "period": lambda _i: period([calendar]),
        },
        repetitions=repetitions,
        warmup=warmup,
    )
    versus_events = Timings(operation_ns=samples["ours"], baseline_ns=samples["per_event"])
    versus_period = Timings(operation_ns=samples["ours"], baseline_ns=samples["period"])

    ours_20, statements = _count_queries(lambda: ours(calendar))
    ours_40, _ = _count_queries(lambda: ours(None))
    events_20, _ = _count_queries(lambda: per_event([calendar]))
    events_40, _ = _count_queries(lambda: per_event(both))
    period_20, _ = _count_queries(lambda: period([calendar]))
    period_40, _ = _count_queries(lambda: period(both))
    listed_40 = len(ours(None))
    assert listed_40 == len(per_event(both))

    return {
        "window": [WINDOW_START.isoformat(), WINDOW_END.isoformat()],
        "events": programme.events,
        "signups": programme.signups,
        "slots": programme.slots,
        "cancelled": programme.cancelled,
        "moved": programme.moved,
        "occurrences": len(keys),
        "occurrences_cancelled": sum(1 for k in keys if k[3]),
        "occurrences_40_events": listed_40,
        "repetitions": repetitions,
        "rows": [
            {
                "operation": "occurrences_in_window",
                "median_ms": round(versus_events.operation_ms, 3),
                "queries": ours_20,
                "queries_40_events": ours_40,
                "ratio": 1.0,
            },
            {
                "operation": "Event.get_occurrences per event",
                "median_ms": round(versus_events.baseline_ms, 3),
                "queries": events_20,
                "queries_40_events": events_40,
                "ratio": round(versus_events.ratio, 3),
            },
            {
                "operation": "Period(events).get_occurrences()",
                "median_ms": round(versus_period.baseline_ms, 3),
                "queries": period_20,
                "queries_40_events": period_40,
                "ratio": round(versus_period.ratio, 3),
            },
        ],
        "versus_get_occurrences": versus_events.as_dict(),
        "versus_period": versus_period.as_dict(),
        "same_occurrences": {
            "get_occurrences": keys == their_keys,
            "period": keys == period_keys,
        },
        "differences": {
            "get_occurrences": _difference(keys, their_keys),
            "period": _difference(keys, period_keys),
        },
        "query_count_constant": ours_20 == ours_40,
        "dst_probe": dst_probe(),
        "statements": statements,
    }
