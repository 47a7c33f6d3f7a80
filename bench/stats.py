"""The statistics endpoints for one quarter, each against hand-written SQL for its headline
figure, on the data of bench/stats_dataset.py at each size.

For every endpoint (utilisation by resource, by week and by weekday × hour; demand; programme;
people; loans; hours), measured interleaved in the same run on the same data:
(a) the endpoint as a coordinator calls it: the API view through ``APIRequestFactory``
    (authenticated without a query), its selectors, the table, the JSON rendered;
(b) the hand-written SQL of bench/stats_sql.py for the same figure over the same quarter.
Before the timing the selector's figure must equal the SQL's (hours to the hundredth), and the
endpoint must answer 200 with a row per selector row, or the run fails. After the timing every
read of the endpoint and the SQL is run once more under EXPLAIN (ANALYZE, BUFFERS): the pages
read grow with the data even where the time still hides it.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIRequestFactory, force_authenticate

from accounts.models import User
from bench import stats_sql
from bench.dataset import ZONE
from bench.stats_dataset import STATS_NOW
from bench.timing import Step, Timings, time_interleaved
from garden import stats as hours
from garden.api.stats_views import HoursStatsView
from scheduling.api.participation_views import PeopleStatsView, ProgrammeStatsView
from scheduling.api.stats_views import DemandStatsView, UtilisationStatsView
from scheduling.selectors import participation, stats
from werkhaus import stats as loans
from werkhaus.api.stats_views import LoanStatsView

QUARTER_START = datetime(2026, 4, 1, tzinfo=ZONE)
QUARTER_END = datetime(2026, 7, 1, tzinfo=ZONE)
HOURS_TOLERANCE = 0.011  # both round to the hundredth, from float and from numeric sums

Figure = dict[Any, tuple[Any, ...]]


@dataclass(frozen=True)
class Case:
    name: str  # the endpoint and its variant
    path: str
    group_by: str
    view: Any
    figure: str  # what is compared
    selector: Callable[[], Any]
    ours: Callable[[Any], Figure]  # the selector's result → the figure
    sql: str
    theirs: Callable[[list[tuple[Any, ...]]], Figure]  # the SQL's rows → the figure


def _h(seconds: Any) -> float:
    return round(float(seconds or 0) / 3600, 2)


def _window() -> dict[str, Any]:
    return {"start": QUARTER_START, "end": QUARTER_END}


CASES = (
    Case(
        name="utilisation by resource",
        path="/api/v1/stats/utilisation/",
        group_by="resource",
        view=UtilisationStatsView,
        figure="booked hours (clipped) and bookings per resource",
        selector=lambda: stats.utilisation_by_resource(**_window()),
        ours=lambda rows: {r.resource_id: (r.booked_hours, r.bookings) for r in rows if r.bookings},
        sql=stats_sql.BOOKED_BY_RESOURCE,
        theirs=lambda rows: {r: (_h(s), n) for r, s, n in rows},
    ),
    Case(
        name="utilisation by week",
        path="/api/v1/stats/utilisation/",
        group_by="week",
        view=UtilisationStatsView,
        figure="booked hours per local week",
        selector=lambda: stats.utilisation_over_time(**_window(), every="week"),
        ours=lambda rows: {p.start: (p.booked_hours,) for p in rows if p.booked_hours},
        sql=stats_sql.BOOKED_BY_WEEK,
        theirs=lambda rows: {w: (_h(s),) for w, s in rows if s},
    ),
    Case(
        name="utilisation by weekday × hour",
        path="/api/v1/stats/utilisation/",
        group_by="weekday_hour",
        view=UtilisationStatsView,
        figure="booked hours per local weekday and hour",
        selector=lambda: stats.utilisation_heatmap(**_window()),
        ours=lambda rows: {(c.weekday, c.hour): (c.booked_hours,) for c in rows if c.booked_hours},
        sql=stats_sql.BOOKED_BY_WEEKDAY_HOUR,
        theirs=lambda rows: {(d, h): (_h(s),) for d, h, s in rows if s},
    ),
    Case(
        name="demand by reason",
        path="/api/v1/stats/demand/",
        group_by="code",
        view=DemandStatsView,
        figure="refusals and distinct members refused per reason",
        selector=lambda: stats.refusals_by_code(**_window()),
        ours=lambda rows: {c.code: (c.refusals, c.members) for c in rows},
        sql=stats_sql.REFUSALS_BY_CODE,
        theirs=lambda rows: {c: (n, m) for c, n, m in rows},
    ),
    Case(
        name="programme by activity",
        path="/api/v1/stats/programme/",
        group_by="activity",
        view=ProgrammeStatsView,
        figure="occurrences, places, taken, attended, no-shows per activity",
        selector=lambda: participation.programme_grouped(**_window(), by="activity"),
        ours=lambda rows: {
            int(g.key): (
                g.fill.occurrences,
                g.fill.places,
                g.fill.taken,
                g.fill.attended,
                g.fill.no_show,
            )
            for g in rows
        },
        sql=stats_sql.PROGRAMME_BY_ACTIVITY,
        theirs=lambda rows: {a: tuple(int(v) for v in rest) for a, *rest in rows},
    ),
    Case(
        name="people by role",
        path="/api/v1/stats/people/",
        group_by="role",
        view=PeopleStatsView,
        figure="distinct members served, new, and by role",
        selector=lambda: participation.people_by_role(**_window()),
        ours=lambda rows: {"all": (rows[0].members, rows[0].new, *(c.members for c in rows[1:]))},
        sql=stats_sql.PEOPLE_SERVED,
        theirs=lambda rows: {"all": tuple(rows[0])},
    ),
    Case(
        name="loans by tool type",
        path="/api/v1/stats/loans/",
        group_by="tool_type",
        view=LoanStatsView,
        figure="loans, overdue, returned, damaged per tool type",
        selector=lambda: loans.loans_by_tool_type(**_window(), now=STATS_NOW),
        ours=lambda rows: {
            int(f.key): (f.loans, f.overdue, f.returned, f.damaged) for f in rows if f.loans
        },
        sql=stats_sql.LOANS_BY_TOOL_TYPE,
        theirs=lambda rows: {t: tuple(rest) for t, *rest in rows},
    ),
    Case(
        name="hours by month",
        path="/api/v1/stats/hours/",
        group_by="month",
        view=HoursStatsView,
        figure="approved voluntary and honorary, pending minutes, helpers per month",
        selector=lambda: hours.hours_by_month(**_window()),
        ours=lambda rows: {
            f.key: (
                f.volunteer_minutes,
                f.honorary_minutes,
                f.pending_volunteer_minutes + f.pending_honorary_minutes,
                f.helpers,
            )
            for f in rows
            if f.volunteer_minutes or f.honorary_minutes or f.pending_hours or f.helpers
        },
        sql=stats_sql.HOURS_BY_MONTH,
        theirs=lambda rows: {m: tuple(int(v) for v in rest) for m, *rest in rows if any(rest)},
    ),
)


def _same(ours: Figure, theirs: Figure) -> list[str]:
    """Where the two figures differ (hours may differ by rounding at the hundredth)."""
    differences = []
    for key in sorted(set(ours) | set(theirs), key=str):
        a, b = ours.get(key), theirs.get(key)
        if a is None or b is None or len(a) != len(b):
            differences.append(f"{key}: ours {a}, SQL {b}")
            continue
        for x, y in zip(a, b, strict=True):
            close = (
                abs(float(x) - float(y)) <= HOURS_TOLERANCE
                if isinstance(x, float) or isinstance(y, float)
                else x == y
            )
            if not close:
                differences.append(f"{key}: ours {a}, SQL {b}")
                break
    return differences


def _sql_params() -> dict[str, Any]:
    return {**_window(), "zone": str(ZONE), "now": STATS_NOW}


def run_sql(sql: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, _sql_params())
        return list(cursor.fetchall())


def _explain(sql: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
        row = cursor.fetchone()
    assert row is not None
    document = row[0] if isinstance(row[0], list) else json.loads(row[0])
    plan = document[0]["Plan"]
    return {
        "buffers": plan.get("Shared Hit Blocks", 0) + plan.get("Shared Read Blocks", 0),
        "ms": round(document[0].get("Execution Time", 0.0), 2),
        "seq_scans": sorted(_seq_scans(plan)),
    }


def _seq_scans(node: dict[str, Any]) -> set[str]:
    found = {node["Relation Name"]} if node["Node Type"] == "Seq Scan" else set()
    for child in node.get("Plans", []):
        found |= _seq_scans(child)
    return found


def _statement(sql: str) -> str:
    return " ".join(sql.split())[:100]


QUARTER_COUNTS = """
SELECT
    (SELECT COUNT(*) FROM scheduling_booking WHERE start >= %(start)s AND start < %(end)s),
    (SELECT COUNT(*) FROM scheduling_signup su JOIN scheduling_slot s ON s.id = su.slot_id
     WHERE s.start >= %(start)s AND s.start < %(end)s),
    (SELECT COUNT(*) FROM werkhaus_loan
     WHERE checked_out_at >= %(start)s AND checked_out_at < %(end)s),
    (SELECT COUNT(*) FROM scheduling_refusal WHERE at >= %(start)s AND at < %(end)s),
    (SELECT COUNT(*) FROM garden_hoursentry
     WHERE day >= (%(start)s AT TIME ZONE %(zone)s)::date
       AND day < (%(end)s AT TIME ZONE %(zone)s)::date)
