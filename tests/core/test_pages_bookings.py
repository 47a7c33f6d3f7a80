"""Residents' pages for tools and bookings: the catalogue, a resource's week with booking in
few taps, one booking, my bookings and the waitlist (Django test client)."""

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from scheduling.models import Booking, BookingStatus, Resource, WaitlistEntry
from tests.conftest import BERLIN
from tests.factories import MemberFactory, opening_hours, resource_create
from tests.scheduling.conftest import book
from werkhaus.models import ToolCategory, ToolType

NOW = datetime(2026, 5, 11, 9, 0, tzinfo=BERLIN)  # a Monday
TUESDAY_16 = datetime(2026, 5, 12, 16, 0, tzinfo=BERLIN)
TODAY = datetime(2026, 5, 11, tzinfo=BERLIN)
TOMORROW = (TODAY + timedelta(days=1), TODAY + timedelta(days=2))


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def tool(name: str = "Akkuschrauber", units: int = 1, **rules: object) -> Resource:
    resource = resource_create(
        name=name, kind="tool", units=units, slot_minutes=1440, min_minutes=1440, **rules
    )
    ToolType.objects.create(resource=resource, category=ToolCategory.POWER_TOOLS)
    return resource


@pytest.fixture
def bench(db: None) -> Resource:
    return resource_create(
        name="Hobelbank", hours=opening_hours(), slot_minutes=30, min_minutes=60, max_minutes=240
    )


