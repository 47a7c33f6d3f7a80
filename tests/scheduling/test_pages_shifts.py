"""Volunteers' shift pages: the open shifts (by day and role, understaffed first, what I may not
take explained), one shift with sign-up per role, cancel, and swaps offered, withdrawn and taken
over; refusals answered in the page (Django test client, in English)."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from scheduling.models import (
    Activity,
    ActivityRole,
    Qualification,
    SignUp,
    SignUpStatus,
    SwapOffer,
    SwapStatus,
)
from scheduling.services.signups import SignupRequest, signup_create
from scheduling.services.swaps import swap_offer_create
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create

NOW = datetime(2026, 5, 11, 9, 0, tzinfo=BERLIN)  # a Monday
SATURDAY = datetime(2026, 5, 16, 10, 0, tzinfo=BERLIN)
TUESDAY = datetime(2026, 5, 12, 17, 0, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def shift_create(title: str = "Gießdienst", **settings: Any) -> Activity:
    settings.setdefault("first_start", "2026-05-16T10:00")
    settings.setdefault("places", {"Gießen": 2, "Kompost": 1})
    settings.setdefault("eligibility", "volunteers")
    return activity_create(title=title, kind="shift", calendar_slug="garten", hours=2, **settings)


def shift_path(activity: Activity, start: datetime = SATURDAY) -> str:
    return f"/schichten/{activity.event_id}/{start.astimezone(UTC):%Y%m%dT%H%M%SZ}/"


def role(activity: Activity, name: str) -> ActivityRole:
    return ActivityRole.objects.get(activity=activity, name=name)


def client_for(member: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(member)
    return client


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def client_of(resident: User) -> Client:
    return client_for(resident)


@pytest.fixture
def volunteer(db: None) -> User:
    return MemberFactory(username="vera", volunteer=True)


@pytest.fixture
def vera(volunteer: User) -> Client:
    return client_for(volunteer)


@pytest.fixture
def watering(db: None) -> Activity:
    return shift_create()


def sign_up(activity: Activity, member: User, name: str = "Gießen") -> SignUp:
    request = SignupRequest(
        activity=activity, start=SATURDAY, member=member, role=role(activity, name)
    )
    return signup_create(request=request, actor=member, now=NOW)


# --- the list -----------------------------------------------------------------------------------


def test_the_shift_list_shows_the_shifts_of_the_coming_weeks(
    vera: Client, watering: Activity
) -> None:
    page = vera.get("/schichten/").content.decode()

    assert "Gießdienst" in page
    assert shift_path(watering) in page
    assert shift_path(watering, SATURDAY.replace(day=23)) in page


def test_understaffed_shifts_come_first_and_are_marked(vera: Client, db: None) -> None:
    shift_create("Werkzeug aufräumen", first_start="2026-05-12T17:00", places={"": 3})
    compost = shift_create("Kompost umsetzen", places={"": 3})
    ActivityRole.objects.filter(activity=compost).update(min_staffing=2)

    page = vera.get("/schichten/?tag=2026-05-12").content.decode()
    assert "Understaffed" not in page
    page = vera.get("/schichten/").content.decode()

    assert page.index("Kompost umsetzen") < page.index("Werkzeug aufräumen")
    assert "Understaffed: help needed" in page


def test_the_shift_list_filters_by_day(vera: Client, watering: Activity) -> None:
    shift_create("Werkzeug aufräumen", first_start="2026-05-12T17:00")

    page = vera.get("/schichten/?tag=2026-05-12").content.decode()

    assert "Werkzeug aufräumen" in page
    assert "Gießdienst" not in page


def test_the_shift_list_filters_by_role(vera: Client, watering: Activity) -> None:
    shift_create("Werkzeug aufräumen", places={"Aufräumen": 2})

    page = vera.get("/schichten/?rolle=Kompost").content.decode()

    assert "Gießdienst" in page
    assert "Werkzeug aufräumen" not in page


def test_a_day_that_is_no_date_is_answered_in_the_page(vera: Client, watering: Activity) -> None:
    response = vera.get("/schichten/?tag=someday")

    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_an_unknown_role_in_the_filter_is_answered_in_the_page(
    vera: Client, watering: Activity
) -> None:
    response = vera.get("/schichten/?rolle=Zaubern")

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_a_shift_a_resident_may_not_take_is_explained_without_a_button(
    client_of: Client, watering: Activity
) -> None:
    page = client_of.get("/schichten/").content.decode()

    assert "Only volunteers and honorary workers can take this shift." in page
    assert 'value="signup"' not in page


def test_a_shift_needing_a_qualification_is_explained(vera: Client, db: None) -> None:
    saw = Qualification.objects.create(name="Einweisung Motorsense", slug="motorsense")
    shift_create("Wiese mähen", required_qualification=saw, eligibility="qualified")

    page = vera.get("/schichten/").content.decode()

    assert "This shift needs a qualification first: Einweisung Motorsense." in page


def test_a_volunteer_may_sign_up_in_each_role_with_free_places(
    vera: Client, watering: Activity
) -> None:
    page = vera.get("/schichten/?tag=2026-05-16").content.decode()

    assert "Sign up as Gießen" in page
    assert "Sign up as Kompost" in page


def test_the_shift_list_takes_the_same_queries_for_two_shifts_and_for_eight(
    vera: Client, volunteer: User, db: None
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert vera.get("/schichten/").status_code == 200
        return len(captured)

    def add(n: int) -> None:
        activity = shift_create(f"Schicht {n}")
        mine = sign_up(activity, volunteer)
        swap_offer_create(signup=mine, actor=volunteer, now=NOW)
        sign_up(activity, MemberFactory(volunteer=True), "Kompost")

    for n in range(2):
        add(n)
    few = queries()
    for n in range(2, 8):
        add(n)

    assert queries() == few


def test_the_shift_pages_need_a_login(client: Client, watering: Activity) -> None:
    assert client.get("/schichten/")["Location"] == "/accounts/login/?next=/schichten/"
    assert client.get(shift_path(watering)).status_code == 302


def test_the_navigation_shows_shifts_to_volunteers_only(
    vera: Client, client_of: Client, db: None
) -> None:
    assert 'href="/schichten/"' in vera.get("/meine/termine/").content.decode()
    assert 'href="/schichten/"' not in client_of.get("/meine/termine/").content.decode()


# --- one shift: sign up and cancel --------------------------------------------------------------


def test_signing_up_for_a_shift_in_a_role(
    vera: Client, watering: Activity, volunteer: User
) -> None:
    compost = role(watering, "Kompost")

    response = vera.post(shift_path(watering), {"action": "signup", "role": compost.pk})

    assert response.status_code == 302
    assert response["Location"] == shift_path(watering)
    signup = SignUp.objects.get(member=volunteer)
    assert (signup.role_id, signup.status) == (compost.pk, SignUpStatus.CONFIRMED)


def test_signing_up_from_the_list_returns_to_the_list(vera: Client, watering: Activity) -> None:
    data = {"action": "signup", "role": role(watering, "Gießen").pk, "next": "/schichten/?tag="}

    response = vera.post(shift_path(watering), data)

    assert response["Location"] == "/schichten/?tag="


def test_a_next_address_on_another_site_is_not_followed(vera: Client, watering: Activity) -> None:
    data = {"action": "signup", "next": "https://elsewhere.example/"}

    response = vera.post(shift_path(watering), data)

    assert response["Location"] == shift_path(watering)


def test_a_full_role_is_answered_in_the_page(vera: Client, watering: Activity) -> None:
    sign_up(watering, MemberFactory(volunteer=True), "Kompost")

    response = vera.post(
        shift_path(watering), {"action": "signup", "role": role(watering, "Kompost").pk}
    )

    assert response.status_code == 400
    assert "All places are taken." in response.content.decode()


def test_a_role_of_another_shift_is_answered_in_the_page(vera: Client, watering: Activity) -> None:
    other = shift_create("Werkzeug aufräumen", places={"Aufräumen": 2})

    response = vera.post(
        shift_path(watering), {"action": "signup", "role": role(other, "Aufräumen").pk}
    )

    assert response.status_code == 400
    assert "This role does not belong to the event." in response.content.decode()


def test_a_resident_signing_up_for_a_volunteers_shift_is_refused_in_the_page(
    client_of: Client, watering: Activity, resident: User
) -> None:
    response = client_of.post(shift_path(watering), {"action": "signup"})

    assert response.status_code == 400
    assert "You cannot sign up for this." in response.content.decode()
    assert not SignUp.objects.filter(member=resident).exists()


def test_cancelling_my_shift(vera: Client, watering: Activity, volunteer: User) -> None:
    signup = sign_up(watering, volunteer)

    vera.post(shift_path(watering), {"action": "cancel"})

    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CANCELLED


def test_cancelling_a_shift_i_do_not_hold_is_answered_in_the_page(
    vera: Client, watering: Activity
) -> None:
    response = vera.post(shift_path(watering), {"action": "cancel"})

    assert response.status_code == 400
    assert "can no longer be cancelled" in response.content.decode()


def test_an_unknown_action_on_a_shift_is_answered_in_the_page(
    vera: Client, watering: Activity
) -> None:
    response = vera.post(shift_path(watering), {"action": "dance"})

    assert response.status_code == 400
    assert "Please use one of the buttons" in response.content.decode()


def test_a_shift_that_does_not_exist_is_not_found(
    vera: Client, watering: Activity, db: None
) -> None:
    workshop = activity_create(title="Repair-Café", first_start="2026-05-16T10:00")

    assert vera.get(shift_path(watering, SATURDAY.replace(hour=9))).status_code == 404
    assert vera.get(f"/schichten/{watering.event_id}/tomorrow/").status_code == 404
    assert vera.get(shift_path(workshop)).status_code == 404


def test_the_shift_page_shows_roles_places_and_my_sign_up(
    vera: Client, watering: Activity, volunteer: User
) -> None:
    sign_up(watering, volunteer)

    page = vera.get(shift_path(watering)).content.decode()

    assert "1 of 2 free" in page
    assert "confirmed · Gießen" in page
    assert 'value="cancel"' in page


# --- swaps --------------------------------------------------------------------------------------


def test_offering_my_shift_for_a_swap(vera: Client, watering: Activity, volunteer: User) -> None:
    signup = sign_up(watering, volunteer)

    response = vera.post(shift_path(watering), {"action": "swap"})

    assert response.status_code == 302
    assert SwapOffer.objects.get(signup=signup).status == SwapStatus.OPEN
    assert "offered for a swap" in vera.get(shift_path(watering)).content.decode()


def test_my_dates_offer_a_shift_for_a_swap_and_come_back(
    vera: Client, watering: Activity, volunteer: User
) -> None:
    signup = sign_up(watering, volunteer)
    page = vera.get("/meine/termine/").content.decode()
    assert f'action="{shift_path(watering)}"' in page

    response = vera.post(shift_path(watering), {"action": "swap", "next": "/meine/termine/"})

    assert response["Location"] == "/meine/termine/"
    assert SwapOffer.objects.filter(signup=signup, status=SwapStatus.OPEN).exists()


def test_my_dates_show_a_shift_offered_for_a_swap_and_withdraw_it_there(
    vera: Client, watering: Activity, volunteer: User
) -> None:
    offer = swap_offer_create(signup=sign_up(watering, volunteer), actor=volunteer, now=NOW)

    page = vera.get("/meine/termine/").content.decode()

    assert "offered for a swap" in page
    assert f'name="offer" value="{offer.pk}"' in page
    assert 'value="withdraw"' in page
    assert 'value="swap"' not in page  # offered once, not twice
    response = vera.post(
        shift_path(watering), {"action": "withdraw", "offer": offer.pk, "next": "/meine/termine/"}
    )
    assert response["Location"] == "/meine/termine/"
    offer.refresh_from_db()
    assert offer.status == SwapStatus.WITHDRAWN
    page = vera.get("/meine/termine/").content.decode()
    assert "offered for a swap" not in page
    assert 'value="swap"' in page


def test_my_dates_take_the_same_queries_with_swap_offers_as_without(
    vera: Client, volunteer: User, django_assert_num_queries: Any
) -> None:
    shifts = [shift_create(title=f"Dienst {n}") for n in range(3)]
    signups = [sign_up(shift, volunteer) for shift in shifts]
    vera.get("/meine/termine/")  # warm the session and the caches
    with CaptureQueriesContext(connection) as without:
        vera.get("/meine/termine/")
    for signup in signups:
        swap_offer_create(signup=signup, actor=volunteer, now=NOW)

    with django_assert_num_queries(len(without.captured_queries)):
        vera.get("/meine/termine/")


def test_offering_a_shift_i_do_not_hold_is_answered_in_the_page(
    vera: Client, watering: Activity
) -> None:
    response = vera.post(shift_path(watering), {"action": "swap"})

    assert response.status_code == 400


def test_withdrawing_my_swap_offer(vera: Client, watering: Activity, volunteer: User) -> None:
    offer = swap_offer_create(signup=sign_up(watering, volunteer), actor=volunteer, now=NOW)

    vera.post(shift_path(watering), {"action": "withdraw", "offer": offer.pk})

    offer.refresh_from_db()
    assert offer.status == SwapStatus.WITHDRAWN


def test_taking_over_a_swap_offer(vera: Client, watering: Activity, volunteer: User) -> None:
    giver = MemberFactory(volunteer=True)
    offer = swap_offer_create(signup=sign_up(watering, giver), actor=giver, now=NOW)
    assert "Take over a swap offer" in vera.get("/schichten/").content.decode()

    response = vera.post(shift_path(watering), {"action": "take", "offer": offer.pk})

    assert response.status_code == 302
    taken = SignUp.objects.get(member=volunteer)
    assert (taken.status, taken.role_id) == (SignUpStatus.CONFIRMED, role(watering, "Gießen").pk)
    assert SignUp.objects.get(member=giver).status == SignUpStatus.CANCELLED


def test_taking_over_an_offer_that_is_gone_is_answered_in_the_page(
    vera: Client, watering: Activity
) -> None:
    for offer in ("", "9999", "x"):
        response = vera.post(shift_path(watering), {"action": "take", "offer": offer})

        assert response.status_code == 400
        assert "This swap is no longer open." in response.content.decode()


def test_taking_over_my_own_offer_is_answered_in_the_page(
    vera: Client, watering: Activity, volunteer: User
) -> None:
    offer = swap_offer_create(signup=sign_up(watering, volunteer), actor=volunteer, now=NOW)

    response = vera.post(shift_path(watering), {"action": "take", "offer": offer.pk})

    assert response.status_code == 400
    assert "You are already signed up for this." in response.content.decode()
