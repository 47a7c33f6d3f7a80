"""What is measured on each size: availability of a week and the creation of a booking.

(a) ``resource_availability`` for the measured week of a machine with opening hours, closures
    and bookings, against a bare indexed SELECT of the same resource's bookings in the window;
(b) ``booking_create`` of a free slot (rules, quota, qualification, lock, insert, audit),
    against a bare INSERT of one row into scheduling_booking.

Both sides of (b) run in a transaction that is rolled back, so the table does not grow and
every repetition books the same kind of free slot.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from bench.dataset import NOW, WEEK_END, WEEK_START, ZONE, World
from bench.timing import Timings, time_pair
from scheduling.models import Resource
from scheduling.selectors import resource_availability
from scheduling.services.bookings import BookingRequest, booking_create

AVAILABILITY_SQL = (
    "SELECT id, start, blocked_until FROM scheduling_booking "
    "WHERE resource_id = %s AND start < %s AND blocked_until > %s"
)
INSERT_SQL = (
    'INSERT INTO scheduling_booking (unit_id, resource_id, member_id, start, "end", '
    "blocked_until, status, created_by_id, note, rules_overridden, created_at, updated_at) "
    "VALUES (%s, %s, %s, %s, %s, %s, 'confirmed', %s, '', false, %s, %s) RETURNING id"
)
# Free slots in the measured week (Tuesday to Friday evenings; Thursday only on the first unit).
CREATE_SLOTS = [
    (datetime.combine(day, begin, ZONE), datetime.combine(day, begin, ZONE) + timedelta(hours=1))
    for day in (date(2026, 6, 9), date(2026, 6, 10), date(2026, 6, 11), date(2026, 6, 12))
    for begin in (time(19, 0), time(19, 30))
]


@dataclass(frozen=True)
class Measurement:
    operation: str
    baseline: str
    timings: Timings
    queries: list[str]
    plans: list[dict[str, Any]]
    check: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "baseline": self.baseline,
            **self.timings.as_dict(),
            "queries": len(self.queries),
            "statements": self.queries,
            "check": self.check,
            "booking_table_plans": self.plans,
        }


def _index_scans(node: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    if "Index Name" in node:
        found.append(
            {
                "index": node["Index Name"],
                # For bitmap scans this counts dead entries too: what the scan had to read.
                "entries": node.get("Actual Rows", 0) * node.get("Actual Loops", 1),
            }
        )
    elif node["Node Type"] == "Seq Scan":
        found.append(
            {
                "index": f"seq scan {node.get('Relation Name', '')}",
                "entries": (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0))
                * node.get("Actual Loops", 1),
            }
        )
    for child in node.get("Plans", []):
        found.extend(_index_scans(child))
    return found


def _label(sql: str) -> str:
    if 'FROM "scheduling_unit"' in sql:
        return "free_units"
    if '"member_id" =' in sql:
        return "check_quotas"
    if sql.startswith('SELECT "scheduling_booking"'):
        return "blocking_bookings"
    return "baseline SELECT"


def explain(sql: str) -> dict[str, Any]:
    """EXPLAIN ANALYZE one read: the buffers and index entries it touches grow with the table
    even when its time is still small."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
        row = cursor.fetchone()
    assert row is not None
    document = row[0] if isinstance(row[0], list) else json.loads(row[0])
    root = document[0]["Plan"]
    return {
        "query": _label(sql),
        "buffers": root.get("Shared Hit Blocks", 0) + root.get("Shared Read Blocks", 0),
        "rows": root.get("Actual Rows", 0),
        "index_scans": _index_scans(root),
        "sql": sql,
    }


def _statements(queries: list[dict[str, str]]) -> list[str]:
    return [" ".join(q["sql"].split())[:90] for q in queries]


def explain_booking_reads(queries: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The operation's reads of scheduling_booking (FOR UPDATE would lock: skipped)."""
    return [
        explain(q["sql"])
        for q in queries
        if q["sql"].startswith("SELECT")
        and "scheduling_booking" in q["sql"]
        and "FOR UPDATE" not in q["sql"]
    ]


def measure_availability(*, world: World, repetitions: int, warmup: int) -> Measurement:
    # As the API's view loads it.
    resource = Resource.objects.select_related("group").get(pk=world.resource_id)

    def operation(_i: int) -> object:
        return resource_availability(resource=resource, start=WEEK_START, end=WEEK_END)

    def baseline(_i: int) -> object:
        with connection.cursor() as cursor:
            cursor.execute(AVAILABILITY_SQL, [resource.pk, WEEK_END, WEEK_START])
            return cursor.fetchall()

    timings = time_pair(
        operation=operation, baseline=baseline, repetitions=repetitions, warmup=warmup
    )
    with CaptureQueriesContext(connection) as captured:
        result = resource_availability(resource=resource, start=WEEK_START, end=WEEK_END)
    rows = baseline(0)
    assert isinstance(rows, list)
    with connection.cursor() as cursor:
        baseline_sql = cursor.cursor.mogrify(AVAILABILITY_SQL, [resource.pk, WEEK_END, WEEK_START])
    return Measurement(
        operation="resource_availability, one week",
        baseline="SELECT bookings of the resource in the window",
        timings=timings,
        queries=_statements(captured.captured_queries),
        plans=[*explain_booking_reads(captured.captured_queries), explain(baseline_sql)],
        check={
            "bookings_in_window": len(rows),
            "free_intervals": len(result.free),
            "open_intervals": len(result.open),
        },
    )


def measure_create(*, world: World, repetitions: int, warmup: int) -> Measurement:
    resource = Resource.objects.select_related("group").get(pk=world.resource_id)
    member = User.objects.get(pk=world.booker_id)
    unit = resource.units.order_by("label").first()
    assert unit is not None

    def operation(i: int) -> object:
        start, end = CREATE_SLOTS[i % len(CREATE_SLOTS)]
        with transaction.atomic():
            booking = booking_create(
                request=BookingRequest(resource=resource, member=member, start=start, end=end),
                actor=member,
                now=NOW,
            )
            transaction.set_rollback(True)
        return booking

    def baseline(i: int) -> object:
        start, end = CREATE_SLOTS[i % len(CREATE_SLOTS)]
        blocked = end + resource.buffer
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                INSERT_SQL,
                [unit.pk, resource.pk, member.pk, start, end, blocked, member.pk, NOW, NOW],
            )
            row = cursor.fetchone()
            transaction.set_rollback(True)
        return row

    timings = time_pair(
        operation=operation, baseline=baseline, repetitions=repetitions, warmup=warmup
    )
    # The rolled-back inserts left dead index entries behind; autovacuum would remove them
    # (INDEX_CLEANUP ON: for so few dead rows VACUUM would otherwise leave the indexes alone).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (INDEX_CLEANUP ON) scheduling_booking")
    with CaptureQueriesContext(connection) as captured:
        booking = operation(0)
    return Measurement(
        operation="booking_create, free slot",
        baseline="INSERT one row into scheduling_booking",
        timings=timings,
        queries=_statements(captured.captured_queries),
        plans=explain_booking_reads(captured.captured_queries),
        check={"booked_unit": getattr(booking, "unit_id", None)},
    )
