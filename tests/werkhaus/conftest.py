from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from scheduling.models import Booking
from scheduling.services.bookings import BookingRequest, booking_create
from tests.conftest import BERLIN
from tests.factories import resource_create
from werkhaus.models import Loan, ToolType
from werkhaus.services.loans import CheckOut, loan_check_out

# 2026-05-11 is a Monday: the day the API tests make their reservations.
MONDAY = datetime(2026, 5, 11, 9, 0, tzinfo=BERLIN)


def tool_type_create(
    name: str = "Akkuschrauber",
    *,
    units: int = 2,
    category: str = "power_tools",
    deposit: str = "20.00",
) -> ToolType:
    """A tool type lent by the day, up to a week; unit labels are the name's first letters."""
    resource = resource_create(
        name=name,
        kind="tool",
        units=units,
        slot_minutes=1440,
        min_minutes=1440,
        max_minutes=7 * 1440,
    )
    return ToolType.objects.create(resource=resource, category=category, deposit=Decimal(deposit))


def reserve(
    tool: ToolType, member: User, *, start: datetime, days: int, coordinator: User
) -> Booking:
    """A reservation of ``days`` days from ``start``, placed by a coordinator the day before."""
    return booking_create(
        request=BookingRequest(
            resource=tool.resource,
            member=member,
            start=start,
            end=start + timedelta(days=days),
            override=True,  # the tests lend in the past as well
        ),
        actor=coordinator,
        now=start - timedelta(days=1),
    )


def lend(tool: ToolType, member: User, *, start: datetime, days: int, coordinator: User) -> Loan:
    """A reservation of ``days`` days from ``start``, checked out at its start."""
    booking = reserve(tool, member, start=start, days=days, coordinator=coordinator)
    return loan_check_out(booking=booking, actor=coordinator, now=start, check=CheckOut())


def as_member(member: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(member)
    return client


@pytest.fixture
def drills(db: None) -> ToolType:
    return tool_type_create()


@pytest.fixture
def coordinator_api(coordinator: User) -> APIClient:
    return as_member(coordinator)
