from datetime import timedelta

import pytest

from accounts.models import User
from scheduling import errors
from scheduling.models import Booking, BookingStatus, Notification, Resource, WaitlistStatus
from scheduling.services.bookings import booking_cancel
from scheduling.services.waitlist import (
    waitlist_accept,
    waitlist_expire,
    waitlist_join,
    waitlist_leave,
)
from tests.factories import MemberFactory, resource_create
from tests.scheduling.conftest import at, book

pytestmark = pytest.mark.django_db
MORNING = at(8)


@pytest.fixture
def taken(bench: Resource, resident: User) -> Booking:
    return book(bench, resident, at(16), at(18))


def join(resource: Resource, member: User, now=MORNING):
    return waitlist_join(
        resource=resource, member=member, start=at(16), end=at(18), actor=member, now=now
    )


def test_a_member_joins_the_waitlist_of_a_taken_slot(bench: Resource, taken: Booking) -> None:
    entry = join(bench, MemberFactory())

    assert entry.status == WaitlistStatus.WAITING


def test_a_free_slot_has_no_waitlist(bench: Resource) -> None:
    with pytest.raises(errors.SlotFree):
        join(bench, MemberFactory())


def test_nobody_waits_twice_for_the_same_slot(bench: Resource, taken: Booking) -> None:
    member = MemberFactory()
    join(bench, member)

    with pytest.raises(errors.AlreadyWaiting):
        join(bench, member)


def test_the_waitlist_applies_the_booking_rules(bench: Resource, taken: Booking) -> None:
    member = MemberFactory()

    with pytest.raises(errors.OutsideOpeningHours):
        waitlist_join(
            resource=bench, member=member, start=at(10), end=at(11), actor=member, now=MORNING
        )


def test_a_cancellation_holds_the_slot_for_the_first_in_line(
    bench: Resource, taken: Booking, resident: User
) -> None:
    first, second = MemberFactory(), MemberFactory()
    entry = join(bench, first)
    join(bench, second)

    day_before = MORNING - timedelta(days=1)
    booking_cancel(booking=taken, actor=resident, now=day_before)

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    assert entry.held_booking.status == BookingStatus.HELD
    assert entry.held_booking.member == first
    assert entry.offer_expires_at == day_before + timedelta(hours=12)
    notice = Notification.objects.get(kind="waitlist_offer")
    assert notice.member == first
    with pytest.raises(errors.SlotTaken):
        book(bench, MemberFactory(), at(16), at(18), now=MORNING)


def test_the_offer_never_outlasts_the_start(
    bench: Resource, taken: Booking, resident: User
) -> None:
    entry = join(bench, MemberFactory())

    booking_cancel(booking=taken, actor=resident, now=at(14))

    entry.refresh_from_db()
    assert entry.offer_expires_at == at(16)


def test_accepting_the_offer_confirms_the_booking(
    bench: Resource, taken: Booking, resident: User
) -> None:
    member = MemberFactory()
    entry = join(bench, member)
    booking_cancel(booking=taken, actor=resident, now=MORNING)

    booking = waitlist_accept(entry=entry, actor=member, now=MORNING + timedelta(hours=1))

    entry.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.member == member
    assert entry.status == WaitlistStatus.ACCEPTED


def test_an_expired_offer_passes_to_the_next_in_line(
    bench: Resource, taken: Booking, resident: User
) -> None:
    first, second = MemberFactory(), MemberFactory()
    first_entry = join(bench, first)
    second_entry = join(bench, second)
    booking_cancel(booking=taken, actor=resident, now=MORNING - timedelta(hours=20))
    first_entry.refresh_from_db()
    expiry = first_entry.offer_expires_at
    assert expiry is not None

    assert waitlist_expire(now=expiry - timedelta(minutes=1)) == 0
    assert waitlist_expire(now=expiry) == 1

    first_entry.refresh_from_db()
    second_entry.refresh_from_db()
    assert first_entry.status == WaitlistStatus.EXPIRED
    assert first_entry.held_booking.status == BookingStatus.CANCELLED
    assert second_entry.status == WaitlistStatus.OFFERED
    assert second_entry.held_booking.member == second
    offers = Notification.objects.filter(kind__startswith="waitlist")
    kinds = list(offers.order_by("pk").values_list("kind", "member"))
    assert kinds == [
        ("waitlist_offer", first.pk),
        ("waitlist_offer_expired", first.pk),
        ("waitlist_offer", second.pk),
    ]


def test_an_expired_offer_cannot_be_accepted(
    bench: Resource, taken: Booking, resident: User
) -> None:
    member = MemberFactory()
    entry = join(bench, member)
    booking_cancel(booking=taken, actor=resident, now=MORNING)

    with pytest.raises(errors.OfferExpired):
        waitlist_accept(entry=entry, actor=member, now=at(16))


def test_declining_an_offer_passes_it_on(bench: Resource, taken: Booking, resident: User) -> None:
    first, second = MemberFactory(), MemberFactory()
    first_entry = join(bench, first)
    second_entry = join(bench, second)
    booking_cancel(booking=taken, actor=resident, now=MORNING)

    waitlist_leave(entry=first_entry, actor=first, now=MORNING)

    second_entry.refresh_from_db()
    assert second_entry.status == WaitlistStatus.OFFERED


def test_the_waitlist_with_time_travel_through_the_periodic_task(
    bench: Resource, taken: Booking, resident: User
) -> None:
    import time_machine

    from scheduling.tasks import expire_waitlist_offers

    first_entry = join(bench, MemberFactory())
    second_entry = join(bench, MemberFactory())
    booking_cancel(booking=taken, actor=resident, now=at(8) - timedelta(days=1))

    with time_machine.travel(at(8) - timedelta(days=1) + timedelta(hours=12, seconds=1)):
        expire_waitlist_offers()

    first_entry.refresh_from_db()
    second_entry.refresh_from_db()
    assert (first_entry.status, second_entry.status) == ("expired", "offered")


def test_entries_whose_time_has_come_are_closed(bench: Resource, taken: Booking) -> None:
    entry = join(bench, MemberFactory())

    waitlist_expire(now=at(16))

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.EXPIRED


def test_a_slot_too_small_for_the_waiting_member_is_not_offered(
    resident: User,
) -> None:
    bench = resource_create()
    book(bench, resident, at(10), at(11))
    blocker = book(bench, MemberFactory(), at(11), at(12))
    member = MemberFactory()
    waiting = waitlist_join(
        resource=bench, member=member, start=at(10), end=at(12), actor=member, now=MORNING
    )

    booking_cancel(booking=blocker, actor=blocker.member, now=MORNING)

    waiting.refresh_from_db()
    assert waiting.status == WaitlistStatus.WAITING
