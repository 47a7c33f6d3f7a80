import pytest

from accounts.models import User
from accounts.services import member_create
from scheduling import errors
from scheduling.models import AuditEntry, Booking, BookingStatus, Notification, Resource
from tests.factories import MemberFactory, resource_create
from tests.scheduling.conftest import at, book

pytestmark = pytest.mark.django_db


def test_it_confirms_a_booking_inside_the_rules(bench: Resource, resident: User) -> None:
    booking = book(bench, resident, at(16), at(18))

    assert booking.status == BookingStatus.CONFIRMED
    assert booking.unit.resource == bench
    assert booking.created_by == resident
    assert (booking.start, booking.end) == (at(16), at(18))


def test_it_picks_another_unit_when_one_is_taken(drills: Resource, resident: User) -> None:
    first = book(drills, resident, at(10), at(12))
    second = book(drills, MemberFactory(), at(10), at(12))

    assert first.unit != second.unit


def test_it_answers_conflict_when_no_unit_is_free(bench: Resource, resident: User) -> None:
    book(bench, resident, at(16), at(18))

    with pytest.raises(errors.SlotTaken) as refusal:
        book(bench, MemberFactory(), at(17), at(19))

    assert refusal.value.code == "conflict"
    assert refusal.value.status == 409
    assert Booking.objects.count() == 1


def test_a_cancelled_booking_does_not_block_the_slot(bench: Resource, resident: User) -> None:
    Booking.objects.filter(pk=book(bench, resident, at(16), at(18)).pk).update(
        status=BookingStatus.CANCELLED
    )

    assert book(bench, MemberFactory(), at(16), at(18)).status == BookingStatus.CONFIRMED


def test_the_buffer_after_a_booking_keeps_the_next_one_out(resident: User) -> None:
    bench = resource_create(buffer_minutes=30)
    book(bench, resident, at(10), at(12))

    with pytest.raises(errors.SlotTaken):
        book(bench, MemberFactory(), at(12), at(13))
    assert book(bench, MemberFactory(), at(12, 30), at(13)).start == at(12, 30)


def test_a_new_booking_needs_room_for_its_own_buffer(resident: User) -> None:
    bench = resource_create(buffer_minutes=30)
    book(bench, resident, at(12), at(13))

    with pytest.raises(errors.SlotTaken):
        book(bench, MemberFactory(), at(11), at(12))
    assert book(bench, MemberFactory(), at(11), at(11, 30)).end == at(11, 30)


def test_a_coordinator_books_on_behalf_of_a_member_without_login(
    bench: Resource, coordinator: User
) -> None:
    walk_in = member_create(display_name="Amina", managed_by=coordinator)

    booking = book(bench, walk_in, at(16), at(17), actor=coordinator)

    assert booking.member == walk_in
    assert booking.created_by == coordinator
    assert Notification.objects.get(booking=booking).kind == "booking_created_for_you"


def test_a_resident_cannot_book_for_someone_else(bench: Resource, resident: User) -> None:
    with pytest.raises(errors.NotYourBooking):
        book(bench, MemberFactory(), at(16), at(17), actor=resident)


def test_a_resident_cannot_override_the_rules(bench: Resource, resident: User) -> None:
    with pytest.raises(errors.NotYourBooking):
        book(bench, resident, at(10), at(11), override=True)


def test_a_resource_that_needs_approval_leaves_the_booking_requested(resident: User) -> None:
    room = resource_create(name="Gemeinschaftsraum", kind="room", requires_approval=True)

    assert book(room, resident, at(10), at(12)).status == BookingStatus.REQUESTED


def test_a_coordinator_booking_needs_no_approval(coordinator: User) -> None:
    room = resource_create(name="Gemeinschaftsraum", kind="room", requires_approval=True)

    assert book(room, coordinator, at(10), at(12)).status == BookingStatus.CONFIRMED


def test_creating_a_booking_is_recorded_in_the_audit_log(bench: Resource, resident: User) -> None:
    booking = book(bench, resident, at(16), at(17))

    entry = AuditEntry.objects.get(booking=booking)
    assert (entry.actor, entry.action, entry.to_status) == (resident, "created", "confirmed")
    assert entry.detail["unit"] == booking.unit_id


def test_an_inactive_resource_is_not_bookable(bench: Resource, resident: User) -> None:
    Resource.objects.filter(pk=bench.pk).update(is_active=False)
    bench.refresh_from_db()

    with pytest.raises(errors.NotBookable):
        book(bench, resident, at(16), at(17))


def test_a_refused_booking_leaves_nothing_behind(bench: Resource, resident: User) -> None:
    with pytest.raises(errors.OutsideOpeningHours):
        book(bench, resident, at(10), at(11))

    assert not Booking.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_resource_members_may_not_book_themselves_is_refused(
    resident: User, coordinator: User
) -> None:
    plot = resource_create(name="Beet 1", kind="plot", members_may_book=False)

    with pytest.raises(errors.NotBookable):
        book(plot, resident, at(10), at(11))
    assert book(plot, resident, at(10), at(11), actor=coordinator)
