from datetime import timedelta

import pytest

from accounts.models import User
from scheduling import errors
from scheduling.models import Closure, Qualification, Resource, Unit
from scheduling.services.qualifications import qualification_grant, qualification_revoke
from tests.factories import MemberFactory, resource_create
from tests.scheduling.conftest import TUESDAY, at, book

pytestmark = pytest.mark.django_db
THURSDAY = TUESDAY + timedelta(days=2)


def test_it_refuses_outside_opening_hours(bench: Resource, resident: User) -> None:
    with pytest.raises(errors.OutsideOpeningHours) as refusal:
        book(bench, resident, at(19), at(21))

    assert refusal.value.code == "outside_opening_hours"


def test_it_refuses_on_a_day_without_opening(bench: Resource, resident: User) -> None:
    wednesday = TUESDAY + timedelta(days=1)

    with pytest.raises(errors.OutsideOpeningHours):
        book(bench, resident, at(16, day=wednesday), at(17, day=wednesday))


def test_a_coordinator_may_override_the_opening_hours(bench: Resource, coordinator: User) -> None:
    booking = book(bench, coordinator, at(10), at(11), override=True)

    assert booking.rules_overridden is True


def test_it_refuses_during_a_closure_of_the_resource(bench: Resource, resident: User) -> None:
    Closure.objects.create(resource=bench, start=at(15), end=at(21), reason="Feiertag")

    with pytest.raises(errors.Closed) as refusal:
        book(bench, resident, at(16), at(17))

    assert refusal.value.code == "closed"


def test_a_cancelled_opening_occurrence_closes_that_day(bench: Resource, resident: User) -> None:
    from schedule.models import Event

    event = Event.objects.get()
    event.get_occurrence(at(16)).cancel()

    with pytest.raises(errors.OutsideOpeningHours):
        book(bench, resident, at(16), at(17))
    assert book(bench, resident, at(16, day=THURSDAY), at(17, day=THURSDAY))


def test_a_unit_in_repair_is_not_handed_out(resident: User) -> None:
    drills = resource_create(units=2)
    first, second = Unit.objects.filter(resource=drills).order_by("label")
    Closure.objects.create(unit=first, start=at(0), end=at(23), reason="Akku defekt")

    assert book(drills, resident, at(10), at(11)).unit == second
    with pytest.raises(errors.SlotTaken):
        book(drills, MemberFactory(), at(10), at(11))


@pytest.mark.parametrize(("start", "end"), [(at(16, 15), at(17)), (at(16), at(17, 10))])
def test_it_refuses_times_off_the_slot_grid(bench: Resource, resident: User, start, end) -> None:
    with pytest.raises(errors.NotAligned) as refusal:
        book(bench, resident, start, end)

    assert refusal.value.fields == {"slot_minutes": 30}


def test_it_refuses_a_booking_shorter_than_the_minimum(resident: User) -> None:
    bench = resource_create(min_minutes=60)

    with pytest.raises(errors.TooShort):
        book(bench, resident, at(10), at(10, 30))


def test_it_refuses_a_booking_longer_than_the_maximum(bench: Resource, resident: User) -> None:
    with pytest.raises(errors.TooLong) as refusal:
        book(bench, resident, at(16), at(20, 30))

    assert refusal.value.code == "too_long"


def test_it_refuses_a_booking_beyond_the_horizon(resident: User) -> None:
    bench = resource_create(horizon_days=14)

    with pytest.raises(errors.TooFarAhead):
        book(bench, resident, at(10) + timedelta(days=15), at(11) + timedelta(days=15))


def test_it_refuses_short_notice(resident: User) -> None:
    bench = resource_create(lead_minutes=120)

    with pytest.raises(errors.TooShortNotice):
        book(bench, resident, at(10), at(11), now=at(9))
    assert book(bench, resident, at(11), at(12), now=at(9))


def test_it_refuses_a_start_in_the_past(resident: User) -> None:
    with pytest.raises(errors.InPast):
        book(resource_create(), resident, at(10), at(11), now=at(10, 5))


