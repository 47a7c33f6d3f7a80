from datetime import datetime, timedelta

import pytest

from accounts.models import User
from scheduling import errors
from scheduling.models import (
    AuditEntry,
    Eligibility,
    MemberQualification,
    Notification,
    Qualification,
    SignUp,
    SignUpStatus,
    SlotRole,
    WaitlistMode,
)
from scheduling.services.qualifications import qualification_grant
from scheduling.services.signups import (
    SignupRequest,
    signup_accept_offer,
    signup_cancel,
    signup_create,
    signup_mark_attendance,
    signups_expire_offers,
)
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create

pytestmark = pytest.mark.django_db

# The repair café of the tests: Saturdays 14–17 from 2 May 2026.
SATURDAY = datetime(2026, 5, 16, 14, 0, tzinfo=BERLIN)
BEFORE = SATURDAY - timedelta(days=3)


def sign_up(activity, member, *, start=SATURDAY, now=BEFORE, actor=None, **extra):
    return signup_create(
        request=SignupRequest(activity=activity, start=start, member=member, **extra),
        actor=actor or member,
        now=now,
    )


def taken(activity, start=SATURDAY) -> int:
    return sum(
        SlotRole.objects.filter(slot__activity=activity, slot__original_start=start).values_list(
            "taken", flat=True
        )
    )


def test_a_member_signs_up_and_takes_a_place(resident: User) -> None:
    cafe = activity_create(places=3)

    signup = sign_up(cafe, resident)

    assert signup.status == SignUpStatus.CONFIRMED
    assert taken(cafe) == 1
    assert AuditEntry.objects.get(signup=signup).action == "signed_up"


def test_a_full_occurrence_refuses_with_full() -> None:
    cafe = activity_create(places=1)
    sign_up(cafe, MemberFactory())

    with pytest.raises(errors.Full) as refusal:
        sign_up(cafe, MemberFactory())

    assert (refusal.value.code, refusal.value.status) == ("full", 409)
    assert taken(cafe) == 1


def test_places_are_counted_per_date() -> None:
    cafe = activity_create(places=1)
    sign_up(cafe, MemberFactory())

    assert sign_up(cafe, MemberFactory(), start=SATURDAY + timedelta(days=7))


def test_nobody_holds_two_places_in_one_occurrence(resident: User) -> None:
    cafe = activity_create(places=5)
    sign_up(cafe, resident)

    with pytest.raises(errors.AlreadySignedUp):
        sign_up(cafe, resident)
    with pytest.raises(errors.AlreadySignedUp):
        sign_up(cafe, resident, waitlist=True)
    assert taken(cafe) == 1


def test_a_time_that_is_not_a_date_of_the_event_is_refused(resident: User) -> None:
    cafe = activity_create()

    with pytest.raises(errors.NoSuchOccurrence):
        sign_up(cafe, resident, start=SATURDAY + timedelta(hours=1))


def test_sign_up_closes_at_the_cut_off(resident: User) -> None:
    cafe = activity_create(signup_cutoff_minutes=24 * 60)

    with pytest.raises(errors.SignupClosed) as refusal:
        sign_up(cafe, resident, now=SATURDAY - timedelta(hours=23))

    assert refusal.value.code == "signup_closed"


def test_a_coordinator_signs_someone_up_after_the_cut_off(
    resident: User, coordinator: User
) -> None:
    cafe = activity_create(signup_cutoff_minutes=24 * 60)

    signup = sign_up(cafe, resident, actor=coordinator, now=SATURDAY - timedelta(hours=2))

    assert signup.created_by == coordinator
    assert Notification.objects.get(signup=signup).kind == "signup_created_for_you"


def test_a_resident_cannot_sign_up_someone_else(resident: User) -> None:
    with pytest.raises(errors.NotYourBooking):
        sign_up(activity_create(), MemberFactory(), actor=resident)


def test_a_volunteer_shift_is_not_for_residents(resident: User) -> None:
    shift = activity_create(kind="shift", eligibility=Eligibility.VOLUNTEERS)

    with pytest.raises(errors.NotEligible) as refusal:
        sign_up(shift, resident)

    assert (refusal.value.code, refusal.value.status) == ("not_eligible", 403)
    assert sign_up(shift, MemberFactory(volunteer=True))
    assert sign_up(shift, MemberFactory(honorary_worker=True))


def test_a_paid_shift_is_for_honorary_workers_only() -> None:
    shift = activity_create(kind="shift", eligibility=Eligibility.HONORARY, paid=True)

    with pytest.raises(errors.NotEligible):
        sign_up(shift, MemberFactory(volunteer=True))
    assert sign_up(shift, MemberFactory(honorary_worker=True))


def test_a_course_for_qualified_members_checks_the_qualification(coordinator: User) -> None:
    lathe = Qualification.objects.create(name="Drechseln", slug="drechseln")
    course = activity_create(eligibility=Eligibility.QUALIFIED, required_qualification=lathe)
    member = MemberFactory()

    with pytest.raises(errors.NotEligible):
        sign_up(course, member)
    qualification_grant(member=member, qualification=lathe, granted_by=coordinator, now=BEFORE)
    assert sign_up(course, member)


def test_a_role_is_chosen_when_asked_for_and_counted_on_its_own() -> None:
    shift = activity_create(kind="shift", places={"Gießen": 2, "Kompost": 1})
    compost = shift.roles.get(name="Kompost")
    sign_up(shift, MemberFactory(), role=compost)

    with pytest.raises(errors.Full):
        sign_up(shift, MemberFactory(), role=compost)
    assert sign_up(shift, MemberFactory()).role.name == "Gießen"


