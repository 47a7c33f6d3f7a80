"""Loan statistics on a hand-made October (local times; the clocks go back on 25 October).

"Now" is 5 Nov 2026 12:00 (11:00 UTC). Loans, each checked out at the start of its booking:
- L1 Akkuschrauber 5 Oct 10:00, 2 days, back 7 Oct 10:00 (on time)          → 48 h
- L2 Akkuschrauber 24 Oct 10:00, 2 days, back 27 Oct 10:00 damaged (late)   → 73 h (DST: +1 h)
- L3 Stichsäge 20 Oct 10:00, 3 days, still out (overdue since 23 Oct)       → 387 h up to now
- L4 Spaten 12 Oct 10:00, 1 day, back 12 Oct 16:00 worn (early)             → 6 h
- L5 Spaten 28 Sep 10:00, back 2 Oct: checked out before October            → not counted
- L6 Spaten 31 Oct 10:00, 1 day, back 1 Nov 10:00 "good" with a damage report → 24 h
- L7 Spaten 1 Nov 00:30 local (31 Oct 23:30 UTC), 1 day, still out          → November
The Nähmaschine is never borrowed.
"""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import User
from tests.conftest import BERLIN
from tests.factories import MemberFactory
from tests.werkhaus.conftest import as_member, lend, tool_type_create
from werkhaus.models import Condition, Loan, ToolType
from werkhaus.services.loans import CheckIn, loan_check_in
from werkhaus.stats import (
    LoanFigures,
    loans_by_category,
    loans_by_month,
    loans_by_tool_type,
    loans_totals,
)

pytestmark = pytest.mark.django_db

OCTOBER = datetime(2026, 10, 1, tzinfo=BERLIN)
NOVEMBER = datetime(2026, 11, 1, tzinfo=BERLIN)
DECEMBER = datetime(2026, 12, 1, tzinfo=BERLIN)
NOW = datetime(2026, 11, 5, 12, tzinfo=BERLIN)
URL = "/api/v1/stats/loans/"


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def tools(db: None) -> dict[str, ToolType]:
    return {
        "drill": tool_type_create("Akkuschrauber", units=2, category="power_tools"),
        "jigsaw": tool_type_create("Stichsäge", units=1, category="power_tools"),
        "spade": tool_type_create("Spaten", units=2, category="garden"),
        "sewing": tool_type_create("Nähmaschine", units=1, category="sewing"),
    }


@pytest.fixture
def october(tools: dict[str, ToolType], coordinator: User) -> None:
    member = MemberFactory()

    def give_back(loan: Loan, when: datetime, condition: str = Condition.GOOD, report: str = ""):
        check = CheckIn(condition=condition, damage_report=report)
        return loan_check_in(loan=loan, actor=coordinator, now=when, check=check)

    def out(tool: str, start: datetime, days: int) -> Loan:
        return lend(tools[tool], member, start=start, days=days, coordinator=coordinator)

    give_back(out("drill", at(10, 5), 2), at(10, 7))
    give_back(out("drill", at(10, 24), 2), at(10, 27), Condition.DAMAGED, "Akku defekt")
    out("jigsaw", at(10, 20), 3)
    give_back(out("spade", at(10, 12), 1), at(10, 12, 16), Condition.WORN)
    give_back(out("spade", at(9, 28), 1), at(10, 2))
    give_back(out("spade", at(10, 31), 1), at(11, 1), report="Stiel locker")
    out("spade", at(11, 1, 0, 30), 1)


def figures(rows: list[LoanFigures]) -> list[tuple[Any, ...]]:
    return [(r.label, r.loans, r.average_days, r.overdue, r.returned, r.damaged) for r in rows]


def test_tool_types_run_from_most_to_least_borrowed(october: None) -> None:
    rows = loans_by_tool_type(start=OCTOBER, end=NOVEMBER, now=NOW)

    assert figures(rows) == [
        # (48 h + 73 h) ÷ 2 = 60.5 h = 2.52 days; L2 late and damaged
        ("Akkuschrauber", 2, Decimal("2.52"), 1, 2, 1),
        # (6 h + 24 h) ÷ 2 = 15 h = 0.63 days (0.625 rounded half up); L6 has a damage report
        ("Spaten", 2, Decimal("0.63"), 0, 2, 1),
        # 20 Oct 08:00 UTC → 5 Nov 11:00 UTC = 387 h = 16.13 days; out past its end
        ("Stichsäge", 1, Decimal("16.13"), 1, 0, 0),
        ("Nähmaschine", 0, None, 0, 0, 0),
    ]


def test_the_rates_are_over_all_loans_and_over_returned_loans(october: None) -> None:
    drill, _spade, jigsaw, sewing = loans_by_tool_type(start=OCTOBER, end=NOVEMBER, now=NOW)

    assert (drill.overdue_rate, drill.damage_rate) == (0.5, 0.5)  # 1 of 2; 1 of 2 returned
    assert (jigsaw.overdue_rate, jigsaw.damage_rate) == (1.0, None)  # nothing returned yet
    assert (sewing.overdue_rate, sewing.damage_rate) == (None, None)