def test_it_limits_active_bookings_per_member(resident: User) -> None:
    bench = resource_create(max_active_bookings=2)
    book(bench, resident, at(8), at(9))
    book(bench, resident, at(10), at(11))

    with pytest.raises(errors.QuotaExceeded) as refusal:
        book(bench, resident, at(12), at(13))

    assert refusal.value.fields == {"max_active_bookings": 2}
    assert book(bench, MemberFactory(), at(12), at(13)), "other members are not limited"


def test_past_bookings_do_not_count_as_active(resident: User) -> None:
    bench = resource_create(max_active_bookings=1)
    book(bench, resident, at(8), at(9))

    assert book(bench, resident, at(12), at(13), now=at(10))


def test_it_limits_hours_per_week(resident: User) -> None:
    bench = resource_create(max_hours_per_week=3)
    book(bench, resident, at(8), at(10))
    monday_next_week = TUESDAY + timedelta(days=6)

    with pytest.raises(errors.QuotaExceeded) as refusal:
        book(bench, resident, at(12), at(13, 30))

    assert refusal.value.fields == {"max_hours_per_week": 3}
    assert book(bench, resident, at(12), at(13))
    assert book(bench, resident, at(8, day=monday_next_week), at(11, day=monday_next_week))


@pytest.fixture
def briefing(db: None) -> Qualification:
    return Qualification.objects.create(name="Einweisung Drechselbank", slug="drechseln")


@pytest.fixture
def lathe(briefing: Qualification) -> Resource:
    return resource_create(name="Drechselbank", kind="machine", required_qualification=briefing)


def test_a_machine_needs_the_qualification(lathe: Resource, resident: User) -> None:
    with pytest.raises(errors.QualificationRequired) as refusal:
        book(lathe, resident, at(10), at(11))

    assert refusal.value.status == 403


def test_a_granted_qualification_lets_the_member_book(
    lathe: Resource, briefing: Qualification, resident: User, coordinator: User
) -> None:
    qualification_grant(
        member=resident,
        qualification=briefing,
        granted_by=coordinator,
        now=at(8) - timedelta(days=3),
    )

    assert book(lathe, resident, at(10), at(11))


def test_an_expired_qualification_is_not_enough(
    lathe: Resource, briefing: Qualification, resident: User, coordinator: User
) -> None:
    qualification_grant(
        member=resident,
        qualification=briefing,
        granted_by=coordinator,
        now=at(8) - timedelta(days=400),
        valid_until=at(8) - timedelta(days=35),
    )

    with pytest.raises(errors.QualificationRequired):
        book(lathe, resident, at(10), at(11))


def test_a_qualification_that_expires_during_the_booking_is_not_enough(
    lathe: Resource, briefing: Qualification, resident: User, coordinator: User
) -> None:
    qualification_grant(
        member=resident,
        qualification=briefing,
        granted_by=coordinator,
        now=at(8) - timedelta(days=10),
        valid_until=at(10, 30),
    )

    with pytest.raises(errors.QualificationRequired):
        book(lathe, resident, at(10), at(11))


def test_a_revoked_qualification_is_not_enough(
    lathe: Resource, briefing: Qualification, resident: User, coordinator: User
) -> None:
    grant = qualification_grant(
        member=resident,
        qualification=briefing,
        granted_by=coordinator,
        now=at(8) - timedelta(days=3),
    )
    qualification_revoke(grant=grant, actor=coordinator, now=at(8) - timedelta(days=1))

    with pytest.raises(errors.QualificationRequired):
        book(lathe, resident, at(10), at(11))


def test_validity_days_of_a_qualification_set_its_expiry(
    briefing: Qualification, resident: User, coordinator: User
) -> None:
    briefing.valid_days = 365
    briefing.save()

    grant = qualification_grant(
        member=resident, qualification=briefing, granted_by=coordinator, now=at(8)
    )

    assert grant.valid_until == at(8) + timedelta(days=365)


def test_only_a_coordinator_grants_a_qualification(briefing: Qualification, resident: User) -> None:
    with pytest.raises(errors.NotYourBooking):
        qualification_grant(member=resident, qualification=briefing, granted_by=resident, now=at(8))


def test_even_an_override_does_not_skip_the_qualification(
    lathe: Resource, resident: User, coordinator: User
) -> None:
    with pytest.raises(errors.QualificationRequired):
        book(lathe, resident, at(10), at(11), actor=coordinator, override=True)
