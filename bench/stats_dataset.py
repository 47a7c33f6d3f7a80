"""What the statistics benchmark needs beside the bookings of bench/dataset.py: a programme
of daily activities with dated occurrences and sign-ups, loans of the tool bookings, refusals,
and garden hours entries — all written by INSERT … SELECT in the database, so that 200,000
sign-ups take seconds.

Like the bookings, everything grows backwards in time from the measured week: the sign-ups of
a size fill the days before those of the previous size, and the loans, refusals and hours
entries are made from the bookings and sign-ups just loaded. So every size holds the same
data in a period covered by the smallest size, and a larger size only adds history.

- Programme: 28 DAILY activities (half shifts, half workshops) with two roles of 5 and 3
  places; every dated occurrence has its Slot, SlotRoles and 4 to 8 sign-ups (about 166 a
  day), a fifth as many sign-ups as bookings (200,000 at 1M bookings). Past sign-ups are
  attended, some no-show or cancelled (before STATS_NOW, the end of the last booked week:
  the statistics look at a past quarter). ``SlotRole.taken`` is
  set from the sign-ups that hold a place.
- Loans: every tool booking that held its time before STATS_NOW (completed or confirmed) has
  a loan, checked out at its start; most returned at its end, every fifth a day
  late, every seventh confirmed one still out, every 23rd returned damaged.
- Refusals: one "conflict" per 25 bookings (at its creation, for its resource and time) and
  one "full" per 20 sign-ups (for its activity and occurrence).
- Hours: one entry per 30 attended sign-ups (about 5,000 at 1M bookings), the shift's length
  on its local day; paid for paid activities; most approved, some pending or rejected.
- Members: every fourth a volunteer, every fifteenth an honorary worker, every sixth prefers
  English, and a few coordinators (they book, but are never counted as served).
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from schedule.models import Calendar, Event, Rule

from accounts.models import User
from bench.dataset import LAST_BOOKED_DAY, WEEK_END, ZONE, World
from scheduling.models import Activity, ActivityKind, ActivityRole, Resource, ResourceKind
from werkhaus.models import ToolCategory, ToolType

ACTIVITIES = 28
ROLE_PLACES = (("Team", 5, 2), ("Leitung", 3, 1))  # name, places, minimum staffing
SIGNUPS_PER_BOOKING = 0.2  # 200,000 sign-ups at 1M bookings
SIGNUPS_PER_DAY = 166  # 28 activities × 4 to 8 sign-ups, about
FIRST_EVENT_DAY = date(2023, 1, 2)
# Statistics look back: "now" of the loans and sign-ups is the end of the last booked week
# (the booking benchmark's NOW lies a fortnight earlier, before its measured week).
STATS_NOW = WEEK_END


@dataclass(frozen=True)
class StatsWorld:
    calendar_id: int
    coordinator_id: int  # asks the API; never counted
    activity_ids: list[int]
    tool_types: int


def _activity_start(a: int) -> time:
    return time(7 + a % 13, 30 * (a % 2))


def _activity_minutes(a: int) -> int:
    return 60 + 30 * (a % 5)


@transaction.atomic
def stats_world_create(world: World) -> StatsWorld:
    """Activities and roles, tool types for the tool resources, roles and languages of the
    members, and a coordinator to ask the API. The booker of the booking benchmark stays as
    it was."""
    calendar = Calendar.objects.create(name="Programm", slug="bench-stats-programm")
    daily = Rule.objects.create(name="daily", description="", frequency="DAILY", params="")
    activity_ids = []
    for a in range(ACTIVITIES):
        start = datetime.combine(FIRST_EVENT_DAY, _activity_start(a), ZONE)
        event = Event.objects.create(
            calendar=calendar,
            title=f"Aktivität {a:02d}",
            start=start,
            end=start + timedelta(minutes=_activity_minutes(a)),
            rule=daily,
        )
        activity = Activity.objects.create(
            event=event,
            kind=ActivityKind.SHIFT if a % 2 == 0 else ActivityKind.WORKSHOP,
            min_staffing=3,
            paid=a % 7 == 3,
        )
        ActivityRole.objects.bulk_create(
            ActivityRole(activity=activity, name=name, places=places, min_staffing=minimum)
            for name, places, minimum in ROLE_PLACES
        )
        activity_ids.append(activity.pk)

    tools = list(Resource.objects.filter(kind=ResourceKind.TOOL).order_by("pk"))
    categories = ToolCategory.values
    ToolType.objects.bulk_create(
        ToolType(resource=resource, category=categories[n % len(categories)])
        for n, resource in enumerate(tools)
    )

    others = User.objects.exclude(pk=world.booker_id)
    others.filter(pk__in=world.member_ids[1::4]).update(is_volunteer=True)
    others.filter(pk__in=world.member_ids[2::15]).update(is_honorary_worker=True)
    others.filter(pk__in=world.member_ids[3::6]).update(preferred_language="en")
    others.filter(pk__in=world.member_ids[5::97]).update(is_coordinator=True, is_staff=True)
    coordinator = User.objects.create(
        username="statistik",
        display_name="Statistik",
        email="statistik@example.org",
        is_coordinator=True,
        is_staff=True,
        is_resident=False,
    )
    return StatsWorld(
        calendar_id=calendar.pk,
        coordinator_id=coordinator.pk,
        activity_ids=activity_ids,
        tool_types=len(tools),
    )


# Slots of the days ``%(first)s`` back to ``%(last)s`` back from the last day: one per activity
# and day, at the activity's local time (the DAILY rule keeps the wall-clock time).
SLOTS_SQL = """
INSERT INTO scheduling_slot (activity_id, original_start, start, "end", cancelled)
SELECT a.id, s.at, s.at, s.at + (e."end" - e.start), false
FROM scheduling_activity a
JOIN schedule_event e ON e.id = a.event_id
CROSS JOIN generate_series(%(first)s, %(last)s) AS back(d)
CROSS JOIN LATERAL (
    SELECT ((%(day)s::date - back.d) + (e.start AT TIME ZONE %(zone)s)::time)
           AT TIME ZONE %(zone)s AS at
) s
WHERE a.id = ANY(%(activities)s)
"""
SLOT_ROLES_SQL = """
INSERT INTO scheduling_slotrole (slot_id, role_id, places, taken)
SELECT s.id, r.id, r.places, 0
FROM scheduling_slot s JOIN scheduling_activityrole r ON r.activity_id = s.activity_id
WHERE s.id > %(after)s
"""
# k-th sign-up of a slot: the first five take the 5-place role, the rest the 3-place one;
# 4 + (activity + day) %% 5 sign-ups per slot, members distinct within a slot.
SIGNUPS_SQL = """
INSERT INTO scheduling_signup
    (slot_id, role_id, member_id, status, created_by_id, created_at, updated_at)
