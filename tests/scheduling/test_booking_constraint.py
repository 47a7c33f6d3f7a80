"""The database itself refuses overlapping active bookings of a unit (PostgreSQL)."""

from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.models import User
from scheduling.models import OCCUPYING_STATUSES, Booking, BookingStatus, Resource
from tests.factories import MemberFactory, resource_create
from tests.scheduling.conftest import at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def raw_booking(
    resource: Resource,
    member: User,
    start: datetime,
    end: datetime,
    *,
    status: str = BookingStatus.CONFIRMED,
    buffer: timedelta = timedelta(),
) -> Booking:
    return Booking.objects.create(
        unit=resource.units.get(),
        resource=resource,
        member=member,
        start=start,
        end=end,
        blocked_until=end + buffer,
        status=status,
        created_at=start,
        updated_at=start,
    )


def test_an_overlapping_insert_past_the_service_is_refused(resident: User) -> None:
    bench = resource_create()
    raw_booking(bench, resident, at(10), at(12))

    with pytest.raises(IntegrityError, match="sched_booking_no_overlap"), transaction.atomic():
        raw_booking(bench, MemberFactory(), at(11), at(13))


def test_the_buffer_is_part_of_the_constraint(resident: User) -> None:
    bench = resource_create()
    raw_booking(bench, resident, at(10), at(12), buffer=timedelta(minutes=30))

    with pytest.raises(IntegrityError), transaction.atomic():
        raw_booking(bench, MemberFactory(), at(12, 15), at(13))
    assert raw_booking(bench, MemberFactory(), at(12, 30), at(13))


@pytest.mark.parametrize("status", [BookingStatus.CANCELLED, BookingStatus.NO_SHOW])
def test_inactive_bookings_may_overlap(resident: User, status: str) -> None:
    bench = resource_create()
    raw_booking(bench, resident, at(10), at(12), status=status)

    assert raw_booking(bench, MemberFactory(), at(10), at(12))


def test_reactivating_an_overlapping_booking_is_refused(resident: User) -> None:
    bench = resource_create()
    cancelled = raw_booking(bench, resident, at(10), at(12), status=BookingStatus.CANCELLED)
    raw_booking(bench, MemberFactory(), at(10), at(12))

    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=cancelled.pk).update(status=BookingStatus.CONFIRMED)


def test_the_constraint_covers_exactly_the_active_states() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s",
            ["sched_booking_no_overlap"],
        )
        (definition,) = cursor.fetchone()

    states = {s for s in BookingStatus.values if f"'{s}'" in definition}
    assert states == set(OCCUPYING_STATUSES)
