"""Calendar feeds: parse them back, check what calendar apps rely on, and what they must hide."""

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar
from rest_framework.test import APIClient

from accounts.models import User
from core.logging import redact
from scheduling.models import FeedToken
from scheduling.services.signups import SignupRequest, occurrence_cancel, signup_create
from tests.conftest import BERLIN
from tests.factories import activity_create, resource_create
from tests.scheduling.conftest import book

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 20, 9, 0, tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"\r\n" in response.content
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> list[Any]:
    return list(cal.walk("VEVENT"))


def test_the_programme_feed_keeps_local_times_across_the_dst_change(client: Client) -> None:
    activity_create(title="Repair-Café", first_start="2026-03-21T14:00")

    cal = parse(client.get("/ical/program.ics"))

    starts = [e.decoded("dtstart") for e in events(cal)][:3]
    assert [s.astimezone(BERLIN).strftime("%m-%d %H:%M %z") for s in starts] == [
        "03-21 14:00 +0100",
        "03-28 14:00 +0100",
        "04-04 14:00 +0200",
    ]
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert b"X-PUBLISHED-TTL:PT1H\r\n" in client.get("/ical/program.ics").content
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in client.get("/ical/program.ics").content
    assert all(e["dtstart"].params["TZID"] == "Europe/Berlin" for e in events(cal))


def test_a_cancelled_date_stays_in_the_feed_as_cancelled_with_the_same_uid(
    client: Client, coordinator: User
) -> None:
    cafe = activity_create(first_start="2026-03-21T14:00")
    before = {str(e["uid"]): e for e in events(parse(client.get("/ical/program.ics")))}

    occurrence_cancel(
        activity=cafe, start=datetime(2026, 3, 28, 14, tzinfo=BERLIN), actor=coordinator, now=NOW
    )

    after = {str(e["uid"]): e for e in events(parse(client.get("/ical/program.ics")))}
    assert set(before) == set(after)
    changed = [uid for uid in after if after[uid]["status"] != before[uid]["status"]]
    assert len(changed) == 1
    assert after[changed[0]]["status"] == "CANCELLED"
    assert after[changed[0]]["sequence"] > before[changed[0]]["sequence"]


def test_the_shift_feed_lists_only_shifts_with_open_places(client: Client) -> None:
    from tests.factories import MemberFactory

    shift = activity_create(
        kind="shift",
        title="Gießen",
        frequency="DAILY",
        first_start="2026-03-21T18:00",
        places=1,
        end_recurring="2026-03-23T23:00",
    )
    member = MemberFactory()
    signup_create(
        request=SignupRequest(
            activity=shift, start=datetime(2026, 3, 22, 18, tzinfo=BERLIN), member=member
        ),
        actor=member,
        now=NOW,
    )

    starts = [
        e.decoded("dtstart").astimezone(BERLIN).day
        for e in events(parse(client.get("/ical/shifts.ics")))
    ]

    assert starts == [21, 23]


def test_a_resource_feed_shows_busy_times_without_names(client: Client, resident: User) -> None:
    bench = resource_create()
    book(
        bench,
        resident,
        datetime(2026, 3, 24, 10, tzinfo=BERLIN),
        datetime(2026, 3, 24, 12, tzinfo=BERLIN),
        now=NOW,
    )

    response = client.get(f"/ical/resources/{bench.pk}.ics")

    [busy] = events(parse(response))
    assert str(busy["summary"]) == "Belegt"
    assert resident.display_name.encode() not in response.content
    assert (resident.username or "").encode() not in response.content


def test_an_unchanged_feed_answers_304(client: Client) -> None:
    activity_create()
    first = client.get("/ical/program.ics")

    again = client.get("/ical/program.ics", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_the_member_feed_needs_its_secret_and_speaks_the_members_language(
    client: Client, resident: User
) -> None:
    api = APIClient()
    api.force_authenticate(resident)
    resident.preferred_language = "en"
    resident.save()
    bench = resource_create(name="Hobelbank")
    book(
        bench,
        resident,
        datetime(2026, 3, 24, 10, tzinfo=BERLIN),
        datetime(2026, 3, 24, 12, tzinfo=BERLIN),
        now=NOW,
    )

    url = api.post("/api/v1/me/calendar-token/").json()["url"]
    path = url.split("testserver", 1)[1]
    cal = parse(client.get(path))

    [booking] = events(cal)
    assert str(booking["summary"]) == "Hobelbank"
    assert str(cal["x-wr-calname"]) == "My Werkhaus & Garden"
    token = path.rsplit("/", 1)[1].removesuffix(".ics")
    assert not FeedToken.objects.filter(digest=token).exists(), "stored hashed"


def test_a_rotated_or_revoked_token_is_a_plain_404(client: Client, resident: User) -> None:
    api = APIClient()
    api.force_authenticate(resident)
    old = api.post("/api/v1/me/calendar-token/").json()["url"].split("testserver", 1)[1]
    new = api.post("/api/v1/me/calendar-token/").json()["url"].split("testserver", 1)[1]

    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    api.delete("/api/v1/me/calendar-token/")
    assert client.get(new).status_code == 404
    assert client.get("/ical/u/not-a-token.ics").status_code == 404


def test_feed_tokens_are_redacted_from_log_lines() -> None:
    line = '127.0.0.1 - - "GET /ical/u/AbC-123_xyz.ics HTTP/1.1" 200'

    assert redact(line) == '127.0.0.1 - - "GET /ical/u/***.ics HTTP/1.1" 200'