SELECT s.id, r.id, m.id,
       CASE WHEN (s.id * 7 + k) %% 10 = 0 THEN 'cancelled'
            WHEN s.start >= %(now)s THEN 'confirmed'
            WHEN (s.id * 7 + k) %% 10 = 1 THEN 'no_show'
            ELSE 'attended' END,
       m.id, s.start - interval '5 days', s.start - interval '5 days'
FROM scheduling_slot s
CROSS JOIN LATERAL generate_series(0, 3 + (s.activity_id + s.id / %(activities_n)s) %% 5) AS k
JOIN scheduling_activityrole r
  ON r.activity_id = s.activity_id AND r.name = CASE WHEN k < 5 THEN 'Team' ELSE 'Leitung' END
JOIN accounts_user m
  ON m.id = (%(members)s::int[])[1 + (s.id * 37 + k * 101) %% %(members_n)s]
WHERE s.id > %(after)s
"""
TAKEN_SQL = """
UPDATE scheduling_slotrole sr SET taken = c.n
FROM (
    SELECT su.slot_id, su.role_id, COUNT(*) AS n FROM scheduling_signup su
    WHERE su.slot_id > %(after)s AND su.status IN ('confirmed', 'offered', 'attended', 'no_show')
    GROUP BY su.slot_id, su.role_id
) c
WHERE sr.slot_id = c.slot_id AND sr.role_id = c.role_id
"""
LOANS_SQL = """
INSERT INTO werkhaus_loan
    (booking_id, status, checked_out_at, checked_out_by_id, condition_out, deposit_taken,
     checked_in_at, checked_in_by_id, condition_in, damage_report, deposit_returned,
     deposit_kept, overdue_notified_at)
SELECT b.id, l.status, b.start, NULL, 'good', 0,
       CASE WHEN l.status = 'returned' THEN
            b."end" + CASE WHEN b.id %% 5 = 0 THEN interval '1 day' ELSE interval '-10 min' END
       END,
       NULL,
       CASE WHEN l.status <> 'returned' THEN '' WHEN b.id %% 23 = 0 THEN 'damaged' ELSE 'good' END,
       '', 0, 0, NULL
FROM scheduling_booking b
JOIN werkhaus_tooltype t ON t.resource_id = b.resource_id
CROSS JOIN LATERAL (
    SELECT CASE WHEN b.status = 'confirmed' AND b.id %% 7 = 0 THEN 'checked_out'
                ELSE 'returned' END AS status
) l
WHERE b.id > %(after)s AND b.id <= %(upto)s AND b.start < %(now)s
  AND b.status IN ('completed', 'confirmed')