@pytest.fixture
def client() -> Client:
    """In English: the German of new texts comes with the next translation run."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def client_of(resident: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(resident)
    return client


def utc(moment: datetime) -> str:
    from datetime import UTC

    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# --- the catalogue ------------------------------------------------------------------------------


def test_the_catalogue_shows_a_free_tool_as_free_now(client: Client, db: None) -> None:
    tool("Akkuschrauber")

    page = client.get("/werkzeuge/").content.decode()

    assert "Akkuschrauber" in page
    assert "free now" in page


def test_the_catalogue_shows_the_next_free_date_of_a_tool_lent_out(
    client: Client, resident: User
) -> None:
    drill = tool("Akkuschrauber", max_minutes=3 * 1440)
    book(drill, resident, TODAY, TODAY + timedelta(days=2), now=NOW.replace(hour=0))

    page = client.get("/werkzeuge/").content.decode()

    assert "free from Wed 05/13/2026" in page


def test_the_catalogue_search_finds_by_name(client: Client, db: None) -> None:
    tool("Akkuschrauber")
    tool("Stichsäge")

    page = client.get("/werkzeuge/", {"q": "stich"}).content.decode()

    assert "Stichsäge" in page
    assert "Akkuschrauber" not in page


def test_an_unknown_category_is_answered_in_the_page(client: Client, db: None) -> None:
    response = client.get("/werkzeuge/", {"kategorie": "rockets"})

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def _catalogue_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/werkzeuge/").status_code == 200
    return len(queries)


def test_the_catalogue_takes_the_same_queries_for_two_tools_and_for_twelve(
    client: Client, resident: User
) -> None:
    for n in range(2):
        book(tool(f"Werkzeug {n}", units=2), resident, *TOMORROW, now=NOW)
    few = _catalogue_queries(client)
    for n in range(2, 12):
        book(tool(f"Werkzeug {n}", units=2), resident, *TOMORROW, now=NOW)

    assert _catalogue_queries(client) == few == 6


# --- a resource's week and booking ---------------------------------------------------------------


def test_the_resource_page_offers_free_slots_within_opening_hours(
    client: Client, bench: Resource
) -> None:
    page = client.get(f"/ressourcen/{bench.pk}/").content.decode()

    assert f"start={utc(TUESDAY_16)}" in page
    assert "16:00" in page


def test_a_booked_slot_shows_as_taken_without_the_name(
    client: Client, bench: Resource, resident: User
) -> None:
    book(bench, resident, TUESDAY_16, TUESDAY_16 + timedelta(hours=1), now=NOW)

    page = client.get(f"/ressourcen/{bench.pk}/").content.decode()

    assert 'class="slot busy"' in page
    assert "Rana" not in page


def test_picking_a_slot_asks_for_confirmation(client_of: Client, bench: Resource) -> None:
    end = TUESDAY_16 + timedelta(hours=1)

    page = client_of.get(
        f"/ressourcen/{bench.pk}/", {"start": utc(TUESDAY_16), "end": utc(end)}
    ).content.decode()

    assert "Book this time?" in page
    assert "Yes, book it" in page


def test_confirming_books_the_slot_and_leads_to_the_booking(
    client_of: Client, bench: Resource, resident: User
) -> None:
    end = TUESDAY_16 + timedelta(hours=1)

    response = client_of.post(
        f"/ressourcen/{bench.pk}/", {"start": utc(TUESDAY_16), "end": utc(end), "action": "book"}
    )

    booking = Booking.objects.get(member=resident)
    assert response.status_code == 302
    assert response["Location"] == f"/buchungen/{booking.pk}/"
    assert booking.start == TUESDAY_16


def test_a_taken_slot_is_answered_in_the_page_with_the_waitlist_offered(
    client_of: Client, bench: Resource
) -> None:
    other = MemberFactory()
    book(bench, other, TUESDAY_16, TUESDAY_16 + timedelta(hours=1), now=NOW)

    response = client_of.post(
        f"/ressourcen/{bench.pk}/",
        {"start": utc(TUESDAY_16), "end": utc(TUESDAY_16 + timedelta(hours=1)), "action": "book"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "This time is already booked" in page
    assert 'value="wait"' in page


def test_a_rule_refusal_is_answered_in_the_page(client_of: Client, bench: Resource) -> None:
    response = client_of.post(
        f"/ressourcen/{bench.pk}/",
        {"start": utc(TUESDAY_16), "end": utc(TUESDAY_16 + timedelta(hours=6)), "action": "book"},
    )

    assert response.status_code == 400
    assert "longer than allowed" in response.content.decode()


def test_a_garbled_time_is_answered_in_the_page(client_of: Client, bench: Resource) -> None:
    response = client_of.post(
        f"/ressourcen/{bench.pk}/", {"start": "tomorrow", "end": "", "action": "book"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Please choose a time from the list." in page
    assert not Booking.objects.exists()


def test_joining_the_waitlist_for_a_taken_slot(
    client_of: Client, bench: Resource, resident: User
) -> None:
    book(bench, MemberFactory(), TUESDAY_16, TUESDAY_16 + timedelta(hours=1), now=NOW)

    response = client_of.post(
        f"/ressourcen/{bench.pk}/",
        {"start": utc(TUESDAY_16), "end": utc(TUESDAY_16 + timedelta(hours=1)), "action": "wait"},
    )

    assert response.status_code == 302
    assert WaitlistEntry.objects.filter(member=resident, resource=bench).exists()


def test_booking_needs_a_login(client: Client, bench: Resource) -> None:
    response = client.post(
        f"/ressourcen/{bench.pk}/",
        {"start": utc(TUESDAY_16), "end": utc(TUESDAY_16 + timedelta(hours=1))},
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/ressourcen/")


def test_a_tool_is_booked_by_whole_days(client_of: Client, resident: User) -> None:
    drill = tool("Akkuschrauber", max_minutes=3 * 1440)
    day = datetime(2026, 5, 13, tzinfo=BERLIN)

    page = client_of.get(f"/ressourcen/{drill.pk}/").content.decode()
    assert f"start={utc(day)}&amp;end={utc(day + timedelta(days=1))}" in page

    client_of.post(
        f"/ressourcen/{drill.pk}/",
        {"start": utc(day), "end": utc(day + timedelta(days=1)), "action": "book"},
    )
    assert Booking.objects.get(member=resident).end == day + timedelta(days=1)


def test_the_next_week_is_one_tap_away(client: Client, bench: Resource) -> None:
    page = client.get(f"/ressourcen/{bench.pk}/", {"woche": "2026-05-18"}).content.decode()

    assert "?woche=2026-05-25" in page
    assert "?woche=2026-05-11" in page


# --- one booking and my bookings -----------------------------------------------------------------


def test_my_booking_shows_the_cancel_button_before_the_cutoff(
    client_of: Client, bench: Resource, resident: User
) -> None:
    booking = book(bench, resident, TUESDAY_16, TUESDAY_16 + timedelta(hours=1), now=NOW)

    page = client_of.get(f"/buchungen/{booking.pk}/").content.decode()

    assert "Cancel booking" in page


def test_cancelling_my_booking(client_of: Client, bench: Resource, resident: User) -> None:
    booking = book(bench, resident, TUESDAY_16, TUESDAY_16 + timedelta(hours=1), now=NOW)

    response = client_of.post(f"/buchungen/{booking.pk}/")

    booking.refresh_from_db()
    assert response.status_code == 302
    assert booking.status == BookingStatus.CANCELLED


def test_cancelling_after_the_cutoff_is_answered_in_the_page(
    client_of: Client, resident: User
) -> None:
    bench = resource_create(name="Drehbank", cancel_cutoff_minutes=48 * 60)
    booking = book(bench, resident, TUESDAY_16, TUESDAY_16 + timedelta(hours=1), now=NOW)

    response = client_of.post(f"/buchungen/{booking.pk}/")

    assert response.status_code == 400
    assert "can no longer be cancelled" in response.content.decode()


def test_another_residents_booking_is_not_found(client_of: Client, bench: Resource) -> None:
    booking = book(bench, MemberFactory(), TUESDAY_16, TUESDAY_16 + timedelta(hours=1), now=NOW)

    assert client_of.get(f"/buchungen/{booking.pk}/").status_code == 404


def test_a_tool_booking_shows_its_due_date(client_of: Client, resident: User) -> None:
    drill = tool("Akkuschrauber", max_minutes=3 * 1440)
    day = datetime(2026, 5, 13, tzinfo=BERLIN)
    booking = book(drill, resident, day, day + timedelta(days=2), now=NOW)

    page = client_of.get(f"/buchungen/{booking.pk}/").content.decode()

    assert "Bring back by" in page
    assert "Friday, 05/15/2026 00:00" in page


def test_my_bookings_list_upcoming_first(
    client_of: Client, bench: Resource, resident: User
) -> None:
    later = book(
        bench,
        resident,
        TUESDAY_16 + timedelta(days=7),
        TUESDAY_16 + timedelta(days=7, hours=1),
        now=NOW,
    )
    sooner = book(bench, resident, TUESDAY_16, TUESDAY_16 + timedelta(hours=1), now=NOW)

    page = client_of.get("/meine/buchungen/").content.decode()

    assert page.index(f"/buchungen/{sooner.pk}/") < page.index(f"/buchungen/{later.pk}/")


def test_my_bookings_need_a_login(client: Client, db: None) -> None:
    response = client.get("/meine/buchungen/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/meine/buchungen/"


def test_cancelling_from_my_bookings(client_of: Client, bench: Resource, resident: User) -> None:
    booking = book(bench, resident, TUESDAY_16, TUESDAY_16 + timedelta(hours=1), now=NOW)

    client_of.post("/meine/buchungen/", {"action": "cancel", "target": booking.pk})

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_a_bad_action_on_my_bookings_is_answered_in_the_page(client_of: Client, db: None) -> None:
    response = client_of.post("/meine/buchungen/", {"action": "explode", "target": "x"})

    assert response.status_code == 400
    assert "Please use one of the buttons" in response.content.decode()


def test_someone_elses_booking_cannot_be_cancelled_from_my_bookings(
    client_of: Client, bench: Resource
) -> None:
    booking = book(bench, MemberFactory(), TUESDAY_16, TUESDAY_16 + timedelta(hours=1), now=NOW)

    response = client_of.post("/meine/buchungen/", {"action": "cancel", "target": booking.pk})

    booking.refresh_from_db()
    assert response.status_code == 400
    assert booking.status == BookingStatus.CONFIRMED


def test_accepting_a_waitlist_offer_from_my_bookings(
    client_of: Client, bench: Resource, resident: User
) -> None:
    other = MemberFactory()
    taken = book(bench, other, TUESDAY_16, TUESDAY_16 + timedelta(hours=1), now=NOW)
    client_of.post(
        f"/ressourcen/{bench.pk}/",
        {"start": utc(TUESDAY_16), "end": utc(TUESDAY_16 + timedelta(hours=1)), "action": "wait"},
    )
    from scheduling.services.bookings import booking_cancel

    booking_cancel(booking=taken, actor=other, now=NOW)
    entry = WaitlistEntry.objects.get(member=resident)
    assert "It is free for you now!" in client_of.get("/meine/buchungen/").content.decode()

    client_of.post("/meine/buchungen/", {"action": "accept", "target": entry.pk})

    assert Booking.objects.get(member=resident).status == BookingStatus.CONFIRMED


def _my_bookings_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/meine/buchungen/").status_code == 200
    return len(queries)


def test_my_bookings_take_the_same_queries_for_two_bookings_and_for_twelve(
    client_of: Client, resident: User
) -> None:
    for n in range(2):
        book(tool(f"Werkzeug {n}"), resident, *TOMORROW, now=NOW)
    few = _my_bookings_queries(client_of)
    for n in range(2, 12):
        book(tool(f"Werkzeug {n}"), resident, *TOMORROW, now=NOW)

    assert _my_bookings_queries(client_of) == few
