"""Reads for the coordinators' pages: what today brings at the counter and in the rooms, and
what waits for a decision. Each does a fixed number of queries, whatever the data."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet

from accounts.models import User
from accounts.selectors import member_match
from core.selectors import _day, local_midnight
from garden.models import ApplicationStatus, HoursEntry, HoursStatus, PlotApplication, Season
from garden.selectors import MapPlot, garden_map
from scheduling.models import ACTIVE_STATUSES, Booking, BookingStatus
from scheduling.recurrence import local_zone
from scheduling.selectors.occurrences import OccurrenceView, occurrences_in_window
from werkhaus.models import Loan, LoanStatus
from werkhaus.selectors import loans_for_counter

# The note loan_walk_in gives the booking it makes for a resident without a reservation.
WALK_IN_NOTE = "walk-in"
MEMBERS_FOUND = 20


@dataclass(frozen=True)
class Today:
    pick_ups: list[Booking]
    returns: list[Loan]
    overdue: list[Loan]
    bookings: list[Booking]
    occurrences: list[OccurrenceView]
    walk_ins: list[Loan]
    waiting_rooms: int
    waiting_hours: int
    waiting_plots: int

    @property
    def waiting(self) -> int:
        return self.waiting_rooms + self.waiting_hours + self.waiting_plots


def today(*, now: datetime) -> Today:
    """The local day of ``now``: tools to hand out (reserved, starting today, not yet picked
    up), loans due back today and overdue ones, the other bookings running today, the sessions
    and shifts with their staffing, today's walk-in loans, and how much waits for approval."""
    first, last = _day(now.astimezone(local_zone()).date())
    pick_ups = (
        Booking.objects.filter(
            resource__kind="tool",
            status=BookingStatus.CONFIRMED,
            loan__isnull=True,
            start__gte=first,
            start__lt=last,
        )
        .select_related("resource", "unit", "member")
        .order_by("start", "pk")
    )
    out = loans_for_counter().filter(status=LoanStatus.CHECKED_OUT)
    bookings = (
        Booking.objects.exclude(resource__kind__in=("tool", "plot"))
        .filter(status__in=ACTIVE_STATUSES, start__lt=last, end__gt=first)
        .select_related("resource", "unit", "member")
        .order_by("start", "pk")
    )
    walk_ins = loans_for_counter().filter(
        booking__note=WALK_IN_NOTE, checked_out_at__gte=first, checked_out_at__lt=last
    )
    return Today(
        pick_ups=list(pick_ups),
        # A tool lent by the day is due at the midnight that ends the day: that is today's.
        returns=list(out.filter(booking__end__gte=now, booking__end__lte=last)),
        overdue=list(loans_for_counter(overdue_at=now)),
        bookings=list(bookings),
        occurrences=occurrences_in_window(start=first, end=last),
        walk_ins=list(walk_ins),
        waiting_rooms=rooms_waiting(now=now).count(),
        waiting_hours=hours_waiting().count(),
        waiting_plots=applications_waiting().count(),
    )


# --- approvals --------------------------------------------------------------------------------


def rooms_waiting(*, now: datetime) -> QuerySet[Booking]:
    """Requested bookings (rooms and whatever needs approval) that have not ended."""
    return (
        Booking.objects.filter(status=BookingStatus.REQUESTED, end__gt=now)
        .select_related("resource", "unit", "member")
        .order_by("start", "pk")
    )


def hours_waiting() -> QuerySet[HoursEntry]:
    return (
        HoursEntry.objects.filter(status=HoursStatus.PENDING)
        .select_related("member")
        .order_by("day", "pk")
    )


def applications_waiting() -> QuerySet[PlotApplication]:
    """Plot applications on the waiting list, by season, then priority, then first come."""
    return (
        PlotApplication.objects.filter(status=ApplicationStatus.WAITING)
        .select_related("season", "member")
        .order_by("season__starts_on", "season_id", "-priority", "created_at", "pk")
    )


@dataclass(frozen=True)
class SeasonWaiting:
    season: Season
    applications: list[PlotApplication]
    free_plots: list[MapPlot]


def plots_to_allocate() -> list[SeasonWaiting]:
    """Each season with waiting applications, and its plots with a share still free. One query
    for the applications, two per season with applications (usually one season)."""
    seasons: dict[int, SeasonWaiting] = {}
    for application in applications_waiting():
        if application.season_id not in seasons:
            free = [p for p in garden_map(season=application.season) if p.free]
            seasons[application.season_id] = SeasonWaiting(application.season, [], free)
        seasons[application.season_id].applications.append(application)
    return list(seasons.values())


# --- members ----------------------------------------------------------------------------------


def members_found(*, query: str) -> QuerySet[User]:
    """Members by part of their name or phone, or their exact username; at most a page."""
    query = query.strip()
    if not query:
        return User.objects.none()
    return User.objects.filter(member_match(query), is_active=True).order_by("display_name", "pk")[
        :MEMBERS_FOUND
    ]


# --- signing up on behalf of a member ---------------------------------------------------------

SIGNUP_DAYS = 7  # how many days the on-behalf sign-up lists from the day chosen


def occurrences_to_sign_up(*, day: date, now: datetime) -> list[OccurrenceView]:
    """Sessions and shifts of ``SIGNUP_DAYS`` days from ``day`` on that have not ended and are
    not cancelled, soonest first; a fixed number of queries."""
    start = max(local_midnight(day), now)
    end = local_midnight(day + timedelta(days=SIGNUP_DAYS))
    if start >= end:
        return []
    found = occurrences_in_window(start=start, end=end)
    return sorted(
        (o for o in found if not o.cancelled and o.end > now),
        key=lambda o: (o.start, o.activity.event.title, o.activity.pk),
    )
