"""Loans through the API: reservation, check-out, check-in, walk-ins, who sees what."""

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import member_create
from tests.conftest import BERLIN
from tests.factories import MemberFactory
from tests.werkhaus.conftest import MONDAY, as_member, lend, reserve, tool_type_create
from werkhaus.models import Loan, ToolType

pytestmark = pytest.mark.django_db

LOANS = "/api/v1/loans/"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _monday(clock: time_machine.Traveller) -> None:
    """Every test here starts on Monday morning; some move the clock on."""


@pytest.fixture
def loan(drills: ToolType, resident: User, coordinator: User) -> Loan:
    return lend(
        drills, resident, start=MONDAY - timedelta(hours=1), days=2, coordinator=coordinator
    )


def tool_entry(tool: ToolType) -> tuple[int, int]:
    body = APIClient().get(f"/api/v1/tools/{tool.pk}/").json()
    return body["free_now"], body["borrowed"]


def test_a_loan_goes_from_reservation_to_return(
    drills: ToolType,
    resident_api: APIClient,
    coordinator_api: APIClient,
    clock: time_machine.Traveller,
) -> None:
    reserved = resident_api.post(
        "/api/v1/bookings/",
        {
            "resource": drills.resource_id,
            "start": "2026-05-12T00:00:00+02:00",
            "end": "2026-05-15T00:00:00+02:00",
        },
    )
    assert reserved.status_code == 201
    clock.move_to(datetime(2026, 5, 12, 10, 0, tzinfo=BERLIN))

    out = coordinator_api.post(f"{LOANS}check-out/", {"booking": reserved.json()["id"]})

    assert out.status_code == 201
    loan = out.json()
    assert (loan["status"], loan["unit"], loan["deposit_taken"], loan["overdue"]) == (
        "checked_out",
        "AKK-01",
        "20.00",
        False,
    )
    assert tool_entry(drills) == (1, 1)
    clock.move_to(datetime(2026, 5, 13, 18, 0, tzinfo=BERLIN))

    back = coordinator_api.post(
        f"{LOANS}{loan['id']}/check-in/", {"condition": "worn", "deposit_kept": "5.00"}
    )

    assert back.status_code == 200
    returned = back.json()
    assert (returned["status"], returned["condition_in"]) == ("returned", "worn")
    assert (returned["deposit_kept"], returned["deposit_returned"]) == ("5.00", "15.00")
    assert returned["end"] == "2026-05-13T18:00:00+02:00"  # back early: the booking ends now
    assert tool_entry(drills) == (2, 0)
    mine = resident_api.get(f"{LOANS}{loan['id']}/").json()
    assert (mine["status"], mine["member_name"]) == ("returned", "Rana Haddad")


def test_a_resident_cannot_check_out_their_own_reservation(
    drills: ToolType, resident: User, resident_api: APIClient, coordinator: User
) -> None:
    booking = reserve(
        drills, resident, start=MONDAY - timedelta(hours=1), days=2, coordinator=coordinator
    )

    response = resident_api.post(f"{LOANS}check-out/", {"booking": booking.pk})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Loan.objects.exists()


def test_a_resident_cannot_check_in_their_own_loan(loan: Loan, resident_api: APIClient) -> None:
    response = resident_api.post(f"{LOANS}{loan.pk}/check-in/", {"condition": "good"})

    assert response.status_code == 403
    loan.refresh_from_db()
    assert loan.status == "checked_out"


def test_someone_elses_loan_is_a_404(loan: Loan) -> None:
    other = as_member(MemberFactory())

    assert other.get(f"{LOANS}{loan.pk}/").status_code == 404
    assert other.post(f"{LOANS}{loan.pk}/check-in/", {"condition": "good"}).status_code == 404


def test_residents_list_only_their_own_loans(
    loan: Loan, drills: ToolType, resident: User, coordinator: User
) -> None:
    neighbour = MemberFactory()
    lend(drills, neighbour, start=MONDAY - timedelta(hours=1), days=2, coordinator=coordinator)
    client = as_member(resident)

    assert [x["id"] for x in client.get(LOANS).json()["results"]] == [loan.pk]
    assert client.get(LOANS, {"member": neighbour.pk}).json()["results"] == []


