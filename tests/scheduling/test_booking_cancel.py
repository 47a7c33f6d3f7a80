from datetime import timedelta

import pytest

from accounts.models import User
from scheduling import errors
from scheduling.models import AuditEntry, BookingStatus, Notification, Resource
from scheduling.services.bookings import booking_approve, booking_cancel, booking_mark
from tests.factories import MemberFactory, resource_create
from tests.scheduling.conftest import at, book

pytestmark = pytest.mark.django_db


def test_a_member_cancels_their_booking_and_frees_the_slot(bench: Resource, resident: User) -> None:
    booking = book(bench, resident, at(16), at(18))

    booking_cancel(booking=booking, actor=resident, now=at(12))

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert book(bench, MemberFactory(), at(16), at(18))


def test_a_member_cannot_cancel_after_the_cut_off(resident: User) -> None:
    bench = resource_create(cancel_cutoff_minutes=24 * 60)
    booking = book(bench, resident, at(16), at(18))

    with pytest.raises(errors.NotCancellable) as refusal:
        booking_cancel(booking=booking, actor=resident, now=at(16) - timedelta(hours=23))

    assert refusal.value.code == "not_cancellable"
    assert "cancel_until" in refusal.value.fields


def test_a_coordinator_cancels_after_the_cut_off_and_the_member_is_told(
    resident: User, coordinator: User
) -> None:
    bench = resource_create(cancel_cutoff_minutes=24 * 60)
    booking = book(bench, resident, at(16), at(18))

    booking_cancel(booking=booking, actor=coordinator, now=at(15), reason="Maschine defekt")

    notice = Notification.objects.get(kind="booking_cancelled")
    assert notice.member == resident
    assert notice.payload["reason"] == "Maschine defekt"


def test_nobody_else_may_cancel_a_booking(bench: Resource, resident: User) -> None:
    booking = book(bench, resident, at(16), at(18))

    with pytest.raises(errors.NotYourBooking):
        booking_cancel(booking=booking, actor=MemberFactory(), now=at(12))


def test_a_cancelled_booking_cannot_be_cancelled_again(bench: Resource, resident: User) -> None:
    booking = book(bench, resident, at(16), at(18))
    booking_cancel(booking=booking, actor=resident, now=at(12))

    with pytest.raises(errors.NotCancellable):
        booking_cancel(booking=booking, actor=resident, now=at(12))


def test_cancelling_is_recorded_with_who_and_when(bench: Resource, resident: User) -> None:
    booking = book(bench, resident, at(16), at(18))

    booking_cancel(booking=booking, actor=resident, now=at(12))

    entry = AuditEntry.objects.get(booking=booking, action="cancelled")
    assert (entry.actor, entry.at, entry.from_status, entry.to_status) == (
        resident,
        at(12),
        "confirmed",
        "cancelled",
    )


def test_a_coordinator_approves_a_requested_booking(resident: User, coordinator: User) -> None:
    room = resource_create(kind="room", requires_approval=True)
    booking = book(room, resident, at(10), at(12))

    booking_approve(booking=booking, actor=coordinator, now=at(8))

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert Notification.objects.filter(kind="booking_approved", member=resident).exists()


def test_a_resident_cannot_approve(resident: User) -> None:
    room = resource_create(kind="room", requires_approval=True)
    booking = book(room, resident, at(10), at(12))

    with pytest.raises(errors.NotYourBooking):
        booking_approve(booking=booking, actor=resident, now=at(8))


@pytest.mark.parametrize("outcome", [BookingStatus.COMPLETED, BookingStatus.NO_SHOW])
def test_a_coordinator_marks_the_outcome_after_the_start(
    bench: Resource, resident: User, coordinator: User, outcome: str
) -> None:
    booking = book(bench, resident, at(16), at(18))

    booking_mark(booking=booking, actor=coordinator, now=at(16, 15), outcome=outcome)

    booking.refresh_from_db()
    assert booking.status == outcome


def test_the_outcome_cannot_be_marked_before_the_start(
    bench: Resource, resident: User, coordinator: User
) -> None:
    booking = book(bench, resident, at(16), at(18))

    with pytest.raises(errors.InvalidTransition):
        booking_mark(booking=booking, actor=coordinator, now=at(15), outcome=BookingStatus.NO_SHOW)


def test_a_no_show_frees_nothing_and_cannot_be_cancelled(
    bench: Resource, resident: User, coordinator: User
) -> None:
    booking = book(bench, resident, at(16), at(18))
    booking_mark(booking=booking, actor=coordinator, now=at(16, 30), outcome=BookingStatus.NO_SHOW)

    with pytest.raises(errors.NotCancellable):
        booking_cancel(booking=booking, actor=coordinator, now=at(16, 40))
