"""The benchmark's world: a Werkhaus and a garden with a few hundred resources, a few thousand
members, opening hours on django-scheduler, closures, and bookings loaded with COPY.

Sizes grow by adding history. Booking ``i`` goes to unit ``i % U`` as that unit's
``(i // U)``-th slot, counted backwards over the opening days from the end of the measured
week. So every size holds the same bookings in the measured week, and a larger size only has a
longer past (1M bookings on 600 units are about three years). Two slots a day per unit,
10:00 and 15:00 local, each at most 3 h plus a 30 min buffer, never overlap: the exclusion
constraint holds by construction and COPY never trips it.
"""

import functools
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from schedule.models import Calendar, Event, Occurrence, Rule

from accounts.models import User
from scheduling.models import (
    Closure,
    HoursPolicy,
    MemberQualification,
    Qualification,
    Resource,
    ResourceGroup,
    ResourceKind,
    Unit,
)

ZONE = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")

# "Now" of every operation: a Monday morning; the measured week is the one after.
NOW = datetime(2026, 6, 1, 9, 0, tzinfo=ZONE)
WEEK_START = datetime(2026, 6, 8, 0, 0, tzinfo=ZONE)
WEEK_END = datetime(2026, 6, 15, 0, 0, tzinfo=ZONE)
LAST_BOOKED_DAY = date(2026, 6, 13)  # the Saturday of the measured week

RESOURCES = 300  # units 1, 2, 3 in turn: 600 units
MEMBERS = 3000
OPEN_WEEKDAYS = frozenset({1, 2, 3, 4, 5})  # Tuesday to Saturday (Monday is 0)
SLOT_STARTS = (time(10, 0), time(15, 0))
SLOT_MINUTES = ((60, 90, 120), (60, 120, 180))
BUFFERS = (0, 15, 30)
KINDS = (
    ResourceKind.WORKBENCH,
    ResourceKind.TOOL,
    ResourceKind.MACHINE,
    ResourceKind.ROOM,
    ResourceKind.PLOT,
)
COPY_COLUMNS = (
    'unit_id, resource_id, member_id, start, "end", blocked_until, status, created_by_id, '
    "note, rules_overridden, created_at, updated_at"
)
COPY_CHUNK = 50_000


@dataclass(frozen=True)
class World:
    """What the bookings are spread over, and what the measurements use."""

    units: list[tuple[int, int, int]]  # (unit id, resource id, buffer minutes), by unit id
    member_ids: list[int]
    resource_id: int  # the measured resource: a machine with two units and every rule set
    booker_id: int  # a member from the population, holding the machine's qualification


def _aware(day: date, at: time) -> datetime:
    return datetime.combine(day, at, ZONE)


def _weekly(calendar: Calendar, *, weekdays: str, first_day: date, start: time, end: time) -> Event:
    rule = Rule.objects.create(
        name=f"weekly {weekdays}",
        description="",
        frequency="WEEKLY",
        params=f"byweekday:{weekdays}",
    )
    return Event.objects.create(
        calendar=calendar,
        title="Geöffnet",
        start=_aware(first_day, start),
        end=_aware(first_day, end),
        rule=rule,
    )


def _open_days_backwards(last: date) -> Iterator[date]:
    day = last
    while True:
        if day.weekday() in OPEN_WEEKDAYS:
            yield day
        day -= timedelta(days=1)