def test_a_coordinator_lists_all_loans_and_filters_by_member(
    loan: Loan, drills: ToolType, resident: User, coordinator_api: APIClient, coordinator: User
) -> None:
    lend(
        drills, MemberFactory(), start=MONDAY - timedelta(hours=1), days=2, coordinator=coordinator
    )

    everything = coordinator_api.get(LOANS).json()
    filtered = coordinator_api.get(LOANS, {"member": resident.pk}).json()

    assert everything["count"] == 2
    assert [x["id"] for x in filtered["results"]] == [loan.pk]


def test_a_coordinator_lists_the_overdue_loans(
    drills: ToolType, resident: User, coordinator: User, coordinator_api: APIClient
) -> None:
    late = lend(drills, resident, start=MONDAY - timedelta(days=7), days=2, coordinator=coordinator)
    on_time = lend(
        drills, resident, start=MONDAY - timedelta(hours=1), days=2, coordinator=coordinator
    )

    overdue = coordinator_api.get(LOANS, {"overdue": "true"}).json()["results"]
    not_overdue = coordinator_api.get(LOANS, {"overdue": "false"}).json()["results"]

    assert [(x["id"], x["overdue"]) for x in overdue] == [(late.pk, True)]
    assert [(x["id"], x["overdue"]) for x in not_overdue] == [(on_time.pk, False)]


def test_a_walk_in_borrows_the_unit_in_hand_without_a_login(
    drills: ToolType, coordinator_api: APIClient
) -> None:
    neighbour = member_create(display_name="Herr Yılmaz")

    response = coordinator_api.post(
        f"{LOANS}walk-in/",
        {
            "tool": drills.pk,
            "member": neighbour.pk,
            "until": "2026-05-13T18:00:00+02:00",
            "unit": "AKK-02",
            "deposit": "10.00",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["member_name"], body["unit"], body["status"]) == (
        "Herr Yılmaz",
        "AKK-02",
        "checked_out",
    )
    assert (body["start"], body["deposit_taken"]) == ("2026-05-11T09:00:00+02:00", "10.00")
    assert tool_entry(drills) == (1, 1)


def test_a_walk_in_with_an_unknown_inventory_number_is_a_400(
    drills: ToolType, coordinator_api: APIClient
) -> None:
    tool_type_create("Bohrhammer")  # its BOH-01 is not a unit of the drills
    neighbour = member_create(display_name="Herr Yılmaz")

    response = coordinator_api.post(
        f"{LOANS}walk-in/",
        {
            "tool": drills.pk,
            "member": neighbour.pk,
            "until": "2026-05-13T18:00:00+02:00",
            "unit": "BOH-01",
        },
    )

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_inventory_number"
    assert "unit" in response.json()["fields"]
    assert not Loan.objects.exists()


def test_a_resident_cannot_lend_to_themselves_at_the_counter(
    drills: ToolType, resident: User, resident_api: APIClient
) -> None:
    response = resident_api.post(
        f"{LOANS}walk-in/",
        {"tool": drills.pk, "member": resident.pk, "until": "2026-05-13T18:00:00+02:00"},
    )

    assert response.status_code == 403
    assert not Loan.objects.exists()


def test_an_unknown_booking_is_a_400_naming_the_field(coordinator_api: APIClient) -> None:
    response = coordinator_api.post(f"{LOANS}check-out/", {"booking": 999999})

    assert response.status_code == 400
    assert "booking" in response.json()["fields"]


def test_keeping_more_deposit_than_taken_is_refused(loan: Loan, coordinator_api: APIClient) -> None:
    response = coordinator_api.post(
        f"{LOANS}{loan.pk}/check-in/", {"condition": "good", "deposit_kept": "25.00"}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "deposit_too_high"


def test_loans_need_a_login(api: APIClient, loan: Loan) -> None:
    assert api.get(LOANS).status_code == 401
