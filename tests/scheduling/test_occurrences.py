from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from schedule.models import Occurrence

from accounts.models import User
from scheduling import errors
from scheduling.models import Notification, SignUp, SignUpStatus
from scheduling.selectors.occurrences import occurrences_in_window
from scheduling.services.signups import (
    SignupRequest,
    occurrence_cancel,
    occurrence_move,
    signup_create,
)
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create

pytestmark = pytest.mark.django_db

SATURDAY = datetime(2026, 5, 16, 14, 0, tzinfo=BERLIN)
BEFORE = SATURDAY - timedelta(days=3)
MAY = (datetime(2026, 5, 1, tzinfo=BERLIN), datetime(2026, 6, 1, tzinfo=BERLIN))


def sign_up(activity, member=None, start=SATURDAY, **extra):
    member = member or MemberFactory()
    return signup_create(
        request=SignupRequest(activity=activity, start=start, member=member, **extra),
        actor=member,
        now=BEFORE,
    )


def listed(**filters):
    return occurrences_in_window(start=MAY[0], end=MAY[1], **filters)


def test_the_dates_of_a_weekly_session_in_a_window() -> None:
    activity_create(places=8)

    found = listed()

    assert [f"{o.start.astimezone(BERLIN):%d %H:%M}" for o in found] == [
        "02 14:00",
        "09 14:00",
        "16 14:00",
        "23 14:00",
        "30 14:00",
    ]
    assert {(o.capacity, o.taken, o.open_places, o.state) for o in found} == {(8, 0, 8, "open")}


def test_an_occurrence_shows_its_places_taken_and_full() -> None:
    cafe = activity_create(places=2)
    sign_up(cafe)
    sign_up(cafe)

    saturday = next(o for o in listed() if o.start == SATURDAY)

    assert (saturday.taken, saturday.open_places, saturday.state) == (2, 0, "full")


def test_a_shift_below_minimum_staffing_is_understaffed() -> None:
    shift = activity_create(kind="shift", places=4, min_staffing=2)
    sign_up(shift)

    states = {o.start: o.state for o in listed(kind="shift")}

    assert states[SATURDAY] == "understaffed"
    assert all(state == "understaffed" for state in states.values())


def test_a_role_below_its_own_minimum_makes_the_shift_understaffed() -> None:
    shift = activity_create(kind="shift", places={"Gießen": 3, "Kompost": 2})
    shift.roles.filter(name="Kompost").update(min_staffing=1)
    sign_up(shift, role=shift.roles.get(name="Gießen"))

    saturday = next(o for o in listed() if o.start == SATURDAY)

    assert saturday.state == "understaffed"
    assert [(r.name, r.taken, r.open) for r in saturday.roles] == [
        ("Gießen", 1, 2),
        ("Kompost", 0, 2),
    ]


def test_the_listing_filters_by_kind() -> None:
    activity_create(kind="workshop")
    activity_create(kind="shift", title="Gießen", calendar_slug="garten")

    assert {o.activity.kind for o in listed(kind="shift")} == {"shift"}


def test_the_members_own_sign_up_is_shown(resident: User) -> None:
    cafe = activity_create()
    signup = sign_up(cafe, resident)

    found = {o.start: o for o in listed(member_id=resident.pk)}

    assert found[SATURDAY].my_signup == signup
    assert found[SATURDAY + timedelta(days=7)].my_signup is None


def test_cancelling_a_date_cancels_its_sign_ups_and_tells_the_people(coordinator: User) -> None:
    cafe = activity_create()
    people = [sign_up(cafe).member for _ in range(2)]
    waiting_for_other_date = sign_up(cafe, start=SATURDAY + timedelta(days=7))

    occurrence_cancel(activity=cafe, start=SATURDAY, actor=coordinator, now=BEFORE, reason="Krank")

    saturday = next(o for o in listed() if o.start == SATURDAY)
    assert (saturday.state, saturday.taken) == ("cancelled", 0)
    assert set(
        SignUp.objects.filter(slot__original_start=SATURDAY).values_list("status", flat=True)
    ) == {SignUpStatus.CANCELLED}
    told = Notification.objects.filter(kind="occurrence_cancelled")
    assert {n.member for n in told} == set(people)
    assert {n.payload["reason"] for n in told} == {"Krank"}
    assert Occurrence.objects.get(original_start=SATURDAY).cancelled is True
    waiting_for_other_date.refresh_from_db()
    assert waiting_for_other_date.status == SignUpStatus.CONFIRMED


def test_a_cancelled_date_takes_no_sign_ups(coordinator: User) -> None:
    cafe = activity_create()
    occurrence_cancel(activity=cafe, start=SATURDAY, actor=coordinator, now=BEFORE)

    with pytest.raises(errors.OccurrenceCancelled):
        sign_up(cafe)


