"""The honorarium as CSV and as a printable page: both open where they are meant to, and both
add up to the report's total, to the cent."""

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from garden.models import HoursEntry, HoursSource, HoursStatus
from garden.services.hours import honorarium_report, rate_set
from tests.conftest import BERLIN
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

JULY = datetime(2026, 7, 1, 9, 0, tzinfo=BERLIN)
CSV = "/api/v1/honorarium/csv/"
PAGE = "/garten/honorar/2026/6/"
BOM = b"\xef\xbb\xbf"


@pytest.fixture(autouse=True)
def _first_of_july() -> Iterator[None]:
    with time_machine.travel(JULY, tick=False):
        yield


def entry(
    member: User,
    day: date,
    minutes: int,
    *,
    activity: str = "Gießen",
    paid: bool = True,
    approved: bool = True,
) -> HoursEntry:
    return HoursEntry.objects.create(
        member=member,
        day=day,
        minutes=minutes,
        activity=activity,
        source=HoursSource.SHIFT,
        paid=paid,
        status=HoursStatus.APPROVED if approved else HoursStatus.PENDING,
        created_at=JULY,
    )


def rate(member: User, valid_from: date, euros: str, coordinator: User) -> None:
    rate_set(
        member=member, valid_from=valid_from, euros=Decimal(euros), actor=coordinator, now=JULY
    )


@pytest.fixture
def june(coordinator: User) -> None:
    """Three honorary workers in June 2026, with odd minutes and a rate that changes."""
    hakan = MemberFactory(honorary_worker=True, display_name="Hakan Yıldız")
    rate(hakan, date(2026, 1, 1), "14.50", coordinator)
    rate(hakan, date(2026, 6, 16), "15.25", coordinator)
    entry(hakan, date(2026, 6, 3), 240)  # 58.00
    entry(hakan, date(2026, 6, 10), 100, activity="Kompost umsetzen")  # 24.17
    entry(hakan, date(2026, 6, 17), 245)  # 62.27
    anna = MemberFactory(honorary_worker=True, display_name="Anna Müller")
    rate(anna, date(2026, 1, 1), "13.00", coordinator)
    entry(anna, date(2026, 6, 5), 90)  # 19.50
    bert = MemberFactory(honorary_worker=True, display_name="Bert Weiß")
    rate(bert, date(2026, 1, 1), "16.40", coordinator)
    entry(bert, date(2026, 6, 5), 50)  # 13.67
    entry(bert, date(2026, 6, 6), 35)  # 9.566… → 9.57


