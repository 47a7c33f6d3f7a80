from datetime import date

import pytest
from django.test import Client

from garden.models import Plot, Season
from garden.services.plots import plot_allocate, season_apply
from tests.conftest import BERLIN
from tests.factories import MemberFactory, resource_create

pytestmark = pytest.mark.django_db


def test_the_map_draws_every_plot_and_shows_free_shares_without_names(
    client: Client, coordinator
) -> None:
    from datetime import datetime

    season = Season.objects.create(
        name="Saison 2026", starts_on=date(2026, 3, 1), ends_on=date(2026, 10, 31)
    )
    beds = []
    for number in (1, 2):
        resource = resource_create(name=f"Beet {number}", kind="plot", members_may_book=False)
        beds.append(
            Plot.objects.create(
                resource=resource, number=number, size_m2=10, x=number, y=0, raised_bed=number == 2
            )
        )
    holder = MemberFactory(display_name="Gisela Schröder")
    application = season_apply(
        season=season, member=holder, actor=holder, now=datetime(2026, 2, 1, tzinfo=BERLIN)
    )
    plot_allocate(
        application=application,
        plot=beds[0],
        actor=coordinator,
        now=datetime(2026, 2, 2, tzinfo=BERLIN),
    )

    page = client.get("/garten/karte/", {"season": season.pk}).content.decode()

    assert page.count('<g class="plot') == 2
    assert '<g class="plot taken">' in page
    assert '<g class="plot free">' in page
    assert "Gisela" not in page
    assert "Hochbeet" in page


def test_the_map_lists_plots_by_number(client: Client) -> None:
    from garden.selectors import garden_map

    for number in (3, 1, 4, 2):
        resource = resource_create(name=f"Beet {number}", kind="plot", members_may_book=False)
        Plot.objects.create(resource=resource, number=number, size_m2=10, x=number, y=0)

    assert [entry.plot.number for entry in garden_map(season=None)] == [1, 2, 3, 4]
