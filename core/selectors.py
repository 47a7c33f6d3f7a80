"""Reads for the residents' pages: the week of a resource as slots to pick, a member's bookings
and dates, and the start page. Each does a fixed number of queries, whatever the data.

The slots offered are a suggestion drawn from the engine's availability; whether a booking
really fits is decided by the booking service, and the page shows its answer.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, QuerySet, Subquery

from accounts.models import User
from core.timeutil import as_utc
from garden.models import PlotApplication
from scheduling.intervals import Interval, subtract
from scheduling.models import (
    ACTIVE_STATUSES,
    LIVE_SIGNUP_STATUSES,
    Booking,
    HoursPolicy,
    Resource,
    SignUp,
    WaitlistEntry,
    WaitlistStatus,
)
from scheduling.recurrence import _localise, local_zone
from scheduling.selectors import (
    blocking_bookings,
    closures_for,
    opening_intervals,
    resource_availability,
)
from scheduling.selectors.occurrences import OccurrenceView, occurrences_in_window
from scheduling.selectors.swaps import open_swap_offers

DAY = 24 * 60
MAX_LENGTHS = 8  # how many booking lengths a resource page offers to choose from
# Without opening hours an hourly resource offers slots in the daytime only.
DAYTIME = (time(8), time(20))


@dataclass(frozen=True)
class SlotChoice:
    start: datetime
    end: datetime
    free: bool


@dataclass(frozen=True)
class DayPlan:
    day: date
    slots: list[SlotChoice]


def local_midnight(day: date) -> datetime:
    return as_utc(_localise(datetime.combine(day, time()), local_zone()))


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def length_choices(resource: Resource) -> list[int]:
    """Booking lengths in minutes a member may choose: multiples of the slot, within the rules."""
    step = max(resource.slot_minutes, 1)
    shortest = -(-max(resource.min_minutes, step) // step) * step
    lengths = list(range(shortest, resource.max_minutes + 1, step))
    return lengths[:MAX_LENGTHS] or [shortest]


def _aligned(moment: datetime, step: int) -> datetime:
    """The first moment at or after ``moment`` whose wall-clock minute of the day is on the grid."""
    local = moment.astimezone(local_zone())
    minutes = local.hour * 60 + local.minute
    extra = (-minutes) % step
    if extra == 0 and local.second == 0 and local.microsecond == 0:
        return moment
    return moment.replace(second=0, microsecond=0) + timedelta(minutes=extra)


def _hourly_week(resource: Resource, days: list[date], length: int, now: datetime) -> list[DayPlan]:
    window_start, window_end = local_midnight(days[0]), local_midnight(days[-1] + timedelta(1))
    availability = resource_availability(resource=resource, start=window_start, end=window_end)
    plans = []
    for day in days:
        first, last = local_midnight(day), local_midnight(day + timedelta(1))
        if resource.hours_policy == HoursPolicy.NONE:
            zone = local_zone()
            spans = [
                Interval(
                    as_utc(_localise(datetime.combine(day, DAYTIME[0]), zone)),
                    as_utc(_localise(datetime.combine(day, DAYTIME[1]), zone)),
                )
            ]
        else:
            spans = [s for s in availability.open if s.start < last and s.end > first]
        slots = []
        for span in spans:
            moment = _aligned(span.start, resource.slot_minutes)
            while moment + timedelta(minutes=length) <= span.end:
                slot = Interval(moment, moment + timedelta(minutes=length))
                if slot.start >= now:
                    free = any(
                        any(f.contains(slot) for f in unit.free) for unit in availability.units
                    )
                    slots.append(SlotChoice(slot.start, slot.end, free))
                moment = slot.end
        plans.append(DayPlan(day, slots))
    return plans


def _daily_week(resource: Resource, days: list[date], length: int, now: datetime) -> list[DayPlan]:
    """Whole-day resources (tools): a slot starts at midnight and lasts whole days."""
    span_days = max(length // DAY, 1)
    window = Interval(local_midnight(days[0]), local_midnight(days[-1] + timedelta(span_days + 1)))
    closures = list(closures_for(resource=resource, window=window))
    shared = [Interval(c.start, c.end) for c in closures if c.unit_id is None]
    open_spans = subtract(opening_intervals(resource=resource, window=window), shared)
    buffer = resource.buffer
    busy: dict[int, list[Interval]] = {}
    for closure in closures:
        if closure.unit_id is not None:
            busy.setdefault(closure.unit_id, []).append(Interval(closure.start, closure.end))
    for booking in blocking_bookings(resource=resource, window=window, buffer=buffer):
        busy.setdefault(booking.unit_id, []).append(
            Interval(booking.start - buffer, booking.blocked_until)
        )
    units = list(resource.units.filter(is_active=True).values_list("pk", flat=True))

    def is_open(day: date) -> bool:
        if resource.hours_policy == HoursPolicy.NONE:
            return not any(s.overlaps(Interval(*_day(day))) for s in shared)
        whole = Interval(*_day(day))
        return any(s.overlaps(whole) for s in open_spans)

    plans = []
    for day in days:
        start = local_midnight(day)
        end = local_midnight(day + timedelta(span_days))
        if start < now:
            plans.append(DayPlan(day, []))
            continue
        last_day = day + timedelta(span_days - 1)
        if not (is_open(day) and is_open(last_day)):
            plans.append(DayPlan(day, []))
            continue
        slot = Interval(start, end)
        free = any(not any(b.overlaps(slot) for b in busy.get(u, [])) for u in units)
        plans.append(DayPlan(day, [SlotChoice(start, end, free)]))
    return plans


def _day(day: date) -> tuple[datetime, datetime]:
    return local_midnight(day), local_midnight(day + timedelta(1))


def resource_week(*, resource: Resource, monday: date, length: int, now: datetime) -> list[DayPlan]:
    """Seven days from ``monday``, each with the slots of ``length`` minutes from now on."""
    days = [monday + timedelta(n) for n in range(7)]
    if resource.slot_minutes >= DAY:
        return _daily_week(resource, days, length, now)
    return _hourly_week(resource, days, length, now)


# --- a member's own ------------------------------------------------------------------------


def my_bookings(*, member: User) -> QuerySet[Booking]:
    """The member's bookings with resource, unit and loan, upcoming and running first."""
    return (
        Booking.objects.filter(member=member)
        .exclude(resource__kind="plot")
        .select_related("resource", "unit", "loan")
        .order_by("-end")
    )


