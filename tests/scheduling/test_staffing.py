from datetime import datetime, timedelta

import pytest
from django.test import override_settings

from scheduling.models import Eligibility, Notification
from scheduling.services.signups import SignupRequest, signup_create
from scheduling.services.staffing import understaffing_alert
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create

pytestmark = pytest.mark.django_db

SATURDAY = datetime(2026, 6, 13, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def garden_day():
    return activity_create(
        kind="shift",
        title="Gartentag",
        first_start="2026-06-06T10:00",
        places={"Beete": 4},
        min_staffing=2,
        eligibility=Eligibility.VOLUNTEERS,
    )


def test_an_understaffed_shift_72_hours_ahead_alerts_coordinators_and_free_volunteers(
    garden_day,
    coordinator,
) -> None:
    free, busy = MemberFactory(volunteer=True), MemberFactory(volunteer=True)
    MemberFactory()  # a resident who does no shifts
    signup_create(
        request=SignupRequest(activity=garden_day, start=SATURDAY, member=busy),
        actor=busy,
        now=SATURDAY - timedelta(days=5),
    )

    assert understaffing_alert(now=SATURDAY - timedelta(hours=73)) == 0
    assert understaffing_alert(now=SATURDAY - timedelta(hours=71)) == 1
    assert understaffing_alert(now=SATURDAY - timedelta(hours=70)) == 0, "once"

    alerts = Notification.objects.exclude(kind="signup_confirmed")
    told = {(n.kind, n.member_id) for n in alerts}
    assert told == {("occurrence_understaffed", coordinator.pk), ("shift_needs_you", free.pk)}


def test_a_staffed_shift_raises_no_alert(garden_day, coordinator) -> None:
    for _ in range(2):
        member = MemberFactory(volunteer=True)
        signup_create(
            request=SignupRequest(activity=garden_day, start=SATURDAY, member=member),
            actor=member,
            now=SATURDAY - timedelta(days=5),
        )

    assert understaffing_alert(now=SATURDAY - timedelta(hours=71)) == 0


@override_settings(UNDERSTAFFED_ALERT_HOURS=24)
def test_the_alert_window_is_configurable(garden_day, coordinator) -> None:
    assert understaffing_alert(now=SATURDAY - timedelta(hours=30)) == 0
    assert understaffing_alert(now=SATURDAY - timedelta(hours=20)) == 1
