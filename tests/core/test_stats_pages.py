"""The coordinators' statistics pages with the test client: who may see them, the period picker's
messages, the downloads, the monthly report (page, key figures as files, PDF) and the query
counts.

The month by hand ("now" is 5 Nov 2026 12:00; one member borrows, coordinators lend):
- September 2026: Akkuschrauber 7 Sep (2 days), Spaten 14 Sep (1 day)        → 2 loans
- October 2026: Akkuschrauber 5 Oct (2 days), Akkuschrauber 12 Oct (1 day),
  Spaten 20 Oct (3 days, still out)                                           → 3 loans
Every loan but the last comes back at the end of its booking.
So October has 3 loans, (3 - 2) ÷ 2 = 50 % more than September; the one member was served in
both months, so they are returning in October ("0 of them for the first time"), and as many
members were served as in September.
"""

import csv
import io
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from accounts.models import User
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create
from tests.werkhaus.conftest import lend, tool_type_create
from werkhaus.models import ToolType
from werkhaus.services.loans import CheckIn, loan_check_in

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 5, 12, 0, tzinfo=BERLIN)
DASHBOARD = "/koordination/statistik/"
OCTOBER_PERIOD = {"period": "custom", "start": "2026-10-01", "end": "2026-10-31"}
REPORT = "/koordination/bericht/2026/10/"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(user: User | None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def office(coordinator: User) -> Client:
    return client_for(coordinator)


@pytest.fixture
def tools(db: None) -> dict[str, ToolType]:
    return {
        "drill": tool_type_create("Akkuschrauber", units=2),
        "spade": tool_type_create("Spaten", units=2, category="garden"),
    }


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def loans(tools: dict[str, ToolType], coordinator: User) -> User:
    member = MemberFactory(username="borrower")
    for tool, month, day, days in (
        ("drill", 9, 7, 2),
        ("spade", 9, 14, 1),
        ("drill", 10, 5, 2),
        ("drill", 10, 12, 1),
        ("spade", 10, 20, 3),
    ):
        loan = lend(tools[tool], member, start=at(month, day), days=days, coordinator=coordinator)
        if (month, day) != (10, 20):  # the last one is still out
            back = at(month, day) + timedelta(days=days)
            loan_check_in(loan=loan, actor=coordinator, now=back, check=CheckIn())
    return member


# --- who may see them --------------------------------------------------------------------------


@pytest.mark.parametrize("url", [DASHBOARD, REPORT, f"{REPORT}pdf/"])
def test_anonymous_visitors_are_sent_to_the_login_form(url: str) -> None:
    response = client_for(None).get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("role", ["resident", "volunteer", "honorary_worker"])
@pytest.mark.parametrize("url", [DASHBOARD, REPORT, "/koordination/statistik/tabelle/loans/"])
def test_members_who_are_not_coordinators_are_refused(role: str, url: str) -> None:
    member = MemberFactory(**({role: True} if role != "resident" else {}))

    response = client_for(member).get(url, {"export": "csv"} if "tabelle" in url else {})

    assert response.status_code == 403


# --- the dashboard -----------------------------------------------------------------------------


def test_the_dashboard_shows_this_month_by_default(office: Client, loans: User) -> None:
    response = office.get(DASHBOARD)

    assert response.status_code == 200
    assert response.context["query"].period.first.isoformat() == "2026-11-01"
    assert response.context["query"].period.last.isoformat() == "2026-11-30"
    assert "Figures from 11/01/2026 to 11/30/2026." in response.content.decode()


def test_every_chart_is_an_image_with_a_title_and_a_table_beside_it(
    office: Client, loans: User
) -> None:
    response = office.get(DASHBOARD, OCTOBER_PERIOD)
    page = response.content.decode()

    keys = [s.key for s in response.context["sections"]]
    assert keys == [
        "utilisation",
        "heatmap",
        "resources",
        "programme",
        "hours",
        "loans",
        "demand",
        "people",
    ]
    charts = [s for s in response.context["sections"] if s.chart]
    assert len(charts) == 7  # no refusals in October: no chart of them, only the tables
    assert page.count('role="img"') == 7
    assert page.count("<caption") == 10
    assert 'id="chart-loans-title">Most and least borrowed tools</title>' in page


def test_the_loans_table_has_the_months_figures(office: Client, loans: User) -> None:
    response = office.get(DASHBOARD, OCTOBER_PERIOD)

    loans_part = next(s for s in response.context["sections"] if s.key == "loans")
    rows = [[text for text, _numeric in row] for row in loans_part.tables[0].rows]
    # Akkuschrauber: 2 loans of 2 and 1 days = 1.5 days; Spaten: 1 loan, still out past its end
    # on 23 Oct; 20 Oct 10:00 to 5 Nov 12:00 with the hour of 25 Oct = 16 days 3 hours = 16.1
    # days, overdue.
    assert [row[:3] for row in rows] == [
        ["Akkuschrauber", "power tools", "2"],
        ["Spaten", "garden", "1"],
    ]
    assert rows[0][3] == "1.5"
    assert (rows[1][3], rows[1][4]) == ("16.1", "100.0%")
    assert ("Loans", "3") in loans_part.figures


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "custom", "start": "2026-13-01", "end": "2026-10-31"}, "Enter a valid date."),
        (
            {"period": "custom", "start": "2026-10-31", "end": "2026-10-01"},
            "The last day must not lie before the first.",
        ),
        ({"period": "custom", "end": "2026-10-31"}, "Please give the first day."),
        (
            {"period": "custom", "start": "2000-01-01", "end": "2026-10-31"},
            "A period can span at most ten years.",
        ),
        ({"period": "someday"}, "Select a valid choice."),
    ],
)
def test_a_bad_period_is_answered_with_the_forms_message_in_the_page(
    office: Client, params: dict[str, str], message: str
) -> None:
    response = office.get(DASHBOARD, params)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Please check the period." in response.content.decode()