def test_a_date_cancelled_in_django_scheduler_is_shown_cancelled() -> None:
    cafe = activity_create()
    cafe.event.get_occurrence(SATURDAY).cancel()

    assert next(o for o in listed() if o.start == SATURDAY).state == "cancelled"
    with pytest.raises(errors.OccurrenceCancelled):
        sign_up(cafe)


def test_moving_a_date_carries_its_sign_ups_and_tells_the_people(coordinator: User) -> None:
    cafe = activity_create()
    signup = sign_up(cafe)
    sunday = SATURDAY + timedelta(days=1)

    occurrence_move(
        activity=cafe,
        start=SATURDAY,
        new_start=sunday,
        new_end=sunday + timedelta(hours=3),
        actor=coordinator,
        now=BEFORE,
    )

    starts = [o.start for o in listed()]
    assert sunday in starts
    assert SATURDAY not in starts
    moved = next(o for o in listed() if o.start == sunday)
    assert (moved.taken, moved.original_start) == (1, SATURDAY)
    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CONFIRMED
    assert signup.slot.start == sunday
    notice = Notification.objects.get(kind="occurrence_moved")
    assert notice.member == signup.member
    assert Occurrence.objects.get(original_start=SATURDAY).start == sunday


def test_a_moved_date_takes_sign_ups_at_its_new_time(coordinator: User) -> None:
    cafe = activity_create(places=2)
    sign_up(cafe)
    sunday = SATURDAY + timedelta(days=1)
    occurrence_move(
        activity=cafe,
        start=SATURDAY,
        new_start=sunday,
        new_end=sunday + timedelta(hours=3),
        actor=coordinator,
        now=BEFORE,
    )

    signup = sign_up(cafe, start=sunday)

    assert signup.slot.original_start == SATURDAY


def test_an_evening_shift_stays_at_18_local_all_season() -> None:
    activity_create(
        kind="shift",
        title="Gießen",
        frequency="DAILY",
        first_start="2026-03-01T18:00",
        hours=1,
        end_recurring="2026-11-01T00:00",
    )

    season = occurrences_in_window(
        start=datetime(2026, 3, 1, tzinfo=BERLIN), end=datetime(2026, 11, 1, tzinfo=BERLIN)
    )

    assert len(season) == 245
    assert {o.start.astimezone(BERLIN).strftime("%H:%M") for o in season} == {"18:00"}
    assert {o.start.astimezone(BERLIN).utcoffset() for o in season} == {
        timedelta(hours=1),
        timedelta(hours=2),
    }


def _query_count(**filters) -> int:
    with CaptureQueriesContext(connection) as queries:
        occurrences_in_window(start=MAY[0], end=MAY[1], **filters)
    return len(queries)


def test_the_listing_does_not_do_more_queries_for_more_events_or_sign_ups(resident: User) -> None:
    first = activity_create(places=30)
    sign_up(first, resident)
    baseline = _query_count(member_id=resident.pk)

    for n in range(10):
        more = activity_create(
            title=f"Kurs {n}", places={"A": 5, "B": 5}, first_start="2026-05-04T10:00"
        )
        for _ in range(3):
            sign_up(more, start=datetime(2026, 5, 18, 10, 0, tzinfo=BERLIN))
    for _ in range(10):
        sign_up(first)

    assert _query_count(member_id=resident.pk) == baseline


def test_a_date_in_the_repeated_autumn_hour_is_where_django_scheduler_puts_it() -> None:
    night = activity_create(frequency="DAILY", first_start="2026-10-20T02:30", hours=0.5)
    window = (datetime(2026, 10, 24, tzinfo=BERLIN), datetime(2026, 10, 27, tzinfo=BERLIN))

    ours = [o.start for o in occurrences_in_window(start=window[0], end=window[1])]
    theirs = [o.start for o in night.event.get_occurrences(*window)]

    assert ours == theirs
    assert ours[1].astimezone(BERLIN).utcoffset() == timedelta(hours=1), "the second 02:30"


def test_a_date_in_the_spring_gap_moves_to_03_30_like_django_scheduler() -> None:
    night = activity_create(frequency="DAILY", first_start="2026-03-20T02:30", hours=0.5)
    window = (datetime(2026, 3, 28, tzinfo=BERLIN), datetime(2026, 3, 31, tzinfo=BERLIN))

    ours = [o.start for o in occurrences_in_window(start=window[0], end=window[1])]

    assert ours == [o.start for o in night.event.get_occurrences(*window)]
    assert ours[1].astimezone(BERLIN).strftime("%H:%M") == "03:30"
