"""The garden map and the coordinators' honorarium page, in a real browser."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import User
from garden.models import HoursEntry, HoursSource, HoursStatus, Plot, Season
from garden.services.hours import rate_set
from garden.services.plots import plot_allocate, season_apply
from tests.browser.conftest import log_in
from tests.conftest import BERLIN
from tests.factories import PASSWORD, MemberFactory, resource_create

pytestmark = pytest.mark.browser

WINTER = datetime(2026, 2, 1, 10, 0, tzinfo=BERLIN)
JULY = datetime(2026, 7, 1, 9, 0, tzinfo=BERLIN)


@pytest.fixture
def coordinator(transactional_db: None) -> User:
    return MemberFactory(username="kim", display_name="Kim Koordination", coordinator=True)


@pytest.fixture
def garden(coordinator: User) -> Season:
    """Four plots in a row, one of them taken for the season."""
    season = Season.objects.create(
        name="Saison 2026", starts_on=date(2026, 3, 1), ends_on=date(2026, 10, 31)
    )
    plots = [
        Plot.objects.create(
            resource=resource_create(name=f"Beet {n}", kind="plot", members_may_book=False),
            number=n,
            size_m2=12,
            x=n - 1,
            y=0,
            raised_bed=n == 4,
        )
        for n in range(1, 5)
    ]
    holder = MemberFactory(display_name="Gisela Schröder")
    application = season_apply(season=season, member=holder, actor=holder, now=WINTER)
    plot_allocate(application=application, plot=plots[0], actor=coordinator, now=WINTER)
    return season


def test_the_garden_map_shows_free_and_taken_plots_without_names(page, check_page, garden) -> None:
    page.goto("/garten/karte/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Gartenplan")
    expect(page.locator("svg.garden-map g.plot")).to_have_count(4)
    expect(page.locator("svg.garden-map g.plot.taken")).to_have_count(1)
    expect(page.get_by_role("img", name="Plan des Gartens mit seinen Beeten")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Gisela")
    check_page(page, "garden-map")


@pytest.fixture
def june_hours(coordinator: User) -> None:
    """An honorary worker with two approved paid entries in June 2026 at 14.50 € an hour."""
    worker = MemberFactory(honorary_worker=True, display_name="Hakan Yıldız")
    rate_set(
        member=worker,
        valid_from=date(2026, 1, 1),
        euros=Decimal("14.50"),
        actor=coordinator,
        now=JULY,
    )
    for day, minutes, activity in ((3, 240, "Gießen"), (10, 100, "Kompost umsetzen")):
        HoursEntry.objects.create(
            member=worker,
            day=date(2026, 6, day),
            minutes=minutes,
            activity=activity,
            source=HoursSource.SHIFT,
            paid=True,
            status=HoursStatus.APPROVED,
            created_at=JULY,
        )


def test_the_honorarium_page_shows_a_coordinator_the_month_with_its_total(
    page, check_page, june_hours
) -> None:
    log_in(page, "kim", PASSWORD)
    page.goto("/garten/honorar/2026/6/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Honorar Juni 2026")
    expect(page.get_by_role("heading", level=2)).to_have_text("Hakan Yıldız")
    expect(page.locator(".grand-total .total")).to_have_text("82,17 €")
    expect(page.get_by_role("link", name="CSV")).to_be_visible()
    check_page(page, "garden-honorarium")
