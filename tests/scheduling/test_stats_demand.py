"""Demand that could not be served: refusals are recorded after the refused transaction rolled
back, and the statistics count them, the waitlists and the wait for a free place.

The hand-computed October 2026 (period Oct 1 – Nov 1 local):
- Bandsäge (1 unit): Anna books Oct 10 10–12 on Oct 1. Ben is refused (Oct 1), Cem (Oct 8) and
  Ben again (Oct 8): 3 conflicts, 2 members. Ben and Cem join its waitlist (Oct 1 10:00 and
  12:00); Anna cancels Oct 2 16:00, so Ben is offered the time after 30 h and accepts; Cem
  waits on: 2 entries, 1 offered, 1 placed (50 %), 30 h to an offer.
- Repair-Café Oct 10 14:00 with one place: Anna signs up, Ben is refused (Oct 2): 1 full.
  Cem joins its waitlist Oct 3 10:00; Anna cancels Oct 4 10:00 and Cem moves up: 1 entry,
  1 offered, 1 placed, 24 h.
"""

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
import time_machine
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import User
from scheduling import errors
from scheduling.models import Activity, Booking, Refusal, Resource
from scheduling.selectors.stats import (
    DemandFilter,
    RefusalCount,
    refusals_by_code,
    refusals_by_week,
    waitlist_outcomes,
)
from scheduling.services.bookings import BookingRequest, booking_cancel, booking_create
from scheduling.services.signups import SignupRequest, signup_cancel, signup_create
from scheduling.services.waitlist import waitlist_accept, waitlist_join
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create, resource_create

URL = "/api/v1/stats/demand/"
START = datetime(2026, 10, 1, tzinfo=BERLIN)
END = datetime(2026, 11, 1, tzinfo=BERLIN)
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}
CAFE = datetime(2026, 10, 10, 14, tzinfo=BERLIN)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 10, day, hour, tzinfo=BERLIN)


def _book(resource: Resource, member: User, now: datetime) -> Booking:
    request = BookingRequest(resource=resource, member=member, start=at(10), end=at(10, 12))
    return booking_create(request=request, actor=member, now=now)


def _sign_up(activity: Activity, member: User, now: datetime, *, waitlist: bool = False) -> Any:
    request = SignupRequest(activity=activity, start=CAFE, member=member, waitlist=waitlist)
    return signup_create(request=request, actor=member, now=now)


@dataclass
class October:
    saw: Resource
    cafe: Activity
    anna: User
    ben: User
    cem: User


@pytest.fixture
def saw(db: None) -> Resource:
    return resource_create(name="Bandsäge", kind="machine")


@pytest.fixture
def cafe(db: None) -> Activity:
    return activity_create(title="Repair-Café", first_start="2026-10-03T14:00", places=1)


@pytest.fixture
def october(saw: Resource, cafe: Activity) -> October:
    anna, ben, cem = (MemberFactory(display_name=n) for n in ("Anna Ast", "Ben Berg", "Cem Cil"))
    booking = _book(saw, anna, at(1, 9))
    for member, now in ((ben, at(1)), (cem, at(8)), (ben, at(8, 11))):
        with pytest.raises(errors.SlotTaken):
            _book(saw, member, now)
    entries = {
        m.pk: waitlist_join(resource=saw, member=m, start=at(10), end=at(10, 12), actor=m, now=now)
        for m, now in ((ben, at(1, 10)), (cem, at(1, 12)))
    }
    booking_cancel(booking=booking, actor=anna, now=at(2, 16))
    waitlist_accept(entry=entries[ben.pk], actor=ben, now=at(2, 17))

    place = _sign_up(cafe, anna, at(1))
    with pytest.raises(errors.Full):
        _sign_up(cafe, ben, at(2))
    _sign_up(cafe, cem, at(3), waitlist=True)
    signup_cancel(signup=place, actor=anna, now=at(4))
    return October(saw, cafe, anna, ben, cem)


@pytest.fixture
def coordinator_api(api: APIClient, coordinator: User) -> APIClient:
    api.force_authenticate(coordinator)
    return api