"""


def quarter_counts() -> dict[str, int]:
    """Rows in the measured quarter: the same at every size that covers it."""
    (row,) = run_sql(QUARTER_COUNTS)
    names = ("bookings", "signups", "loans", "refusals", "hours_entries")
    return dict(zip(names, (int(v) for v in row), strict=True))


class Endpoint:
    """Calls a statistics view as a coordinator, JSON, as the API answers it."""

    def __init__(self, coordinator: User) -> None:
        self.factory = APIRequestFactory()
        self.coordinator = coordinator

    def __call__(self, case: Case) -> Any:
        request = self.factory.get(
            case.path,
            {
                "start": QUARTER_START.isoformat(),
                "end": QUARTER_END.isoformat(),
                "group_by": case.group_by,
            },
        )
        force_authenticate(request, user=self.coordinator)
        response = case.view.as_view()(request)
        response.render()
        return response


def _steps(endpoint: Endpoint, case: Case) -> dict[str, Step]:
    def call(_i: int) -> object:
        return endpoint(case)

    def sql(_i: int) -> object:
        return run_sql(case.sql)

    return {"endpoint": call, "sql": sql}


def measure(*, coordinator_id: int, repetitions: int, warmup: int) -> list[dict[str, Any]]:
    coordinator = User.objects.get(pk=coordinator_id)
    endpoint = Endpoint(coordinator)
    results = []
    for case in CASES:
        selected = case.selector()
        rows = run_sql(case.sql)
        differences = _same(case.ours(selected), case.theirs(rows))
        with CaptureQueriesContext(connection) as captured:
            response = endpoint(case)
        answered = json.loads(response.content) if response.status_code == 200 else {}
        endpoint_rows = len(answered.get("rows", []))
        if response.status_code != 200 or endpoint_rows != len(selected):
            differences.append(
                f"endpoint answered {response.status_code} with {endpoint_rows} rows, "
                f"the selector has {len(selected)}"
            )

        samples = time_interleaved(
            _steps(endpoint, case),
            repetitions=repetitions,
            warmup=warmup,
        )
        timings = Timings(operation_ns=samples["endpoint"], baseline_ns=samples["sql"])
        statements = [q["sql"].lstrip() for q in captured.captured_queries]
        reads = [sql for sql in statements if sql.startswith(("SELECT", "WITH"))]
        plans = [{"statement": _statement(sql), **_explain(sql)} for sql in reads]
        baseline_plan = _explain(case.sql, _sql_params())
        results.append(
            {
                "endpoint": case.name,
                "request": f"GET {case.path}?group_by={case.group_by}",
                "figure": case.figure,
                **timings.as_dict(),
                "queries": len(captured.captured_queries),
                "rows": endpoint_rows,
                "same_figure": not differences,
                "differences": differences[:10],
                "endpoint_buffers": sum(p["buffers"] for p in plans),
                "baseline_buffers": baseline_plan["buffers"],
                "plans": plans,
                "baseline_plan": baseline_plan,
            }
        )
    return results
