"""People served: distinct members, new and returning, by role, language and month.

The data (local times, Europe/Berlin):
- Ana (resident, de): a workbench booking on 5 Oct — her first ever → new in October;
- Ben (resident and volunteer, en): a booking on 14 Sep (completed), a workshop place on 10 Oct
  → new in September, returning in October;
- Cem (resident and honorary worker, de): a workshop sign-up on 10 Oct that he cancelled (no
  place held), a booking on 12 Oct marked no-show (it held its time) → new in October;
- Dora (resident, en): a booking on 6 Oct that she cancelled → never served;
- Emil (resident, de): a booking at 00:30 on 1 Nov local time — still 31 Oct in UTC → November;
- Kim (coordinator): a booking on 7 Oct → coordinators are never counted.
"""

import io
from datetime import datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import User
from scheduling.models import BookingStatus, Resource
from scheduling.selectors.participation import (
    PeopleCount,
    people_by_language,
    people_by_month,
    people_by_role,
    people_total,
)
from scheduling.services.bookings import booking_cancel, booking_mark
from scheduling.services.signups import SignupRequest, signup_cancel, signup_create
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create, resource_create
from tests.scheduling.conftest import book

pytestmark = pytest.mark.django_db

SEPTEMBER = datetime(2026, 9, 1, tzinfo=BERLIN)
OCTOBER = datetime(2026, 10, 1, tzinfo=BERLIN)
NOVEMBER = datetime(2026, 11, 1, tzinfo=BERLIN)
DECEMBER = datetime(2026, 12, 1, tzinfo=BERLIN)
BOOKED_AT = datetime(2026, 9, 1, 9, tzinfo=BERLIN)
URL = "/api/v1/stats/people/"


def day(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=BERLIN)


def booked(resource: Resource, member: User, start: datetime) -> Any:
    return book(resource, member, start, start + timedelta(hours=2), now=BOOKED_AT)


@pytest.fixture
def bench(db: None) -> Resource:
    return resource_create(name="Hobelbank", units=3)


@pytest.fixture
def people(bench: Resource, coordinator: User) -> dict[str, User]:
    ana = MemberFactory(preferred_language="de")
    ben = MemberFactory(preferred_language="en", volunteer=True)
    cem = MemberFactory(preferred_language="de", honorary_worker=True)
    dora = MemberFactory(preferred_language="en")
    emil = MemberFactory(preferred_language="de")
    workshop = activity_create(title="Repair-Café", frequency="", first_start="2026-10-10T14:00")

    booked(bench, ana, day(10, 5))
    september = booked(bench, ben, day(9, 14))
    booking_mark(booking=september, actor=coordinator, now=day(9, 15), outcome="completed")
    for member in (ben, cem):
        signup_create(
            request=SignupRequest(activity=workshop, start=day(10, 10, 14), member=member),
            actor=member,
            now=BOOKED_AT,
        )
    cancelled = cem.signups.get()
    signup_cancel(signup=cancelled, actor=cem, now=BOOKED_AT)
    missed = booked(bench, cem, day(10, 12))
    booking_mark(booking=missed, actor=coordinator, now=day(10, 13), outcome=BookingStatus.NO_SHOW)
    booking_cancel(booking=booked(bench, dora, day(10, 6)), actor=dora, now=BOOKED_AT)
    booked(bench, emil, datetime(2026, 11, 1, 0, 30, tzinfo=BERLIN))
    booked(bench, coordinator, day(10, 7))
    return {"ana": ana, "ben": ben, "cem": cem, "dora": dora, "emil": emil}


def as_member(member: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(member)
    return client


def get(client: APIClient, start: datetime = OCTOBER, **params: str) -> Any:
    return client.get(
        URL,
        {"start": start.isoformat(), "end": NOVEMBER.isoformat(), **params},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_members_served_are_counted_once_and_split_into_new_and_returning(people: Any) -> None:
    total = people_total(start=OCTOBER, end=NOVEMBER)

    # Ana, Ben, Cem; new: Ana and Cem (first service in October); returning: Ben.
    assert (total.members, total.new, total.returning) == (3, 2, 1)


def test_a_cancelled_booking_or_sign_up_serves_nobody(people: dict[str, User]) -> None:
    by_language = {c.key: c for c in people_by_language(start=OCTOBER, end=NOVEMBER)}

    # Dora (en) only cancelled; Ben is the only English speaker served.
    assert by_language["en"] == PeopleCount(key="en", members=1, new=0)


def test_each_role_counts_the_members_holding_it(people: Any) -> None:
    rows = people_by_role(start=OCTOBER, end=NOVEMBER)

    assert [(r.key, r.members, r.new) for r in rows] == [
        ("all", 3, 2),
        ("resident", 3, 2),  # every non-coordinator member is a resident too
        ("volunteer", 1, 0),  # Ben, served in September already
        ("honorary_worker", 1, 1),  # Cem
    ]


def test_languages_follow_the_order_of_the_site(people: Any) -> None:
    rows = people_by_language(start=OCTOBER, end=NOVEMBER)

    assert rows == [
        PeopleCount(key="de", members=2, new=2),  # Ana, Cem
        PeopleCount(key="en", members=1, new=0),  # Ben
    ]


def test_months_are_local_and_new_means_first_ever_in_that_month(people: Any) -> None:
    rows = people_by_month(start=SEPTEMBER, end=DECEMBER)

    assert rows == [
        PeopleCount(key="2026-09", members=1, new=1),  # Ben
        PeopleCount(key="2026-10", members=3, new=2),  # Ana, Ben (returning), Cem
        PeopleCount(key="2026-11", members=1, new=1),  # Emil at 00:30 on 1 Nov, local time
    ]


def test_the_endpoint_counts_without_names_by_role(
    people: dict[str, User], coordinator: User
) -> None:
    body = get(as_member(coordinator)).json()

    assert body["rows"][0] == {
        "role": "all",
        "role_name": "All members",
        "members": 3,
        "new": 2,
        "returning": 1,
    }
    text = str(body)
    for member in people.values():
        assert member.display_name not in text
        assert str(member.username) not in text


def test_the_xlsx_holds_the_counts_by_language(people: Any, coordinator: User) -> None:
    response = get(as_member(coordinator), group_by="language", export="xlsx")

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Language code", "Language", "Members served", "New", "Returning"],
        ["de", "Deutsch", 2, 2, 0],
        ["en", "English", 1, 0, 1],
    ]


def test_the_endpoint_groups_by_month(people: Any, coordinator: User) -> None:
    body = get(as_member(coordinator), start=SEPTEMBER, group_by="month").json()

    assert [(r["month"], r["members"], r["new"]) for r in body["rows"]] == [
        ("2026-09", 1, 1),
        ("2026-10", 3, 2),
    ]


@pytest.mark.parametrize("role", ["resident", "volunteer"])
def test_only_coordinators_see_the_people_figures(role: str) -> None:
    member = MemberFactory(volunteer=role == "volunteer")

    response = get(as_member(member))

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_the_number_of_queries_does_not_grow_with_the_data(
    people: Any, bench: Resource, coordinator: User, django_assert_max_num_queries: Any
) -> None:
    client = as_member(coordinator)
    for group_by in ("role", "language", "month"):
        with django_assert_max_num_queries(1):
            assert get(client, start=SEPTEMBER, group_by=group_by).status_code == 200
    for hour in range(8, 20):
        booked(bench, MemberFactory(), day(10, 20, hour))
    for group_by in ("role", "language", "month"):
        with django_assert_max_num_queries(1):
            assert get(client, start=SEPTEMBER, group_by=group_by).status_code == 200
