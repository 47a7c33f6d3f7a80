from datetime import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import User
from scheduling.models import Booking, Resource
from tests.factories import MemberFactory, resource_create
from tests.scheduling.conftest import TUESDAY, at, book

pytestmark = pytest.mark.django_db

BOOKINGS = "/api/v1/bookings/"
SLOT = {"start": "2026-05-12T16:00:00+02:00", "end": "2026-05-12T18:00:00+02:00"}


@pytest.fixture(autouse=True)
def _monday() -> object:
    with time_machine.travel(datetime(2026, 5, 11, 9, 0, tzinfo=TUESDAY.tzinfo), tick=False):
        yield


def as_member(member: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(member)
    return client


def test_a_resident_books_through_the_api(resident_api: APIClient, bench: Resource) -> None:
    response = resident_api.post(BOOKINGS, {"resource": bench.pk, **SLOT})

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["start"], body["resource_name"]) == (
        "confirmed",
        SLOT["start"],
        "Hobelbank",
    )


def test_a_taken_slot_answers_409_conflict(resident_api: APIClient, bench: Resource) -> None:
    book(bench, MemberFactory(), at(16), at(18))

    response = resident_api.post(BOOKINGS, {"resource": bench.pk, **SLOT})

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert response.json()["detail"] == "Diese Zeit ist schon gebucht; keine Einheit ist frei."


@pytest.mark.parametrize(
    ("slot", "code"),
    [
        (
            {"start": "2026-05-12T10:00:00+02:00", "end": "2026-05-12T11:00:00+02:00"},
            "outside_opening_hours",
        ),
        ({"start": "2026-05-12T16:00:00+02:00", "end": "2026-05-12T20:30:00+02:00"}, "too_long"),
        ({"start": "2026-05-12T16:10:00+02:00", "end": "2026-05-12T17:00:00+02:00"}, "not_aligned"),
        (
            {"start": "2026-05-12T18:00:00+02:00", "end": "2026-05-12T16:00:00+02:00"},
            "invalid_range",
        ),
    ],
)
def test_each_refusal_has_its_code(
    resident_api: APIClient, bench: Resource, slot: dict[str, str], code: str
) -> None:
    response = resident_api.post(BOOKINGS, {"resource": bench.pk, **slot})

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not Booking.objects.exists()


def test_an_unknown_resource_is_a_400_naming_the_field(resident_api: APIClient) -> None:
    response = resident_api.post(BOOKINGS, {"resource": 999999, **SLOT})

    assert response.status_code == 400
    assert "resource" in response.json()["fields"]


def test_residents_see_only_their_own_bookings(bench: Resource, resident: User) -> None:
    mine = book(bench, resident, at(16), at(17))
    book(bench, MemberFactory(), at(18), at(19))

    response = as_member(resident).get(BOOKINGS)

    assert [b["id"] for b in response.json()["results"]] == [mine.pk]


def test_someone_elses_booking_is_404(bench: Resource, resident: User) -> None:
    other = book(bench, MemberFactory(), at(16), at(17))

    client = as_member(resident)
    assert client.get(f"{BOOKINGS}{other.pk}/").status_code == 404
    assert client.post(f"{BOOKINGS}{other.pk}/cancel/").status_code == 404


def test_a_coordinator_sees_all_and_filters_by_member(
    bench: Resource, resident: User, coordinator: User
) -> None:
    book(bench, resident, at(16), at(17))
    book(bench, MemberFactory(), at(18), at(19))

    client = as_member(coordinator)
    everything = client.get(BOOKINGS).json()
    filtered = client.get(BOOKINGS, {"member": resident.pk}).json()

    assert everything["count"] == 2
    assert [b["member"] for b in filtered["results"]] == [resident.pk]


def test_a_coordinator_filters_by_window_and_status(
    bench: Resource, resident: User, coordinator: User
) -> None:
    book(bench, resident, at(16), at(17))
    thursday = TUESDAY.replace(day=14)
    book(bench, resident, at(16, day=thursday), at(17, day=thursday))

    response = as_member(coordinator).get(
        BOOKINGS,
        {
            "start": "2026-05-13T00:00:00+02:00",
            "end": "2026-05-15T00:00:00+02:00",
            "status": "confirmed",
        },
    )

    assert response.json()["count"] == 1


def test_a_coordinator_books_for_a_member(
    coordinator: User, resident: User, bench: Resource
) -> None:
    response = as_member(coordinator).post(
        BOOKINGS, {"resource": bench.pk, "member": resident.pk, **SLOT}
    )

    assert response.status_code == 201
    assert response.json()["member"] == resident.pk


def test_a_resident_booking_for_someone_else_is_403(
    resident_api: APIClient, bench: Resource
) -> None:
    response = resident_api.post(
        BOOKINGS, {"resource": bench.pk, "member": MemberFactory().pk, **SLOT}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_cancel_through_the_api(resident_api: APIClient, bench: Resource, resident: User) -> None:
    booking = book(bench, resident, at(16), at(17))

    response = resident_api.post(f"{BOOKINGS}{booking.pk}/cancel/", {"reason": "krank"})

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_a_resident_cannot_mark_a_no_show(bench: Resource, resident: User) -> None:
    booking = book(bench, resident, at(16), at(17))

    response = as_member(resident).post(f"{BOOKINGS}{booking.pk}/no-show/")

    assert response.status_code == 403


def test_the_waitlist_through_the_api(bench: Resource, resident: User) -> None:
    taken = book(bench, MemberFactory(), at(16), at(18))
    client = as_member(resident)

    joined = client.post("/api/v1/waitlist/", {"resource": bench.pk, **SLOT})
    as_member(taken.member).post(f"{BOOKINGS}{taken.pk}/cancel/")
    entry = client.get(f"/api/v1/waitlist/{joined.json()['id']}/").json()
    accepted = client.post(f"/api/v1/waitlist/{entry['id']}/accept/")

    assert joined.status_code == 201
    assert entry["status"] == "offered"
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "confirmed"


def test_resources_are_listed_by_kind(api: APIClient, bench: Resource) -> None:
    resource_create(name="Akkuschrauber", kind="tool", units=3)

    tools = api.get("/api/v1/resources/", {"kind": "tool"}).json()

    assert [(r["name"], r["units"]) for r in tools["results"]] == [("Akkuschrauber", 3)]
    assert tools["results"][0]["rules"]["slot_minutes"] == 30