def _rows(api: APIClient, **params: Any) -> list[dict[str, Any]]:
    response = api.get(URL, {**PERIOD, **params})
    assert response.status_code == 200, response.content
    rows: list[dict[str, Any]] = response.json()["rows"]
    return rows


# --- recording --------------------------------------------------------------------------------


def test_a_booking_refused_for_want_of_a_free_unit_is_recorded(saw: Resource) -> None:
    anna, ben = MemberFactory(), MemberFactory()
    _book(saw, anna, at(1))

    with pytest.raises(errors.SlotTaken):
        _book(saw, ben, at(2))

    refusal = Refusal.objects.get()
    assert (refusal.code, refusal.resource_id, refusal.activity_id) == ("conflict", saw.pk, None)
    assert (refusal.at, refusal.start, refusal.end) == (at(2), at(10), at(10, 12))
    assert refusal.member_id == ben.pk


def test_a_sign_up_refused_for_want_of_a_place_is_recorded(cafe: Activity) -> None:
    anna, ben = MemberFactory(), MemberFactory()
    _sign_up(cafe, anna, at(1))

    with pytest.raises(errors.Full):
        _sign_up(cafe, ben, at(2))

    refusal = Refusal.objects.get()
    assert (refusal.code, refusal.activity_id, refusal.resource_id) == ("full", cafe.pk, None)
    assert (refusal.start, refusal.end) == (CAFE, CAFE.replace(hour=17))


def test_a_sign_up_that_takes_a_waitlist_place_is_no_refusal(cafe: Activity) -> None:
    _sign_up(cafe, MemberFactory(), at(1))

    _sign_up(cafe, MemberFactory(), at(2), waitlist=True)

    assert not Refusal.objects.exists()


def test_a_booking_refused_by_a_rule_is_no_refusal_for_want_of_room(saw: Resource) -> None:
    request = BookingRequest(resource=saw, member=MemberFactory(), start=at(10), end=at(12))

    with pytest.raises(errors.TooLong):
        booking_create(request=request, actor=request.member, now=at(1))

    assert not Refusal.objects.exists()


def test_a_full_occurrence_refused_through_the_api_is_recorded(
    api: APIClient, cafe: Activity
) -> None:
    _sign_up(cafe, MemberFactory(), at(1))
    api.force_authenticate(MemberFactory())

    with time_machine.travel(at(2), tick=False):
        response = api.post(
            "/api/v1/signups/", {"event": cafe.event_id, "start": CAFE.isoformat()}, format="json"
        )

    assert response.status_code == 409
    assert response.json()["code"] == "full"
    assert Refusal.objects.filter(code="full", activity=cafe).count() == 1


# --- measures ---------------------------------------------------------------------------------


def test_refusals_are_counted_by_reason_with_distinct_members(october: October) -> None:
    assert refusals_by_code(start=START, end=END) == [
        RefusalCount("conflict", refusals=3, members=2),  # Ben twice, Cem
        RefusalCount("full", refusals=1, members=1),
    ]


def test_refusals_are_counted_by_local_week_they_happened_in(october: October) -> None:
    weeks = refusals_by_week(start=START, end=END)

    assert [(w.week.isoformat(), w.code, w.refusals, w.members) for w in weeks] == [
        ("2026-09-28", "conflict", 1, 1),  # Thu Oct 1: Ben
        ("2026-09-28", "full", 1, 1),  # Fri Oct 2: Ben
        ("2026-10-05", "conflict", 2, 2),  # Thu Oct 8: Cem, Ben
    ]


def test_waitlists_count_entries_places_and_the_hours_to_an_offer(october: October) -> None:
    booking, signup = waitlist_outcomes(start=START, end=END)

    # Ben joined Oct 1 10:00 and was offered Oct 2 16:00: 30 h; Cem is still waiting.
    assert (booking.entries, booking.offered, booking.placed) == (2, 1, 1)
    assert (booking.placed_share, booking.avg_hours_to_offer) == (0.5, 30.0)
    # Cem joined Oct 3 10:00 and moved up Oct 4 10:00: 24 h.
    assert (signup.entries, signup.offered, signup.placed) == (1, 1, 1)
    assert (signup.placed_share, signup.avg_hours_to_offer) == (1.0, 24.0)