@dataclass(frozen=True)
class MyBookings:
    current: list[Booking]
    past: list[Booking]
    waiting: list[WaitlistEntry]


PAST_SHOWN = 20


def my_bookings_split(*, member: User, now: datetime) -> MyBookings:
    """Running and upcoming (soonest first), the latest past ones, and open waitlist entries."""
    current = list(
        my_bookings(member=member)
        .filter(status__in=ACTIVE_STATUSES, end__gt=now)
        .order_by("start", "pk")
    )
    past = list(my_bookings(member=member).exclude(pk__in=[b.pk for b in current])[:PAST_SHOWN])
    waiting = list(
        WaitlistEntry.objects.filter(
            member=member,
            status__in=(WaitlistStatus.WAITING, WaitlistStatus.OFFERED),
            end__gt=now,
        )
        .select_related("resource")
        .order_by("start", "pk")
    )
    return MyBookings(current=current, past=past, waiting=waiting)


def my_signups(*, member: User, now: datetime) -> QuerySet[SignUp]:
    """Live sign-ups for sessions and shifts that have not ended, soonest first; each with
    ``open_swap_offer``, the id of its open swap offer (or None), in the same query."""
    offer = open_swap_offers(now=now).filter(signup=OuterRef("pk")).values("pk")[:1]
    return (
        SignUp.objects.filter(member=member, status__in=LIVE_SIGNUP_STATUSES, slot__end__gt=now)
        .select_related("slot__activity__event", "role")
        .annotate(open_swap_offer=Subquery(offer))
        .order_by("slot__start", "pk")
    )


# --- the start page --------------------------------------------------------------------------


@dataclass(frozen=True)
class StartPage:
    today: list[OccurrenceView]
    bookings: list[Booking]
    signups: list[SignUp]


NEXT_SHOWN = 3


def start_page(*, member: User | None, now: datetime) -> StartPage:
    first, last = _day(now.astimezone(local_zone()).date())
    today = [
        o
        for o in occurrences_in_window(start=max(first, now - timedelta(hours=2)), end=last)
        if not o.cancelled
    ]
    if member is None:
        return StartPage(today=today, bookings=[], signups=[])
    bookings = list(
        my_bookings(member=member)
        .filter(status__in=ACTIVE_STATUSES, end__gt=now)
        .order_by("start", "pk")[:NEXT_SHOWN]
    )
    signups = list(my_signups(member=member, now=now)[:NEXT_SHOWN])
    return StartPage(today=today, bookings=bookings, signups=signups)


# --- the garden ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyGarden:
    applications: list[PlotApplication]
    plots: list[Booking]


def my_garden(*, member: User) -> MyGarden:
    """The member's applications (newest first, with an offered plot) and held plots."""
    applications = list(
        PlotApplication.objects.filter(member=member)
        .select_related("season", "offered_plot")
        .order_by("-created_at")
    )
    plots = list(
        Booking.objects.filter(member=member, resource__kind="plot", status__in=ACTIVE_STATUSES)
        .select_related("resource__plot")
        .order_by("start")
    )
    return MyGarden(applications=applications, plots=plots)
