"""Daylight saving time: local times stay local, and a time the clocks skip is refused."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import User
from scheduling.models import HoursPolicy
from scheduling.selectors import resource_availability
from tests.conftest import BERLIN
from tests.factories import opening_hours, resource_create
from tests.scheduling.conftest import book

pytestmark = pytest.mark.django_db

# Last Sundays of March and October 2026: clocks go forward, then back.
SPRING = datetime(2026, 3, 29, tzinfo=BERLIN)
AUTUMN = datetime(2026, 10, 25, tzinfo=BERLIN)


@pytest.mark.parametrize("sunday", [SPRING, AUTUMN])
def test_a_booking_across_the_change_keeps_its_local_times(
    sunday: datetime, resident: User
) -> None:
    room = resource_create(kind="room", slot_minutes=60, max_minutes=3 * 24 * 60)
    start = (sunday - timedelta(days=1)).replace(hour=18)
    end = (sunday + timedelta(days=1)).replace(hour=9)

    booking = book(room, resident, start, end, now=start - timedelta(days=2))
    booking.refresh_from_db()

    assert booking.start.astimezone(BERLIN).hour == 18
    assert booking.end.astimezone(BERLIN).hour == 9
    assert (
        booking.end.astimezone(BERLIN).utcoffset() != booking.start.astimezone(BERLIN).utcoffset()
    )


def test_whole_day_loans_span_the_short_day_in_spring(resident: User) -> None:
    drills = resource_create(
        kind="tool", slot_minutes=24 * 60, min_minutes=24 * 60, max_minutes=7 * 24 * 60
    )
    start = SPRING - timedelta(days=1)
    end = SPRING + timedelta(days=1)

    booking = book(drills, resident, start, end, now=start - timedelta(days=1))

    elapsed = booking.end.astimezone(UTC) - booking.start.astimezone(UTC)
    assert elapsed == timedelta(hours=47), "29 March has 23 hours"


@pytest.mark.parametrize("sunday", [SPRING, AUTUMN])
def test_opening_hours_stay_at_the_same_local_time(sunday: datetime) -> None:
    hours = opening_hours(weekdays="SA,MO", start="10:00", end="16:00", first_day="2026-01-03")
    bench = resource_create(hours=hours, hours_policy=HoursPolicy.WITHIN)

    result = resource_availability(
        resource=bench, start=sunday - timedelta(days=1), end=sunday + timedelta(days=2)
    )

    local = [(i.start.astimezone(BERLIN).hour, i.end.astimezone(BERLIN).hour) for i in result.open]
    assert local == [(10, 16), (10, 16)]


@pytest.mark.parametrize(
    "moment", ["2026-03-29T02:30:00+01:00", "2026-03-29T02:30:00+02:00", "2026-03-29T02:30:00"]
)
def test_the_api_refuses_a_time_that_does_not_exist_or_has_no_offset(
    resident_api: APIClient, moment: str
) -> None:
    room = resource_create(kind="room")

    with time_machine.travel(SPRING - timedelta(days=3)):
        response = resident_api.post(
            "/api/v1/bookings/",
            {"resource": room.pk, "start": moment, "end": "2026-03-29T05:00:00+02:00"},
        )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "start" in response.json()["fields"]


def test_the_api_accepts_the_same_instant_in_utc(resident_api: APIClient) -> None:
    room = resource_create(kind="room")

    with time_machine.travel(SPRING - timedelta(days=3)):
        response = resident_api.post(
            "/api/v1/bookings/",
            {"resource": room.pk, "start": "2026-03-29T01:00:00Z", "end": "2026-03-29T03:00:00Z"},
        )

    assert response.status_code == 201
    assert response.json()["start"] == "2026-03-29T03:00:00+02:00"
