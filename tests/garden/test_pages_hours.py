"""A volunteer's hours page: log work, bad input answered next to the field, my entries with their
status and totals per month (Django test client, in English unless said)."""

from collections.abc import Iterator
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from garden.models import HoursEntry, HoursStatus
from garden.services.hours import hours_decide, hours_log
from tests.conftest import BERLIN
from tests.factories import MemberFactory

NOW = datetime(2026, 5, 11, 9, 0, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def volunteer(db: None) -> User:
    return MemberFactory(username="vera", volunteer=True)


def client_for(member: User, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(member)
    return client


@pytest.fixture
def vera(volunteer: User) -> Client:
    return client_for(volunteer)


def log(member: User, day: date, minutes: int, what: str = "Gießen") -> HoursEntry:
    return hours_log(member=member, day=day, minutes=minutes, activity=what, actor=member, now=NOW)


GOOD = {"day": "2026-05-09", "hours": "1.5", "activity": "Beete jäten", "note": ""}


def test_logging_hours(vera: Client, volunteer: User) -> None:
    response = vera.post("/garten/stunden/", GOOD)

    assert response.status_code == 302
    entry = HoursEntry.objects.get(member=volunteer)
    assert (entry.day, entry.minutes, entry.status) == (date(2026, 5, 9), 90, HoursStatus.PENDING)


def test_hours_take_a_decimal_comma_in_german(volunteer: User) -> None:
    client_for(volunteer, "de").post("/garten/stunden/", {**GOOD, "hours": "2,25"})

    assert HoursEntry.objects.get(member=volunteer).minutes == 135


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("day", "", "This field is required."),
        ("day", "someday", "Enter a valid date."),
        ("hours", "lots", "Enter a number."),
        ("hours", "0", "Ensure this value is greater than or equal to 0.25."),
        ("hours", "25", "Ensure this value is less than or equal to 24."),
        ("activity", "", "This field is required."),
    ],
)
def test_bad_input_is_answered_next_to_the_field(
    vera: Client, field: str, value: str, message: str
) -> None:
    response = vera.post("/garten/stunden/", {**GOOD, field: value})

    assert response.status_code == 400
    assert f'id="id_{field}-errors"' in response.content.decode()
    assert message in response.content.decode()
    assert not HoursEntry.objects.exists()


def test_hours_for_a_day_to_come_are_refused_in_the_page(vera: Client) -> None:
    response = vera.post("/garten/stunden/", {**GOOD, "day": "2026-05-12"})

    assert response.status_code == 400
    assert "Hours can only be logged for days that have begun." in response.content.decode()


def test_a_resident_cannot_log_hours(client_of: Client) -> None:
    assert "Only volunteers and honorary workers log hours." in (
        client_of.get("/garten/stunden/").content.decode()
    )

    response = client_of.post("/garten/stunden/", GOOD)

    assert response.status_code == 400
    assert not HoursEntry.objects.exists()


def test_my_hours_show_status_and_totals_per_month(
    vera: Client, volunteer: User, coordinator: User
) -> None:
    approved = log(volunteer, date(2026, 5, 4), 90, "Kompost")
    hours_decide(entry=approved, actor=coordinator, now=NOW, approve=True)
    log(volunteer, date(2026, 5, 6), 45, "Gießen")
    rejected = log(volunteer, date(2026, 4, 20), 60, "Zaun")
    hours_decide(entry=rejected, actor=coordinator, now=NOW, approve=False)

    page = vera.get("/garten/stunden/").content.decode()

    assert page.index("May 2026") < page.index("April 2026")
    assert "approved: 1:30 h" in page
    assert "to approve: 0:45 h" in page
    assert "rejected: 1:00 h" in page
    assert "Kompost" in page
    assert "Zaun" in page


def test_my_hours_show_only_mine(vera: Client, db: None) -> None:
    log(MemberFactory(volunteer=True), date(2026, 5, 4), 90, "Fremde Arbeit")

    assert "Fremde Arbeit" not in vera.get("/garten/stunden/").content.decode()


def test_my_hours_take_the_same_queries_for_two_entries_and_for_twelve(
    vera: Client, volunteer: User
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert vera.get("/garten/stunden/").status_code == 200
        return len(captured)

    for day in (1, 2):
        log(volunteer, date(2026, 5, day), 60)
    few = queries()
    for month in range(1, 11):
        log(volunteer, date(2025, month, 3), 60)

    assert queries() == few


def test_my_hours_need_a_login(db: None) -> None:
    response = Client().get("/garten/stunden/")

    assert response["Location"] == "/accounts/login/?next=/garten/stunden/"


@pytest.fixture
def client_of(resident: User) -> Client:
    return client_for(resident)
