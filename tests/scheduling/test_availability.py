from datetime import UTC, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from scheduling.intervals import Interval
from scheduling.models import Booking, BookingStatus, Closure, Resource, Unit
from scheduling.selectors import resource_availability
from tests.factories import MemberFactory, resource_create
from tests.scheduling.conftest import TUESDAY, at, book

pytestmark = pytest.mark.django_db
WEEK = (TUESDAY - timedelta(days=1), TUESDAY + timedelta(days=6))


def spans(intervals: list[Interval]) -> list[tuple[str, str]]:
    return [
        (
            f"{i.start.astimezone(TUESDAY.tzinfo):%a %H:%M}",
            f"{i.end.astimezone(TUESDAY.tzinfo):%H:%M}",
        )
        for i in intervals
    ]


def test_a_free_resource_is_free_during_opening_hours(bench: Resource) -> None:
    result = resource_availability(resource=bench, start=WEEK[0], end=WEEK[1])

    assert spans(result.open) == [("Tue 16:00", "20:00"), ("Thu 16:00", "20:00")]
    assert [(spans([i])[0], n) for i, n in result.free] == [
        (("Tue 16:00", "20:00"), 1),
        (("Thu 16:00", "20:00"), 1),
    ]


def test_bookings_and_buffers_are_cut_out(werkhaus_hours, resident: User) -> None:
    bench = resource_create(hours=werkhaus_hours, buffer_minutes=30)
    book(bench, resident, at(17), at(18))

    result = resource_availability(resource=bench, start=at(0), end=at(23))

    # A new booking must end 30 min before 17:00 and may start 30 min after 18:00.
    assert spans(result.units[0].free) == [("Tue 16:00", "16:30"), ("Tue 18:30", "20:00")]


def test_merged_free_time_counts_the_free_units(resident: User) -> None:
    drills = resource_create(units=3)
    book(drills, resident, at(10), at(12))
    book(drills, MemberFactory(), at(11), at(12))

    result = resource_availability(resource=drills, start=at(9), end=at(13))

    assert [(spans([i])[0], n) for i, n in result.free] == [
        (("Tue 09:00", "10:00"), 3),
        (("Tue 10:00", "11:00"), 2),
        (("Tue 11:00", "12:00"), 1),
        (("Tue 12:00", "13:00"), 3),
    ]


def test_closures_of_the_resource_and_of_a_unit_are_cut_out(resident: User) -> None:
    drills = resource_create(units=2)
    first = Unit.objects.filter(resource=drills).order_by("label").first()
    Closure.objects.create(resource=drills, start=at(9), end=at(10), reason="Inventur")
    Closure.objects.create(unit=first, start=at(11), end=at(12), reason="Reparatur")

    result = resource_availability(resource=drills, start=at(8), end=at(13))

    assert spans(result.units[0].free) == [
        ("Tue 08:00", "09:00"),
        ("Tue 10:00", "11:00"),
        ("Tue 12:00", "13:00"),
    ]
    assert spans(result.units[1].free) == [("Tue 08:00", "09:00"), ("Tue 10:00", "13:00")]


def test_cancelled_bookings_do_not_count(bench: Resource, resident: User) -> None:
    booking = book(bench, resident, at(16), at(18))
    Booking.objects.filter(pk=booking.pk).update(status=BookingStatus.CANCELLED)

    result = resource_availability(resource=bench, start=at(0), end=at(23))

    assert spans(result.units[0].free) == [("Tue 16:00", "20:00")]


def _fill(resource: Resource, member: User, count: int) -> None:
    unit = resource.units.get()
    first = at(0).astimezone(UTC) - timedelta(days=count // 20 + 30)
    Booking.objects.bulk_create(
        Booking(
            unit=unit,
            resource=resource,
            member=member,
            start=first + timedelta(hours=i),
            end=first + timedelta(hours=i, minutes=30),
            blocked_until=first + timedelta(hours=i, minutes=30),
            status=BookingStatus.CONFIRMED,
            created_at=first,
            updated_at=first,
        )
        for i in range(count)
    )


@pytest.mark.parametrize("bookings", [10, 10_000])
def test_the_availability_endpoint_does_the_same_number_of_queries_for_10_and_10000_bookings(
    api: APIClient, bench: Resource, resident: User, bookings: int
) -> None:
    _fill(bench, resident, bookings)
    url = f"/api/v1/resources/{bench.pk}/availability/"
    params = {"start": "2026-05-11T00:00:00+02:00", "end": "2026-05-18T00:00:00+02:00"}

    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, params)

    assert response.status_code == 200
    assert len(queries) == EXPECTED_AVAILABILITY_QUERIES, [q["sql"] for q in queries]


# resource, units, opening events, persisted occurrences, closures, bookings
EXPECTED_AVAILABILITY_QUERIES = 6


def test_the_availability_endpoint_is_public_and_shows_no_names(
    api: APIClient, bench: Resource, resident: User
) -> None:
    book(bench, resident, at(16), at(18))

    response = api.get(
        f"/api/v1/resources/{bench.pk}/availability/",
        {"start": "2026-05-12T00:00:00+02:00", "end": "2026-05-13T00:00:00+02:00"},
    )

    assert response.status_code == 200
    assert resident.display_name not in response.content.decode()
    assert response.json()["free"] == [
        {"start": "2026-05-12T18:00:00+02:00", "end": "2026-05-12T20:00:00+02:00", "units": 1}
    ]


def test_the_availability_endpoint_refuses_a_window_of_a_year(
    api: APIClient, bench: Resource
) -> None:
    response = api.get(
        f"/api/v1/resources/{bench.pk}/availability/",
        {"start": "2026-01-01T00:00:00+01:00", "end": "2027-01-01T00:00:00+01:00"},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "window_too_long"


def test_the_availability_endpoint_accepts_an_unencoded_plus(
    api: APIClient, bench: Resource
) -> None:
    response = api.get(
        f"/api/v1/resources/{bench.pk}/availability/"
        "?start=2026-05-12T00:00:00+02:00&end=2026-05-13T00:00:00+02:00"
    )

    assert response.status_code == 200


def test_an_old_weekly_rule_yields_the_same_openings_as_a_new_one() -> None:
    from tests.factories import opening_hours

    old = resource_create(hours=opening_hours(slug="old", first_day="2016-01-05"))
    new = resource_create(hours=opening_hours(slug="new", first_day="2026-05-05"))

    expected = resource_availability(resource=new, start=WEEK[0], end=WEEK[1]).open
    assert resource_availability(resource=old, start=WEEK[0], end=WEEK[1]).open == expected
    assert spans(expected) == [("Tue 16:00", "20:00"), ("Thu 16:00", "20:00")]


def test_a_fortnightly_rule_keeps_its_phase_after_years() -> None:
    from schedule.models import Rule

    from tests.factories import opening_hours

    calendar = opening_hours(slug="fortnight", weekdays="TU", first_day="2020-01-07")
    Rule.objects.filter(event__calendar=calendar).update(params="byweekday:TU;interval:2")
    bench = resource_create(hours=calendar)

    weeks = resource_availability(
        resource=bench, start=WEEK[0], end=WEEK[0] + timedelta(days=28)
    ).open

    # 2026-05-12 is 331 weeks after 2020-01-07, an odd number: the off week.
    assert [f"{i.start.astimezone(TUESDAY.tzinfo):%m-%d}" for i in weeks] == ["05-19", "06-02"]
