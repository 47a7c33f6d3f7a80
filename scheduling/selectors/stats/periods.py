"""Cutting a period into local days or UTC hours and spreading time spans over the pieces.

The pieces do not grow with the data, only with the length of the period (at most ten years:
3,660 days or 87,840 hours), so this is plain Python. Europe/Berlin's offsets are whole hours,
so a UTC hour is also a local hour; a local day is 23, 24 or 25 hours long.
"""

from bisect import bisect_right
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from core.timeutil import as_utc
from scheduling.intervals import Interval
from scheduling.recurrence import local_zone


def local_midnight(day: date) -> datetime:
    """The start of a local day, in UTC (midnight always exists in Europe/Berlin)."""
    return as_utc(datetime.combine(day, time(0), local_zone()))


def day_edges(window: Interval) -> tuple[list[date], list[datetime]]:
    """The local days the window touches and the edges between them, clipped to the window:
    ``edges[i]``–``edges[i + 1]`` is (the part in the window of) ``days[i]``."""
    first = window.start.astimezone(local_zone()).date()
    days: list[date] = []
    edges = [window.start]
    day = first
    while True:
        days.append(day)
        day += timedelta(days=1)
        boundary = local_midnight(day)
        if boundary >= window.end:
            edges.append(window.end)
            return days, edges
        edges.append(boundary)


def floor_hour(moment: datetime) -> datetime:
    return as_utc(moment).replace(minute=0, second=0, microsecond=0)


def hour_edges(window: Interval) -> tuple[list[datetime], list[datetime]]:
    """The UTC hours the window touches and the edges between them, clipped to the window."""
    hours: list[datetime] = []
    edges = [window.start]
    hour = floor_hour(window.start)
    while True:
        hours.append(hour)
        hour += timedelta(hours=1)
        if hour >= window.end:
            edges.append(window.end)
            return hours, edges
        edges.append(hour)


def spread(intervals: Iterable[Interval], edges: list[datetime], weight: float = 1) -> list[float]:
    """Seconds of ``intervals`` (each counted ``weight`` times) in each piece between edges."""
    seconds = [0.0] * (len(edges) - 1)
    add_into(seconds, intervals, edges, weight)
    return seconds


def add_into(
    seconds: list[float], intervals: Iterable[Interval], edges: list[datetime], weight: float = 1
) -> None:
    for interval in intervals:
        index = max(bisect_right(edges, interval.start) - 1, 0)
        while index < len(seconds) and edges[index] < interval.end:
            overlap = min(interval.end, edges[index + 1]) - max(interval.start, edges[index])
            if overlap > timedelta(0):
                seconds[index] += overlap.total_seconds() * weight
            index += 1


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_of(day: date) -> date:
    return day.replace(day=1)


def utc_from_text(value: str) -> datetime:
    """A datetime as SQLite stores Django's (naive UTC text) made aware."""
    return datetime.fromisoformat(value).replace(tzinfo=UTC)
