"""Programme and shift statistics: fill rate, no-shows, understaffing, on a hand-made October.

The data (local times, Europe/Berlin; the clocks go back on Sunday 25 October 2026):
- "Gießdienst", a weekly shift on Saturdays 10–12 with 4 places and a minimum staffing of 2:
  - 17 Oct: 3 signed up; 2 attended, 1 no-show;
  - 24 Oct: 1 signed up; alerted as understaffed three days before, never filled;
  - 31 Oct (after the change): alerted with nobody signed up, then 2 signed up → filled in time;
  - 7 Nov: nobody signed up (no Slot row at all).
- "Repair-Café", a weekly workshop on Saturdays 14–17 with 10 places:
  - 10 Oct: nobody signed up (no Slot row); 17 Oct: cancelled (left out of every figure).
"""

import csv
import io
from datetime import datetime, timedelta
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from scheduling.models import Activity, SignUp
from scheduling.selectors.participation import (
    programme_grouped,
    programme_occurrences,
    programme_totals,
)
from scheduling.services.signups import (
    SignupRequest,
    occurrence_cancel,
    signup_create,
    signup_mark_attendance,
)
from scheduling.services.staffing import understaffing_alert
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create

pytestmark = pytest.mark.django_db

OCTOBER = datetime(2026, 10, 1, tzinfo=BERLIN)
NOVEMBER = datetime(2026, 11, 1, tzinfo=BERLIN)
DECEMBER = datetime(2026, 12, 1, tzinfo=BERLIN)
URL = "/api/v1/stats/programme/"


def saturday(day: int, month: int = 10, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=BERLIN)


def sign_up(activity: Activity, start: datetime, member: User | None = None) -> SignUp:
    member = member or MemberFactory()
    return signup_create(
        request=SignupRequest(activity=activity, start=start, member=member),
        actor=member,
        now=start - timedelta(days=5),
    )


@pytest.fixture
def watering(db: None) -> Activity:
    return activity_create(
        title="Gießdienst",
        kind="shift",
        first_start="2026-10-17T10:00",
        hours=2,
        places=4,
        min_staffing=2,
        end_recurring="2026-11-08T00:00",
    )


@pytest.fixture
def repair_cafe(db: None) -> Activity:
    return activity_create(
        title="Repair-Café",
        kind="workshop",
        first_start="2026-10-10T14:00",
        hours=3,
        places=10,
        end_recurring="2026-10-18T00:00",
    )


@pytest.fixture
def october(watering: Activity, repair_cafe: Activity, coordinator: User) -> None:
    first = [sign_up(watering, saturday(17)) for _ in range(3)]
    for signup, came in zip(first, (True, True, False), strict=True):
        signup_mark_attendance(
            signup=signup, actor=coordinator, now=saturday(17, hour=13), attended=came
        )
    sign_up(watering, saturday(24))
    # 72 hours ahead: 24 Oct (1 of 2) and 31 Oct (0 of 2) are flagged as understaffed.
    assert understaffing_alert(now=saturday(21, hour=12)) == 1
    assert understaffing_alert(now=saturday(28, hour=12)) == 1
    for _ in range(2):
        sign_up(watering, saturday(31))
    occurrence_cancel(
        activity=repair_cafe, start=saturday(17, hour=14), actor=coordinator, now=OCTOBER
    )


