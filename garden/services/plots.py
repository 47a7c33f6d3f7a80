"""Plots by season: applications form a waiting list (priority, then first come); a
coordinator allocates directly or sends an offer with a deadline; last season's holders may
renew before anybody else gets their plot; nobody holds more plots than the season allows.

An allocation is a booking of one unit of the plot's resource for the whole season, so the
engine's exclusion constraint refuses a double allocation whatever the timing.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction

from accounts.models import User
from garden import errors
from garden.models import ApplicationStatus, Plot, PlotApplication, Season
from scheduling import errors as engine_errors
from scheduling.models import OCCUPYING_STATUSES, Booking, BookingStatus
from scheduling.services.access import require_coordinator, require_self_or_coordinator
from scheduling.services.bookings import BookingRequest, booking_cancel, lock_resource, place
from scheduling.services.records import audit, notify

OPEN = (ApplicationStatus.WAITING, ApplicationStatus.OFFERED)


def season_span(season: Season) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return (
        datetime.combine(season.starts_on, time(), zone),
        datetime.combine(season.ends_on + timedelta(days=1), time(), zone),
    )


def plots_held(*, member: User, season: Season) -> int:
    start, end = season_span(season)
    return Booking.objects.filter(
        member=member,
        resource__kind="plot",
        status__in=OCCUPYING_STATUSES,
        start__lt=end,
        end__gt=start,
    ).count()


@transaction.atomic
def season_apply(
    *, season: Season, member: User, actor: User, now: datetime, wishes: str = ""
) -> PlotApplication:
    require_self_or_coordinator(actor, member.pk)
    if not season.applications_open:
        raise errors.ApplicationsClosed()
    if PlotApplication.objects.filter(season=season, member=member, status__in=OPEN).exists():
        raise errors.AlreadyApplied()
    try:
        with transaction.atomic():
            application = PlotApplication.objects.create(
                season=season, member=member, wishes=wishes, created_at=now
            )
    except IntegrityError as exc:  # a second application at the same moment
        raise errors.AlreadyApplied() from exc
    audit(at=now, actor=actor, action="plot_applied", application=application.pk)
    return application


@transaction.atomic
def application_prioritise(
    *, application: PlotApplication, priority: int, reason: str, actor: User, now: datetime
) -> PlotApplication:
    require_coordinator(actor)
    application.priority = priority
    application.priority_reason = reason
    application.save(update_fields=["priority", "priority_reason"])
    audit(
        at=now, actor=actor, action="plot_priority", application=application.pk, priority=priority
    )
    return application


def waiting_list(season: Season) -> list[PlotApplication]:
    return list(
        PlotApplication.objects.select_related("member")
        .filter(season=season, status=ApplicationStatus.WAITING)
        .order_by("-priority", "created_at", "pk")
    )


def _allocate(
    *, plot: Plot, member: User, season: Season, actor: User | None, now: datetime
) -> Booking:
    if plots_held(member=member, season=season) >= season.max_plots_per_member:
        raise errors.PlotLimitReached(fields={"max_plots": season.max_plots_per_member})
    start, end = season_span(season)
    # The garden's own rules apply (seasons, limits, renewal); the engine only places the
    # booking, and its exclusion constraint refuses a double allocation.
    try:
        booking = place(
            BookingRequest(
                resource=plot.resource, member=member, start=start, end=end, note=str(season)
            ),
            status=BookingStatus.CONFIRMED,
            actor=actor,
            now=now,
        )
    except engine_errors.SlotTaken as exc:
        raise errors.PlotTaken() from exc
    audit(at=now, actor=actor, action="created", booking=booking, to_status=booking.status)
    return booking


@transaction.atomic
def plot_allocate(
    *, application: PlotApplication, plot: Plot, actor: User, now: datetime
) -> Booking:
    """A coordinator gives a plot to an applicant right away."""
    require_coordinator(actor)
    application = PlotApplication.objects.select_for_update().get(pk=application.pk)
    if application.status not in OPEN:
        raise errors.NotOffered()
    _check_not_kept_for_renewal(plot, application, now=now)
    booking = _allocate(
        plot=plot, member=application.member, season=application.season, actor=actor, now=now
    )
    _settle(application, booking, now=now)
    notify(
        member_id=application.member_id,
        kind="plot_allocated",
        now=now,
        booking=booking,
        plot=plot.number,
    )
    return booking


def _settle(application: PlotApplication, booking: Booking, *, now: datetime) -> None:
    application.status = ApplicationStatus.ALLOCATED
    application.allocation = booking
    application.offer_expires_at = None
    application.save(update_fields=["status", "allocation", "offer_expires_at"])
    audit(at=now, actor=None, action="plot_allocated", booking=booking, application=application.pk)


@transaction.atomic
def plot_offer(
    *, application: PlotApplication, plot: Plot, actor: User, now: datetime
) -> PlotApplication:
    """Offer a plot to an applicant, who has ``offer_days`` to accept."""
    require_coordinator(actor)
    application = PlotApplication.objects.select_for_update().get(pk=application.pk)
    if application.status != ApplicationStatus.WAITING:
        raise errors.NotOffered()
    _check_not_kept_for_renewal(plot, application, now=now)
    start, end = season_span(application.season)
    # Lock the plot's resource: two offers of its last share cannot cross.
    lock_resource(plot.resource_id)
    allocated = Booking.objects.filter(
        resource=plot.resource, status__in=OCCUPYING_STATUSES, start__lt=end, end__gt=start
    ).count()
    offered = PlotApplication.objects.filter(
        season=application.season, offered_plot=plot, status=ApplicationStatus.OFFERED
    ).count()
    if allocated + offered >= plot.resource.units.filter(is_active=True).count():
        raise errors.PlotTaken()
    application.status = ApplicationStatus.OFFERED
    application.offered_plot = plot
    application.offer_expires_at = now + timedelta(days=application.season.offer_days)
    application.save(update_fields=["status", "offered_plot", "offer_expires_at"])
    notify(
        member_id=application.member_id,
        kind="plot_offer",
        now=now,
        plot=plot.number,
        expires_at=application.offer_expires_at.isoformat(),
    )
    audit(at=now, actor=actor, action="plot_offered", application=application.pk, plot=plot.pk)
    return application


@transaction.atomic
def plot_offer_accept(*, application: PlotApplication, actor: User, now: datetime) -> Booking:
    application = (
        PlotApplication.objects.select_for_update(of=("self",))
        .select_related("offered_plot__resource", "season", "member")
        .get(pk=application.pk)
    )
    require_self_or_coordinator(actor, application.member_id)
    if (
        application.status != ApplicationStatus.OFFERED
        or application.offered_plot is None
        or (application.offer_expires_at is not None and now >= application.offer_expires_at)
    ):
        raise errors.NotOffered()
    booking = _allocate(
        plot=application.offered_plot,
        member=application.member,
        season=application.season,
        actor=None,
        now=now,
    )
    _settle(application, booking, now=now)
    return booking


@transaction.atomic
def plot_offer_decline(*, application: PlotApplication, actor: User, now: datetime) -> None:
    application = PlotApplication.objects.select_for_update().get(pk=application.pk)
    require_self_or_coordinator(actor, application.member_id)
    if application.status != ApplicationStatus.OFFERED:
        raise errors.NotOffered()
    _close(application, ApplicationStatus.DECLINED, now=now)


def _close(application: PlotApplication, status: str, *, now: datetime) -> None:
    application.status = status
    application.offer_expires_at = None
    application.save(update_fields=["status", "offer_expires_at"])
    audit(at=now, actor=None, action=f"plot_{status}", application=application.pk)


@transaction.atomic
def plot_offers_expire(*, now: datetime) -> int:
    """Offers not accepted in time lapse; the plot is free to be offered to the next in line."""
    due = (
        PlotApplication.objects.select_for_update(of=("self",))
        .select_related("offered_plot")
        .filter(status=ApplicationStatus.OFFERED, offer_expires_at__lte=now)
    )
    count = 0
    for application in due:
        notify(
            member_id=application.member_id,
            kind="plot_offer_expired",
            now=now,
            plot=application.offered_plot.number if application.offered_plot else None,
        )
        _close(application, ApplicationStatus.EXPIRED, now=now)
        count += 1
    return count


@transaction.atomic
def plot_renew(*, plot: Plot, season: Season, member: User, actor: User, now: datetime) -> Booking:
    """Last season's holder keeps the plot for ``season`` if they ask before the deadline."""
    require_self_or_coordinator(actor, member.pk)
    if season.renewal_until is None or now >= season.renewal_until:
        raise errors.RenewalClosed()
    if member.pk not in last_holders(plot=plot, season=season):
        raise errors.NotAHolder()
    booking = _allocate(plot=plot, member=member, season=season, actor=None, now=now)
    audit(at=now, actor=actor, action="plot_renewed", booking=booking, plot=plot.pk)
    open_application = PlotApplication.objects.filter(
        season=season, member=member, status__in=OPEN
    ).first()
    if open_application is not None:
        _settle(open_application, booking, now=now)
    return booking


def last_holders(*, plot: Plot, season: Season) -> set[int]:
    """Members who held ``plot`` in the season before ``season``."""
    previous = Season.objects.filter(ends_on__lt=season.starts_on).order_by("-ends_on").first()
    if previous is None:
        return set()
    start, end = season_span(previous)
    return set(
        Booking.objects.filter(
            resource=plot.resource, start__lt=end, end__gt=start, status__in=OCCUPYING_STATUSES
        ).values_list("member_id", flat=True)
    )


def _check_not_kept_for_renewal(plot: Plot, application: PlotApplication, *, now: datetime) -> None:
    """Until the renewal deadline, a plot held last season is kept for its holders."""
    season = application.season
    if season.renewal_until is None or now >= season.renewal_until:
        return
    holders = last_holders(plot=plot, season=season)
    if holders and application.member_id not in holders:
        raise errors.KeptForRenewal(fields={"renewal_until": season.renewal_until.isoformat()})


@transaction.atomic
def plot_give_up(*, booking: Booking, actor: User, now: datetime) -> None:
    booking_cancel(booking=booking, actor=actor, now=now, reason="plot given up")
