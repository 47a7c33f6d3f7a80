"""Plots through the API: the public map, applications, offers, the waiting list, renewal."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import User
from garden.models import ApplicationStatus, Plot, PlotApplication, Season
from garden.services.plots import plot_allocate, plot_offer, season_apply
from garden.tasks import expire_plot_offers
from scheduling.models import Booking
from tests.conftest import BERLIN
from tests.factories import MemberFactory, resource_create

pytestmark = pytest.mark.django_db

FEBRUARY = datetime(2026, 2, 10, 9, 0, tzinfo=BERLIN)
PLOTS = "/api/v1/plots/"
APPLICATIONS = "/api/v1/plot-applications/"


@pytest.fixture(autouse=True)
def _february() -> Iterator[None]:
    with time_machine.travel(FEBRUARY, tick=False):
        yield


def as_member(member: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(member)
    return client


def plot(number: int, households: int = 1, **details: object) -> Plot:
    resource = resource_create(name=f"Beet {number}", kind="plot", units=households)
    return Plot.objects.create(
        resource=resource, number=number, size_m2=12, x=number, y=1, **details
    )


@pytest.fixture
def season() -> Season:
    return Season.objects.create(
        name="Saison 2026", starts_on=date(2026, 3, 1), ends_on=date(2026, 10, 31), offer_days=7
    )


def apply(
    season: Season, member: User | None = None, *, at: datetime = FEBRUARY
) -> PlotApplication:
    member = member or MemberFactory()
    return season_apply(season=season, member=member, actor=member, now=at)


@pytest.fixture
def coordinator_api(coordinator: User) -> APIClient:
    return as_member(coordinator)


def test_the_plot_map_is_public_and_counts_free_households_without_names(
    api: APIClient, season: Season, coordinator: User
) -> None:
    shared = plot(1, households=3, sun="partial", raised_bed=True)
    plot(2)
    holder = MemberFactory(display_name="Olena Kovalenko")
    plot_allocate(application=apply(season, holder), plot=shared, actor=coordinator, now=FEBRUARY)

    response = api.get(PLOTS, {"season": season.pk})

    assert response.status_code == 200
    first, second = response.json()["results"]
    assert (first["number"], first["households"], first["free_households"]) == (1, 3, 2)
    assert (first["sun"], first["raised_bed"], first["size_m2"]) == ("partial", True, "12.0")
    assert {"x", "y", "width", "height", "water_access"} <= first.keys()
    assert (second["households"], second["free_households"]) == (1, 1)
    assert b"Olena" not in response.content


def test_one_plot_tells_its_free_households_too(
    api: APIClient, season: Season, coordinator: User
) -> None:
    shared = plot(1, households=2)
    plot_allocate(application=apply(season), plot=shared, actor=coordinator, now=FEBRUARY)

    response = api.get(f"{PLOTS}{shared.pk}/", {"season": season.pk})

    assert (response.json()["households"], response.json()["free_households"]) == (2, 1)


def test_without_a_season_the_free_households_are_not_told(api: APIClient) -> None:
    plot(1, households=2)

    [only] = api.get(PLOTS).json()["results"]

    assert (only["households"], only["free_households"]) == (2, None)


def test_an_unknown_season_is_a_400_naming_the_field(api: APIClient) -> None:
    response = api.get(PLOTS, {"season": 999})

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_reference"
    assert "season" in response.json()["fields"]


def test_the_seasons_are_public(api: APIClient, season: Season) -> None:
    [listed] = api.get("/api/v1/seasons/").json()["results"]

    assert (listed["name"], listed["starts_on"], listed["offer_days"]) == (
        "Saison 2026",
        "2026-03-01",
        7,
    )


def test_a_resident_applies_and_sees_only_their_own_applications(
    resident_api: APIClient, resident: User, season: Season
) -> None:
    apply(season)  # somebody else's

    created = resident_api.post(APPLICATIONS, {"season": season.pk, "wishes": "Hochbeet"})
    listed = resident_api.get(APPLICATIONS).json()["results"]

    assert created.status_code == 201
    assert (created.json()["status"], created.json()["wishes"]) == ("waiting", "Hochbeet")
    assert [a["member"] for a in listed] == [resident.pk]


def test_applying_twice_is_a_409(resident_api: APIClient, season: Season) -> None:
    resident_api.post(APPLICATIONS, {"season": season.pk})

    response = resident_api.post(APPLICATIONS, {"season": season.pk})

    assert response.status_code == 409
    assert response.json()["code"] == "already_applied"


def test_closed_applications_are_a_400(resident_api: APIClient, season: Season) -> None:
    season.applications_open = False
    season.save()

    response = resident_api.post(APPLICATIONS, {"season": season.pk})

    assert (response.status_code, response.json()["code"]) == (400, "applications_closed")


def test_a_resident_cannot_apply_for_someone_else(resident_api: APIClient, season: Season) -> None:
    response = resident_api.post(APPLICATIONS, {"season": season.pk, "member": MemberFactory().pk})

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_a_coordinator_applies_for_a_walk_in_resident(
    coordinator_api: APIClient, season: Season
) -> None:
    walk_in = MemberFactory(username=None, display_name="Amina Yusuf")

    response = coordinator_api.post(APPLICATIONS, {"season": season.pk, "member": walk_in.pk})

    assert response.status_code == 201
    assert (response.json()["member"], response.json()["member_name"]) == (
        walk_in.pk,
        "Amina Yusuf",
    )


def test_anonymous_visitors_cannot_apply(api: APIClient, season: Season) -> None:
    assert api.post(APPLICATIONS, {"season": season.pk}).status_code == 401


def test_a_coordinator_offers_a_plot_and_the_applicant_accepts(
    coordinator_api: APIClient, resident: User, resident_api: APIClient, season: Season
) -> None:
    application = apply(season, resident)
    bed = plot(3)

    offered = coordinator_api.post(f"{APPLICATIONS}{application.pk}/offer/", {"plot": bed.pk})
    seen = resident_api.get(f"{APPLICATIONS}{application.pk}/").json()
    accepted = resident_api.post(f"{APPLICATIONS}{application.pk}/accept/")

    assert offered.status_code == 200
    assert (seen["status"], seen["offered_plot_number"]) == ("offered", 3)
    assert datetime.fromisoformat(seen["offer_expires_at"]) == FEBRUARY + timedelta(days=7)
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "allocated"
    booking = Booking.objects.get(pk=accepted.json()["allocation"])
    assert (booking.member, booking.resource) == (resident, bed.resource)


def test_the_applicant_declines_an_offer(
    resident: User, resident_api: APIClient, season: Season, coordinator: User
) -> None:
    application = apply(season, resident)
    plot_offer(application=application, plot=plot(4), actor=coordinator, now=FEBRUARY)

    response = resident_api.post(f"{APPLICATIONS}{application.pk}/decline/")

    assert (response.status_code, response.json()["status"]) == (200, "declined")


def test_accepting_without_an_offer_is_a_409(
    resident: User, resident_api: APIClient, season: Season
) -> None:
    application = apply(season, resident)

    response = resident_api.post(f"{APPLICATIONS}{application.pk}/accept/")

    assert (response.status_code, response.json()["code"]) == (409, "not_offered")


def test_an_applicant_cannot_offer_or_allocate_a_plot_to_themselves(
    resident: User, resident_api: APIClient, season: Season
) -> None:
    application = apply(season, resident)
    bed = plot(5)

    for verb in ("offer", "allocate"):
        response = resident_api.post(f"{APPLICATIONS}{application.pk}/{verb}/", {"plot": bed.pk})
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert not Booking.objects.exists()


def test_someone_elses_application_is_not_found(
    resident_api: APIClient, season: Season, coordinator: User
) -> None:
    other = apply(season)
    plot_offer(application=other, plot=plot(6), actor=coordinator, now=FEBRUARY)

    assert resident_api.get(f"{APPLICATIONS}{other.pk}/").status_code == 404
    response = resident_api.post(f"{APPLICATIONS}{other.pk}/accept/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_coordinator_allocates_and_a_full_plot_is_a_409(
    coordinator_api: APIClient, season: Season
) -> None:
    bed = plot(7)
    first, second = apply(season), apply(season)

    allocated = coordinator_api.post(f"{APPLICATIONS}{first.pk}/allocate/", {"plot": bed.pk})
    refused = coordinator_api.post(f"{APPLICATIONS}{second.pk}/allocate/", {"plot": bed.pk})

    assert (allocated.status_code, allocated.json()["status"]) == (200, "allocated")
    assert (refused.status_code, refused.json()["code"]) == (409, "plot_taken")


def test_an_unknown_plot_is_a_400_naming_the_field(
    coordinator_api: APIClient, season: Season
) -> None:
    application = apply(season)

    response = coordinator_api.post(f"{APPLICATIONS}{application.pk}/offer/", {"plot": 999})

    assert response.status_code == 400
    assert "plot" in response.json()["fields"]


def test_the_waiting_list_puts_priority_first_then_first_come(
    coordinator_api: APIClient, season: Season
) -> None:
    early = apply(season, at=FEBRUARY - timedelta(days=5))
    family = apply(season, at=FEBRUARY - timedelta(days=1))
    late = apply(season, at=FEBRUARY)

    prioritised = coordinator_api.post(
        f"{APPLICATIONS}{family.pk}/prioritise/",
        {"priority": 10, "reason": "Familie ohne Garten"},
    )
    waiting = coordinator_api.get(f"{APPLICATIONS}waiting-list/", {"season": season.pk})

    assert prioritised.json()["priority_reason"] == "Familie ohne Garten"
    assert waiting.status_code == 200
    assert [a["id"] for a in waiting.json()] == [family.pk, early.pk, late.pk]


def test_the_waiting_list_is_for_coordinators(resident_api: APIClient, season: Season) -> None:
    response = resident_api.get(f"{APPLICATIONS}waiting-list/", {"season": season.pk})

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_a_resident_cannot_prioritise_their_own_application(
    resident: User, resident_api: APIClient, season: Season
) -> None:
    application = apply(season, resident)

    response = resident_api.post(
        f"{APPLICATIONS}{application.pk}/prioritise/", {"priority": 99, "reason": "bitte"}
    )

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    application.refresh_from_db()
    assert application.priority == 0


def test_coordinators_filter_applications_by_season_and_status(
    coordinator_api: APIClient, season: Season, coordinator: User
) -> None:
    other_season = Season.objects.create(
        name="Saison 2027", starts_on=date(2027, 3, 1), ends_on=date(2027, 10, 31)
    )
    waiting = apply(season)
    plot_offer(application=apply(season), plot=plot(8), actor=coordinator, now=FEBRUARY)
    apply(other_season)

    response = coordinator_api.get(APPLICATIONS, {"season": str(season.pk), "status": "waiting"})

    assert [a["id"] for a in response.json()["results"]] == [waiting.pk]


def test_last_seasons_holder_renews_through_the_api(season: Season, coordinator: User) -> None:
    next_season = Season.objects.create(
        name="Saison 2027",
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 10, 31),
        renewal_until=datetime(2027, 1, 31, tzinfo=BERLIN),
    )
    bed = plot(9)
    holder = MemberFactory()
    plot_allocate(application=apply(season, holder), plot=bed, actor=coordinator, now=FEBRUARY)

    with time_machine.travel(datetime(2027, 1, 10, 12, 0, tzinfo=BERLIN), tick=False):
        stranger = as_member(MemberFactory()).post(
            f"{PLOTS}{bed.pk}/renew/", {"season": next_season.pk}
        )
        renewed = as_member(holder).post(f"{PLOTS}{bed.pk}/renew/", {"season": next_season.pk})

    assert (stranger.status_code, stranger.json()["code"]) == (403, "not_a_holder")
    assert renewed.status_code == 201
    assert renewed.json()["member"] == holder.pk
    assert datetime.fromisoformat(renewed.json()["start"]).astimezone(BERLIN).date() == date(
        2027, 3, 1
    )


def test_the_task_lets_offers_lapse(season: Season, coordinator: User) -> None:
    application = apply(season)
    plot_offer(application=application, plot=plot(10), actor=coordinator, now=FEBRUARY)

    with time_machine.travel(FEBRUARY + timedelta(days=7), tick=False):
        assert expire_plot_offers() == 1

    application.refresh_from_db()
    assert application.status == ApplicationStatus.EXPIRED
