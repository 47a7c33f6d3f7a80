from datetime import datetime, timedelta

import pytest

from accounts.models import User
from scheduling.models import Booking, Resource
from scheduling.services.bookings import BookingRequest, booking_create
from tests.conftest import BERLIN
from tests.factories import opening_hours, resource_create

# 2026-05-12 is a Tuesday; the Werkhaus of the tests is open Tue and Thu 16–20.
TUESDAY = datetime(2026, 5, 12, tzinfo=BERLIN)


def at(hour: int, minute: int = 0, day: datetime = TUESDAY) -> datetime:
    return day.replace(hour=hour, minute=minute)


@pytest.fixture
def werkhaus_hours(db: None):
    return opening_hours()


@pytest.fixture
def bench(werkhaus_hours) -> Resource:
    """A workbench: open Tue/Thu 16–20, 30-minute slots, up to 4 hours."""
    return resource_create(name="Hobelbank", hours=werkhaus_hours, max_minutes=240)


@pytest.fixture
def drills(db: None) -> Resource:
    return resource_create(name="Akkuschrauber", kind="tool", units=3)


def book(
    resource: Resource,
    member: User,
    start: datetime,
    end: datetime,
    *,
    actor: User | None = None,
    now: datetime | None = None,
    override: bool = False,
) -> Booking:
    return booking_create(
        request=BookingRequest(
            resource=resource, member=member, start=start, end=end, override=override
        ),
        actor=actor or member,
        now=now or TUESDAY.replace(hour=9) - timedelta(days=1),
    )
