"""Round trips: every feed parsed back with icalendar, expanded with recurring-ical-events over a
window that crosses both DST changes of 2026, gives exactly what our own API lists; and the
RFC 5545 details calendar apps rely on."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import recurring_ical_events  # type: ignore[import-untyped]
import time_machine
from django.conf import settings
from django.test import Client
from icalendar import Calendar
from rest_framework.test import APIClient

from accounts.models import User
from scheduling.feeds import DOMAIN
from scheduling.services.bookings import booking_cancel, move_to_another_unit
from scheduling.services.signups import (
    SignupRequest,
    occurrence_cancel,
    occurrence_move,
    signup_create,
)
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create, resource_create
from tests.scheduling.conftest import book

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=BERLIN)
# From before the change to summer time (29 March) to after the one back (25 October).
FROM = datetime(2026, 3, 1, tzinfo=BERLIN)
UNTIL = datetime(2026, 11, 1, tzinfo=BERLIN)
LONG_TITLE = "Offene Werkstatt für Möbelrestaurierung, Fahrradreparatur und Größenänderungen 🛠️ Ü"

Span = tuple[datetime, datetime, str]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def at(day: str, hour: int, minute: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute, tzinfo=BERLIN)


def feed(client: Client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200
    return bytes(response.content)


def expanded(body: bytes) -> set[Span]:
    """What a calendar app shows in [FROM, UNTIL): start, end and UID of every instance."""
    found = recurring_ical_events.of(Calendar.from_ical(body)).between(FROM, UNTIL)
    return {(e.decoded("dtstart"), e.decoded("dtend"), str(e["uid"])) for e in found}


def listed(api: APIClient, path: str, **query: str) -> list[dict[str, Any]]:
    response = api.get(path, {**query, "page_size": "500"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None
    return list(body["results"])


def occurrence_spans(api: APIClient, kind: str) -> list[dict[str, Any]]:
    return listed(
        api, "/api/v1/occurrences/", kind=kind, start=FROM.isoformat(), end=UNTIL.isoformat()
    )


def span(item: dict[str, Any], uid: str) -> Span:
    return (
        datetime.fromisoformat(item["start"]),
        datetime.fromisoformat(item["end"]),
        f"{uid}@{DOMAIN}",
    )


def uid_of(item: dict[str, Any]) -> str:
    original = datetime.fromisoformat(item["original_start"]).astimezone(UTC)
    return f"occ-{item['event']}-{original:%Y%m%dT%H%M%SZ}"


@pytest.fixture
def programme(coordinator: User) -> Any:
    """Thursdays 18:00–20:00 from 5 March; 26 March cancelled; 9 April moved to Friday 19:00."""
    weekly = activity_create(title=LONG_TITLE, first_start="2026-03-05T18:00", hours=2)
    occurrence_cancel(activity=weekly, start=at("2026-03-26", 18), actor=coordinator, now=NOW)
    occurrence_move(
        activity=weekly,
        start=at("2026-04-09", 18),
        new_start=at("2026-04-10", 19),
        new_end=at("2026-04-10", 21),
        actor=coordinator,
        now=NOW,
    )
    return weekly


@pytest.fixture
def shifts(coordinator: User) -> Any:
    """Saturday shifts with one place, 10:00–12:00; one is full, one cancelled, one moved."""
    watering = activity_create(
        kind="shift", title="Gießdienst", first_start="2026-03-07T10:00", hours=2, places=1
    )
    volunteer = MemberFactory()
    signup_create(
        request=SignupRequest(activity=watering, start=at("2026-04-04", 10), member=volunteer),
        actor=volunteer,
        now=NOW,
    )
    occurrence_cancel(activity=watering, start=at("2026-05-02", 10), actor=coordinator, now=NOW)
    occurrence_move(
        activity=watering,
        start=at("2026-10-24", 10),
        new_start=at("2026-10-25", 9),
        new_end=at("2026-10-25", 11),
        actor=coordinator,
        now=NOW,
    )
    return watering


@pytest.fixture
def member_url(resident: User, coordinator: User, programme: Any) -> str:
    """The resident's feed: bookings (one cancelled, one across the DST night, one moved to
    another unit) and a sign-up for the weekly session."""
    drills = resource_create(name="Akkuschrauber", kind="tool", units=2, max_minutes=3 * 24 * 60)
    bench = resource_create(name="Hobelbank")
    book(drills, resident, at("2026-03-28", 10), at("2026-03-30", 10), now=NOW)
    moved = book(drills, resident, at("2026-04-02", 16), at("2026-04-02", 18), now=NOW)
    move_to_another_unit(moved, now=NOW)
    cancelled = book(bench, resident, at("2026-03-24", 16), at("2026-03-24", 18), now=NOW)
    booking_cancel(booking=cancelled, actor=resident, now=NOW)
    signup_create(
        request=SignupRequest(activity=programme, start=at("2026-04-16", 18), member=resident),
        actor=resident,
        now=NOW,
    )
    api = APIClient()
    api.force_authenticate(resident)
    return str(api.post("/api/v1/me/calendar-token/").json()["url"].split("testserver", 1)[1])


# --- expanded by a calendar parser == listed by our API ------------------------------------


def test_the_programme_feed_expands_to_the_apis_occurrences(
    client: Client, api: APIClient, programme: Any
) -> None:
    ours = {span(item, uid_of(item)) for item in occurrence_spans(api, "workshop")}

    assert expanded(feed(client, "/ical/program.ics")) == ours


def test_the_shift_feed_expands_to_the_apis_open_and_cancelled_shifts(
    client: Client, api: APIClient, shifts: Any
) -> None:
    ours = {
        span(item, uid_of(item))
        for item in occurrence_spans(api, "shift")
        if item["state"] == "cancelled" or item["open_places"] > 0
    }

    theirs = expanded(feed(client, "/ical/shifts.ics"))

    assert theirs == ours
    assert at("2026-04-04", 10) not in {start for start, _end, _uid in theirs}, "full"


def test_the_member_feed_expands_to_the_apis_bookings_and_signups(
    client: Client, resident_api: APIClient, member_url: str
) -> None:
    bookings = {span(b, f"booking-{b['id']}") for b in listed(resident_api, "/api/v1/bookings/")}
    signups = {span(s, f"signup-{s['id']}") for s in listed(resident_api, "/api/v1/signups/")}

    assert expanded(feed(client, member_url)) == bookings | signups


def test_a_weekly_session_stays_at_18_00_local_on_both_sides_of_both_dst_changes(
    client: Client, programme: Any
) -> None:
    local = {
        start.astimezone(BERLIN).strftime("%m-%d %H:%M %z")
        for start, _end, _uid in expanded(feed(client, "/ical/program.ics"))
    }

    assert {"03-19 18:00 +0100", "04-02 18:00 +0200", "10-22 18:00 +0200"} <= local
    assert "10-29 18:00 +0100" in local
    assert {entry[6:11] for entry in local} == {"18:00", "19:00"}, "only the moved date differs"


def test_the_cancelled_and_the_moved_date_keep_their_uids_and_say_what_happened(
    client: Client, programme: Any
) -> None:
    cal = Calendar.from_ical(feed(client, "/ical/program.ics"))
    by_uid = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    event_id = programme.event_id

    cancelled = by_uid[f"occ-{event_id}-20260326T170000Z@{DOMAIN}"]
    moved = by_uid[f"occ-{event_id}-20260409T160000Z@{DOMAIN}"]

    assert str(cancelled["status"]) == "CANCELLED"
    assert moved.decoded("dtstart") == at("2026-04-10", 19)
    assert str(moved["status"]) == "CONFIRMED"


# --- RFC 5545 details -----------------------------------------------------------------------


@pytest.fixture
def every_feed(client: Client, programme: Any, shifts: Any, member_url: str) -> dict[str, bytes]:
    from scheduling.models import Resource

    drills = Resource.objects.get(name="Akkuschrauber")
    return {
        path: feed(client, path)
        for path in (
            "/ical/program.ics",
            "/ical/shifts.ics",
            f"/ical/resources/{drills.pk}.ics",
            member_url,
        )
    }


def test_every_feed_ends_its_lines_with_crlf(every_feed: dict[str, bytes]) -> None:
    for path, body in every_feed.items():
        assert body.endswith(b"\r\n"), path
        assert b"\n" not in body.replace(b"\r\n", b""), path
        assert b"\r" not in body.replace(b"\r\n", b""), path


def test_every_line_is_at_most_75_octets_and_folds_between_characters(
    every_feed: dict[str, bytes],
) -> None:
    for path, body in every_feed.items():
        lines = body.split(b"\r\n")[:-1]
        assert max(len(line) for line in lines) <= 75, path
        for line in lines:
            line.decode("utf-8")  # a fold inside a multi-byte character fails here
    programme = every_feed["/ical/program.ics"]
    assert any(len(line) > 70 for line in programme.split(b"\r\n")), "the long title is folded"
    assert LONG_TITLE in str(Calendar.from_ical(programme).walk("VEVENT")[0]["summary"])


def test_every_tzid_has_its_vtimezone(every_feed: dict[str, bytes]) -> None:
    for path, body in every_feed.items():
        unfolded = body.replace(b"\r\n ", b"").decode()
        used = set(re.findall(r";TZID=([^:;]+)[:;]", unfolded))
        cal = Calendar.from_ical(body)
        assert used == {"Europe/Berlin"}, path
        assert {str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")} == used, path


def test_every_event_has_uid_dtstamp_sequence_and_a_url_to_its_page(
    every_feed: dict[str, bytes],
) -> None:
    for path, body in every_feed.items():
        events = Calendar.from_ical(body).walk("VEVENT")
        assert events, path
        for event in events:
            assert event.decoded("dtstamp").utcoffset() == timedelta(0), path
            assert str(event["uid"]).endswith(f"@{DOMAIN}"), path
            assert "sequence" in event, path
            assert str(event["url"]).startswith(f"{settings.SITE_URL}/"), path


def test_every_feed_says_how_often_to_refresh(every_feed: dict[str, bytes]) -> None:
    for path, body in every_feed.items():
        assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in body, path
        assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in body, path


def test_the_sequence_rises_each_time_a_date_is_moved(
    client: Client, coordinator: User, programme: Any, clock: Any
) -> None:
    uid = f"occ-{programme.event_id}-20260409T160000Z@{DOMAIN}"

    def sequence() -> int:
        cal = Calendar.from_ical(feed(client, "/ical/program.ics"))
        [event] = [e for e in cal.walk("VEVENT") if str(e["uid"]) == uid]
        return int(event.decoded("sequence"))

    once = sequence()
    clock.shift(timedelta(minutes=5))
    occurrence_move(
        activity=programme,
        start=at("2026-04-10", 19),
        new_start=at("2026-04-09", 18),
        new_end=at("2026-04-09", 20),
        actor=coordinator,
        now=NOW + timedelta(minutes=5),
    )

    assert once >= 1
    assert sequence() > once, "moved back to where the rule put it is still a change"


def test_the_sequence_rises_when_a_booking_is_moved(
    client: Client, resident: User, member_url: str
) -> None:
    from scheduling.models import Booking

    moved = Booking.objects.get(member=resident, start=at("2026-04-02", 16))
    kept = Booking.objects.get(member=resident, start=at("2026-03-28", 10))

    events = {
        str(e["uid"]): int(e.decoded("sequence"))
        for e in Calendar.from_ical(feed(client, member_url)).walk("VEVENT")
    }

    assert events[f"booking-{moved.pk}@{DOMAIN}"] > events[f"booking-{kept.pk}@{DOMAIN}"]
