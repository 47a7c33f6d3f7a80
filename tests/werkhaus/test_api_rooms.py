"""Room bookings through the API: purpose, group size, approval."""

from collections.abc import Iterator

import pytest
import time_machine
from rest_framework.test import APIClient

from scheduling.models import Booking, Resource
from tests.factories import resource_create
from tests.werkhaus.conftest import MONDAY
from werkhaus.models import Room, RoomBooking, ToolType

pytestmark = pytest.mark.django_db

ROOMS = "/api/v1/rooms/bookings/"
EVENING = {"start": "2026-05-20T18:00:00+02:00", "end": "2026-05-20T21:00:00+02:00"}


@pytest.fixture(autouse=True)
def _monday() -> Iterator[None]:
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def hall(db: None) -> Resource:
    """The Nachbarschaftssaal: 30 people, bookings wait for a coordinator's approval."""
    resource = resource_create(name="Saal", kind="room", requires_approval=True)
    Room.objects.create(resource=resource, max_people=30)
    return resource


def test_a_room_booking_waits_for_approval(resident_api: APIClient, hall: Resource) -> None:
    response = resident_api.post(
        ROOMS,
        {
            "resource": hall.pk,
            **EVENING,
            "purpose": "Mieterversammlung",
            "expected_people": 25,
            "organisation": "Mieterbeirat",
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["resource_name"], body["start"]) == (
        "requested",
        "Saal",
        EVENING["start"],
    )
    assert (body["purpose"], body["organisation"], body["expected_people"]) == (
        "Mieterversammlung",
        "Mieterbeirat",
        25,
    )
    assert RoomBooking.objects.get(booking_id=body["id"]).expected_people == 25


def test_too_many_people_for_the_room_is_a_400(resident_api: APIClient, hall: Resource) -> None:
    response = resident_api.post(
        ROOMS, {"resource": hall.pk, **EVENING, "purpose": "Sommerfest", "expected_people": 80}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "too_many_people"
    assert response.json()["fields"] == {"max_people": 30}
    assert not Booking.objects.exists()


def test_a_tool_is_not_a_room(resident_api: APIClient, drills: ToolType) -> None:
    response = resident_api.post(
        ROOMS,
        {"resource": drills.resource_id, **EVENING, "purpose": "Party", "expected_people": 5},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "not_a_room"


def test_an_unknown_room_is_a_400_naming_the_field(resident_api: APIClient) -> None:
    response = resident_api.post(
        ROOMS, {"resource": 999999, **EVENING, "purpose": "Party", "expected_people": 5}
    )

    assert response.status_code == 400
    assert "resource" in response.json()["fields"]
