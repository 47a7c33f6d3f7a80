"""Hours, rates and the honorarium through the API: who logs, who decides, who sees pay."""

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import User
from garden.models import HourlyRate, HoursEntry, HoursSource, HoursStatus
from garden.services.hours import hours_log, rate_set
from garden.tasks import collect_hours
from scheduling.models import Eligibility
from scheduling.services.signups import SignupRequest, signup_create, signup_mark_attendance
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create

pytestmark = pytest.mark.django_db

JULY = datetime(2026, 7, 1, 9, 0, tzinfo=BERLIN)
HOURS = "/api/v1/hours/"
RATES = "/api/v1/hourly-rates/"
HONORARIUM = "/api/v1/honorarium/"


@pytest.fixture(autouse=True)
def _first_of_july() -> Iterator[None]:
    with time_machine.travel(JULY, tick=False):
        yield


def as_member(member: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(member)
    return client


@pytest.fixture
def volunteer() -> User:
    return MemberFactory(volunteer=True, display_name="Vera Ehrenamt")


@pytest.fixture
def honorary() -> User:
    return MemberFactory(honorary_worker=True, display_name="Hakan Yıldız")


@pytest.fixture
def coordinator_api(coordinator: User) -> APIClient:
    return as_member(coordinator)


def logged(member: User, day: date = date(2026, 6, 28), minutes: int = 90) -> HoursEntry:
    return hours_log(
        member=member, day=day, minutes=minutes, activity="Kompost", actor=member, now=JULY
    )


def paid(member: User, day: date, minutes: int, *, approved: bool = True) -> HoursEntry:
    """Paid hours come from shifts; made directly here, as the service would."""
    return HoursEntry.objects.create(
        member=member,
        day=day,
        minutes=minutes,
        activity="Gartenbetreuung",
        source=HoursSource.SHIFT,
        paid=True,
        status=HoursStatus.APPROVED if approved else HoursStatus.PENDING,
        created_at=JULY,
    )


def test_a_volunteer_logs_hours_for_approval(volunteer: User) -> None:
    response = as_member(volunteer).post(
        HOURS,
        {"day": "2026-06-30", "minutes": 120, "activity": "Saatgut sortiert", "note": "mit K."},
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["member"], body["minutes"], body["status"], body["paid"], body["source"]) == (
        volunteer.pk,
        120,
        "pending",
        False,
        "other",
    )


def test_hours_for_tomorrow_are_refused(volunteer: User) -> None:
    response = as_member(volunteer).post(
        HOURS, {"day": "2026-07-02", "minutes": 60, "activity": "Gießen"}
    )

    assert (response.status_code, response.json()["code"]) == (400, "hours_in_future")


def test_more_than_a_day_of_minutes_is_invalid_input(volunteer: User) -> None:
    response = as_member(volunteer).post(
        HOURS, {"day": "2026-06-30", "minutes": 24 * 60 + 1, "activity": "Gießen"}
    )

    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert "minutes" in response.json()["fields"]


def test_a_volunteer_sees_only_their_own_hours(volunteer: User) -> None:
    own = logged(volunteer)
    logged(MemberFactory(volunteer=True))

    listed = as_member(volunteer).get(HOURS).json()["results"]

    assert [e["id"] for e in listed] == [own.pk]


def test_a_volunteer_cannot_see_anothers_hours(volunteer: User) -> None:
    other = logged(MemberFactory(volunteer=True))

    response = as_member(volunteer).get(f"{HOURS}{other.pk}/")

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_a_volunteer_cannot_approve_their_own_hours(volunteer: User) -> None:
    own = logged(volunteer)

    response = as_member(volunteer).post(f"{HOURS}{own.pk}/decide/", {"approve": True})

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    own.refresh_from_db()
    assert own.status == HoursStatus.PENDING


def test_deciding_anothers_hours_is_not_found_for_a_volunteer(volunteer: User) -> None:
    other = logged(MemberFactory(volunteer=True))

    response = as_member(volunteer).post(f"{HOURS}{other.pk}/decide/", {"approve": True})

    assert response.status_code == 404


def test_a_coordinator_approves_with_a_correction(
    coordinator_api: APIClient, coordinator: User, volunteer: User
) -> None:
    entry = logged(volunteer, minutes=150)

    response = coordinator_api.post(f"{HOURS}{entry.pk}/decide/", {"approve": True, "minutes": 120})

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["minutes"], body["decided_by"]) == (
        "approved",
        120,
        coordinator.pk,
    )


def test_a_coordinator_rejects_with_a_reason(coordinator_api: APIClient, volunteer: User) -> None:
    entry = logged(volunteer)

    response = coordinator_api.post(
        f"{HOURS}{entry.pk}/decide/", {"approve": False, "reason": " Schon eingetragen. "}
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decision_reason"]) == (
        "rejected",
        "Schon eingetragen.",
    )


def test_decided_hours_are_a_409(coordinator_api: APIClient, volunteer: User) -> None:
    entry = logged(volunteer)
    coordinator_api.post(f"{HOURS}{entry.pk}/decide/", {"approve": False})

    response = coordinator_api.post(f"{HOURS}{entry.pk}/decide/", {"approve": True})

    assert (response.status_code, response.json()["code"]) == (409, "hours_not_editable")


