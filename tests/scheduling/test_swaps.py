from datetime import datetime, timedelta

import pytest

from scheduling import errors
from scheduling.models import Eligibility, Notification, SignUp, SignUpStatus, SlotRole, SwapStatus
from scheduling.services.signups import SignupRequest, signup_create
from scheduling.services.swaps import swap_offer_create, swap_take, swap_withdraw
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create

pytestmark = pytest.mark.django_db

EVENING = datetime(2026, 6, 10, 18, 0, tzinfo=BERLIN)
BEFORE = EVENING - timedelta(days=2)


@pytest.fixture
def watering():
    return activity_create(
        kind="shift",
        title="Gießen",
        frequency="DAILY",
        first_start="2026-05-01T18:00",
        hours=1,
        places=1,
        eligibility=Eligibility.VOLUNTEERS,
    )


@pytest.fixture
def mine(watering):
    volunteer = MemberFactory(volunteer=True)
    return signup_create(
        request=SignupRequest(activity=watering, start=EVENING, member=volunteer),
        actor=volunteer,
        now=BEFORE,
    )


def test_another_volunteer_takes_over_the_shift_in_one_step(mine: SignUp) -> None:
    offer = swap_offer_create(signup=mine, actor=mine.member, now=BEFORE)
    other = MemberFactory(volunteer=True)

    taken = swap_take(offer=offer, taker=other, now=BEFORE + timedelta(hours=1))

    mine.refresh_from_db()
    offer.refresh_from_db()
    assert (taken.member, taken.status, taken.role_id) == (
        other,
        SignUpStatus.CONFIRMED,
        mine.role_id,
    )
    assert mine.status == SignUpStatus.CANCELLED
    assert (offer.status, offer.taken_by) == (SwapStatus.TAKEN, taken)
    assert SlotRole.objects.get(slot=mine.slot).taken == 1, "never unstaffed, never double"
    assert Notification.objects.get(kind="swap_taken").member == mine.member


def test_the_shift_stays_mine_until_someone_takes_it(mine: SignUp) -> None:
    swap_offer_create(signup=mine, actor=mine.member, now=BEFORE)

    mine.refresh_from_db()
    assert mine.status == SignUpStatus.CONFIRMED


def test_a_resident_who_may_not_do_the_shift_cannot_take_it(mine: SignUp) -> None:
    offer = swap_offer_create(signup=mine, actor=mine.member, now=BEFORE)

    with pytest.raises(errors.NotEligible):
        swap_take(offer=offer, taker=MemberFactory(), now=BEFORE)


def test_an_offer_is_taken_only_once(mine: SignUp) -> None:
    offer = swap_offer_create(signup=mine, actor=mine.member, now=BEFORE)
    swap_take(offer=offer, taker=MemberFactory(volunteer=True), now=BEFORE)

    with pytest.raises(errors.SwapNotOpen):
        swap_take(offer=offer, taker=MemberFactory(volunteer=True), now=BEFORE)


def test_a_withdrawn_offer_cannot_be_taken(mine: SignUp) -> None:
    offer = swap_offer_create(signup=mine, actor=mine.member, now=BEFORE)
    swap_withdraw(offer=offer, actor=mine.member, now=BEFORE)

    with pytest.raises(errors.SwapNotOpen):
        swap_take(offer=offer, taker=MemberFactory(volunteer=True), now=BEFORE)


def test_nobody_takes_over_their_own_shift_or_a_second_place(mine: SignUp, watering) -> None:
    offer = swap_offer_create(signup=mine, actor=mine.member, now=BEFORE)

    with pytest.raises(errors.AlreadySignedUp):
        swap_take(offer=offer, taker=mine.member, now=BEFORE)


def test_only_the_holder_offers_a_swap(mine: SignUp) -> None:
    with pytest.raises(errors.NotYourBooking):
        swap_offer_create(signup=mine, actor=MemberFactory(volunteer=True), now=BEFORE)


def test_no_swap_after_the_start(mine: SignUp) -> None:
    offer = swap_offer_create(signup=mine, actor=mine.member, now=BEFORE)

    with pytest.raises(errors.SwapNotOpen):
        swap_take(offer=offer, taker=MemberFactory(volunteer=True), now=EVENING)
