"""Plots by season: waiting list, priority, offers with a deadline, renewal, the plot limit."""

from datetime import date, datetime, timedelta

import pytest

from accounts.models import User
from garden import errors
from garden.models import ApplicationStatus, Plot, PlotApplication, Season
from garden.services.plots import (
    application_prioritise,
    plot_allocate,
    plot_offer,
    plot_offer_accept,
    plot_offer_decline,
    plot_offers_expire,
    plot_renew,
    season_apply,
    waiting_list,
)
from scheduling.models import Booking, Notification
from tests.conftest import BERLIN
from tests.factories import MemberFactory, resource_create

pytestmark = pytest.mark.django_db

MARCH = datetime(2026, 2, 10, 9, 0, tzinfo=BERLIN)


def plot(number: int, households: int = 1) -> Plot:
    resource = resource_create(name=f"Beet {number}", kind="plot", units=households)
    return Plot.objects.create(resource=resource, number=number, size_m2=12, x=number, y=1)


@pytest.fixture
def season() -> Season:
    return Season.objects.create(
        name="Saison 2026", starts_on=date(2026, 3, 1), ends_on=date(2026, 10, 31), offer_days=7
    )


def apply(season: Season, member: User | None = None, *, at: datetime = MARCH) -> PlotApplication:
    member = member or MemberFactory()
    return season_apply(season=season, member=member, actor=member, now=at)


def test_applications_wait_first_come_first_served(season: Season) -> None:
    first = apply(season, at=MARCH)
    second = apply(season, at=MARCH + timedelta(hours=1))

    assert waiting_list(season) == [first, second]


def test_a_coordinator_puts_a_family_without_garden_first(
    season: Season, coordinator: User
) -> None:
    first = apply(season, at=MARCH)
    family = apply(season, at=MARCH + timedelta(days=3))

    application_prioritise(
        application=family, priority=10, reason="Familie ohne Garten", actor=coordinator, now=MARCH
    )

    assert waiting_list(season) == [family, first]


def test_nobody_applies_twice_for_a_season(season: Season, resident: User) -> None:
    apply(season, resident)

    with pytest.raises(errors.AlreadyApplied):
        apply(season, resident)


def test_closed_applications_are_refused(season: Season, resident: User) -> None:
    season.applications_open = False
    season.save()

    with pytest.raises(errors.ApplicationsClosed):
        apply(season, resident)


def test_a_coordinator_allocates_a_plot_for_the_whole_season(
    season: Season, coordinator: User
) -> None:
    application = apply(season)
    bed = plot(1)

    booking = plot_allocate(application=application, plot=bed, actor=coordinator, now=MARCH)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.ALLOCATED
    assert booking.start.astimezone(BERLIN).date() == date(2026, 3, 1)
    assert booking.end.astimezone(BERLIN).date() == date(2026, 11, 1)
    assert Notification.objects.get(kind="plot_allocated").member == application.member


def test_a_plot_is_not_allocated_twice(season: Season, coordinator: User) -> None:
    bed = plot(1)
    plot_allocate(application=apply(season), plot=bed, actor=coordinator, now=MARCH)

    with pytest.raises(errors.PlotTaken):
        plot_allocate(application=apply(season), plot=bed, actor=coordinator, now=MARCH)


def test_a_shared_bed_takes_one_household_per_share(season: Season, coordinator: User) -> None:
    shared = plot(2, households=2)
    plot_allocate(application=apply(season), plot=shared, actor=coordinator, now=MARCH)
    plot_allocate(application=apply(season), plot=shared, actor=coordinator, now=MARCH)

    with pytest.raises(errors.PlotTaken):
        plot_allocate(application=apply(season), plot=shared, actor=coordinator, now=MARCH)


def test_a_member_holds_at_most_the_plots_the_season_allows(
    season: Season, coordinator: User, resident: User
) -> None:
    plot_allocate(application=apply(season, resident), plot=plot(1), actor=coordinator, now=MARCH)
    second = apply(season, resident)

    with pytest.raises(errors.PlotLimitReached) as refusal:
        plot_allocate(application=second, plot=plot(2), actor=coordinator, now=MARCH)

    assert refusal.value.fields == {"max_plots": 1}


def test_an_offer_is_accepted_within_its_deadline(season: Season, coordinator: User) -> None:
    application = apply(season)
    bed = plot(3)
    plot_offer(application=application, plot=bed, actor=coordinator, now=MARCH)

    booking = plot_offer_accept(
        application=application, actor=application.member, now=MARCH + timedelta(days=6)
    )

    assert booking.member == application.member
    assert booking.created_by is None, "placed by the garden's rules, not a person's booking"


