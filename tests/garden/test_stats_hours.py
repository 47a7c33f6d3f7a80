"""Garden hours for the funding report, on a hand-made October.

Entries (day, minutes, activity → decision):
- Vera (volunteer):  30 Sep  45 Gießen → approved (September)
                      3 Oct  90 Gießen → approved
                     10 Oct 120 Kompost → approved, corrected to 100
                     31 Oct  60 Gießen → pending
- Resi (volunteer):  12 Oct  30 Gießen → approved
- Hans (honorary):    3 Oct 240 Gießen → approved (paid)
                     25 Oct 180 Kompost → rejected (the day the clocks go back)
                      1 Nov 120 Gießen → approved (November)
"""

import io
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import User
from garden.models import HoursEntry
from garden.services.hours import hours_decide, hours_log
from garden.stats import (
    hours_by_activity,
    hours_by_month,
    hours_totals,
    period_days,
)
from tests.conftest import BERLIN
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

SEPTEMBER = datetime(2026, 9, 1, tzinfo=BERLIN)
OCTOBER = datetime(2026, 10, 1, tzinfo=BERLIN)
NOVEMBER = datetime(2026, 11, 1, tzinfo=BERLIN)
DECEMBER = datetime(2026, 12, 1, tzinfo=BERLIN)
NOW = datetime(2026, 11, 5, 12, tzinfo=BERLIN)
URL = "/api/v1/stats/hours/"


@pytest.fixture
def october(coordinator: User) -> None:
    vera = MemberFactory(volunteer=True)
    resi = MemberFactory(volunteer=True)
    hans = MemberFactory(honorary_worker=True)

    def log(member: User, day: date, minutes: int, activity: str) -> HoursEntry:
        return hours_log(
            member=member, day=day, minutes=minutes, activity=activity, actor=member, now=NOW
        )

    def decide(entry: HoursEntry, approve: bool = True, minutes: int | None = None) -> None:
        hours_decide(entry=entry, actor=coordinator, now=NOW, approve=approve, minutes=minutes)

    decide(log(vera, date(2026, 9, 30), 45, "Gießen"))
    decide(log(vera, date(2026, 10, 3), 90, "Gießen"))
    decide(log(vera, date(2026, 10, 10), 120, "Kompost"), minutes=100)
    log(vera, date(2026, 10, 31), 60, "Gießen")
    decide(log(resi, date(2026, 10, 12), 30, "Gießen"))
    decide(log(hans, date(2026, 10, 3), 240, "Gießen"))
    decide(log(hans, date(2026, 10, 25), 180, "Kompost"), approve=False)
    decide(log(hans, date(2026, 11, 1), 120, "Gießen"))


def test_a_period_holds_the_days_that_begin_in_it() -> None:
    assert period_days(start=OCTOBER, end=NOVEMBER) == (date(2026, 10, 1), date(2026, 10, 31))
    # From 10:00 on 1 Oct, that day began before the period: it belongs to the one before.
    assert period_days(start=OCTOBER.replace(hour=10), end=NOVEMBER.replace(hour=10)) == (
        date(2026, 10, 2),
        date(2026, 11, 1),
    )


def test_approved_hours_are_split_into_voluntary_and_honorary(october: None) -> None:
    total = hours_totals(start=OCTOBER, end=NOVEMBER)

    # voluntary 90 + 100 + 30 = 220 min = 3.67 h; honorary 240 min = 4 h; total 460 min
    assert (total.volunteer_hours, total.honorary_hours, total.approved_hours) == (
        Decimal("3.67"),
        Decimal("4.00"),
        Decimal("7.67"),
    )
    assert total.helpers == 3  # Vera, Resi, Hans


def test_pending_hours_are_a_separate_figure_and_rejected_ones_count_nowhere(
    october: None,
) -> None:
    total = hours_totals(start=OCTOBER, end=NOVEMBER)

    # Vera's 60 pending minutes; Hans's 180 rejected minutes appear nowhere.
    assert (total.pending_volunteer_minutes, total.pending_honorary_minutes) == (60, 0)
    assert total.pending_hours == Decimal("1.00")


def test_activities_run_from_most_to_fewest_approved_hours(october: None) -> None:
    rows = hours_by_activity(start=OCTOBER, end=NOVEMBER)

    assert [
        (r.key, r.volunteer_hours, r.honorary_hours, r.helpers, r.pending_hours) for r in rows
    ] == [
        # 90 + 30 voluntary, 240 honorary; 60 pending
        ("Gießen", Decimal("2.00"), Decimal("4.00"), 3, Decimal("1.00")),
        # Vera's corrected 100 minutes; Hans's rejected entry is not there
        ("Kompost", Decimal("1.67"), Decimal("0.00"), 1, Decimal("0.00")),
    ]


def test_months_without_hours_are_listed_with_nothing(october: None) -> None:
    rows = hours_by_month(start=SEPTEMBER, end=DECEMBER)

    assert [(r.key, r.volunteer_minutes, r.honorary_minutes, r.helpers) for r in rows] == [
        ("2026-09", 45, 0, 1),
        ("2026-10", 220, 240, 3),
        ("2026-11", 0, 120, 1),
    ]


def as_member(member: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(member)
    return client


def get(client: APIClient, start: datetime = OCTOBER, **params: str) -> Any:
    with time_machine.travel(NOW, tick=False):
        return client.get(
            URL,
            {"start": start.isoformat(), "end": NOVEMBER.isoformat(), **params},
            HTTP_ACCEPT_LANGUAGE="en",
        )


def test_the_endpoint_answers_by_month(october: None, coordinator: User) -> None:
    body = get(as_member(coordinator)).json()

    assert body["rows"] == [
        {
            "month": "2026-10",
            "volunteer_hours": 3.67,
            "honorary_hours": 4.0,
            "approved_hours": 7.67,
            "helpers": 3,
            "pending_hours": 1.0,
        }
    ]


def test_the_xlsx_holds_hours_by_activity_as_numbers(october: None, coordinator: User) -> None:
    response = get(as_member(coordinator), group_by="activity", export="xlsx")

    assert response["Content-Disposition"] == (
        'attachment; filename="hours-activity-2026-10-01-2026-11-01.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        [
            "Activity",
            "Voluntary hours",
            "Honorary hours",
            "Approved hours",
            "People with approved hours",
            "Hours to approve",
        ],
        ["Gießen", 2.0, 4.0, 6.0, 3, 1.0],
        ["Kompost", 1.67, 0.0, 1.67, 1, 0.0],
    ]


@pytest.mark.parametrize("role", ["resident", "volunteer"])
def test_only_coordinators_see_the_hours_figures(role: str) -> None:
    response = get(as_member(MemberFactory(volunteer=role == "volunteer")))

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_the_number_of_queries_does_not_grow_with_the_data(
    october: None, coordinator: User, django_assert_max_num_queries: Any
) -> None:
    client = as_member(coordinator)
    for group_by in ("month", "activity"):
        with django_assert_max_num_queries(1):
            assert get(client, start=SEPTEMBER, group_by=group_by).status_code == 200
    helper = MemberFactory(volunteer=True)
    for day in range(1, 29):
        hours_log(
            member=helper,
            day=date(2026, 10, day),
            minutes=30,
            activity=f"Arbeit {day % 4}",
            actor=helper,
            now=NOW,
        )
    for group_by in ("month", "activity"):
        with django_assert_max_num_queries(1):
            assert get(client, start=SEPTEMBER, group_by=group_by).status_code == 200
