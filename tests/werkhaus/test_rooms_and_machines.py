from datetime import datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import User
from scheduling.models import BookingStatus, Qualification
from scheduling.services.bookings import booking_approve
from scheduling.services.qualifications import qualification_grant
from tests.conftest import BERLIN
from tests.factories import resource_create
from werkhaus import errors
from werkhaus.models import Room, RoomBooking
from werkhaus.services.rooms import RoomRequest, room_book

pytestmark = pytest.mark.django_db

EVENING = datetime(2026, 5, 20, 18, 0, tzinfo=BERLIN)
BEFORE = EVENING - timedelta(days=5)


@pytest.fixture
def hall() -> Room:
    resource = resource_create(name="Gemeinschaftsraum", kind="room", requires_approval=True)
    return Room.objects.create(resource=resource, max_people=30)


def ask(room: Room, member: User, people: int = 12, **extra):
    return room_book(
        request=RoomRequest(
            resource=room.resource,
            member=member,
            start=EVENING,
            end=EVENING + timedelta(hours=3),
            purpose="Sprachcafé",
            expected_people=people,
            **extra,
        ),
        actor=member,
        now=BEFORE,
    )


def test_a_group_books_a_room_and_waits_for_approval(hall: Room, resident: User) -> None:
    booking = ask(hall, resident, organisation="Nachbarschaftsverein")

    details = RoomBooking.objects.get(booking=booking)
    assert booking.status == BookingStatus.REQUESTED
    assert (details.purpose, details.organisation, details.expected_people) == (
        "Sprachcafé",
        "Nachbarschaftsverein",
        12,
    )


def test_the_coordinator_approves_the_room(hall: Room, resident: User, coordinator: User) -> None:
    booking = ask(hall, resident)

    booking_approve(booking=booking, actor=coordinator, now=BEFORE)

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_a_requested_room_is_not_given_twice(hall: Room, resident: User) -> None:
    from scheduling import errors as engine_errors
    from tests.factories import MemberFactory

    ask(hall, resident)

    with pytest.raises(engine_errors.SlotTaken):
        ask(hall, MemberFactory())


def test_a_room_refused_as_taken_is_recorded_once_as_unmet_demand(
    hall: Room, resident: User
) -> None:
    from scheduling import errors as engine_errors
    from scheduling.models import Refusal, RefusalCode
    from tests.factories import MemberFactory

    ask(hall, resident)
    other = MemberFactory()

    with pytest.raises(engine_errors.SlotTaken):
        ask(hall, other)

    refusal = Refusal.objects.get()
    assert (refusal.code, refusal.member, refusal.resource) == (
        RefusalCode.CONFLICT,
        other,
        hall.resource,
    )
    assert (refusal.start, refusal.end) == (EVENING, EVENING + timedelta(hours=3))


def test_more_people_than_the_room_holds_are_refused(hall: Room, resident: User) -> None:
    with pytest.raises(errors.TooManyPeople) as refusal:
        ask(hall, resident, people=31)

    assert refusal.value.fields == {"max_people": 30}


def test_a_tool_is_not_a_room(resident: User) -> None:
    drill = resource_create(kind="tool")

    with pytest.raises(errors.NotARoom):
        room_book(
            request=RoomRequest(
                resource=drill,
                member=resident,
                start=EVENING,
                end=EVENING + timedelta(hours=1),
                purpose="x",
                expected_people=1,
            ),
            actor=resident,
            now=BEFORE,
        )


def test_a_machine_without_the_einweisung_is_403_qualification_required(
    resident_api: APIClient, resident: User, coordinator: User
) -> None:
    briefing = Qualification.objects.create(name="Einweisung Lasercutter", slug="laser")
    laser = resource_create(name="Lasercutter", kind="machine", required_qualification=briefing)
    body = {
        "resource": laser.pk,
        "start": "2026-05-20T18:00:00+02:00",
        "end": "2026-05-20T19:00:00+02:00",
    }

    with time_machine.travel(BEFORE, tick=False):
        refused = resident_api.post("/api/v1/bookings/", body)
        qualification_grant(
            member=resident, qualification=briefing, granted_by=coordinator, now=BEFORE
        )
        accepted = resident_api.post("/api/v1/bookings/", body)

    assert refused.status_code == 403
    assert refused.json()["code"] == "qualification_required"
    assert accepted.status_code == 201