def test_a_role_of_another_event_is_refused(resident: User) -> None:
    other = activity_create(title="Nähkurs", places={"Nähen": 3})

    with pytest.raises(errors.UnknownRole):
        sign_up(activity_create(), resident, role=other.roles.get())


def test_a_full_occurrence_puts_the_member_on_the_waitlist_when_asked() -> None:
    cafe = activity_create(places=1)
    sign_up(cafe, MemberFactory())

    waiting = sign_up(cafe, MemberFactory(), waitlist=True)

    assert waiting.status == SignUpStatus.WAITLISTED
    assert taken(cafe) == 1


def test_a_cancellation_gives_the_place_to_the_first_on_the_waitlist() -> None:
    cafe = activity_create(places=1)
    first = sign_up(cafe, MemberFactory())
    second = sign_up(cafe, MemberFactory(), waitlist=True)
    third = sign_up(cafe, MemberFactory(), waitlist=True)

    signup_cancel(signup=first, actor=first.member, now=BEFORE)

    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("confirmed", "waitlisted")
    assert taken(cafe) == 1
    assert Notification.objects.get(kind="signup_promoted").member == second.member


def test_an_offer_mode_holds_the_place_for_a_while_then_passes_it_on() -> None:
    cafe = activity_create(places=1, waitlist_mode=WaitlistMode.OFFER, offer_hours=12)
    first = sign_up(cafe, MemberFactory())
    second = sign_up(cafe, MemberFactory(), waitlist=True)
    third = sign_up(cafe, MemberFactory(), waitlist=True)
    signup_cancel(signup=first, actor=first.member, now=BEFORE)
    second.refresh_from_db()
    assert second.status == SignUpStatus.OFFERED
    assert second.offer_expires_at == BEFORE + timedelta(hours=12)

    assert signups_expire_offers(now=BEFORE + timedelta(hours=12)) == 1

    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, third.status) == ("cancelled", "offered")
    assert taken(cafe) == 1
    with pytest.raises(errors.OfferExpired):
        signup_accept_offer(signup=third, actor=third.member, now=BEFORE + timedelta(hours=25))
    signup_accept_offer(signup=third, actor=third.member, now=BEFORE + timedelta(hours=13))
    third.refresh_from_db()
    assert third.status == SignUpStatus.CONFIRMED


def test_leaving_the_waitlist_frees_no_place() -> None:
    cafe = activity_create(places=1)
    sign_up(cafe, MemberFactory())
    waiting = sign_up(cafe, MemberFactory(), waitlist=True)

    signup_cancel(signup=waiting, actor=waiting.member, now=SATURDAY - timedelta(minutes=5))

    assert taken(cafe) == 1


def test_cancelling_closes_at_the_cut_off_for_members(resident: User, coordinator: User) -> None:
    cafe = activity_create(signup_cutoff_minutes=60)
    signup = sign_up(cafe, resident)

    with pytest.raises(errors.SignupClosed):
        signup_cancel(signup=signup, actor=resident, now=SATURDAY - timedelta(minutes=30))
    signup_cancel(signup=signup, actor=coordinator, now=SATURDAY - timedelta(minutes=30))
    assert Notification.objects.filter(kind="signup_cancelled", member=resident).exists()


def test_a_coordinator_marks_attendance_after_the_start(coordinator: User, resident: User) -> None:
    cafe = activity_create()
    signup = sign_up(cafe, resident)

    with pytest.raises(errors.InvalidTransition):
        signup_mark_attendance(signup=signup, actor=coordinator, now=BEFORE, attended=True)
    signup_mark_attendance(
        signup=signup, actor=coordinator, now=SATURDAY + timedelta(hours=1), attended=False
    )

    signup.refresh_from_db()
    assert signup.status == SignUpStatus.NO_SHOW
    assert taken(cafe) == 1, "a no-show still held the place"


def test_attending_a_briefing_grants_its_qualification(coordinator: User, resident: User) -> None:
    laser = Qualification.objects.create(name="Laser", slug="laser", valid_days=365)
    briefing = activity_create(title="Einweisung Laser", grants_qualification=laser)
    signup = sign_up(briefing, resident)

    signup_mark_attendance(
        signup=signup, actor=coordinator, now=SATURDAY + timedelta(hours=3), attended=True
    )

    grant = MemberQualification.objects.get(member=resident)
    assert grant.qualification == laser
    assert grant.granted_by is None
    assert grant.valid_until == SATURDAY + timedelta(hours=3, days=365)


def test_a_resident_cannot_mark_attendance(resident: User) -> None:
    signup = sign_up(activity_create(), resident)

    with pytest.raises(errors.NotYourBooking):
        signup_mark_attendance(
            signup=signup, actor=resident, now=SATURDAY + timedelta(hours=1), attended=True
        )


def test_the_database_refuses_more_taken_than_places() -> None:
    from django.db import IntegrityError, transaction

    cafe = activity_create(places=1)
    sign_up(cafe, MemberFactory())

    with pytest.raises(IntegrityError), transaction.atomic():
        SlotRole.objects.filter(slot__activity=cafe).update(taken=2)


def test_the_database_refuses_a_second_live_sign_up_of_a_member(resident: User) -> None:
    from django.db import IntegrityError, transaction

    signup = sign_up(activity_create(places=3), resident)

    with pytest.raises(IntegrityError), transaction.atomic():
        SignUp.objects.create(
            slot=signup.slot,
            role=signup.role,
            member=resident,
            status="waitlisted",
            created_at=BEFORE,
            updated_at=BEFORE,
        )
