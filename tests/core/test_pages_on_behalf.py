"""Coordinators act for members (Django test client): sign a member up for a session or shift
in a role, and register a walk-in member without login, then go on with them chosen."""

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client

from accounts.models import User
from scheduling.models import Activity, ActivityRole, SignUp, SignUpStatus
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create, resource_create
from werkhaus.models import ToolCategory, ToolType

NOW = datetime(2026, 5, 11, 9, 0, tzinfo=BERLIN)  # a Monday
SIGNUP_URL = "/koordination/anmelden/"
NEW_URL = "/koordination/mitglieder/neu/"
TODAYS_SESSION = "20260511T120000Z"  # 14:00 in Berlin


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def desk(coordinator: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    return client


def session(places: int = 8, **settings: Any) -> Activity:
    return activity_create(
        title="Repair-Café", first_start="2026-05-11T14:00", places=places, **settings
    )


def choice(activity: Activity, when: str = TODAYS_SESSION) -> str:
    role = ActivityRole.objects.filter(activity=activity).order_by("pk").first()
    assert role is not None
    return f"{activity.pk}:{when}:{role.pk}"


def sign_up(client: Client, member: User, activity: Activity, **more: str) -> Any:
    return client.post(
        SIGNUP_URL, {"member": member.pk, "date": choice(activity), "tag": "2026-05-11", **more}
    )


# --- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [SIGNUP_URL, NEW_URL])
def test_residents_are_refused(url: str, resident: User) -> None:
    client = Client()
    client.force_login(resident)

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", [SIGNUP_URL, NEW_URL])
def test_visitors_are_sent_to_the_login(url: str, db: None) -> None:
    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_today_links_to_signing_up_and_registering(desk: Client) -> None:
    page = desk.get("/koordination/").content.decode()

    assert f'href="{SIGNUP_URL}"' in page
    assert f'href="{NEW_URL}?weiter=ausgabe"' in page


# --- signing up on behalf -----------------------------------------------------------------------


def test_finding_a_member_links_to_signing_them_up(desk: Client, resident: User) -> None:
    page = desk.get(SIGNUP_URL, {"q": "hadd"}).content.decode()

    assert f'href="?mitglied={resident.pk}"' in page


def test_the_dates_of_the_week_are_offered_with_their_free_places(
    desk: Client, resident: User
) -> None:
    activity = session(places=8)

    page = desk.get(SIGNUP_URL, {"mitglied": resident.pk}).content.decode()

    assert f'value="{choice(activity)}"' in page
    assert "Repair-Café · 8 of 8 places free" in page


def test_each_role_of_a_shift_is_a_choice_of_its_own(desk: Client, resident: User) -> None:
    shift = activity_create(
        title="Gießen",
        kind="shift",
        calendar_slug="garten",
        first_start="2026-05-12T17:00",
        places={"Gießen": 2, "Kompost": 1},
    )

    page = desk.get(SIGNUP_URL, {"mitglied": resident.pk}).content.decode()

    for role in shift.roles.all():
        assert f'value="{shift.pk}:20260512T150000Z:{role.pk}"' in page


def test_a_coordinator_signs_a_member_up(desk: Client, resident: User, coordinator: User) -> None:
    activity = session()

    response = sign_up(desk, resident, activity)

    signup = SignUp.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{SIGNUP_URL}?mitglied={resident.pk}&tag=2026-05-11"
    assert (signup.member, signup.created_by) == (resident, coordinator)
    assert signup.status == SignUpStatus.CONFIRMED


def test_the_page_says_who_is_signed_up(desk: Client, resident: User) -> None:
    response = desk.post(
        SIGNUP_URL,
        {"member": resident.pk, "date": choice(session()), "tag": "2026-05-11"},
        follow=True,
    )

    assert "Rana Haddad is signed up for Repair-Café" in response.content.decode()


def test_a_coordinator_signs_up_after_the_cut_off(desk: Client, resident: User) -> None:
    activity = session(signup_cutoff_minutes=6 * 60)  # closed at 8:00 for members

    sign_up(desk, resident, activity)

    assert SignUp.objects.filter(member=resident).exists()


def test_a_full_session_is_answered_in_the_page(desk: Client, resident: User) -> None:
    activity = session(places=1)
    sign_up(desk, MemberFactory(), activity)

    response = sign_up(desk, resident, activity)

    assert response.status_code == 400
    assert "All places are taken." in response.content.decode()
    assert not SignUp.objects.filter(member=resident).exists()


def test_a_full_session_puts_the_member_on_the_waitlist_when_asked(
    desk: Client, resident: User
) -> None:
    activity = session(places=1)
    sign_up(desk, MemberFactory(), activity)

    sign_up(desk, resident, activity, waitlist="on")

    assert SignUp.objects.get(member=resident).status == SignUpStatus.WAITLISTED


def test_signing_up_twice_is_answered_in_the_page(desk: Client, resident: User) -> None:
    activity = session()
    sign_up(desk, resident, activity)

    response = sign_up(desk, resident, activity)

    assert response.status_code == 400
    assert "already signed up" in response.content.decode()


def test_a_shift_for_volunteers_refuses_a_resident_in_the_page(
    desk: Client, resident: User
) -> None:
    activity = session(eligibility="volunteers")

    response = sign_up(desk, resident, activity)

    assert response.status_code == 400
    assert "You cannot sign up for this." in response.content.decode()


def test_a_date_not_in_the_list_is_answered_next_to_the_field(desk: Client, resident: User) -> None:
    activity = session()

    response = desk.post(
        SIGNUP_URL,
        {"member": resident.pk, "date": choice(activity, "20260511T130000Z"), "tag": "2026-05-11"},
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_signing_up_without_a_member_asks_to_find_one(desk: Client) -> None:
    activity = session()

    response = desk.post(SIGNUP_URL, {"date": choice(activity), "tag": "2026-05-11"})

    assert response.status_code == 400
    assert "Please find the member first." in response.content.decode()


def test_a_past_day_shows_the_dates_from_today(desk: Client, resident: User) -> None:
    activity = session()

    query: dict[str, str | int] = {"mitglied": resident.pk, "tag": "2020-01-01"}

    page = desk.get(SIGNUP_URL, query).content.decode()

    assert f'value="{choice(activity)}"' in page


# --- a walk-in member ---------------------------------------------------------------------------

WALK_IN = {"display_name": "Amina Yusuf", "phone": "0170 1234567", "preferred_language": "en"}


def test_registering_a_walk_in_makes_a_member_without_login(
    desk: Client, coordinator: User
) -> None:
    desk.post(NEW_URL, WALK_IN)

    member = User.objects.get(display_name="Amina Yusuf")
    assert not member.has_login
    assert (member.phone, member.preferred_language) == ("0170 1234567", "en")
    assert member.managed_by == coordinator
    assert member.is_resident


def test_a_walk_in_goes_on_to_booking_for_them(desk: Client) -> None:
    response = desk.post(NEW_URL, {**WALK_IN, "weiter": "buchen"})

    member = User.objects.get(display_name="Amina Yusuf")
    assert response["Location"] == f"/koordination/buchen/?mitglied={member.pk}"


def test_a_walk_in_goes_on_to_signing_them_up(desk: Client) -> None:
    response = desk.post(NEW_URL, {**WALK_IN, "weiter": "anmelden"})

    member = User.objects.get(display_name="Amina Yusuf")
    assert response["Location"] == f"{SIGNUP_URL}?mitglied={member.pk}"


def test_a_walk_in_goes_back_to_the_tool_at_the_counter_chosen_to_lend_to(desk: Client) -> None:
    drill = resource_create(name="Bohrhammer", kind="tool", slot_minutes=1440)
    ToolType.objects.create(resource=drill, category=ToolCategory.POWER_TOOLS, deposit=Decimal(0))
    label = drill.units.get().label

    response = desk.post(NEW_URL, {**WALK_IN, "weiter": "ausgabe", "q": label}, follow=True)

    member = User.objects.get(display_name="Amina Yusuf")
    assert response.redirect_chain[0][0] == f"/koordination/ausgabe/?q={label}&mitglied={member.pk}"
    assert f'name="member" value="#{member.pk}"' in response.content.decode()


def test_a_walk_in_found_at_the_counter_without_a_tool_is_looked_up_there(desk: Client) -> None:
    response = desk.post(NEW_URL, {**WALK_IN, "weiter": "ausgabe"})

    assert response["Location"] == "/koordination/ausgabe/?q=Amina+Yusuf"


def test_a_walk_in_without_a_name_is_answered_next_to_the_name(desk: Client) -> None:
    response = desk.post(NEW_URL, {**WALK_IN, "display_name": "   "})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not User.objects.filter(phone="0170 1234567").exists()


def test_a_wrong_e_mail_address_is_answered_next_to_it(desk: Client) -> None:
    response = desk.post(NEW_URL, {**WALK_IN, "email": "amina@"})

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


def test_an_unknown_language_is_answered_next_to_it(desk: Client) -> None:
    response = desk.post(NEW_URL, {**WALK_IN, "preferred_language": "xx"})

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_the_name_searched_for_fills_the_form(desk: Client) -> None:
    page = desk.get(NEW_URL, {"name": "Amina", "weiter": "buchen"}).content.decode()

    assert 'value="Amina"' in page


@pytest.mark.parametrize("url", ["/koordination/buchen/", SIGNUP_URL, "/koordination/ausgabe/"])
def test_member_searches_link_to_registering_instead_of_the_administration(
    desk: Client, url: str
) -> None:
    page = desk.get(url, {"q": "Niemand"}).content.decode()

    assert f'href="{NEW_URL}?weiter=' in page
    assert "/admin/accounts/user/add/" not in page
