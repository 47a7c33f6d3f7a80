"""Reads of the engine. Every function here does a fixed number of queries, whatever the data."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from core.timeutil import as_utc
from scheduling.intervals import Interval, clip, coverage, normalise, subtract
from scheduling.models import (
    OCCUPYING_STATUSES,
    Booking,
    Closure,
    HoursPolicy,
    MemberQualification,
    Resource,
    Unit,
)
from scheduling.recurrence import events_for_calendars, expand, persisted_in_window


@dataclass(frozen=True)
class UnitAvailability:
    unit: Unit
    free: list[Interval]


@dataclass(frozen=True)
class Availability:
    resource: Resource
    window: Interval
    open: list[Interval]
    units: list[UnitAvailability]
    free: list[tuple[Interval, int]]


def opening_intervals(*, resource: Resource, window: Interval) -> list[Interval]:
    """When the resource is open within the window (2 queries; none without a calendar)."""
    calendar_id = resource.calendar_id_for_hours
    if resource.hours_policy == HoursPolicy.NONE or calendar_id is None:
        return [window]
    events = list(events_for_calendars([calendar_id]))
    if not events:
        return []
    persisted = persisted_in_window([e.pk for e in events], window.start, window.end)
    dated = expand(events, persisted, window.start, window.end)
    return clip((Interval(d.start, d.end) for d in dated if not d.cancelled), window)


def closures_for(*, resource: Resource, window: Interval) -> QuerySet[Closure]:
    scope = Q(resource_id=resource.pk) | Q(unit__resource_id=resource.pk)
    if resource.group_id is not None:
        scope |= Q(group_id=resource.group_id)
    return Closure.objects.filter(scope, start__lt=window.end, end__gt=window.start)


def blocking_bookings(
    *, resource: Resource, window: Interval, buffer: timedelta
) -> QuerySet[Booking]:
    """Active bookings whose blocked span reaches into the window widened by ``buffer``."""
    return Booking.objects.filter(
        resource_id=resource.pk,
        status__in=OCCUPYING_STATUSES,
        start__lt=window.end + buffer,
        blocked_until__gt=window.start,
    ).only("unit_id", "start", "blocked_until")


def resource_availability(*, resource: Resource, start: datetime, end: datetime) -> Availability:
    """Free intervals per unit and merged: opening hours minus closures minus bookings.

    A free interval is where a new booking can lie, its own buffer included: each existing
    booking blocks from its start minus this resource's buffer to its end plus its buffer.
    """
    window = Interval(as_utc(start), as_utc(end))
    units = list(resource.units.filter(is_active=True).order_by("label"))
    open_spans = opening_intervals(resource=resource, window=window)
    closed_all: list[Interval] = []
    closed_unit: dict[int, list[Interval]] = {}
    for closure in closures_for(resource=resource, window=window):
        span = Interval(closure.start, closure.end)
        if closure.unit_id is not None:
            closed_unit.setdefault(closure.unit_id, []).append(span)
        else:
            closed_all.append(span)
    base = subtract(open_spans, closed_all)
    buffer = resource.buffer
    busy: dict[int, list[Interval]] = {}
    for booking in blocking_bookings(resource=resource, window=window, buffer=buffer):
        busy.setdefault(booking.unit_id, []).append(
            Interval(booking.start - buffer, booking.blocked_until)
        )
    per_unit = [
        UnitAvailability(
            unit=unit,
            free=subtract(base, [*closed_unit.get(unit.pk, []), *busy.get(unit.pk, [])]),
        )
        for unit in units
    ]
    return Availability(
        resource=resource,
        window=window,
        open=normalise(open_spans),
        units=per_unit,
        free=coverage(u.free for u in per_unit),
    )


def member_holds_qualification(
    *, member_id: int, qualification_id: int, start: datetime, end: datetime
) -> bool:
    return MemberQualification.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=end),
        member_id=member_id,
        qualification_id=qualification_id,
        granted_at__lte=start,
        revoked_at__isnull=True,
    ).exists()


def bookings_visible_to(*, member_id: int, is_coordinator: bool) -> QuerySet[Booking]:
    queryset = Booking.objects.select_related("unit", "resource", "member")
    if is_coordinator:
        return queryset
    return queryset.filter(member_id=member_id)