def as_member(member: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(member)
    return client


def get(client: APIClient, language: str = "de", **params: str) -> Any:
    return client.get(
        URL,
        {"start": OCTOBER.isoformat(), "end": NOVEMBER.isoformat(), **params},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def test_each_occurrence_has_its_fill_no_shows_and_understaffing(october: None) -> None:
    rows = programme_occurrences(start=OCTOBER, end=NOVEMBER, kind="shift")

    figures = [
        (
            r.start,
            r.fill.places,
            r.fill.taken,
            r.fill.fill_rate,
            r.fill.no_show_rate,
            r.fill.understaffed,
            r.fill.filled_in_time,
        )
        for r in rows
    ]
    assert figures == [
        # 3 of 4 taken; 1 no-show of 2 + 1 marked
        (saturday(17), 4, 3, 0.75, 1 / 3, 0, 0),
        # 1 of 4; nothing marked → no rate; alerted and never reached 2
        (saturday(24), 4, 1, 0.25, None, 1, 0),
        # 10:00 local after the clocks went back is 09:00 UTC; alerted, then 2 of 2 minimum
        (saturday(31), 4, 2, 0.5, None, 1, 1),
    ]
    assert rows[2].start.isoformat() == "2026-10-31T09:00:00+00:00"


def test_an_occurrence_without_any_sign_up_counts_its_places_and_nothing_taken(
    october: None,
) -> None:
    rows = programme_occurrences(start=OCTOBER, end=NOVEMBER, kind="workshop")

    # 10 Oct has no Slot row; 17 Oct was cancelled and is left out.
    assert [(r.start, r.fill.places, r.fill.taken, r.fill.fill_rate) for r in rows] == [
        (saturday(10, hour=14), 10, 0, 0.0)
    ]


def test_an_activity_sums_its_occurrences_into_one_weighted_fill_rate(october: None) -> None:
    groups = programme_grouped(start=OCTOBER, end=NOVEMBER, by="activity")

    summary = [(g.label, g.kind, g.fill.occurrences, g.fill.places, g.fill.taken) for g in groups]
    # Gießdienst: places 4+4+4 = 12, taken 3+1+2 = 6; Repair-Café: one date, 10 places.
    assert summary == [("Gießdienst", "shift", 3, 12, 6), ("Repair-Café", "workshop", 1, 10, 0)]
    assert groups[0].fill.fill_rate == 0.5  # 6 ÷ 12
    assert (groups[0].fill.understaffed, groups[0].fill.filled_in_time) == (2, 1)


def test_months_are_local_months_of_the_start(october: None) -> None:
    groups = programme_grouped(start=OCTOBER, end=DECEMBER, by="month")

    # October: shifts 17, 24, 31 + café 10 → 4 dates, places 12 + 10 = 22, taken 6;
    # November: the shift of 7 Nov, 4 places, none taken.
    assert [(g.key, g.fill.occurrences, g.fill.places, g.fill.taken) for g in groups] == [
        ("2026-10", 4, 22, 6),
        ("2026-11", 1, 4, 0),
    ]


def test_the_no_show_rate_counts_only_marked_sign_ups(october: None) -> None:
    totals = programme_totals(start=OCTOBER, end=NOVEMBER)

    # 2 attended, 1 no-show; the 3 sign-ups of 24 and 31 Oct were never marked.
    assert (totals.attended, totals.no_show, totals.no_show_rate) == (2, 1, 1 / 3)


def test_an_occurrence_starting_at_the_end_of_the_period_belongs_to_the_next(
    watering: Activity,
) -> None:
    rows = programme_occurrences(start=OCTOBER, end=saturday(17))

    assert rows == []


def test_the_endpoint_answers_one_row_per_occurrence(october: None, coordinator: User) -> None:
    body = get(as_member(coordinator), group_by="occurrence", kind="shift").json()

    assert [c["key"] for c in body["columns"]] == [
        "activity",
        "kind",
        "start",
        "places",
        "taken",
        "fill_rate",
        "attended",
        "no_show",
        "no_show_rate",
        "understaffed",
        "filled_in_time",
    ]
    assert body["rows"][0] == {
        "activity": "Gießdienst",
        "kind": "Schicht",
        "start": "2026-10-17T10:00:00+02:00",
        "places": 4,
        "taken": 3,
        "fill_rate": 0.75,
        "attended": 2,
        "no_show": 1,
        "no_show_rate": 1 / 3,
        "understaffed": 0,
        "filled_in_time": 0,
    }
    assert body["rows"][2]["start"] == "2026-10-31T10:00:00+01:00"


def test_the_endpoint_groups_by_activity_by_default(october: None, coordinator: User) -> None:
    body = get(as_member(coordinator)).json()

    assert [(r["activity"], r["occurrences"], r["fill_rate"]) for r in body["rows"]] == [
        ("Gießdienst", 3, 0.5),
        ("Repair-Café", 1, 0.0),
    ]


def test_the_csv_has_the_figures_for_a_german_office(october: None, coordinator: User) -> None:
    # In English: the German translations of the new headers are not compiled yet.
    response = get(as_member(coordinator), "en", group_by="month", export="csv")

    assert response["Content-Disposition"] == (
        'attachment; filename="programme-month-2026-10-01-2026-11-01.csv"'
    )
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:5] == ["Month", "Occurrences", "Places", "Taken", "Fill rate (%)"]
    # 4 dates, 22 places, 6 taken = 27.3 %, 2 attended, 1 no-show = 33.3 %, 2 alerted, 1 filled
    assert lines[1] == ["2026-10", "4", "22", "6", "27,3", "2", "1", "33,3", "2", "1"]


def test_a_bad_group_is_refused(coordinator: User) -> None:
    response = get(as_member(coordinator), group_by="weekday")

    assert (response.status_code, response.json()["code"]) == (400, "invalid")


@pytest.mark.parametrize("role", ["resident", "volunteer"])
def test_only_coordinators_see_the_programme_figures(role: str) -> None:
    member = MemberFactory(volunteer=role == "volunteer")

    response = get(as_member(member))

    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")


def test_anonymous_callers_are_asked_to_log_in(db: None) -> None:
    assert get(APIClient()).status_code == 401


def test_the_number_of_queries_does_not_grow_with_the_data(
    october: None,
    watering: Activity,
    coordinator: User,
    django_assert_max_num_queries: Any,
) -> None:
    client = as_member(coordinator)
    for group_by in ("occurrence", "activity", "month"):
        with django_assert_max_num_queries(6):
            assert get(client, group_by=group_by).status_code == 200
    for day in (24, 31):
        sign_up(watering, saturday(day))
    more = activity_create(title="Kompost", kind="shift", first_start="2026-10-03T09:00")
    for _ in range(5):
        sign_up(more, saturday(3, hour=9))
    for group_by in ("occurrence", "activity", "month"):
        with django_assert_max_num_queries(6):
            assert get(client, group_by=group_by).status_code == 200