@pytest.mark.parametrize("name", ["last_month", "quarter", "year"])
def test_the_named_periods_cover_whole_months(office: Client, name: str) -> None:
    response = office.get(DASHBOARD, {"period": name})

    period = response.context["query"].period
    assert (name, period.first.isoformat(), period.last.isoformat()) in [
        ("last_month", "2026-10-01", "2026-10-31"),
        ("quarter", "2026-10-01", "2026-12-31"),
        ("year", "2026-01-01", "2026-12-31"),
    ]


# --- the downloads -----------------------------------------------------------------------------


def test_a_tables_csv_has_the_figures_of_the_page(office: Client, loans: User) -> None:
    page = office.get(DASHBOARD, OCTOBER_PERIOD).content.decode()
    link = (
        "/koordination/statistik/tabelle/loans/"
        "?period=custom&amp;start=2026-10-01&amp;end=2026-10-31&amp;export=csv"
    )
    assert link in page

    response = office.get(link.replace("&amp;", "&"))

    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == 'attachment; filename="loans-2026-10-01-2026-10-31.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Tool type",
        "Category",
        "Loans",
        "Average length in days",
        "Overdue rate (%)",
        "Damage rate (%)",
    ]
    assert rows[1][:4] == ["Akkuschrauber", "power tools", "2", "1,50"]
    assert rows[2][:3] == ["Spaten", "garden", "1"]


def test_a_tables_xlsx_is_a_workbook_with_numbers(office: Client, loans: User) -> None:
    response = office.get(
        "/koordination/statistik/tabelle/people-role/", {**OCTOBER_PERIOD, "export": "xlsx"}
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Role", "Members served", "New", "Returning")
    assert rows[1] == ("All members", 1, 0, 1)


def test_an_unknown_table_or_format_is_not_found(office: Client) -> None:
    assert (
        office.get("/koordination/statistik/tabelle/salaries/", {"export": "csv"}).status_code
        == 404
    )
    assert (
        office.get("/koordination/statistik/tabelle/loans/", {"export": "pdf"}).status_code == 404
    )


# --- the monthly report ------------------------------------------------------------------------


def test_the_report_writes_the_months_summary(office: Client, loans: User) -> None:
    page = office.get(REPORT).content.decode()

    assert "In October, 3 tools were lent. That is 50% more than in September." in page
    assert (
        "1 member used the Werkhaus or the garden, 0 of them for the first time. "
        "That is about as many as in September."
    ) in page


def test_the_reports_key_figures_come_as_a_file(office: Client, loans: User) -> None:
    response = office.get(REPORT, {"export": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Month", "Loans of tools", "Members served"]
    assert [row[:3] for row in rows[1:]] == [["2026-09", "2", "1"], ["2026-10", "3", "1"]]


@pytest.mark.parametrize(
    "url", ["/koordination/bericht/2026/13/", "/koordination/bericht/1999/12/"]
)
def test_a_month_that_does_not_exist_is_not_found(office: Client, url: str) -> None:
    assert office.get(url).status_code == 404


def test_the_report_is_also_a_pdf(office: Client, loans: User) -> None:
    response = office.get(f"{REPORT}pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response.content.rstrip().endswith(b"%%EOF")
    assert len(response.content) > 10_000  # text, tables and charts, not an empty page


# --- queries -----------------------------------------------------------------------------------


def queries_of(client: Client, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def more_data(tools: dict[str, ToolType], coordinator: User) -> None:
    """Three more borrowers, a new tool type and a second workshop series in October."""
    extra = tool_type_create("Stichsäge", units=1)
    for n, tool in enumerate([tools["drill"], tools["spade"], extra]):
        member = MemberFactory()
        lend(tool, member, start=at(10, 22 + n), days=1, coordinator=coordinator)
    activity_create(title="Nähtreff", first_start="2026-10-06T18:00", places=6)


@pytest.mark.parametrize(
    ("url", "params", "most"),
    [(DASHBOARD, OCTOBER_PERIOD, 60), (REPORT, {}, 90)],
)
def test_the_pages_make_as_many_queries_whatever_the_data(
    office: Client,
    loans: User,
    tools: dict[str, ToolType],
    coordinator: User,
    url: str,
    params: dict[str, str],
    most: int,
) -> None:
    # One of each kind of thing at the small size too: a page that skips the programme's
    # queries when there is no activity at all does so whatever the size.
    activity_create(title="Repair-Café", first_start="2026-10-03T14:00", places=8)
    office.get(url, params)  # the session and the first lookups
    small = queries_of(office, url, params)
    more_data(tools, coordinator)

    large = queries_of(office, url, params)

    assert small == large
    assert large <= most
