"""Hours: attended shifts count themselves, other work is logged, coordinators decide, and the
honorarium is approved paid hours × the rate of the day, to the cent."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from accounts.models import User
from garden import errors
from garden.models import HoursEntry, HoursSource, HoursStatus
from garden.services.hours import (
    honorarium_report,
    hours_collect,
    hours_decide,
    hours_log,
    rate_set,
    volunteer_hours,
)
from scheduling import errors as engine_errors
from scheduling.models import Eligibility
from scheduling.services.signups import SignupRequest, signup_create, signup_mark_attendance
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create

pytestmark = pytest.mark.django_db

JUNE = datetime(2026, 6, 1, 9, 0, tzinfo=BERLIN)


def attend(activity, member: User, start: datetime, coordinator: User) -> None:
    signup = signup_create(
        request=SignupRequest(activity=activity, start=start, member=member),
        actor=member,
        now=start - timedelta(days=1),
    )
    signup_mark_attendance(
        signup=signup, actor=coordinator, now=start + timedelta(hours=2), attended=True
    )


def entry(
    member: User, day: date, minutes: int, *, paid: bool = True, approved: bool = True
) -> HoursEntry:
    return HoursEntry.objects.create(
        member=member,
        day=day,
        minutes=minutes,
        activity="Gartenbetreuung",
        paid=paid,
        source=HoursSource.SHIFT,
        status=HoursStatus.APPROVED if approved else HoursStatus.PENDING,
        created_at=JUNE,
    )


def test_an_attended_shift_becomes_an_hours_entry_once(coordinator: User) -> None:
    volunteer = MemberFactory(volunteer=True)
    watering = activity_create(
        kind="shift",
        title="Gießen",
        frequency="DAILY",
        first_start="2026-06-01T18:00",
        hours=1.5,
        places={"Gießen": 2},
        eligibility=Eligibility.VOLUNTEERS,
    )
    attend(watering, volunteer, datetime(2026, 6, 3, 18, 0, tzinfo=BERLIN), coordinator)

    assert hours_collect(now=JUNE + timedelta(days=3)) == 1
    assert hours_collect(now=JUNE + timedelta(days=3)) == 0

    logged = HoursEntry.objects.get()
    assert (logged.member, logged.day, logged.minutes, logged.activity) == (
        volunteer,
        date(2026, 6, 3),
        90,
        "Gießen (Gießen)",
    )
    assert (logged.status, logged.paid) == (HoursStatus.PENDING, False)


def test_a_workshop_is_not_garden_hours(coordinator: User, resident: User) -> None:
    cafe = activity_create(first_start="2026-06-06T14:00")
    attend(cafe, resident, datetime(2026, 6, 6, 14, 0, tzinfo=BERLIN), coordinator)

    assert hours_collect(now=JUNE + timedelta(days=10)) == 0


def test_a_volunteer_logs_work_outside_shifts_for_approval() -> None:
    volunteer = MemberFactory(volunteer=True)

    logged = hours_log(
        member=volunteer,
        day=date(2026, 5, 30),
        minutes=120,
        activity="Saatgut sortiert",
        actor=volunteer,
        now=JUNE,
    )

    assert (logged.source, logged.status, logged.paid) == ("other", "pending", False)


def test_hours_cannot_be_logged_for_tomorrow() -> None:
    volunteer = MemberFactory(volunteer=True)

    with pytest.raises(errors.HoursInFuture):
        hours_log(
            member=volunteer,
            day=date(2026, 6, 2),
            minutes=60,
            activity="x",
            actor=volunteer,
            now=JUNE,
        )


def test_a_coordinator_approves_with_a_correction(coordinator: User) -> None:
    logged = entry(
        MemberFactory(volunteer=True), date(2026, 5, 30), 150, paid=False, approved=False
    )

    hours_decide(entry=logged, actor=coordinator, now=JUNE, approve=True, minutes=120)

    logged.refresh_from_db()
    assert (logged.status, logged.minutes, logged.decided_by) == ("approved", 120, coordinator)


def test_a_volunteer_cannot_approve_hours() -> None:
    volunteer = MemberFactory(volunteer=True)
    logged = entry(volunteer, date(2026, 5, 30), 60, paid=False, approved=False)

    with pytest.raises(engine_errors.NotYourBooking):
        hours_decide(entry=logged, actor=volunteer, now=JUNE, approve=True)


def test_decided_hours_do_not_change(coordinator: User) -> None:
    logged = entry(MemberFactory(volunteer=True), date(2026, 5, 30), 60, approved=False)
    hours_decide(entry=logged, actor=coordinator, now=JUNE, approve=False)

    with pytest.raises(errors.HoursNotEditable):
        hours_decide(entry=logged, actor=coordinator, now=JUNE, approve=True)


def test_the_honorarium_uses_the_rate_of_each_day_and_sums_to_the_cent(coordinator: User) -> None:
    hakan = MemberFactory(honorary_worker=True, display_name="Hakan Yıldız")
    rate_set(
        member=hakan,
        valid_from=date(2026, 1, 1),
        euros=Decimal("14.50"),
        actor=coordinator,
        now=JUNE,
    )
    rate_set(
        member=hakan,
        valid_from=date(2026, 6, 16),
        euros=Decimal("15.25"),
        actor=coordinator,
        now=JUNE,
    )
    entry(hakan, date(2026, 6, 3), 240)  # 4 h × 14.50 = 58.00
    entry(hakan, date(2026, 6, 10), 100)  # 100/60 × 14.50 = 24.1666… → 24.17
    entry(hakan, date(2026, 6, 17), 245)  # 245/60 × 15.25 = 62.2708… → 62.27
    entry(hakan, date(2026, 7, 1), 240)  # another month
    entry(hakan, date(2026, 6, 24), 60, approved=False)  # not approved yet
    entry(hakan, date(2026, 6, 25), 60, paid=False)  # voluntary

    report = honorarium_report(year=2026, month=6)

    [person] = report.people
    assert [line.amount for line in person.lines] == [
        Decimal("58.00"),
        Decimal("24.17"),
        Decimal("62.27"),
    ]
    assert [line.rate for line in person.lines] == [
        Decimal("14.50"),
        Decimal("14.50"),
        Decimal("15.25"),
    ]
    assert person.amount == report.total == Decimal("144.44")
    assert report.minutes == 585


def test_the_honorarium_totals_several_people(coordinator: User) -> None:
    first = MemberFactory(honorary_worker=True, display_name="Anna")
    second = MemberFactory(honorary_worker=True, display_name="Bert")
    for member, euros in ((first, "13.00"), (second, "16.40")):
        rate_set(
            member=member,
            valid_from=date(2026, 1, 1),
            euros=Decimal(euros),
            actor=coordinator,
            now=JUNE,
        )
    entry(first, date(2026, 6, 5), 90)  # 19.50
    entry(second, date(2026, 6, 5), 50)  # 13.666… → 13.67

    report = honorarium_report(year=2026, month=6)

    assert [(p.member.display_name, p.amount) for p in report.people] == [
        ("Anna", Decimal("19.50")),
        ("Bert", Decimal("13.67")),
    ]
    assert report.total == Decimal("33.17")


def test_hours_without_a_rate_are_reported_not_guessed(coordinator: User) -> None:
    hakan = MemberFactory(honorary_worker=True)
    entry(hakan, date(2026, 6, 5), 60)

    report = honorarium_report(year=2026, month=6)

    assert report.people == []
    assert report.missing_rates == [(hakan, date(2026, 6, 5))]


def test_volunteer_hours_per_person_month_and_activity() -> None:
    vera = MemberFactory(volunteer=True, display_name="Vera")
    entry(vera, date(2026, 6, 3), 60, paid=False)
    entry(vera, date(2026, 6, 4), 30, paid=False)
    entry(vera, date(2026, 7, 1), 45, paid=False)

    rows = volunteer_hours(first=date(2026, 6, 1), last=date(2026, 7, 31))

    assert [(r.member.display_name, r.month, r.minutes) for r in rows] == [
        ("Vera", "2026-06", 90),
        ("Vera", "2026-07", 45),
    ]


def test_only_volunteers_and_honorary_workers_log_hours(resident: User) -> None:
    with pytest.raises(errors.NotAHelper):
        hours_log(
            member=resident,
            day=date(2026, 5, 30),
            minutes=60,
            activity="x",
            actor=resident,
            now=JUNE,
        )


def test_an_honorary_workers_other_work_counts_as_paid() -> None:
    hakan = MemberFactory(honorary_worker=True)

    logged = hours_log(
        member=hakan,
        day=date(2026, 5, 30),
        minutes=60,
        activity="Werkzeug geschärft",
        actor=hakan,
        now=JUNE,
    )

    assert logged.paid is True
