"""Utilisation: booked hours ÷ open hours, per resource, unit and kind, over time and as a
weekday × hour heat map (local time).

Open hours come from the engine. A resource with opening hours (policy "within" and an
opening-hours calendar) is open when its calendar says so; every other resource (no opening
hours, or "boundary days" like tools lent by the day, which may be out overnight and over the
weekend) is open all hours of the period. Closures of its group or of the resource are taken
off; a unit's open hours are the resource's minus the unit's own closures. A resource's
capacity is the sum of its units' open hours (three drills open 10 hours: 30 hours).

Booked hours are the bookings in occupying states (requested, held, confirmed, completed)
that overlap the period, clipped to the period and to each day or hour; the buffer after a
booking is not booked time. A booking a coordinator placed outside opening hours still counts,
so utilisation can exceed 100 %.

Units counted: those in use, and those out of use that were booked in the period.

Queries, whatever the data: resources, units, opening-hour events and their moved occurrences
(only when some resource has opening hours), closures, and one for the booked time: at most 6.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from scheduling.intervals import Interval
from scheduling.models import Resource
from scheduling.recurrence import local_zone
from scheduling.selectors.stats import periods
from scheduling.selectors.stats.booked import booked_seconds
from scheduling.selectors.stats.scope import (
    ResourceFilter,
    booked_by_unit,
    capacity_spread,
    scope_load,
)

Every = Literal["day", "week", "month"]


@dataclass(frozen=True)
class ResourceUtilisation:
    resource_id: int
    name: str
    kind: str
    group: str
    units: int
    open_hours: float  # the resource's open hours (one unit)
    capacity_hours: float  # its units' open hours together
    booked_hours: float
    bookings: int
    utilisation: float | None  # booked ÷ capacity; None when it was never open


@dataclass(frozen=True)
class UnitUtilisation:
    unit_id: int
    label: str
    resource_id: int
    resource: str
    kind: str
    open_hours: float
    booked_hours: float
    bookings: int
    utilisation: float | None


@dataclass(frozen=True)
class KindUtilisation:
    kind: str
    resources: int
    units: int
    capacity_hours: float
    booked_hours: float
    bookings: int
    utilisation: float | None


@dataclass(frozen=True)
class PeriodUtilisation:
    start: date  # first local day of the day, week (Monday) or month, clipped to the period
    capacity_hours: float
    booked_hours: float
    utilisation: float | None


@dataclass(frozen=True)
class HeatCell:
    weekday: int  # 1 = Monday … 7 = Sunday, local time
    hour: int  # 0–23, local time
    capacity_hours: float
    booked_hours: float
    utilisation: float | None


def _hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def _share(booked: float, capacity: float) -> float | None:
    return round(booked / capacity, 4) if capacity > 0 else None


def _seconds(intervals: list[Interval]) -> float:
    return sum((i.duration for i in intervals), timedelta(0)).total_seconds()


def utilisation_by_unit(
    *, start: datetime, end: datetime, where: ResourceFilter | None = None
) -> list[UnitUtilisation]:
    where = where or ResourceFilter()
    scope = scope_load(start=start, end=end, where=where)
    booked = booked_by_unit(scope, where)
    result = []
    for resource in scope.resources:
        for unit in scope.units.get(resource.pk, []):
            open_seconds = _seconds(scope.unit_open(unit))
            seconds, count = booked.get(unit.pk, (0.0, 0))
            result.append(
                UnitUtilisation(
                    unit_id=unit.pk,
                    label=unit.label,
                    resource_id=resource.pk,
                    resource=resource.name,
                    kind=resource.kind,
                    open_hours=_hours(open_seconds),
                    booked_hours=_hours(seconds),
                    bookings=count,
                    utilisation=_share(seconds, open_seconds),
                )
            )
    return result


@dataclass(frozen=True)
class _Raw:
    resource: Resource
    units: int
    open: float  # seconds
    capacity: float
    booked: float
    bookings: int


def _per_resource(start: datetime, end: datetime, where: ResourceFilter | None) -> list[_Raw]:
    where = where or ResourceFilter()
    scope = scope_load(start=start, end=end, where=where)
    booked = booked_by_unit(scope, where)
    result = []
    for resource in scope.resources:
        units = scope.units.get(resource.pk, [])
        result.append(
            _Raw(
                resource=resource,
                units=len(units),
                open=_seconds(scope.open[resource.pk]),
                capacity=sum(_seconds(scope.unit_open(u)) for u in units),
                booked=sum(booked.get(u.pk, (0.0, 0))[0] for u in units),
                bookings=sum(booked.get(u.pk, (0.0, 0))[1] for u in units),
            )
        )
    return result


def utilisation_by_resource(
    *, start: datetime, end: datetime, where: ResourceFilter | None = None
) -> list[ResourceUtilisation]:
    """One row per resource (in use, or booked in the period), by kind and name."""
    return [
        ResourceUtilisation(
            resource_id=r.resource.pk,
            name=r.resource.name,
            kind=r.resource.kind,
            group=r.resource.group.name if r.resource.group is not None else "",
            units=r.units,
            open_hours=_hours(r.open),
            capacity_hours=_hours(r.capacity),
            booked_hours=_hours(r.booked),
            bookings=r.bookings,
            utilisation=_share(r.booked, r.capacity),
        )
        for r in _per_resource(start, end, where)
    ]


def utilisation_by_kind(
    *, start: datetime, end: datetime, where: ResourceFilter | None = None
) -> list[KindUtilisation]:
    kinds: dict[str, list[_Raw]] = defaultdict(list)
    for raw in _per_resource(start, end, where):
        kinds[raw.resource.kind].append(raw)
    result = []
    for kind, rows in kinds.items():
        capacity = sum(r.capacity for r in rows)
        booked = sum(r.booked for r in rows)
        result.append(
            KindUtilisation(
                kind=kind,
                resources=len(rows),
                units=sum(r.units for r in rows),
                capacity_hours=_hours(capacity),
                booked_hours=_hours(booked),
                bookings=sum(r.bookings for r in rows),
                utilisation=_share(booked, capacity),
            )
        )
    return result


def utilisation_over_time(
    *, start: datetime, end: datetime, every: Every, where: ResourceFilter | None = None
) -> list[PeriodUtilisation]:
    """One row per local day, week (from Monday) or month touched by the period; the first and
    last may be partial (clipped to the period)."""
    where = where or ResourceFilter()
    scope = scope_load(start=start, end=end, where=where)
    days, edges = periods.day_edges(scope.window)
    capacity = capacity_spread(scope, edges)
    booked = booked_seconds(scope.bookings(where), window=scope.window, step="day")
    bucket_of = {"day": lambda d: d, "week": periods.week_of, "month": periods.month_of}[every]
    totals: dict[date, list[float]] = {}
    for index, day in enumerate(days):
        cell = totals.setdefault(bucket_of(day), [0.0, 0.0])
        cell[0] += capacity[index]
        cell[1] += booked.get(day, 0.0)
    return [
        PeriodUtilisation(
            start=key,
            capacity_hours=_hours(cap),
            booked_hours=_hours(used),
            utilisation=_share(used, cap),
        )
        for key, (cap, used) in totals.items()
    ]


def utilisation_heatmap(
    *, start: datetime, end: datetime, where: ResourceFilter | None = None
) -> list[HeatCell]:
    """168 cells, Monday 0:00 first: open and booked hours of each local weekday and hour
    summed over the period (the hour repeated in October counts twice, the one skipped in
    March not at all)."""
    where = where or ResourceFilter()
    scope = scope_load(start=start, end=end, where=where)
    hours, edges = periods.hour_edges(scope.window)
    capacity = capacity_spread(scope, edges)
    booked = booked_seconds(scope.bookings(where), window=scope.window, step="hour")
    zone = local_zone()
    cells = [[0.0, 0.0] for _ in range(7 * 24)]
    for index, hour in enumerate(hours):
        local = hour.astimezone(zone)
        cell = cells[local.weekday() * 24 + local.hour]
        cell[0] += capacity[index]
        cell[1] += booked.get(hour, 0.0)
    return [
        HeatCell(
            weekday=index // 24 + 1,
            hour=index % 24,
            capacity_hours=_hours(cap),
            booked_hours=_hours(used),
            utilisation=_share(used, cap),
        )
        for index, (cap, used) in enumerate(cells)
    ]