def test_coordinators_filter_hours_by_member_status_paid_and_days(
    coordinator_api: APIClient, volunteer: User, honorary: User
) -> None:
    early = logged(volunteer, day=date(2026, 6, 1))
    late = logged(volunteer, day=date(2026, 6, 20))
    logged(MemberFactory(volunteer=True), day=date(2026, 6, 20))
    shift = paid(honorary, date(2026, 6, 20), 60)

    def ids(**query: str | int) -> list[int]:
        return [e["id"] for e in coordinator_api.get(HOURS, query).json()["results"]]

    assert ids(member=volunteer.pk) == [late.pk, early.pk]
    assert ids(member=volunteer.pk, **{"from": "2026-06-10", "to": "2026-06-30"}) == [late.pk]
    assert ids(paid="true") == [shift.pk]
    assert ids(status="approved") == [shift.pk]


def test_attended_shifts_become_hours_through_the_task(coordinator: User) -> None:
    volunteer = MemberFactory(volunteer=True)
    watering = activity_create(
        kind="shift",
        title="Gießen",
        frequency="DAILY",
        first_start="2026-06-01T18:00",
        hours=1,
        eligibility=Eligibility.VOLUNTEERS,
    )
    start = datetime(2026, 6, 3, 18, 0, tzinfo=BERLIN)
    signup = signup_create(
        request=SignupRequest(activity=watering, start=start, member=volunteer),
        actor=volunteer,
        now=datetime(2026, 6, 2, tzinfo=BERLIN),
    )
    signup_mark_attendance(signup=signup, actor=coordinator, now=start, attended=True)

    assert collect_hours() == 1
    assert HoursEntry.objects.get().member == volunteer


# --- rates: pay is private to coordinators ----------------------------------------------------


def test_rates_are_hidden_from_everybody_but_coordinators(
    volunteer: User, honorary: User, resident: User, coordinator: User
) -> None:
    rate = rate_set(
        member=honorary,
        valid_from=date(2026, 1, 1),
        euros=Decimal("14.50"),
        actor=coordinator,
        now=JULY,
    )

    for member in (volunteer, honorary, resident):
        client = as_member(member)
        for response in (client.get(RATES), client.get(f"{RATES}{rate.pk}/")):
            assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
        assert b"14.50" not in client.get(RATES).content


def test_nobody_but_a_coordinator_sets_a_rate(honorary: User) -> None:
    response = as_member(honorary).post(
        RATES, {"member": honorary.pk, "valid_from": "2026-07-01", "euros": "99.00"}
    )

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
    assert not HourlyRate.objects.exists()


def test_a_coordinator_sets_rates_and_sees_their_history(
    coordinator_api: APIClient, honorary: User
) -> None:
    for valid_from, euros in (("2026-01-01", "14.50"), ("2026-06-16", "15.25")):
        created = coordinator_api.post(
            RATES, {"member": honorary.pk, "valid_from": valid_from, "euros": euros}
        )
        assert created.status_code == 201

    listed = coordinator_api.get(RATES, {"member": honorary.pk}).json()["results"]

    assert [(r["valid_from"], r["euros"], r["member_name"]) for r in listed] == [
        ("2026-06-16", "15.25", "Hakan Yıldız"),
        ("2026-01-01", "14.50", "Hakan Yıldız"),
    ]


def test_a_negative_rate_is_invalid_input(coordinator_api: APIClient, honorary: User) -> None:
    response = coordinator_api.post(
        RATES, {"member": honorary.pk, "valid_from": "2026-07-01", "euros": "-1.00"}
    )

    assert (response.status_code, response.json()["code"]) == (400, "invalid")


# --- the honorarium ---------------------------------------------------------------------------


def test_the_honorarium_is_for_coordinators_only(honorary: User) -> None:
    response = as_member(honorary).get(HONORARIUM, {"year": 2026, "month": 6})

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_the_honorarium_per_person_with_amounts_as_strings(
    coordinator_api: APIClient, coordinator: User, honorary: User
) -> None:
    rate_set(
        member=honorary,
        valid_from=date(2026, 1, 1),
        euros=Decimal("14.50"),
        actor=coordinator,
        now=JULY,
    )
    paid(honorary, date(2026, 6, 3), 240)  # 58.00
    paid(honorary, date(2026, 6, 10), 100)  # 24.1666… → 24.17
    paid(honorary, date(2026, 6, 11), 60, approved=False)  # not yet approved
    without_rate = MemberFactory(honorary_worker=True, display_name="Bert")
    paid(without_rate, date(2026, 6, 12), 60)

    response = coordinator_api.get(HONORARIUM, {"year": 2026, "month": 6})

    assert response.status_code == 200
    body = response.json()
    [person] = body["people"]
    assert (person["name"], person["minutes"], person["amount"]) == ("Hakan Yıldız", 340, "82.17")
    assert [(line["day"], line["rate"], line["amount"]) for line in person["lines"]] == [
        ("2026-06-03", "14.50", "58.00"),
        ("2026-06-10", "14.50", "24.17"),
    ]
    assert (body["total"], body["minutes"]) == ("82.17", 340)
    assert body["missing_rates"] == [
        {"member": without_rate.pk, "name": "Bert", "day": "2026-06-12"}
    ]


def test_a_month_out_of_range_is_invalid_input(coordinator_api: APIClient) -> None:
    response = coordinator_api.get(HONORARIUM, {"year": 2026, "month": 13})

    assert (response.status_code, response.json()["code"]) == (400, "invalid")
    assert "month" in response.json()["fields"]
