"""Utilisation (booked hours ÷ open hours) on a hand-computed week across the end of summer
time: Mon 2026-10-19 00:00 to Mon 2026-10-26 00:00 local, 7 days = 169 hours (the Sunday has 25).

- Hobelbank (workbench, group Werkhaus): open Tue, Thu, Sun 16–20; the group is closed
  Thu 16–18. Open: Tue 4 + Thu 2 + Sun 4 = 10 h. Booked: Tue 16–18 (2 h) and Sun 16–20 (4 h) =
  6 h; a cancelled Thu 18–19 does not count. 6 ÷ 10 = 60 %.
- Akkuschrauber (tool, no opening hours: open all hours), units AKK-01 and AKK-02; AKK-02 is in
  repair all Wednesday (24 h). Capacity: 169 + (169 - 24) = 314 h. Booked on AKK-01: Mon 10–14
  (4 h) and a loan Sat 12:00 to the next Mon 12:00, clipped to the period: Sat 12 h + Sun 25 h
  = 37 h. 41 ÷ 314 = 13.06 %.
"""

import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import User
from scheduling.models import Closure, Resource, ResourceGroup
from scheduling.selectors.stats import (
    ResourceFilter,
    utilisation_by_resource,
    utilisation_heatmap,
    utilisation_over_time,
)
from scheduling.services.bookings import booking_cancel
from tests.conftest import BERLIN
from tests.factories import MemberFactory, opening_hours, resource_create
from tests.scheduling.conftest import book

URL = "/api/v1/stats/utilisation/"
START = datetime(2026, 10, 19, tzinfo=BERLIN)
END = datetime(2026, 10, 26, tzinfo=BERLIN)
PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


def day(n: int, hour: int = 0) -> datetime:
    """Local time on October ``n``, 2026."""
    return datetime(2026, 10, n, hour, tzinfo=BERLIN)


@dataclass
class Week:
    bench: Resource
    drills: Resource
    member: User
    coordinator: User


@pytest.fixture
def week(db: None, coordinator: User) -> Week:
    werkhaus = ResourceGroup.objects.create(name="Werkhaus", slug="werkhaus")
    hours = opening_hours(weekdays="TU,TH,SU")
    bench = resource_create(name="Hobelbank", hours=hours, group=werkhaus, max_minutes=240)
    drills = resource_create(name="Akkuschrauber", kind="tool", units=2)
    Closure.objects.create(group=werkhaus, start=day(22, 16), end=day(22, 18), reason="Inventur")
    second = drills.units.get(label="AKK-02")
    Closure.objects.create(unit=second, start=day(21), end=day(22), reason="Reparatur")
    member = MemberFactory(display_name="Wiebke Werkstatt")
    book(bench, member, day(20, 16), day(20, 18))
    book(bench, member, day(25, 16), day(25, 20))
    cancelled = book(bench, member, day(22, 18), day(22, 19))
    booking_cancel(booking=cancelled, actor=member, now=day(1))
    book(drills, member, day(19, 10), day(19, 14))
    book(drills, member, day(24, 12), day(26, 12), actor=coordinator, override=True)
    return Week(bench, drills, member, coordinator)


@pytest.fixture
def coordinator_api(api: APIClient, coordinator: User) -> APIClient:
    api.force_authenticate(coordinator)
    return api


def _rows(api: APIClient, **params: Any) -> list[dict[str, Any]]:
    response = api.get(URL, {**PERIOD, **params})
    assert response.status_code == 200, response.content
    rows: list[dict[str, Any]] = response.json()["rows"]
    return rows


def test_utilisation_per_resource_is_booked_over_open_hours_of_all_units(week: Week) -> None:
    rows = {r.name: r for r in utilisation_by_resource(start=START, end=END)}

    drills, bench = rows["Akkuschrauber"], rows["Hobelbank"]
    assert (drills.units, drills.open_hours, drills.capacity_hours) == (2, 169.0, 314.0)
    assert (drills.booked_hours, drills.bookings, drills.utilisation) == (41.0, 2, 0.1306)
    assert (bench.units, bench.open_hours, bench.capacity_hours) == (1, 10.0, 10.0)
    assert (bench.booked_hours, bench.bookings, bench.utilisation) == (6.0, 2, 0.6)