def test_a_resource_filter_leaves_out_sign_ups(october: October) -> None:
    where = DemandFilter(resource_id=october.saw.pk)

    assert [c.code for c in refusals_by_code(start=START, end=END, where=where)] == ["conflict"]
    assert [o.waitlist for o in waitlist_outcomes(start=START, end=END, where=where)] == ["booking"]


def test_refusals_outside_the_period_are_not_counted(october: October) -> None:
    assert refusals_by_code(start=at(9), end=END) == []


# --- API --------------------------------------------------------------------------------------


def test_demand_by_resource_and_event_lists_the_most_refused_first(
    coordinator_api: APIClient, october: October
) -> None:
    rows = _rows(coordinator_api, group_by="resource")

    assert [(r["name"], r["code"], r["refusals"], r["members"]) for r in rows] == [
        ("Bandsäge", "conflict", 3, 2),
        ("Repair-Café", "full", 1, 1),
    ]
    assert rows[1]["target_id"] == october.cafe.event_id


def test_demand_by_week_is_a_table_of_weeks(coordinator_api: APIClient, october: October) -> None:
    rows = _rows(coordinator_api, group_by="week")

    assert [(r["week"], r["code"], r["refusals"]) for r in rows] == [
        ("2026-09-28", "conflict", 1),
        ("2026-09-28", "full", 1),
        ("2026-10-05", "conflict", 2),
    ]


def test_demand_names_no_member(coordinator_api: APIClient, october: October) -> None:
    for group_by in ("code", "resource", "week", "waitlist"):
        response = coordinator_api.get(URL, {**PERIOD, "group_by": group_by})
        for member in (october.anna, october.ben, october.cem):
            assert str(member.display_name).encode() not in response.content
            assert str(member.username).encode() not in response.content


def test_demand_as_csv_for_a_german_office(coordinator_api: APIClient, october: October) -> None:
    response = coordinator_api.get(URL, {**PERIOD, "group_by": "waitlist", "export": "csv"})

    assert response.status_code == 200
    lines = response.content.decode("utf-8").split("\r\n")
    assert lines[1].endswith(";2;1;1;50,0;30,00")
    assert lines[2].endswith(";1;1;1;100,0;24,00")


def test_demand_as_xlsx_with_numbers(coordinator_api: APIClient, october: October) -> None:
    response = coordinator_api.get(URL, {**PERIOD, "group_by": "code", "export": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[2]][::2] == ["conflict", 3]
    assert [c.value for c in sheet[2]][3] == 2


@pytest.mark.parametrize("group_by", ["code", "resource", "week", "waitlist"])
def test_demand_takes_the_same_queries_with_more_refusals(
    coordinator_api: APIClient, october: October, group_by: str, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(2):
        _rows(coordinator_api, group_by=group_by)
    for n in range(5):
        with pytest.raises(errors.SlotTaken):
            _book(october.saw, MemberFactory(), at(n + 3))
    with django_assert_max_num_queries(2):
        assert _rows(coordinator_api, group_by=group_by)


@pytest.mark.parametrize("roles", [{}, {"volunteer": True}])
def test_demand_is_for_coordinators_only(api: APIClient, db: None, roles: dict[str, bool]) -> None:
    api.force_authenticate(MemberFactory(**roles))

    response = api.get(URL, PERIOD)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_threads_racing_for_one_unit_record_one_refusal_per_loser(now: datetime) -> None:
    from tests.scheduling.test_booking_concurrency import _booking_attempt, _race

    resource = resource_create(units=1)
    start = now.replace(day=14, hour=10)
    members = [MemberFactory(password=None) for _ in range(8)]

    outcomes = _race(
        [_booking_attempt(resource.pk, m, start, start.replace(hour=11), now) for m in members]
    )

    assert sum(isinstance(o, Booking) for o in outcomes) == 1
    assert sum(isinstance(o, errors.SlotTaken) for o in outcomes) == 7
    assert Refusal.objects.filter(resource=resource, code="conflict").count() == 7
