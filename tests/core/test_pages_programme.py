"""Residents' pages for dates and settings: the workshop programme and one date of it, my dates,
my settings, the garden page and the start page (Django test client, in English: the German of
new texts comes with the next translation run)."""

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from garden.models import PlotApplication, Season
from scheduling.models import FeedToken, NotificationOptOut, SignUp, SignUpStatus
from tests.conftest import BERLIN
from tests.factories import activity_create

NOW = datetime(2026, 5, 11, 9, 0, tzinfo=BERLIN)
SATURDAY = datetime(2026, 5, 16, 14, 0, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def client_of(resident: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(resident)
    return client


def date_path(activity: object, start: datetime) -> str:
    event_id = activity.event_id  # type: ignore[attr-defined]
    return f"/programm/{event_id}/{start.astimezone(UTC):%Y%m%dT%H%M%SZ}/"


@pytest.fixture
def repair_cafe(db: None) -> object:
    return activity_create(title="Repair-Café", first_start="2026-05-16T14:00", places=1)


def test_the_programme_lists_the_coming_sessions(client: Client, repair_cafe: object) -> None:
    page = client.get("/programm/").content.decode()

    assert "Repair-Café" in page
    assert date_path(repair_cafe, SATURDAY) in page


def _programme_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/programm/").status_code == 200
    return len(queries)


def test_the_programme_takes_the_same_queries_for_two_activities_and_for_eight(
    client_of: Client, db: None
) -> None:
    for n in range(2):
        activity_create(title=f"Kurs {n}", first_start="2026-05-16T10:00")
    few = _programme_queries(client_of)
    for n in range(2, 8):
        activity_create(title=f"Kurs {n}", first_start="2026-05-16T10:00")

    assert _programme_queries(client_of) == few


def test_signing_up_for_a_date(client_of: Client, repair_cafe: object, resident: User) -> None:
    response = client_of.post(date_path(repair_cafe, SATURDAY), {"action": "signup"})

    assert response.status_code == 302
    assert SignUp.objects.get(member=resident).status == SignUpStatus.CONFIRMED


def test_a_full_date_is_answered_in_the_page_and_offers_the_waitlist(
    client_of: Client, repair_cafe: object, resident: User
) -> None:
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    from tests.factories import MemberFactory

    other.force_login(MemberFactory())
    other.post(date_path(repair_cafe, SATURDAY), {"action": "signup"})

    response = client_of.post(date_path(repair_cafe, SATURDAY), {"action": "signup"})

    page = response.content.decode()
    assert response.status_code == 400
    assert "All places are taken." in page
    assert 'value="wait"' in page


def test_cancelling_my_sign_up_for_a_date(
    client_of: Client, repair_cafe: object, resident: User
) -> None:
    client_of.post(date_path(repair_cafe, SATURDAY), {"action": "signup"})

    client_of.post(date_path(repair_cafe, SATURDAY), {"action": "cancel"})

    assert SignUp.objects.get(member=resident).status == SignUpStatus.CANCELLED


def test_an_unknown_action_on_a_date_is_answered_in_the_page(
    client_of: Client, repair_cafe: object
) -> None:
    response = client_of.post(date_path(repair_cafe, SATURDAY), {"action": "dance"})

    assert response.status_code == 400
    assert "Please use one of the buttons" in response.content.decode()


def test_a_date_that_does_not_exist_is_not_found(client: Client, repair_cafe: object) -> None:
    assert client.get(date_path(repair_cafe, SATURDAY.replace(hour=9))).status_code == 404
    assert client.get("/programm/1/yesterday/").status_code == 404


def test_my_dates_list_my_sign_ups_and_cancel_them(
    client_of: Client, repair_cafe: object, resident: User
) -> None:
    client_of.post(date_path(repair_cafe, SATURDAY), {"action": "signup"})
    signup = SignUp.objects.get(member=resident)
    assert "Repair-Café" in client_of.get("/meine/termine/").content.decode()

    client_of.post("/meine/termine/", {"signup": signup.pk, "action": "cancel"})

    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CANCELLED


def test_a_bad_request_on_my_dates_is_answered_in_the_page(client_of: Client) -> None:
    response = client_of.post("/meine/termine/", {"signup": "x", "action": "cancel"})

    assert response.status_code == 400


def test_my_dates_need_a_login(client: Client, db: None) -> None:
    assert client.get("/meine/termine/")["Location"] == "/accounts/login/?next=/meine/termine/"


def test_a_new_calendar_address_is_shown_once(client_of: Client, resident: User) -> None:
    page = client_of.post("/meine/einstellungen/", {"action": "feed_new"}).content.decode()

    assert "/ical/u/" in page
    assert "webcal://" in page
    assert FeedToken.objects.filter(member=resident, revoked_at__isnull=True).count() == 1
    assert "/ical/u/" not in client_of.get("/meine/einstellungen/").content.decode()


def test_switching_the_calendar_off(client_of: Client, resident: User) -> None:
    client_of.post("/meine/einstellungen/", {"action": "feed_new"})

    client_of.post("/meine/einstellungen/", {"action": "feed_off"})

    assert not FeedToken.objects.filter(member=resident, revoked_at__isnull=True).exists()


def test_switching_a_reminder_off(client_of: Client, resident: User) -> None:
    from scheduling.services.reminders import reminder_choices

    kinds = [kind for kind, _label, _on in reminder_choices(member=resident)]

    client_of.post("/meine/einstellungen/", {"action": "reminders", "reminders": kinds[1:]})

    assert list(NotificationOptOut.objects.values_list("kind", flat=True)) == kinds[:1]


def test_an_unknown_reminder_is_answered_in_the_page(client_of: Client) -> None:
    response = client_of.post(
        "/meine/einstellungen/", {"action": "reminders", "reminders": ["pigeon"]}
    )

    assert response.status_code == 400
    assert "There is no such reminder to choose." in response.content.decode()


def test_choosing_my_language(client_of: Client, resident: User) -> None:
    client_of.post("/meine/einstellungen/", {"action": "language", "preferred_language": "en"})

    resident.refresh_from_db()
    assert resident.preferred_language == "en"


def test_an_unknown_language_is_answered_next_to_the_field(client_of: Client) -> None:
    response = client_of.post(
        "/meine/einstellungen/", {"action": "language", "preferred_language": "xx"}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


@pytest.fixture
def season(db: None) -> Season:
    return Season.objects.create(
        name="Saison 2027", starts_on=date(2027, 3, 1), ends_on=date(2027, 10, 31)
    )


def test_applying_for_a_plot(client_of: Client, season: Season, resident: User) -> None:
    response = client_of.post(
        "/garten/", {"action": "apply", "season": season.pk, "wishes": "sunny"}
    )

    assert response.status_code == 302
    assert PlotApplication.objects.get(member=resident).wishes == "sunny"


def test_applying_twice_is_answered_in_the_page(client_of: Client, season: Season) -> None:
    client_of.post("/garten/", {"action": "apply", "season": season.pk})

    response = client_of.post("/garten/", {"action": "apply", "season": season.pk})

    assert response.status_code == 400
    assert "You have already applied for this season." in response.content.decode()


def test_an_unknown_season_is_answered_next_to_the_field(client_of: Client, season: Season) -> None:
    response = client_of.post("/garten/", {"action": "apply", "season": 999})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_start_page_shows_todays_sessions_and_my_next_dates(
    client_of: Client, resident: User
) -> None:
    activity = activity_create(title="Nähcafé", first_start="2026-05-11T15:00")
    client_of.post(
        date_path(activity, datetime(2026, 5, 11, 15, 0, tzinfo=BERLIN)), {"action": "signup"}
    )

    page = client_of.get("/").content.decode()

    assert page.count("Nähcafé") == 2  # on today, and my next dates
    assert 'action="/werkzeuge/"' in page
