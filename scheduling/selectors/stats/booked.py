"""Booked time of a set of bookings, clipped to a period and cut into local days or UTC hours.

A booking can span several days (a tool lent for a week) or hours, so its time is split in
the database: a recursive CTE walks each booking from one boundary to the next (WITH RECURSIVE
works on PostgreSQL and SQLite), and the pieces are summed per day or hour. The work grows with
the booked days (or hours) in the period, never with the bookings outside it. The next local
midnight needs the time zone: PostgreSQL has it (``AT TIME ZONE``); on SQLite two small
functions are registered on the connection, as Django registers its own date functions there.
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from django.db import connection
from django.db.models import F, QuerySet

from scheduling.intervals import Interval
from scheduling.models import Booking
from scheduling.recurrence import local_zone
from scheduling.selectors.stats.periods import utc_from_text

Step = Literal["day", "hour"]

_PG_NEXT = {
    "hour": "date_trunc('hour', {x}, 'UTC') + INTERVAL '1 hour'",
    "day": (
        "(date_trunc('day', {x} AT TIME ZONE '{zone}') + INTERVAL '1 day') AT TIME ZONE '{zone}'"
    ),
}
_PG_KEY = {"hour": "date_trunc('hour', {x}, 'UTC')", "day": "({x} AT TIME ZONE '{zone}')::date"}

_SQL = """
WITH RECURSIVE pieces(s, e, stop) AS (
    SELECT {greatest}(b.s0, %s), {least}({next_first}, b.e0, %s), {least}(b.e0, %s)
    FROM ({bookings}) b
  UNION ALL
    SELECT e, {least}({next_e}, stop), stop FROM pieces WHERE e < stop
)
SELECT {key} AS k, SUM({seconds}) FROM pieces GROUP BY k
"""


def _sqlite_next(step: str, value: str) -> str:
    moment = utc_from_text(value)
    if step == "hour":
        following = moment.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    else:
        zone = local_zone()
        day = moment.astimezone(zone).date() + timedelta(days=1)
        following = datetime.combine(day, time(0), zone).astimezone(UTC)
    return str(following.replace(tzinfo=None))


def _sqlite_key(step: str, value: str) -> str:
    moment = utc_from_text(value)
    if step == "hour":
        return str(moment.replace(minute=0, second=0, microsecond=0, tzinfo=None))
    return moment.astimezone(local_zone()).date().isoformat()


def _register_sqlite_functions() -> None:
    connection.ensure_connection()
    raw: Any = connection.connection
    raw.create_function("stats_next", 2, _sqlite_next, deterministic=True)
    raw.create_function("stats_key", 2, _sqlite_key, deterministic=True)


def _zone_name() -> str:
    name = str(local_zone())
    if not re.fullmatch(r"[A-Za-z0-9_+\-/]+", name):
        raise ValueError(f"unexpected time zone name {name!r}")
    return name


def _statement(step: Step, bookings_sql: str) -> str:
    if connection.vendor == "postgresql":
        zone = _zone_name()
        return _SQL.format(
            greatest="GREATEST",
            least="LEAST",
            next_first=_PG_NEXT[step].format(x="GREATEST(b.s0, %s)", zone=zone),
            next_e=_PG_NEXT[step].format(x="e", zone=zone),
            bookings=bookings_sql,
            key=_PG_KEY[step].format(x="s", zone=zone),
            seconds="EXTRACT(EPOCH FROM (e - s))",
        )
    _register_sqlite_functions()
    return _SQL.format(
        greatest="MAX",
        least="MIN",
        next_first=f"stats_next('{step}', MAX(b.s0, %s))",
        next_e=f"stats_next('{step}', e)",
        bookings=bookings_sql,
        key=f"stats_key('{step}', s)",
        seconds="(julianday(e) - julianday(s)) * 86400.0",
    )


def booked_seconds(
    bookings: QuerySet[Booking], *, window: Interval, step: Step
) -> dict[date | datetime, float]:
    """Seconds booked per local day (keys: dates) or per UTC hour (keys: aware datetimes).

    ``bookings`` must already be limited to those overlapping the window (one query in all).
    """
    inner = bookings.order_by().annotate(s0=F("start"), e0=F("end")).values_list("s0", "e0")
    inner_sql, inner_params = inner.query.sql_with_params()
    start = connection.ops.adapt_datetimefield_value(window.start)
    end = connection.ops.adapt_datetimefield_value(window.end)
    # Placeholders in order: greatest(start), next(greatest(start)), least(end), least(end).
    params = [start, start, end, end, *inner_params]
    sql = _statement(step, inner_sql)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    result: dict[date | datetime, float] = {}
    for key, seconds in rows:
        result[_key(key, step)] = float(seconds or 0)
    return result


def _key(value: Any, step: Step) -> date | datetime:
    if step == "day":
        return value if isinstance(value, date) else date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    return utc_from_text(value)
