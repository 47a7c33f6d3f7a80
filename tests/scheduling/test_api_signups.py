from datetime import datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import User
from scheduling.models import SignUp
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create

pytestmark = pytest.mark.django_db

SATURDAY = "2026-05-16T14:00:00+02:00"


@pytest.fixture(autouse=True)
def _monday() -> object:
    with time_machine.travel(datetime(2026, 5, 11, 9, 0, tzinfo=BERLIN), tick=False):
        yield


def as_member(member: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(member)
    return client


def test_occurrences_are_public_with_capacity_and_taken(api: APIClient) -> None:
    activity_create(places=6)

    response = api.get(
        "/api/v1/occurrences/",
        {
            "kind": "workshop",
            "start": "2026-05-11T00:00:00+02:00",
            "end": "2026-05-18T00:00:00+02:00",
        },
    )

    assert response.status_code == 200
    [saturday] = response.json()["results"]
    assert (saturday["start"], saturday["capacity"], saturday["taken"], saturday["state"]) == (
        SATURDAY,
        6,
        0,
        "open",
    )
    assert saturday["my_signup"] is None


def test_sign_up_and_cancel_through_the_api(resident: User) -> None:
    cafe = activity_create(places=6)
    client = as_member(resident)

    created = client.post("/api/v1/signups/", {"event": cafe.event_id, "start": SATURDAY})
    listing = client.get(
        "/api/v1/occurrences/",
        {"start": "2026-05-16T00:00:00+02:00", "end": "2026-05-17T00:00:00+02:00"},
    ).json()["results"]
    cancelled = client.post(f"/api/v1/signups/{created.json()['id']}/cancel/")

    assert created.status_code == 201
    assert created.json()["status"] == "confirmed"
    assert listing[0]["my_signup"]["status"] == "confirmed"
    assert listing[0]["taken"] == 1
    assert cancelled.json()["status"] == "cancelled"


def test_a_full_occurrence_answers_409_full(resident: User) -> None:
    cafe = activity_create(places=1)
    as_member(MemberFactory()).post("/api/v1/signups/", {"event": cafe.event_id, "start": SATURDAY})

    response = as_member(resident).post(
        "/api/v1/signups/", {"event": cafe.event_id, "start": SATURDAY}
    )
    waiting = as_member(resident).post(
        "/api/v1/signups/", {"event": cafe.event_id, "start": SATURDAY, "waitlist": True}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "full"
    assert response.json()["detail"] == "Alle Plätze sind belegt."
    assert waiting.json()["status"] == "waitlisted"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"start": "2026-05-16T15:00:00+02:00"}, "no_such_occurrence"),
        ({"start": "2026-05-16T14:00:00"}, "invalid"),
        ({"event": 999999, "start": SATURDAY}, "unknown_reference"),
    ],
)
def test_bad_sign_ups_are_400_with_a_code(
    resident: User, body: dict[str, object], code: str
) -> None:
    cafe = activity_create()

    response = as_member(resident).post("/api/v1/signups/", {"event": cafe.event_id, **body})

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not SignUp.objects.exists()


def test_understaffed_shifts_are_found_by_filter(api: APIClient) -> None:
    activity_create(kind="shift", places=3, min_staffing=2, calendar_slug="garten")
    activity_create(kind="shift", title="Kompost", places=3, calendar_slug="garten")

    response = api.get(
        "/api/v1/occurrences/",
        {
            "kind": "shift",
            "understaffed": "true",
            "start": "2026-05-11T00:00:00+02:00",
            "end": "2026-05-18T00:00:00+02:00",
        },
    )

    assert [o["title"] for o in response.json()["results"]] == ["Repair-Café"]


def test_a_residents_sign_ups_are_private(resident: User) -> None:
    cafe = activity_create()
    other = (
        as_member(MemberFactory())
        .post("/api/v1/signups/", {"event": cafe.event_id, "start": SATURDAY})
        .json()
    )

    client = as_member(resident)
    assert client.get("/api/v1/signups/").json()["count"] == 0
    assert client.get(f"/api/v1/signups/{other['id']}/").status_code == 404


def test_a_coordinator_cancels_a_date_through_the_api(coordinator: User, resident: User) -> None:
    cafe = activity_create()
    as_member(resident).post("/api/v1/signups/", {"event": cafe.event_id, "start": SATURDAY})

    response = as_member(coordinator).post(
        "/api/v1/occurrences/cancel/",
        {"event": cafe.event_id, "start": SATURDAY, "reason": "Krank"},
    )
    refused = as_member(resident).post(
        "/api/v1/occurrences/cancel/", {"event": cafe.event_id, "start": SATURDAY}
    )

    assert response.status_code == 200
    assert refused.status_code == 403
    assert SignUp.objects.get().status == "cancelled"


def test_a_swap_through_the_api() -> None:
    shift = activity_create(kind="shift", places=1, eligibility="volunteers")
    holder, taker = MemberFactory(volunteer=True), MemberFactory(volunteer=True)
    signup = (
        as_member(holder)
        .post("/api/v1/signups/", {"event": shift.event_id, "start": SATURDAY})
        .json()
    )

    offer = as_member(holder).post(f"/api/v1/signups/{signup['id']}/swap/").json()
    open_offers = as_member(taker).get("/api/v1/swaps/").json()["results"]
    taken = as_member(taker).post(f"/api/v1/swaps/{offer['id']}/take/")

    assert [o["id"] for o in open_offers] == [offer["id"]]
    assert taken.status_code == 200
    assert taken.json()["member"] == taker.pk


def test_the_occurrence_window_is_at_most_a_year(api: APIClient) -> None:
    response = api.get(
        "/api/v1/occurrences/",
        {"start": "2026-01-01T00:00:00+01:00", "end": "2027-06-01T00:00:00+02:00"},
    )

    assert response.json()["code"] == "window_too_long"


def test_attendance_through_the_api(coordinator: User, resident: User) -> None:
    cafe = activity_create()
    signup = (
        as_member(resident)
        .post("/api/v1/signups/", {"event": cafe.event_id, "start": SATURDAY})
        .json()
    )

    with time_machine.travel(
        datetime(2026, 5, 16, 15, 0, tzinfo=BERLIN) + timedelta(0), tick=False
    ):
        response = as_member(coordinator).post(
            f"/api/v1/signups/{signup['id']}/attendance/", {"attended": True}
        )

    assert response.json()["status"] == "attended"
