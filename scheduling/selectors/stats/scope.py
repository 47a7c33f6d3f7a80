"""What utilisation is measured against: the resources in question, their counted units, their
open hours (opening hours minus closures) and the booked time of their units.

Queries: resources, units, opening-hour events and their moved occurrences (only when some
resource has opening hours), closures; the booked time is one more.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

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
from scheduling.recurrence import events_for_calendars, expand, persisted_in_window
from scheduling.selectors.stats import periods


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


@dataclass
class Scope:
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


def scope_load(*, start: datetime, end: datetime, where: ResourceFilter) -> Scope:
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
    return Scope(window, resources, units, opened, unit_closed)


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


def booked_by_unit(scope: Scope, where: ResourceFilter) -> dict[int, tuple[float, int]]:
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


def capacity_spread(scope: Scope, edges: list[datetime]) -> list[float]:
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