@transaction.atomic
def world_create() -> World:
    """Members, calendars, groups, resources, units, qualifications, closures (no bookings)."""
    unusable = make_password(None)  # as for members registered without a password
    members = User.objects.bulk_create(
        User(
            username=f"member{n:04d}",
            display_name=f"Mitglied {n:04d}",
            email=f"member{n:04d}@example.org",
            password=unusable,
        )
        for n in range(MEMBERS)
    )
    werkhaus_hours = Calendar.objects.create(name="Werkhaus", slug="werkhaus")
    first_day = date(2023, 1, 3)  # a Tuesday
    _weekly(
        werkhaus_hours, weekdays="TU,WE,TH,FR", first_day=first_day, start=time(10), end=time(21)
    )
    saturday = _weekly(
        werkhaus_hours, weekdays="SA", first_day=date(2023, 1, 7), start=time(10), end=time(18)
    )
    garden_hours = Calendar.objects.create(name="Garten", slug="garten")
    _weekly(
        garden_hours,
        weekdays="MO,TU,WE,TH,FR,SA",
        first_day=date(2023, 1, 2),
        start=time(8),
        end=time(20),
    )
    werkhaus = ResourceGroup.objects.create(
        name="Werkhaus", slug="werkhaus", hours_calendar=werkhaus_hours
    )
    garden = ResourceGroup.objects.create(name="Garten", slug="garten", hours_calendar=garden_hours)
    qualification = Qualification.objects.create(
        name="Einweisung Formatkreissäge", slug="formatkreissaege", valid_days=730
    )

    resources = []
    for r in range(RESOURCES):
        kind = KINDS[r % len(KINDS)]
        resources.append(
            Resource(
                kind=kind,
                name=f"{kind.label} {r:03d}",
                group=garden if kind == ResourceKind.PLOT else werkhaus,
                hours_policy=HoursPolicy.NONE if r % 10 == 9 else HoursPolicy.WITHIN,
                buffer_minutes=BUFFERS[r % len(BUFFERS)],
            )
        )
    # The measured one: two units, a buffer, a qualification and a weekly quota.
    measured = resources[1]
    measured.kind = ResourceKind.MACHINE
    measured.name = "Formatkreissäge"
    measured.required_qualification = qualification
    measured.max_hours_per_week = 8
    measured.lead_minutes = 60
    resources = Resource.objects.bulk_create(resources)
    units = Unit.objects.bulk_create(
        Unit(resource=resource, label=f"{r:03d}-{n + 1:02d}")
        for r, resource in enumerate(resources)
        for n in range(1 + r % 3)
    )

    booker = members[0]
    granted_at = NOW - timedelta(days=200)
    MemberQualification.objects.bulk_create(
        MemberQualification(
            member=member,
            qualification=qualification,
            granted_at=granted_at,
            valid_until=granted_at + timedelta(days=730),
        )
        for member in members[:: MEMBERS // 400]
    )

    # Closures: holidays of the Werkhaus, a maintenance day per resource, and in the measured
    # week one unit of the measured machine in repair on Thursday afternoon.
    closures = [
        Closure(
            group=werkhaus,
            start=_aware(day, time(0)),
            end=_aware(day + timedelta(days=1), time(0)),
            reason="Feiertag",
        )
        for day in (date(2026, 5, 1) - timedelta(days=56 * n) for n in range(20))
    ]
    closures += [
        Closure(
            resource=resource,
            start=_aware(date(2026, 3, 2) - timedelta(days=7 * (r % 50)), time(8)),
            end=_aware(date(2026, 3, 2) - timedelta(days=7 * (r % 50)), time(20)),
            reason="Wartung",
        )
        for r, resource in enumerate(resources)
    ]
    measured_units = [u for u in units if u.resource_id == measured.pk]
    closures.append(
        Closure(
            unit=measured_units[1],
            start=_aware(date(2026, 6, 11), time(14)),
            end=_aware(date(2026, 6, 11), time(21)),
            reason="Reparatur",
        )
    )
    Closure.objects.bulk_create(closures)

    # Cancelled Saturday openings, the last one in the measured week.
    Occurrence.objects.bulk_create(
        Occurrence(
            event=saturday,
            title="Geschlossen",
            start=_aware(day, time(10)),
            end=_aware(day, time(18)),
            original_start=_aware(day, time(10)),
            original_end=_aware(day, time(18)),
            cancelled=True,
        )
        for day in (LAST_BOOKED_DAY - timedelta(days=28 * n) for n in range(30))
    )

    buffers = {resource.pk: resource.buffer_minutes for resource in resources}
    return World(
        units=[(u.pk, u.resource_id, buffers[u.resource_id]) for u in units],
        member_ids=[m.pk for m in members],
        resource_id=measured.pk,
        booker_id=booker.pk,
    )


class BookingLoader:
    """Appends bookings ``start..stop`` of the layout described above, by COPY."""

    def __init__(self, world: World) -> None:
        self.world = world
        self._days: list[date] = []
        self._day_iter = _open_days_backwards(LAST_BOOKED_DAY)

    def _day(self, index: int) -> date:
        while len(self._days) <= index:
            self._days.append(next(self._day_iter))
        return self._days[index]

    @functools.cache  # noqa: B019 - one loader per run; the cache is the point
    def _stamps(self, day_index: int, slot: int, minutes: int, buffer: int) -> tuple[str, str, str]:
        start = _aware(self._day(day_index), SLOT_STARTS[slot]).astimezone(UTC)
        end = start + timedelta(minutes=minutes)
        blocked = end + timedelta(minutes=buffer)
        return (_stamp(start), _stamp(end), _stamp(blocked))

    @functools.cache  # noqa: B019
    def _created(self, day_index: int) -> str:
        return _stamp(_aware(self._day(day_index), time(8)).astimezone(UTC))

    def _rows(self, start: int, stop: int) -> Iterator[str]:
        rng = random.Random(start)
        units = self.world.units
        members = self.world.member_ids
        count = len(units)
        now = _stamp(NOW.astimezone(UTC))
        for i in range(start, stop):
            unit_id, resource_id, buffer = units[i % count]
            k = i // count
            slot = k % 2
            minutes = SLOT_MINUTES[slot][(i + k) % 3]
            begin, end, blocked = self._stamps(k // 2, slot, minutes, buffer)
            member = members[rng.randrange(len(members))]
            roll = rng.random()
            # The ISO stamps share one format and zone, so they compare as strings.
            if begin < now:
                # Nothing marks past bookings on its own: a third stays "confirmed" for good.
                status = (
                    "cancelled"
                    if roll < 0.11
                    else "no_show"
                    if roll < 0.15
                    else "confirmed"
                    if roll < 0.5
                    else "completed"
                )
            else:
                status = "cancelled" if roll < 0.12 else "confirmed"
            created = self._created(k // 2 + 1 + rng.randrange(20))
            yield (
                f"{unit_id}\t{resource_id}\t{member}\t{begin}\t{end}\t{blocked}\t{status}\t"
                f"{member}\t\tf\t{created}\t{created}\n"
            )

    def load(self, start: int, stop: int) -> None:
        rows = self._rows(start, stop)
        statement = f"COPY scheduling_booking ({COPY_COLUMNS}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            while True:
                chunk = [row for _, row in zip(range(COPY_CHUNK), rows, strict=False)]
                if not chunk:
                    break
                copy.write("".join(chunk))
        # The planner must see the new size, and a vacuumed table allows index-only scans:
        # the state a long-running database is in, not a freshly bulk-loaded one.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) scheduling_booking")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S+00")
