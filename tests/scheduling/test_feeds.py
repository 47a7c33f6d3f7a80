"""Calendar feeds: parse them back, check what calendar apps rely on, and what they must hide."""

from datetime import datetime, timedelta
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
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


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


# --- conditional GET: cheap when unchanged, a new ETag and body on every change ------------

KINDS = ["programme", "shifts", "resource", "member"]


@pytest.fixture
def paths(client: Client, resident: User) -> dict[str, str]:
    """One feed of each kind, each with something in it."""
    activity_create(first_start="2026-03-21T14:00")
    activity_create(kind="shift", title="Gießen", first_start="2026-03-21T18:00", places=2)
    bench = resource_create(horizon_days=800)
    book(
        bench,
        resident,
        datetime(2026, 3, 24, 10, tzinfo=BERLIN),
        datetime(2026, 3, 24, 12, tzinfo=BERLIN),
        now=NOW,
    )
    api = APIClient()
    api.force_authenticate(resident)
    member = api.post("/api/v1/me/calendar-token/").json()["url"].split("testserver", 1)[1]
    return {
        "programme": "/ical/program.ics",
        "shifts": "/ical/shifts.ics",
        "resource": f"/ical/resources/{bench.pk}.ics",
        "member": member,
    }


def snapshot(client: Client, path: str) -> tuple[str, bytes]:
    response = client.get(path)
    assert response.status_code == 200
    return response["ETag"], bytes(response.content)


@pytest.mark.parametrize("kind", KINDS)
def test_an_unchanged_feed_answers_304_with_at_most_two_queries(
    client: Client, paths: dict[str, str], kind: str, django_assert_max_num_queries: Any
) -> None:
    first = client.get(paths[kind])

    with django_assert_max_num_queries(2):
        again = client.get(paths[kind], HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]


@pytest.mark.parametrize("kind", KINDS)
def test_an_unchanged_feed_is_served_from_the_cache_with_at_most_two_queries(
    client: Client, paths: dict[str, str], kind: str, django_assert_max_num_queries: Any
) -> None:
    first = client.get(paths[kind])

    with django_assert_max_num_queries(2):
        again = client.get(paths[kind])

    assert again.status_code == 200
    assert again.content == first.content