def as_member(member: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(member)
    return client


def read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith(BOM), "Excel reads UTF-8 only after a byte order mark"
    return list(csv.reader(io.StringIO(content[len(BOM) :].decode("utf-8")), delimiter=";"))


def euros(cell: str) -> Decimal:
    assert re.fullmatch(r"\d+,\d{2}", cell), f"{cell!r} is not a German decimal"
    return Decimal(cell.replace(",", "."))


def test_the_csv_opens_in_a_german_spreadsheet(coordinator: User, june: None) -> None:
    response = as_member(coordinator).get(
        CSV, {"year": 2026, "month": 6}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="honorarium-2026-06.csv"'
    rows = read_csv(response.content)
    assert rows[0] == ["Name", "Date", "Activity", "Minutes", "Hourly rate", "Amount"]
    assert rows[1] == ["Anna Müller", "2026-06-05", "Gießen", "90", "13,00", "19,50"]
    assert ["Hakan Yıldız", "2026-06-17", "Gießen", "245", "15,25", "62,27"] in rows
    assert all(len(row) == 6 for row in rows)


def test_the_csv_has_a_subtotal_per_person_and_the_total_last(
    coordinator: User, june: None
) -> None:
    rows = read_csv(as_member(coordinator).get(CSV, {"year": 2026, "month": 6}).content)

    subtotals = [row for row in rows if row[1] == "" and row[0] != rows[-1][0]]
    assert [(row[0], row[3], euros(row[5])) for row in subtotals] == [
        ("Anna Müller", "90", Decimal("19.50")),
        ("Bert Weiß", "85", Decimal("23.24")),
        ("Hakan Yıldız", "585", Decimal("144.44")),
    ]
    lines = [row for row in rows[1:-1] if row[1]]
    assert sum(euros(row[5]) for row in lines) == euros(rows[-1][5])


def test_the_csv_total_equals_the_page_and_the_report_to_the_cent(
    coordinator: User, june: None
) -> None:
    rows = read_csv(as_member(coordinator).get(CSV, {"year": 2026, "month": 6}).content)
    browser = Client(HTTP_ACCEPT_LANGUAGE="de")
    browser.force_login(coordinator)
    page = browser.get(PAGE).content.decode()

    csv_total = euros(rows[-1][5])
    page_total = re.search(r'class="total" data-amount="([\d.]+)">([^<]+)<', page)
    assert page_total is not None
    report_total = honorarium_report(year=2026, month=6).total
    assert csv_total == Decimal(page_total.group(1)) == report_total == Decimal("187.18")
    assert page_total.group(2) == "187,18 €"
    assert rows[-1][3] == "760"


def test_a_cell_that_looks_like_a_formula_is_defused(coordinator: User) -> None:
    worker = MemberFactory(honorary_worker=True, display_name="=cmd|' /C calc'!A0")
    rate(worker, date(2026, 1, 1), "14.00", coordinator)
    entry(worker, date(2026, 6, 2), 60, activity='=HYPERLINK("http://example.org")')

    rows = read_csv(as_member(coordinator).get(CSV, {"year": 2026, "month": 6}).content)

    assert rows[1][0] == "'=cmd|' /C calc'!A0"
    assert rows[1][2] == '\'=HYPERLINK("http://example.org")'


def test_the_csv_is_for_coordinators_only_and_refuses_in_json(honorary_worker: User) -> None:
    response = as_member(honorary_worker).get(
        CSV, {"year": 2026, "month": 6}, HTTP_ACCEPT="text/csv"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.fixture
def honorary_worker() -> User:
    return MemberFactory(honorary_worker=True)


def test_an_empty_month_still_has_its_header_and_a_zero_total(coordinator: User) -> None:
    rows = read_csv(as_member(coordinator).get(CSV, {"year": 2026, "month": 2}).content)

    assert len(rows) == 2
    assert (rows[1][3], rows[1][5]) == ("0", "0,00")


# --- the printable page -----------------------------------------------------------------------


def test_the_page_shows_a_table_per_person_ready_to_print(coordinator: User, june: None) -> None:
    browser = Client(HTTP_ACCEPT_LANGUAGE="de")
    browser.force_login(coordinator)

    response = browser.get(PAGE)

    assert response.status_code == 200
    page = response.content.decode()
    assert "@media print" in page
    assert 'href="/api/v1/honorarium/csv/?year=2026&amp;month=6"' in page
    assert page.count("<table>") == 3
    subtotals = re.findall(r'class="num subtotal" data-amount="([\d.]+)"', page)
    assert subtotals == ["19.50", "23.24", "144.44"]
    assert "Hakan Yıldız" in page
    assert "Kompost umsetzen" in page


def test_the_page_warns_about_hours_without_a_rate(coordinator: User) -> None:
    entry(MemberFactory(honorary_worker=True, display_name="Olena Kovalenko"), date(2026, 6, 8), 60)
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(coordinator)

    page = browser.get(PAGE).content.decode()

    assert "Hours without an hourly rate" in page
    assert "Olena Kovalenko" in page


def test_the_page_is_for_staff_only(honorary_worker: User) -> None:
    browser = Client()
    browser.force_login(honorary_worker)

    response = browser.get(PAGE)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert Client().get(PAGE).status_code == 302


def test_a_month_that_does_not_exist_is_not_found(coordinator: User) -> None:
    browser = Client()
    browser.force_login(coordinator)

    assert browser.get("/garten/honorar/2026/13/").status_code == 404


def test_the_honorarium_address_without_a_month_opens_this_month(coordinator: User) -> None:
    browser = Client()
    browser.force_login(coordinator)

    assert browser.get("/garten/honorar/")["Location"] == "/garten/honorar/2026/7/"


# --- volunteer hours for funding reports ------------------------------------------------------


def test_volunteer_hours_per_person_month_and_activity_as_csv(coordinator: User) -> None:
    vera = MemberFactory(volunteer=True, display_name="Vera Gündoğdu")
    entry(vera, date(2026, 5, 30), 60, paid=False)
    entry(vera, date(2026, 6, 3), 60, paid=False)
    entry(vera, date(2026, 6, 4), 20, paid=False)
    entry(vera, date(2026, 6, 5), 30, paid=False, approved=False)  # not approved
    entry(vera, date(2026, 6, 6), 45)  # paid: honorarium, not voluntary

    response = as_member(coordinator).get(
        "/api/v1/volunteer-hours/csv/",
        {"from": "2026-06-01", "to": "2026-06-30"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="volunteer-hours-2026-06-01-2026-06-30.csv"'
    )
    assert read_csv(response.content) == [
        ["Name", "Month", "Activity", "Minutes", "Hours"],
        ["Vera Gündoğdu", "2026-06", "Gießen", "80", "1,33"],
        ["Total", "", "", "80", "1,33"],
    ]


def test_volunteer_hours_need_the_end_after_the_start(coordinator: User) -> None:
    response = as_member(coordinator).get(
        "/api/v1/volunteer-hours/csv/", {"from": "2026-06-30", "to": "2026-06-01"}
    )

    assert (response.status_code, response.json()["code"]) == (400, "invalid_range")


def test_volunteer_hours_are_for_coordinators_only(honorary_worker: User) -> None:
    response = as_member(honorary_worker).get(
        "/api/v1/volunteer-hours/csv/", {"from": "2026-06-01", "to": "2026-06-30"}
    )

    assert response.status_code == 403
