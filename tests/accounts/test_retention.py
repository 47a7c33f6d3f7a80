"""The retention rule: members who did nothing for PERSONAL_DATA_RETENTION_DAYS are anonymised
by a periodic task; coordinators and members with a tool out never."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.test import override_settings

from accounts.models import User
from accounts.services import members_anonymise_inactive
from accounts.tasks import anonymise_inactive_members
from core.privacy import DELETED_MEMBER, stored
from garden.models import HoursEntry
from scheduling.models import SignUpStatus
from scheduling.services.bookings import BookingRequest, booking_create
from scheduling.services.signups import SignupRequest, signup_create
from tests.accounts.privacy_world import NOW
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create, resource_create
from werkhaus.models import ToolType
from werkhaus.services.loans import CheckOut, loan_check_out

pytestmark = pytest.mark.django_db

LONG_AGO = NOW - timedelta(days=3 * 365)
LATELY = NOW - timedelta(days=30)


def member(**extra: object) -> User:
    """A member who joined and last logged in three years ago."""
    created = MemberFactory(**extra)
    User.objects.filter(pk=created.pk).update(date_joined=LONG_AGO, last_login=LONG_AGO)
    created.refresh_from_db()
    return created


def anonymised(someone: User) -> bool:
    return User.objects.get(pk=someone.pk).display_name == stored(DELETED_MEMBER)


def _book(someone: User, start: datetime) -> None:
    resource = resource_create(name=f"Bank {someone.pk}")
    booking_create(
        request=BookingRequest(
            resource=resource, member=someone, start=start, end=start + timedelta(hours=1)
        ),
        actor=someone,
        now=start - timedelta(days=1),
    )


def test_a_member_inactive_longer_than_the_retention_is_anonymised() -> None:
    sleeper = member(display_name="Otto Lange-Weg", email="otto@example.net", phone="0301234")
    _book(sleeper, LONG_AGO)

    assert members_anonymise_inactive(now=NOW) == 1

    sleeper.refresh_from_db()
    assert sleeper.display_name == stored(DELETED_MEMBER)
    assert (sleeper.email, sleeper.phone, sleeper.is_active) == ("", "", False)


def test_a_recent_login_keeps_a_member() -> None:
    active = member()
    User.objects.filter(pk=active.pk).update(last_login=LATELY)

    members_anonymise_inactive(now=NOW)

    assert not anonymised(active)


def test_a_recent_booking_keeps_a_member() -> None:
    active = member()
    _book(active, LATELY)

    members_anonymise_inactive(now=NOW)

    assert not anonymised(active)


def test_a_recent_sign_up_keeps_a_member() -> None:
    active = member()
    workshop = activity_create(first_start="2026-04-18T14:00")
    signup = signup_create(
        request=SignupRequest(
            activity=workshop, start=datetime(2026, 4, 18, 14, tzinfo=BERLIN), member=active
        ),
        actor=active,
        now=LATELY,
    )
    assert signup.status == SignUpStatus.CONFIRMED

    members_anonymise_inactive(now=NOW)

    assert not anonymised(active)


def test_recent_hours_keep_a_member() -> None:
    active = member(volunteer=True)
    HoursEntry.objects.create(
        member=active, day=date(2026, 4, 1), minutes=60, activity="Gießen", created_at=LATELY
    )

    members_anonymise_inactive(now=NOW)

    assert not anonymised(active)


def test_a_member_with_a_tool_out_is_never_anonymised(coordinator: User) -> None:
    borrower = member()
    drill = resource_create(name="Bohrer", kind="tool", slot_minutes=1440, max_minutes=1440 * 7)
    ToolType.objects.create(resource=drill, category="power_tools", deposit=Decimal(0))
    booking = booking_create(
        request=BookingRequest(
            resource=drill,
            member=borrower,
            start=LONG_AGO,
            end=LONG_AGO + timedelta(days=1),
            override=True,
        ),
        actor=coordinator,
        now=LONG_AGO - timedelta(days=1),
    )
    loan_check_out(booking=booking, actor=coordinator, now=LONG_AGO, check=CheckOut())

    members_anonymise_inactive(now=NOW)

    assert not anonymised(borrower)


def test_a_coordinator_is_never_anonymised() -> None:
    old_hand = member(coordinator=True)

    members_anonymise_inactive(now=NOW)

    assert not anonymised(old_hand)


def test_a_member_is_anonymised_once() -> None:
    member()
    members_anonymise_inactive(now=NOW)

    assert members_anonymise_inactive(now=NOW) == 0


@override_settings(PERSONAL_DATA_RETENTION_DAYS=10)
def test_the_retention_follows_the_setting() -> None:
    recent = member()
    User.objects.filter(pk=recent.pk).update(last_login=NOW - timedelta(days=11))

    members_anonymise_inactive(now=NOW)

    assert anonymised(recent)


def test_the_default_retention_is_two_years() -> None:
    assert settings.PERSONAL_DATA_RETENTION_DAYS == 730


def test_the_periodic_task_anonymises_with_the_clock() -> None:
    sleeper = member()

    with time_machine.travel(NOW, tick=False):
        assert anonymise_inactive_members() == 1

    assert anonymised(sleeper)


def test_beat_runs_the_task_daily() -> None:
    entries = [e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()]

    assert "accounts.tasks.anonymise_inactive_members" in entries