def test_the_totals_count_every_loan_of_the_period_once(october: None) -> None:
    total = loans_totals(start=OCTOBER, end=NOVEMBER, now=NOW)

    # L1–L4 and L6; (48 + 73 + 387 + 6 + 24) h ÷ 5 = 107.6 h = 4.48 days
    assert (total.loans, total.average_days, total.overdue, total.returned, total.damaged) == (
        5,
        Decimal("4.48"),
        2,
        4,
        2,
    )
    assert (total.overdue_rate, total.damage_rate) == (0.4, 0.5)


def test_a_loan_still_out_counts_up_to_now(october: None) -> None:
    later = NOW + timedelta(days=1)

    (jigsaw,) = loans_by_tool_type(
        start=OCTOBER,
        end=NOVEMBER,
        now=later,
        tool_type=ToolType.objects.get(resource__name="Stichsäge").pk,
    )

    assert jigsaw.average_days == Decimal("17.13")  # 387 h + 24 h = 411 h


def test_categories_sum_their_tool_types(october: None) -> None:
    rows = {r.key: r for r in loans_by_category(start=OCTOBER, end=NOVEMBER, now=NOW)}

    # L1, L2, L3: (48 + 73 + 387) h ÷ 3 = 169.33 h = 7.06 days
    assert figures([rows["power_tools"]]) == [("power_tools", 3, Decimal("7.06"), 2, 2, 1)]
    assert figures([rows["garden"]]) == [("garden", 2, Decimal("0.63"), 0, 2, 1)]
    assert rows["sewing"].loans == 0


def test_months_are_local_months_of_the_check_out(october: None) -> None:
    rows = loans_by_month(start=OCTOBER, end=DECEMBER, now=NOW)

    # L7 left at 00:30 on 1 Nov local time (still October in UTC): November's, and overdue.
    assert [(r.key, r.loans, r.overdue) for r in rows] == [("2026-10", 5, 2), ("2026-11", 1, 1)]


def test_a_category_filter_keeps_its_tool_types_only(october: None) -> None:
    rows = loans_by_tool_type(start=OCTOBER, end=NOVEMBER, now=NOW, category="garden")

    assert [(r.label, r.loans) for r in rows] == [("Spaten", 2)]


def get(client: APIClient, **params: str) -> Any:
    with time_machine.travel(NOW, tick=False):
        return client.get(
            URL,
            {"start": OCTOBER.isoformat(), "end": NOVEMBER.isoformat(), **params},
            HTTP_ACCEPT_LANGUAGE="en",
        )


def test_the_endpoint_filters_by_tool_type(
    october: None, tools: dict[str, ToolType], coordinator: User
) -> None:
    body = get(as_member(coordinator), tool_type=str(tools["drill"].pk)).json()

    assert body["rows"] == [
        {
            "tool_type": "Akkuschrauber",
            "category": "power tools",
            "loans": 2,
            "average_days": 2.52,
            "overdue": 1,
            "overdue_rate": 0.5,
            "returned": 2,
            "damaged": 1,
            "damage_rate": 0.5,
        }
    ]


def test_the_csv_lists_tool_types_for_a_german_office(october: None, coordinator: User) -> None:
    response = get(as_member(coordinator), export="csv")

    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == [
        "Tool type",
        "Category",
        "Loans",
        "Average length in days",
        "Overdue",
        "Overdue rate (%)",
        "Returned",
        "Damaged",
        "Damage rate (%)",
    ]
    assert lines[1] == ["Akkuschrauber", "power tools", "2", "2,52", "1", "50,0", "2", "1", "50,0"]
    assert lines[4] == ["Nähmaschine", "sewing", "0", "", "0", "", "0", "0", ""]


def test_an_unknown_category_is_refused(coordinator: User) -> None:
    response = get(as_member(coordinator), category="drills")

    assert (response.status_code, response.json()["code"]) == (400, "invalid")


@pytest.mark.parametrize("role", ["resident", "volunteer"])
def test_only_coordinators_see_the_loan_figures(role: str) -> None:
    response = get(as_member(MemberFactory(volunteer=role == "volunteer")))

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_the_number_of_queries_does_not_grow_with_the_data(
    october: None,
    tools: dict[str, ToolType],
    coordinator: User,
    django_assert_max_num_queries: Any,
) -> None:
    client = as_member(coordinator)
    for group_by in ("tool_type", "category", "month"):
        with django_assert_max_num_queries(2):
            assert get(client, group_by=group_by).status_code == 200
    member = MemberFactory()
    for day in range(1, 20, 2):
        loan = lend(tools["sewing"], member, start=at(10, day), days=1, coordinator=coordinator)
        loan_check_in(loan=loan, actor=coordinator, now=at(10, day + 1), check=CheckIn())
    for group_by in ("tool_type", "category", "month"):
        with django_assert_max_num_queries(2):
            assert get(client, group_by=group_by).status_code == 200
