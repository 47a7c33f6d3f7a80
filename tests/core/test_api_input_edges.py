"""Input at the edges of what the schema allows, as the API fuzzing found it: each answer is the
one the schema promises, and a refusal of well-formed input names its reason in its code."""

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import User
from scheduling.models import Booking
from scheduling.services.bookings import BookingRequest, booking_create
from tests.factories import MemberFactory, resource_create

pytestmark = pytest.mark.django_db


def _schema() -> dict[str, Any]:
    document: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    return document


def _booking(member: User) -> Booking:
    now = timezone.now()
    start = (now + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    request = BookingRequest(
        resource=resource_create(name="Drechselbank"),
        member=member,
        start=start,
        end=start + timedelta(hours=1),
    )
    return booking_create(request=request, actor=member, now=now)


def test_a_list_filtered_by_an_id_that_exists_nowhere_is_empty_not_refused(
    resident_api: APIClient, resident: User
) -> None:
    _booking(resident)

    for query in ("resource=987654", "member=987654"):
        answer = resident_api.get(f"/api/v1/bookings/?{query}")
        assert answer.status_code == 200, query
        assert answer.json()["results"] == [], query
    assert resident_api.get("/api/v1/resources/?group=987654").json()["results"] == []
    assert resident_api.get("/api/v1/signups/?member=987654").status_code == 200
    assert resident_api.get("/api/v1/plot-applications/?season=987654").status_code == 200


@pytest.mark.parametrize("value", ["0", "-3", str(2**63), "1" * 30, "abc"])
def test_an_id_that_no_64_bit_key_can_hold_is_refused_not_a_server_error(
    api: APIClient, coordinator: User, value: str
) -> None:
    api.force_authenticate(coordinator)

    listed = api.get(f"/api/v1/bookings/?member={value}")
    posted = api.post("/api/v1/signups/", {"event": value, "start": "2026-06-01T10:00Z"})

    assert listed.status_code == 400
    assert "member" in listed.json()["fields"]
    assert posted.status_code == 400
    assert "event" in posted.json()["fields"]


def test_a_filter_sent_empty_counts_as_not_sent(resident_api: APIClient, resident: User) -> None:
    booking = _booking(resident)

    answer = resident_api.get("/api/v1/bookings/?status=&kind=&resource=")

    assert answer.status_code == 200
    assert [row["id"] for row in answer.json()["results"]] == [booking.pk]
    assert resident_api.get("/api/v1/plots/?season=").status_code == 200
    assert resident_api.get("/api/v1/tools/?category=").status_code == 200


def test_the_schema_says_that_optional_query_parameters_may_be_sent_empty() -> None:
    operation = _schema()["paths"]["/api/v1/bookings/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}

    assert parameters["status"]["allowEmptyValue"] is True
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}
    availability = _schema()["paths"]["/api/v1/resources/{id}/availability/"]["get"]
    start = next(p for p in availability["parameters"] if p["name"] == "start")
    assert start["required"] is True
    assert "allowEmptyValue" not in start
    assert start["schema"]["format"] == "date-time"


def test_an_unknown_id_in_a_body_is_400_unknown_reference(
    api: APIClient, coordinator: User
) -> None:
    api.force_authenticate(coordinator)
    start = timezone.now() + timedelta(days=2)

    booking = api.post(
        "/api/v1/bookings/",
        {"resource": 987654, "start": start.isoformat(), "end": (start + timedelta(hours=1))},
        format="json",
    )
    rate = api.post(
        "/api/v1/hourly-rates/",
        {"member": 987654, "valid_from": "2026-01-01", "euros": "12.00"},
        format="json",
    )

    for answer in (booking, rate):
        assert answer.status_code == 400
        assert answer.json()["code"] == "unknown_reference"
    assert "resource" in booking.json()["fields"]
    assert "member" in rate.json()["fields"]


def test_malformed_input_beside_an_unknown_id_is_still_invalid(
    api: APIClient, coordinator: User
) -> None:
    api.force_authenticate(coordinator)

    answer = api.post(
        "/api/v1/hourly-rates/",
        {"member": 987654, "valid_from": "not a date", "euros": "12.00"},
        format="json",
    )

    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"


@pytest.mark.parametrize("amount", ["", "-1", "-0.50", "1.234", "12,50"])
def test_an_amount_of_money_that_is_not_euros_and_cents_is_refused_and_the_schema_says_so(
    api: APIClient, coordinator: User, amount: str
) -> None:
    api.force_authenticate(coordinator)
    member = MemberFactory(honorary_worker=True)

    answer = api.post(
        "/api/v1/hourly-rates/",
        {"member": member.pk, "valid_from": "2026-01-01", "euros": amount},
        format="json",
    )

    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert "euros" in answer.json()["fields"]
    pattern = _schema()["components"]["schemas"]["HourlyRateCreateRequest"]["properties"]["euros"]
    assert re.fullmatch(pattern["pattern"].strip("^$"), amount) is None


def test_the_money_pattern_of_the_schema_allows_what_the_api_takes() -> None:
    pattern = _schema()["components"]["schemas"]["CheckOutRequest"]["properties"]["deposit"]
    for amount in ("0", "5", "12.5", "12.50", "99999.99"):
        assert re.fullmatch(pattern["pattern"].strip("^$"), amount), amount


def test_a_number_where_the_schema_says_text_is_refused(resident_api: APIClient) -> None:
    answer = resident_api.patch("/api/v1/me/", {"phone": 1701234}, format="json")

    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert "phone" in answer.json()["fields"]
    assert resident_api.patch("/api/v1/me/", {"phone": "0170 1234"}, format="json").json()[
        "phone"
    ] == ("0170 1234")


def test_text_with_a_nul_character_is_400_null_character(
    resident_api: APIClient, resident: User
) -> None:
    answer = resident_api.patch("/api/v1/me/", {"display_name": "Ra\u0000na"}, format="json")

    assert answer.status_code == 400
    assert answer.json()["code"] == "null_character"
    resident.refresh_from_db()
    assert resident.display_name == "Rana Haddad"


def test_a_statistics_period_that_ends_where_it_starts_is_400_invalid_range(
    api: APIClient, coordinator: User
) -> None:
    api.force_authenticate(coordinator)
    moment = "2026-05-01T00:00:00Z"

    answer = api.get(f"/api/v1/stats/hours/?start={moment}&end={moment}")

    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_range"
    assert "end" in answer.json()["fields"]


def test_a_statistics_period_of_more_than_ten_years_is_400_window_too_long(
    api: APIClient, coordinator: User
) -> None:
    api.force_authenticate(coordinator)

    answer = api.get("/api/v1/stats/hours/?start=2000-01-01T00:00Z&end=2026-01-01T00:00Z")

    assert answer.status_code == 400
    assert answer.json()["code"] == "window_too_long"


def test_patching_reminders_with_nothing_changes_nothing(resident_api: APIClient) -> None:
    before = resident_api.get("/api/v1/me/reminders/").json()

    answer = resident_api.patch("/api/v1/me/reminders/", {}, format="json")

    assert answer.status_code == 200
    assert answer.json() == before


def test_a_resource_without_a_group_and_an_application_without_an_offer_answer_null(
    resident_api: APIClient,
) -> None:
    resource_create(name="Bandsäge", kind="machine")

    [row] = resident_api.get("/api/v1/resources/").json()["results"]

    assert row["group"] is None
    schemas = _schema()["components"]["schemas"]
    assert schemas["Resource"]["properties"]["group"]["nullable"] is True
    assert schemas["PlotApplication"]["properties"]["offered_plot_number"]["nullable"] is True