def test_an_unchanged_feed_answers_304_to_if_modified_since(
    client: Client, paths: dict[str, str]
) -> None:
    first = client.get(paths["member"])

    again = client.get(paths["member"], HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304


def test_the_etag_holds_for_the_rest_of_the_day(
    client: Client, paths: dict[str, str], clock: Any
) -> None:
    before = {kind: snapshot(client, path) for kind, path in paths.items()}
    clock.shift(timedelta(hours=12))

    assert {kind: snapshot(client, path) for kind, path in paths.items()} == before


def test_a_new_booking_changes_the_member_and_resource_feeds(
    client: Client, paths: dict[str, str], resident: User
) -> None:
    from scheduling.models import Resource

    before = {kind: snapshot(client, paths[kind]) for kind in ("member", "resource")}
    booking = book(
        Resource.objects.get(),
        resident,
        datetime(2026, 3, 26, 10, tzinfo=BERLIN),
        datetime(2026, 3, 26, 12, tzinfo=BERLIN),
        now=NOW,
    )

    for kind, (etag, body) in before.items():
        new_etag, new_body = snapshot(client, paths[kind])
        assert new_etag != etag, kind
        assert f"booking-{booking.pk}@".encode() in new_body, kind
        assert f"booking-{booking.pk}@".encode() not in body, kind


def test_a_cancelled_booking_changes_the_member_and_resource_feeds(
    client: Client, paths: dict[str, str], resident: User
) -> None:
    from scheduling.models import Booking
    from scheduling.services.bookings import booking_cancel

    before = {kind: snapshot(client, paths[kind]) for kind in ("member", "resource")}
    booking_cancel(booking=Booking.objects.get(), actor=resident, now=NOW)

    for kind, (etag, body) in before.items():
        new_etag, new_body = snapshot(client, paths[kind])
        assert new_etag != etag, kind
        assert b"STATUS:CANCELLED" in new_body, kind
        assert b"STATUS:CANCELLED" not in body, kind


def test_a_signup_taking_a_place_changes_the_shift_and_member_feeds(
    client: Client, paths: dict[str, str], resident: User
) -> None:
    from scheduling.models import Activity

    before = {kind: snapshot(client, paths[kind]) for kind in ("shifts", "member")}
    signup_create(
        request=SignupRequest(
            activity=Activity.objects.get(kind="shift"),
            start=datetime(2026, 3, 28, 18, tzinfo=BERLIN),
            member=resident,
        ),
        actor=resident,
        now=NOW,
    )

    shifts_etag, shifts_body = snapshot(client, paths["shifts"])
    member_etag, member_body = snapshot(client, paths["member"])
    assert shifts_etag != before["shifts"][0]
    assert "1 von 2 Plätzen frei".encode() in shifts_body
    assert "1 von 2 Plätzen frei".encode() not in before["shifts"][1]
    assert member_etag != before["member"][0]
    assert "Gießen".encode() in member_body


def test_a_moved_date_changes_the_programme_feed(
    client: Client, paths: dict[str, str], coordinator: User
) -> None:
    from scheduling.models import Activity
    from scheduling.services.signups import occurrence_move

    etag, body = snapshot(client, paths["programme"])
    occurrence_move(
        activity=Activity.objects.get(kind="workshop"),
        start=datetime(2026, 3, 28, 14, tzinfo=BERLIN),
        new_start=datetime(2026, 3, 28, 16, tzinfo=BERLIN),
        new_end=datetime(2026, 3, 28, 19, tzinfo=BERLIN),
        actor=coordinator,
        now=NOW,
    )

    new_etag, new_body = snapshot(client, paths["programme"])
    assert new_etag != etag
    assert b"DTSTART;TZID=Europe/Berlin:20260328T160000" in new_body
    assert b"DTSTART;TZID=Europe/Berlin:20260328T160000" not in body


def test_a_cancelled_date_changes_the_shift_and_member_feeds(
    client: Client, paths: dict[str, str], resident: User, coordinator: User
) -> None:
    from scheduling.models import Activity

    shift = Activity.objects.get(kind="shift")
    start = datetime(2026, 3, 28, 18, tzinfo=BERLIN)
    signup_create(
        request=SignupRequest(activity=shift, start=start, member=resident),
        actor=resident,
        now=NOW,
    )
    before = {kind: snapshot(client, paths[kind]) for kind in ("shifts", "member")}

    occurrence_cancel(activity=shift, start=start, actor=coordinator, now=NOW)

    for kind, (etag, body) in before.items():
        new_etag, new_body = snapshot(client, paths[kind])
        assert new_etag != etag, kind
        assert new_body.count(b"STATUS:CANCELLED") == body.count(b"STATUS:CANCELLED") + 1, kind


def test_a_booking_entering_the_year_ahead_window_changes_the_feed(
    client: Client, paths: dict[str, str], resident: User, clock: Any
) -> None:
    from scheduling.models import Resource

    far = book(
        Resource.objects.get(),
        resident,
        datetime(2027, 3, 22, 10, tzinfo=BERLIN),
        datetime(2027, 3, 22, 12, tzinfo=BERLIN),
        now=NOW,
    )
    uid = f"booking-{far.pk}@".encode()
    before = {kind: snapshot(client, paths[kind]) for kind in ("member", "resource")}

    clock.shift(timedelta(days=2))

    for kind, (etag, body) in before.items():
        new_etag, new_body = snapshot(client, paths[kind])
        assert uid not in body, kind
        assert uid in new_body, kind
        assert new_etag != etag, kind


def test_the_member_feed_changes_with_the_members_language(
    client: Client, paths: dict[str, str], resident: User
) -> None:
    etag, body = snapshot(client, paths["member"])
    resident.preferred_language = "en"
    resident.save()

    new_etag, new_body = snapshot(client, paths["member"])

    assert new_etag != etag
    assert b"X-WR-CALNAME:My Werkhaus & Garden" in new_body
    assert b"X-WR-CALNAME:Mein Werkhaus & Garten" in body


def test_a_feed_is_served_while_the_cache_is_down(
    client: Client, paths: dict[str, str], settings: Any
) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
        }
    }

    response = client.get(paths["member"])

    assert response.status_code == 200
    assert b"BEGIN:VEVENT" in response.content


def test_an_edited_resource_changes_the_member_and_resource_feeds_at_once(
    client: Client, paths: dict[str, str], clock: Any
) -> None:
    from scheduling.models import Resource

    before = {kind: snapshot(client, paths[kind]) for kind in ("member", "resource")}
    clock.shift(timedelta(minutes=1))
    bench = Resource.objects.get()
    bench.location = "Werkstatt, hinten links"
    bench.save()  # as the admin does

    after = {kind: snapshot(client, paths[kind]) for kind in before}
    assert after["member"][0] != before["member"][0]
    assert after["resource"][0] != before["resource"][0]
    assert b"hinten links" not in before["member"][1]
    assert b"LOCATION:Werkstatt\\, hinten links" in after["member"][1]


def test_an_edited_activity_changes_the_programme_feed_at_once(
    client: Client, paths: dict[str, str], clock: Any
) -> None:
    from scheduling.models import Activity

    etag, _body = snapshot(client, paths["programme"])
    clock.shift(timedelta(minutes=1))
    activity = Activity.objects.filter(kind="workshop").first()
    assert activity is not None
    activity.location = "Gemeinschaftsraum"
    activity.save()

    new_etag, new_body = snapshot(client, paths["programme"])
    assert new_etag != etag
    assert b"LOCATION:Gemeinschaftsraum" in new_body
