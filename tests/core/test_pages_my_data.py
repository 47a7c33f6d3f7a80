"""My data: the export to download and the account deleted after a confirmation, refused in the
page while a tool is out; and the frame right to left for a right-to-left language."""

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client, override_settings

from accounts.models import User
from scheduling.models import Booking, BookingStatus
from tests.conftest import BERLIN
from tests.factories import MemberFactory, resource_create
from tests.scheduling.conftest import book
from werkhaus.models import ToolCategory, ToolType
from werkhaus.services.loans import CheckOut, loan_check_out

NOW = datetime(2026, 5, 11, 9, 0, tzinfo=BERLIN)  # a Monday
URL = "/meine/daten/"
EXPORT_URL = "/meine/daten/export/"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def browser_of(resident: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(resident)
    return client


def test_visitors_are_sent_to_the_login(db: None) -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_settings_link_to_my_data(browser_of: Client) -> None:
    page = browser_of.get("/meine/einstellungen/").content.decode()

    assert f'href="{URL}"' in page


def test_the_page_says_what_deleting_does(browser_of: Client) -> None:
    page = browser_of.get(URL).content.decode()

    assert "Borrowed tools must be back first" in page
    assert f'href="{EXPORT_URL}"' in page


def test_the_export_is_a_json_file_to_download(browser_of: Client) -> None:
    response = browser_of.get(EXPORT_URL)

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="meine-daten-2026-05-11.json"'


def test_the_export_is_the_apis(browser_of: Client, resident: User) -> None:
    api = Client()
    api.force_login(resident)

    page = json.loads(browser_of.get(EXPORT_URL).content)

    assert page == api.get("/api/v1/me/export/").json()
    assert page["member"] == resident.pk
    assert page["records"]["accounts.user"][0]["display_name"] == "Rana Haddad"


def test_deleting_without_the_tick_is_answered_next_to_the_box(
    browser_of: Client, resident: User
) -> None:
    response = browser_of.post(URL, {})

    resident.refresh_from_db()
    assert response.status_code == 400
    assert "Please tick the box" in response.content.decode()
    assert resident.display_name == "Rana Haddad"


def test_deleting_anonymises_the_account_and_logs_out(browser_of: Client, resident: User) -> None:
    response = browser_of.post(URL, {"confirm": "on"})

    resident.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert resident.display_name != "Rana Haddad"
    assert resident.username is None
    assert browser_of.get(URL).status_code == 302  # logged out


def test_the_start_page_says_the_account_is_deleted(browser_of: Client) -> None:
    response = browser_of.post(URL, {"confirm": "on"}, follow=True)

    assert "Your account is deleted." in response.content.decode()


def test_deleting_cancels_bookings_to_come(browser_of: Client, resident: User) -> None:
    bench = resource_create(name="Hobelbank", max_minutes=240)
    booking = book(bench, resident, NOW + timedelta(days=1), NOW + timedelta(days=1, hours=2))

    browser_of.post(URL, {"confirm": "on"})

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def _tool_out(member: User) -> None:
    resource = resource_create(
        name="Bohrhammer", kind="tool", slot_minutes=1440, max_minutes=7 * 1440
    )
    ToolType.objects.create(resource=resource, category=ToolCategory.POWER_TOOLS)
    start = datetime(2026, 5, 10, tzinfo=BERLIN)
    booking: Booking = book(resource, member, start, start + timedelta(days=3), now=start)
    check = CheckOut(condition="good", deposit=Decimal(0))
    loan_check_out(booking=booking, actor=MemberFactory(coordinator=True), now=start, check=check)


def test_a_tool_still_out_is_answered_in_the_page(browser_of: Client, resident: User) -> None:
    _tool_out(resident)

    response = browser_of.post(URL, {"confirm": "on"})

    resident.refresh_from_db()
    assert response.status_code == 400
    assert "Tools borrowed are still out." in response.content.decode()
    assert resident.display_name == "Rana Haddad"
    assert browser_of.get(URL).status_code == 200  # still logged in


# --- right to left ------------------------------------------------------------------------------

WITH_ARABIC = [("de", "Deutsch"), ("en", "English"), ("ar", "العربية")]


def test_a_right_to_left_language_turns_the_page_right_to_left(browser_of: Client) -> None:
    with override_settings(LANGUAGES=WITH_ARABIC):
        page = browser_of.get(URL, HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert '<html lang="ar" dir="rtl">' in page


def test_a_left_to_right_language_keeps_the_page_left_to_right(browser_of: Client) -> None:
    with override_settings(LANGUAGES=WITH_ARABIC):
        page = browser_of.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="en" dir="ltr">' in page