def test_an_opening_on_the_day_summer_time_ends_is_four_hours(week: Week) -> None:
    days = utilisation_over_time(
        start=START, end=END, every="day", where=ResourceFilter(resource_id=week.bench.pk)
    )

    sunday = days[-1]
    assert sunday.start == day(25).date()
    assert (sunday.capacity_hours, sunday.booked_hours, sunday.utilisation) == (4.0, 4.0, 1.0)


def test_a_tool_open_all_hours_has_twenty_five_hours_on_the_day_summer_time_ends(
    week: Week,
) -> None:
    days = utilisation_over_time(
        start=START, end=END, every="day", where=ResourceFilter(kind="tool")
    )

    # Two units × 25 hours; the loan holds AKK-01 the whole day.
    assert (days[-1].capacity_hours, days[-1].booked_hours) == (50.0, 25.0)


def test_utilisation_by_day_splits_a_loan_over_the_days_it_spans(
    coordinator_api: APIClient, week: Week
) -> None:
    rows = _rows(coordinator_api, group_by="day")

    assert [
        (r["start"], r["capacity_hours"], r["booked_hours"], r["utilisation"]) for r in rows
    ] == [
        ("2026-10-19", 48.0, 4.0, 0.0833),  # drills 2 × 24; Mon 10–14
        ("2026-10-20", 52.0, 2.0, 0.0385),  # + bench 4; Tue 16–18
        ("2026-10-21", 24.0, 0.0, 0.0),  # AKK-02 in repair
        ("2026-10-22", 50.0, 0.0, 0.0),  # bench 4 - 2 closed
        ("2026-10-23", 48.0, 0.0, 0.0),
        ("2026-10-24", 48.0, 12.0, 0.25),  # loan from 12:00
        ("2026-10-25", 54.0, 29.0, 0.537),  # 2 × 25 + 4; loan 25 + bench 4
    ]


def test_utilisation_by_week_adds_up_the_days(coordinator_api: APIClient, week: Week) -> None:
    rows = _rows(coordinator_api, group_by="week")

    # 314 + 10 open, 41 + 6 booked: 47 ÷ 324 = 14.51 %
    assert rows == [
        {
            "start": "2026-10-19",
            "capacity_hours": 324.0,
            "booked_hours": 47.0,
            "utilisation": 0.1451,
        }
    ]


def test_utilisation_by_month_starts_on_the_first_of_the_month(
    coordinator_api: APIClient, week: Week
) -> None:
    rows = _rows(coordinator_api, group_by="month")

    assert [(r["start"], r["booked_hours"]) for r in rows] == [("2026-10-01", 47.0)]


def test_the_heat_map_counts_the_repeated_hour_of_october_twice(week: Week) -> None:
    cells = {(c.weekday, c.hour): c for c in utilisation_heatmap(start=START, end=END)}

    # Sunday 2:00–3:00 happens twice: 2 units × 2 h open, the loan 2 h.
    assert (cells[7, 2].capacity_hours, cells[7, 2].booked_hours, cells[7, 2].utilisation) == (
        4.0,
        2.0,
        0.5,
    )
    # Sunday 16–17: bench 1 h + drills 2 × 1 h open; bench 1 h + loan 1 h booked.
    assert (cells[7, 16].capacity_hours, cells[7, 16].booked_hours) == (3.0, 2.0)
    # Monday 10–11: drills 2 × 1 h open, 1 h booked.
    assert cells[1, 10].utilisation == 0.5
    assert len(cells) == 7 * 24


