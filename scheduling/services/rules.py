"""The booking rules of a resource, checked before a booking or a waitlist entry is made."""

from datetime import datetime, timedelta

from django.db.models import Q

from accounts.models import User
from scheduling import errors
from scheduling.intervals import Interval, subtract
from scheduling.models import ACTIVE_STATUSES, Booking, BookingStatus, HoursPolicy, Resource
from scheduling.recurrence import day_bounds, local_zone
from scheduling.selectors import closures_for, member_holds_qualification, opening_intervals

# What counts against the hours-per-week quota: everything that was not cancelled.
USED_STATUSES = (*ACTIVE_STATUSES, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)


def _wall_minutes(moment: datetime) -> int:
    local = moment.astimezone(local_zone())
    return local.hour * 60 + local.minute


def wall_duration_minutes(start: datetime, end: datetime) -> int:
    """Length as the clock on the wall shows it (a night across a DST change counts 8 h)."""
    zone = local_zone()
    delta = end.astimezone(zone).replace(tzinfo=None) - start.astimezone(zone).replace(tzinfo=None)
    return int(delta.total_seconds() // 60)


def check_range(start: datetime, end: datetime) -> None:
    if end <= start:
        raise errors.InvalidRange()


def check_shape(resource: Resource, start: datetime, end: datetime) -> None:
    slot = resource.slot_minutes
    minutes = wall_duration_minutes(start, end)
    aligned = (
        _wall_minutes(start) % slot == 0
        and minutes % slot == 0
        and start.second == 0
        and start.microsecond == 0
        and end.second == 0
        and end.microsecond == 0
    )
    if not aligned:
        raise errors.NotAligned(fields={"slot_minutes": slot})
    if minutes < resource.min_minutes:
        raise errors.TooShort(fields={"min_minutes": resource.min_minutes})
    if minutes > resource.max_minutes:
        raise errors.TooLong(fields={"max_minutes": resource.max_minutes})


def check_timing(resource: Resource, start: datetime, now: datetime) -> None:
    if start < now:
        raise errors.InPast()
    if start < now + timedelta(minutes=resource.lead_minutes):
        raise errors.TooShortNotice(fields={"lead_minutes": resource.lead_minutes})
    if start > now + timedelta(days=resource.horizon_days):
        raise errors.TooFarAhead(fields={"horizon_days": resource.horizon_days})


def check_open(resource: Resource, start: datetime, end: datetime) -> None:
    """Opening hours and closures of the resource and its group (not of single units)."""
    booking = Interval(start, end)
    if resource.hours_policy == HoursPolicy.BOUNDARY_DAYS:
        first_day = day_bounds(start)
        last_day = day_bounds(end - timedelta(microseconds=1))
        window = Interval(first_day[0], last_day[1])
    else:
        window = booking
    closed = [
        Interval(c.start, c.end)
        for c in closures_for(resource=resource, window=window).filter(unit__isnull=True)
    ]
    open_spans = subtract(opening_intervals(resource=resource, window=window), closed)
    if resource.hours_policy == HoursPolicy.NONE:
        if closed:
            raise errors.Closed()
        return
    if resource.hours_policy == HoursPolicy.WITHIN:
        if any(span.contains(booking) for span in open_spans):
            return
        raise errors.Closed() if closed else errors.OutsideOpeningHours()
    for day in (first_day, last_day):
        day_span = Interval(*day)
        if not any(span.overlaps(day_span) for span in open_spans):
            raise errors.Closed() if closed else errors.OutsideOpeningHours()


def check_qualification(resource: Resource, member: User, start: datetime, end: datetime) -> None:
    required = resource.required_qualification_id
    if required is None:
        return
    if not member_holds_qualification(
        member_id=member.pk, qualification_id=required, start=start, end=end
    ):
        raise errors.QualificationRequired(fields={"qualification": required})


def _week_of(moment: datetime) -> Interval:
    day_start, _day_end = day_bounds(moment)
    local = day_start.astimezone(local_zone())
    monday = local - timedelta(days=local.weekday())
    first, _ = day_bounds(monday)
    last, _ = day_bounds(monday + timedelta(days=7, hours=12))
    return Interval(first, last)


def check_quotas(
    resource: Resource,
    member: User,
    start: datetime,
    end: datetime,
    now: datetime,
    ignore_booking_id: int | None = None,
) -> None:
    mine = Booking.objects.filter(resource_id=resource.pk, member_id=member.pk)
    if ignore_booking_id is not None:
        mine = mine.exclude(pk=ignore_booking_id)
    if resource.max_active_bookings is not None:
        active = mine.filter(status__in=ACTIVE_STATUSES, end__gt=now).count()
        if active >= resource.max_active_bookings:
            raise errors.QuotaExceeded(fields={"max_active_bookings": resource.max_active_bookings})
    if resource.max_hours_per_week is None:
        return
    limit = timedelta(hours=resource.max_hours_per_week)
    week = _week_of(start)
    while week.start < end:
        new = Interval(max(start, week.start), min(end, week.end))
        used = mine.filter(
            Q(status__in=USED_STATUSES), start__lt=week.end, end__gt=week.start
        ).only("start", "end")
        total = new.duration + sum(
            (min(b.end, week.end) - max(b.start, week.start) for b in used), timedelta()
        )
        if total > limit:
            raise errors.QuotaExceeded(fields={"max_hours_per_week": resource.max_hours_per_week})
        week = _week_of(week.end)
