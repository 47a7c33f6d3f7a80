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

from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Greatest, Least

from core.timeutil import as_utc
from scheduling.intervals import Interval, clip, normalise, subtract
from scheduling.models import (
    OCCUPYING_STATUSES,
    Booking,
    Closure,
    HoursPolicy,
    Resource,
    Unit,
)
from scheduling.recurrence import events_for_calendars, expand, local_zone, persisted_in_window
from scheduling.selectors.stats import periods
from scheduling.selectors.stats.booked import booked_seconds

Every = Literal["day", "week", "month"]


@dataclass(frozen=True)
class ResourceFilter:
    kind: str | None = None
    resource_id: int | None = None
    group: str | None = None  # slug of a ResourceGroup ("werkhaus", "garten")

    def q(self, prefix: str = "") -> Q:
        query = Q()
        if self.kind:
            query &= Q(**{f"{prefix}kind": self.kind})
        if self.resource_id is not None:
            query &= Q(**{f"{prefix}pk": self.resource_id})
        if self.group:
            query &= Q(**{f"{prefix}group__slug": self.group})
        return query


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


@dataclass
class _Scope:
    window: Interval
    resources: list[Resource]
    units: dict[int, list[Unit]]  # resource id → counted units
    open: dict[int, list[Interval]]  # resource id → open intervals, closures taken off
    unit_closed: dict[int, list[Interval]]  # unit id → its own closures, clipped

    def bookings(self, where: ResourceFilter) -> QuerySet[Booking]:
        window = self.window
        return Booking.objects.filter(
            where.q("resource__"),
            status__in=OCCUPYING_STATUSES,
            start__lt=window.end,
            end__gt=window.start,
            # Implied by end > start; it lets the index on blocked_until bound the scan.
            blocked_until__gt=window.start,
        )

    def unit_open(self, unit: Unit) -> list[Interval]:
        closed = self.unit_closed.get(unit.pk)
        base = self.open[unit.resource_id]
        return subtract(base, closed) if closed else base


def _booked_in(window: Interval) -> Q:
    return Q(
        status__in=OCCUPYING_STATUSES,
        start__lt=window.end,
        end__gt=window.start,
        blocked_until__gt=window.start,
    )


def _scope(*, start: datetime, end: datetime, where: ResourceFilter) -> _Scope:
    window = Interval(as_utc(start), as_utc(end))
    booked = Booking.objects.filter(_booked_in(window))
    resources = list(
        Resource.objects.select_related("group")
        .filter(where.q())
        .filter(Q(is_active=True) | Exists(booked.filter(resource_id=OuterRef("pk"))))
        .order_by("kind", "name", "pk")
    )
    ids = [r.pk for r in resources]
    units: dict[int, list[Unit]] = defaultdict(list)
    for unit in (
        Unit.objects.filter(resource_id__in=ids)
        .filter(Q(is_active=True) | Exists(booked.filter(unit_id=OuterRef("pk"))))
        .order_by("resource_id", "label", "pk")
    ):
        units[unit.resource_id].append(unit)

    open_by_calendar = _opening_by_calendar(resources, window)
    closed_all: dict[int, list[Interval]] = defaultdict(list)
    closed_group: dict[int, list[Interval]] = defaultdict(list)
    unit_closed: dict[int, list[Interval]] = defaultdict(list)
    groups = {r.group_id for r in resources if r.group_id is not None}
    closures = Closure.objects.filter(
        Q(group_id__in=groups) | Q(resource_id__in=ids) | Q(unit__resource_id__in=ids),
        start__lt=window.end,
        end__gt=window.start,
    ).values_list("group_id", "resource_id", "unit_id", "start", "end")
    for group_id, resource_id, unit_id, c_start, c_end in closures:
        span = Interval(max(c_start, window.start), min(c_end, window.end))
        if unit_id is not None:
            unit_closed[unit_id].append(span)
        elif resource_id is not None:
            closed_all[resource_id].append(span)
        else:
            closed_group[group_id].append(span)

    opened: dict[int, list[Interval]] = {}
    for resource in resources:
        calendar_id = _hours_calendar(resource)
        base = [window] if calendar_id is None else open_by_calendar.get(calendar_id, [])
        shut = [*closed_all.get(resource.pk, []), *closed_group.get(resource.group_id or 0, [])]
        opened[resource.pk] = subtract(base, shut) if shut else normalise(base)
    return _Scope(window, resources, units, opened, unit_closed)


def _hours_calendar(resource: Resource) -> int | None:
    """The calendar whose events are the resource's open hours, or None: open all hours."""
    if resource.hours_policy != HoursPolicy.WITHIN:
        return None
    return resource.calendar_id_for_hours