def test_utilisation_by_unit_takes_a_units_own_closure_off_its_open_hours(
    coordinator_api: APIClient, week: Week
) -> None:
    rows = _rows(coordinator_api, group_by="unit")

    assert [(r["unit"], r["open_hours"], r["booked_hours"], r["utilisation"]) for r in rows] == [
        ("AKK-01", 169.0, 41.0, 0.2426),  # 41 ÷ 169
        ("AKK-02", 145.0, 0.0, 0.0),  # 169 - 24
        ("HOB-01", 10.0, 6.0, 0.6),
    ]


def test_utilisation_by_kind_sums_the_resources_of_a_kind(
    coordinator_api: APIClient, week: Week
) -> None:
    rows = _rows(coordinator_api, group_by="kind")

    assert [(r["resources"], r["units"], r["capacity_hours"], r["booked_hours"]) for r in rows] == [
        (1, 2, 314.0, 41.0),
        (1, 1, 10.0, 6.0),
    ]


def test_utilisation_is_filtered_by_group(coordinator_api: APIClient, week: Week) -> None:
    rows = _rows(coordinator_api, group_by="resource", group="werkhaus")

    assert [r["resource"] for r in rows] == ["Hobelbank"]


def test_utilisation_names_no_member(coordinator_api: APIClient, week: Week) -> None:
    for group_by in ("resource", "unit", "kind", "day", "week", "month", "weekday_hour"):
        response = coordinator_api.get(URL, {**PERIOD, "group_by": group_by})
        assert str(week.member.display_name).encode() not in response.content
        assert str(week.member.username).encode() not in response.content


@pytest.mark.parametrize("group_by", ["resource", "unit", "kind", "day", "month", "weekday_hour"])
def test_utilisation_takes_the_same_queries_with_more_bookings(
    coordinator_api: APIClient, week: Week, group_by: str, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(6):
        _rows(coordinator_api, group_by=group_by)
    for n in range(12):  # a dozen more bookings on both units, and a second bench
        book(
            week.drills,
            week.member,
            day(23, 0) + timedelta(hours=n),
            day(23, 1) + timedelta(hours=n),
        )
        book(
            week.drills,
            week.member,
            day(23, 0) + timedelta(hours=n),
            day(23, 1) + timedelta(hours=n),
        )
    resource_create(name="Drechselbank", hours=week.bench.hours_calendar, group=week.bench.group)

    with django_assert_max_num_queries(6):
        rows = _rows(coordinator_api, group_by=group_by)
    assert rows


def test_utilisation_as_csv_for_a_german_office(coordinator_api: APIClient, week: Week) -> None:
    response = coordinator_api.get(URL, {**PERIOD, "group_by": "resource", "export": "csv"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="utilisation-resource-2026-10-19-2026-10-26.csv"'
    )
    lines = response.content.decode("utf-8").split("\r\n")
    assert lines[2] == f"{week.bench.pk};Hobelbank;Werkbank;Werkhaus;1;10,00;10,00;6,00;2;60,0"


def test_utilisation_as_xlsx_with_numbers_and_percentages(
    coordinator_api: APIClient, week: Week
) -> None:
    response = coordinator_api.get(URL, {**PERIOD, "group_by": "week", "export": "xlsx"})

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    row = [c.value for c in sheet[2]]
    assert row == [datetime(2026, 10, 19, tzinfo=BERLIN).replace(tzinfo=None), 324.0, 47.0, 0.1451]
    assert sheet.cell(row=2, column=4).number_format == "0.0%"


def test_an_unknown_grouping_is_a_400(coordinator_api: APIClient, week: Week) -> None:
    response = coordinator_api.get(URL, {**PERIOD, "group_by": "member"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "group_by" in response.json()["fields"]


@pytest.mark.parametrize("roles", [{}, {"volunteer": True}])
def test_utilisation_is_for_coordinators_only(
    api: APIClient, db: None, roles: dict[str, bool]
) -> None:
    api.force_authenticate(MemberFactory(**roles))

    response = api.get(URL, PERIOD)

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_utilisation_asks_anonymous_callers_to_log_in(api: APIClient, db: None) -> None:
    assert api.get(URL, PERIOD).status_code in (401, 403)