def test_an_expired_offer_lapses_and_the_plot_goes_to_the_next(
    season: Season, coordinator: User
) -> None:
    first = apply(season, at=MARCH)
    second = apply(season, at=MARCH + timedelta(hours=2))
    bed = plot(3)
    plot_offer(application=first, plot=bed, actor=coordinator, now=MARCH)

    assert plot_offers_expire(now=MARCH + timedelta(days=7) - timedelta(seconds=1)) == 0
    assert plot_offers_expire(now=MARCH + timedelta(days=7)) == 1

    first.refresh_from_db()
    assert first.status == ApplicationStatus.EXPIRED
    with pytest.raises(errors.NotOffered):
        plot_offer_accept(application=first, actor=first.member, now=MARCH + timedelta(days=7))
    plot_offer(application=second, plot=bed, actor=coordinator, now=MARCH + timedelta(days=7))
    assert (
        plot_offer_accept(
            application=second, actor=second.member, now=MARCH + timedelta(days=8)
        ).member
        == second.member
    )


def test_a_declined_offer_frees_the_plot(season: Season, coordinator: User) -> None:
    application = apply(season)
    plot_offer(application=application, plot=plot(4), actor=coordinator, now=MARCH)

    plot_offer_decline(application=application, actor=application.member, now=MARCH)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED


@pytest.fixture
def next_season(season: Season) -> Season:
    return Season.objects.create(
        name="Saison 2027",
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 10, 31),
        renewal_until=datetime(2027, 1, 31, tzinfo=BERLIN),
    )


def test_last_seasons_holder_renews_before_the_others(
    season: Season, next_season: Season, coordinator: User
) -> None:
    bed = plot(5)
    holder = plot_allocate(application=apply(season), plot=bed, actor=coordinator, now=MARCH).member
    newcomer = apply(next_season, at=datetime(2026, 11, 1, tzinfo=BERLIN))

    with pytest.raises(errors.KeptForRenewal):
        plot_offer(
            application=newcomer,
            plot=bed,
            actor=coordinator,
            now=datetime(2026, 12, 1, tzinfo=BERLIN),
        )
    renewed = plot_renew(
        plot=bed,
        season=next_season,
        member=holder,
        actor=holder,
        now=datetime(2027, 1, 10, tzinfo=BERLIN),
    )

    assert renewed.member == holder
    assert renewed.start.astimezone(BERLIN).date() == date(2027, 3, 1)


def test_after_the_renewal_deadline_the_plot_is_open_to_others(
    season: Season, next_season: Season, coordinator: User
) -> None:
    bed = plot(6)
    holder = plot_allocate(application=apply(season), plot=bed, actor=coordinator, now=MARCH).member
    newcomer = apply(next_season, at=datetime(2026, 11, 1, tzinfo=BERLIN))
    after = datetime(2027, 2, 1, tzinfo=BERLIN)

    with pytest.raises(errors.RenewalClosed):
        plot_renew(plot=bed, season=next_season, member=holder, actor=holder, now=after)
    plot_offer(application=newcomer, plot=bed, actor=coordinator, now=after)
    assert plot_offer_accept(application=newcomer, actor=newcomer.member, now=after)


def test_only_last_seasons_holder_may_renew(
    season: Season, next_season: Season, resident: User
) -> None:
    with pytest.raises(errors.NotAHolder):
        plot_renew(
            plot=plot(7),
            season=next_season,
            member=resident,
            actor=resident,
            now=datetime(2027, 1, 10, tzinfo=BERLIN),
        )


def test_residents_cannot_allocate(season: Season, resident: User) -> None:
    from scheduling import errors as engine_errors

    with pytest.raises(engine_errors.NotYourBooking):
        plot_allocate(application=apply(season), plot=plot(8), actor=resident, now=MARCH)


def test_the_allocation_is_a_booking_the_engine_protects(season: Season, coordinator: User) -> None:
    bed = plot(9)
    plot_allocate(application=apply(season), plot=bed, actor=coordinator, now=MARCH)

    assert Booking.objects.filter(resource=bed.resource).count() == 1


def test_the_last_share_of_a_plot_is_not_offered_twice(season: Season, coordinator: User) -> None:
    bed = plot(10)
    plot_offer(application=apply(season), plot=bed, actor=coordinator, now=MARCH)

    with pytest.raises(errors.PlotTaken):
        plot_offer(application=apply(season), plot=bed, actor=coordinator, now=MARCH)


def test_an_expired_offer_names_the_plot_by_its_number(season: Season, coordinator: User) -> None:
    application = apply(season)
    plot_offer(application=application, plot=plot(42), actor=coordinator, now=MARCH)

    plot_offers_expire(now=MARCH + timedelta(days=8))

    assert Notification.objects.get(kind="plot_offer_expired").payload["plot"] == 42


def test_the_periodic_task_lets_an_offer_lapse_when_its_week_is_over(
    season: Season, coordinator: User
) -> None:
    import time_machine

    from garden.tasks import expire_plot_offers

    application = apply(season)
    plot_offer(application=application, plot=plot(11), actor=coordinator, now=MARCH)

    with time_machine.travel(MARCH + timedelta(days=6, hours=23), tick=False):
        assert expire_plot_offers() == 0
    with time_machine.travel(MARCH + timedelta(days=7, minutes=1), tick=False):
        assert expire_plot_offers() == 1

    application.refresh_from_db()
    assert application.status == ApplicationStatus.EXPIRED