def _opening_by_calendar(resources: list[Resource], window: Interval) -> dict[int, list[Interval]]:
    calendar_ids = sorted({c for r in resources if (c := _hours_calendar(r)) is not None})
    if not calendar_ids:
        return {}
    events = list(events_for_calendars(calendar_ids))
    result: dict[int, list[Interval]] = {c: [] for c in calendar_ids}
    if not events:
        return result
    calendar_of = {e.pk: e.calendar_id for e in events}
    persisted = persisted_in_window([e.pk for e in events], window.start, window.end)
    spans: dict[int, list[Interval]] = defaultdict(list)
    for dated in expand(events, persisted, window.start, window.end):
        if not dated.cancelled:
            spans[calendar_of[dated.event_id]].append(Interval(dated.start, dated.end))
    for calendar_id, intervals in spans.items():
        result[calendar_id] = clip(intervals, window)
    return result


def _booked_by_unit(scope: _Scope, where: ResourceFilter) -> dict[int, tuple[float, int]]:
    window = scope.window
    clipped = ExpressionWrapper(
        Least(F("end"), Value(window.end, output_field=DateTimeField()))
        - Greatest(F("start"), Value(window.start, output_field=DateTimeField())),
        output_field=DurationField(),
    )
    rows = (
        scope.bookings(where)
        .order_by()
        .values("unit_id")
        .annotate(booked=Sum(clipped), n=Count("pk"))
        .values_list("unit_id", "booked", "n")
    )
    return {unit_id: ((booked or timedelta(0)).total_seconds(), n) for unit_id, booked, n in rows}


def utilisation_by_unit(
    *, start: datetime, end: datetime, where: ResourceFilter | None = None
) -> list[UnitUtilisation]:
    where = where or ResourceFilter()
    scope = _scope(start=start, end=end, where=where)
    booked = _booked_by_unit(scope, where)
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


def utilisation_by_resource(
    *, start: datetime, end: datetime, where: ResourceFilter | None = None
) -> list[ResourceUtilisation]:
    where = where or ResourceFilter()
    scope = _scope(start=start, end=end, where=where)
    booked = _booked_by_unit(scope, where)
    result = []
    for resource in scope.resources:
        units = scope.units.get(resource.pk, [])
        capacity = sum(_seconds(scope.unit_open(u)) for u in units)
        seconds = sum(booked.get(u.pk, (0.0, 0))[0] for u in units)
        count = sum(booked.get(u.pk, (0.0, 0))[1] for u in units)
        result.append(
            ResourceUtilisation(
                resource_id=resource.pk,
                name=resource.name,
                kind=resource.kind,
                group=resource.group.name if resource.group is not None else "",
                units=len(units),
                open_hours=_hours(_seconds(scope.open[resource.pk])),
                capacity_hours=_hours(capacity),
                booked_hours=_hours(seconds),
                bookings=count,
                utilisation=_share(seconds, capacity),
            )
        )
    return result


def utilisation_by_kind(
    *, start: datetime, end: datetime, where: ResourceFilter | None = None
) -> list[KindUtilisation]:
    per_resource = utilisation_by_resource(start=start, end=end, where=where)
    kinds: dict[str, list[ResourceUtilisation]] = defaultdict(list)
    for row in per_resource:
        kinds[row.kind].append(row)
    result = []
    for kind, rows in kinds.items():
        capacity = sum(r.capacity_hours for r in rows)
        booked = sum(r.booked_hours for r in rows)
        result.append(
            KindUtilisation(
                kind=kind,
                resources=len(rows),
                units=sum(r.units for r in rows),
                capacity_hours=round(capacity, 2),
                booked_hours=round(booked, 2),
                bookings=sum(r.bookings for r in rows),
                utilisation=_share(booked, capacity),
            )
        )
    return result


def _capacity_spread(scope: _Scope, edges: list[datetime]) -> list[float]:
    """Open unit-seconds per piece: units of a resource share its open hours, so the pieces
    are spread once per resource, and only units with closures of their own are spread apart."""
    seconds = [0.0] * (len(edges) - 1)
    for resource in scope.resources:
        units = scope.units.get(resource.pk, [])
        plain = [u for u in units if u.pk not in scope.unit_closed]
        if plain:
            periods.add_into(seconds, scope.open[resource.pk], edges, weight=len(plain))
        for unit in units:
            if unit.pk in scope.unit_closed:
                periods.add_into(seconds, scope.unit_open(unit), edges)
    return seconds


def utilisation_over_time(
    *, start: datetime, end: datetime, every: Every, where: ResourceFilter | None = None
) -> list[PeriodUtilisation]:
    """One row per local day, week (from Monday) or month touched by the period; the first and
    last may be partial (clipped to the period)."""
    where = where or ResourceFilter()
    scope = _scope(start=start, end=end, where=where)
    days, edges = periods.day_edges(scope.window)
    capacity = _capacity_spread(scope, edges)
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
    scope = _scope(start=start, end=end, where=where)
    hours, edges = periods.hour_edges(scope.window)
    capacity = _capacity_spread(scope, edges)
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