"""
BOOKING_REFUSALS_SQL = """
INSERT INTO scheduling_refusal (at, code, resource_id, activity_id, start, "end", member_id)
SELECT b.created_at + interval '1 minute', 'conflict', b.resource_id, NULL, b.start, b."end",
       (%(members)s::int[])[1 + (b.id * 13) %% %(members_n)s]
FROM scheduling_booking b
WHERE b.id > %(after)s AND b.id <= %(upto)s AND b.id %% 25 = 0
"""
SIGNUP_REFUSALS_SQL = """
INSERT INTO scheduling_refusal (at, code, resource_id, activity_id, start, "end", member_id)
SELECT su.created_at + interval '1 hour', 'full', NULL, s.activity_id, s.start, s."end",
       (%(members)s::int[])[1 + (su.id * 17) %% %(members_n)s]
FROM scheduling_signup su JOIN scheduling_slot s ON s.id = su.slot_id
WHERE s.id > %(after)s AND su.id %% 20 = 0
"""
HOURS_SQL = """
INSERT INTO garden_hoursentry
    (member_id, day, minutes, activity, source, signup_id, paid, status, note, created_at,
     decided_by_id, decided_at)
SELECT su.member_id, (s.start AT TIME ZONE %(zone)s)::date,
       (EXTRACT(EPOCH FROM s."end" - s.start) / 60)::int, e.title, 'shift', su.id, a.paid,
       CASE WHEN su.id %% 11 = 0 THEN 'pending' WHEN su.id %% 13 = 0 THEN 'rejected'
            ELSE 'approved' END,
       '', s."end", NULL, NULL
FROM scheduling_signup su
JOIN scheduling_slot s ON s.id = su.slot_id
JOIN scheduling_activity a ON a.id = s.activity_id
JOIN schedule_event e ON e.id = a.event_id
WHERE s.id > %(after)s AND su.status = 'attended' AND su.id %% 30 = 0
"""
_TABLES = (
    "scheduling_slot",
    "scheduling_slotrole",
    "scheduling_signup",
    "werkhaus_loan",
    "scheduling_refusal",
    "garden_hoursentry",
    "accounts_user",
)


class StatsLoader:
    """Adds, for the bookings loaded since the last call, their share of everything else."""

    def __init__(self, world: World, stats_world: StatsWorld) -> None:
        self.world = world
        self.stats_world = stats_world
        self.days = 0  # days of sign-ups loaded, back from LAST_BOOKED_DAY
        self.booking_id = 0  # bookings up to this id have their loans and refusals

    def _max(self, table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - constant
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    @transaction.atomic
    def load(self, bookings: int) -> None:
        days = math.ceil(bookings * SIGNUPS_PER_BOOKING / SIGNUPS_PER_DAY)
        members = [m for m in self.world.member_ids if m != self.world.booker_id]
        upto = self._max("scheduling_booking")
        params: dict[str, Any] = {
            "zone": str(ZONE),
            "now": STATS_NOW,
            "day": LAST_BOOKED_DAY,
            "activities": self.stats_world.activity_ids,
            "activities_n": ACTIVITIES,
            "members": members,
            "members_n": len(members),
            "after": self._max("scheduling_slot"),
            "upto": upto,
        }
        with connection.cursor() as cursor:
            if days > self.days:
                cursor.execute(SLOTS_SQL, {**params, "first": self.days, "last": days - 1})
                cursor.execute(SLOT_ROLES_SQL, params)
                cursor.execute(SIGNUPS_SQL, params)
                cursor.execute(TAKEN_SQL, params)
                cursor.execute(SIGNUP_REFUSALS_SQL, params)
                cursor.execute(HOURS_SQL, params)
                self.days = days
            booking_params = {**params, "after": self.booking_id}
            cursor.execute(LOANS_SQL, booking_params)
            cursor.execute(BOOKING_REFUSALS_SQL, booking_params)
            self.booking_id = upto

    def analyse(self) -> None:
        """As after a bulk load in production: statistics current, the tables vacuumed."""
        with connection.cursor() as cursor:
            for table in _TABLES:
                cursor.execute(f"VACUUM (ANALYZE) {table}")

    def counts(self) -> dict[str, int]:
        tables = {
            "bookings": "scheduling_booking",
            "signups": "scheduling_signup",
            "slots": "scheduling_slot",
            "loans": "werkhaus_loan",
            "refusals": "scheduling_refusal",
            "hours_entries": "garden_hoursentry",
        }
        result = {}
        with connection.cursor() as cursor:
            for name, table in tables.items():
                cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - constant
                row = cursor.fetchone()
                result[name] = int(row[0]) if row else 0
        return result
