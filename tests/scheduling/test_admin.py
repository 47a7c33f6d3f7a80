from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from scheduling.models import Booking, BookingStatus, SignUp
from tests.factories import MemberFactory, activity_create, resource_create
from tests.scheduling.conftest import book

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_client(client: Client, coordinator: User) -> Client:
    client.force_login(coordinator)
    return client


def test_a_coordinator_opens_every_list_of_the_engine(coordinator_client: Client) -> None:
    resource_create()
    activity_create()
    models = [m for m in admin.site._registry if m._meta.app_label in {"scheduling", "accounts"}]

    for model in models:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert coordinator_client.get(url).status_code == 200, url


def test_a_resident_cannot_open_the_administration(client: Client, resident: User) -> None:
    client.force_login(resident)

    response = client.get(reverse("admin:scheduling_booking_changelist"))

    assert response.status_code == 302


def test_a_booking_added_in_the_admin_goes_through_the_rules(
    coordinator_client: Client, resident: User
) -> None:
    bench = resource_create(max_minutes=60)
    url = reverse("admin:scheduling_booking_add")
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    form = {
        "resource": bench.pk,
        "member": resident.pk,
        "start_0": day,
        "start_1": "10:00",
        "end_0": day,
        "end_1": "12:00",
        "note": "",
    }

    refused = coordinator_client.post(url, form)
    accepted = coordinator_client.post(url, {**form, "end_1": "11:00"})

    assert refused.status_code == 200
    assert "Die Buchung ist länger als erlaubt." in refused.content.decode()
    assert accepted.status_code == 302
    booking = Booking.objects.get()
    assert booking.member == resident
    assert booking.created_by is not None
    assert booking.created_by.is_coordinator


def test_the_cancel_action_uses_the_service(coordinator_client: Client, resident: User) -> None:
    from datetime import datetime

    from tests.conftest import BERLIN

    start = datetime.now(BERLIN).replace(minute=0, second=0, microsecond=0) + timedelta(days=2)
    booking = book(
        resource_create(),
        resident,
        start,
        start + timedelta(hours=1),
        now=start - timedelta(days=1),
    )

    coordinator_client.post(
        reverse("admin:scheduling_booking_changelist"),
        {"action": "cancel", "_selected_action": [booking.pk]},
    )

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.audit.filter(action="cancelled").exists()


def test_the_attendance_action_refuses_before_the_start(
    coordinator_client: Client,
) -> None:
    from datetime import datetime

    from scheduling.services.signups import SignupRequest, signup_create
    from tests.conftest import BERLIN

    member = MemberFactory()
    cafe = activity_create(first_start="2030-05-04T14:00")
    signup = signup_create(
        request=SignupRequest(
            activity=cafe, start=datetime(2030, 5, 4, 14, tzinfo=BERLIN), member=member
        ),
        actor=member,
        now=datetime(2030, 5, 1, tzinfo=BERLIN) - timedelta(days=1),
    )

    response = coordinator_client.post(
        reverse("admin:scheduling_signup_changelist"),
        {"action": "mark_attended", "_selected_action": [signup.pk]},
        follow=True,
    )

    assert SignUp.objects.get().status == "confirmed"
    assert "Die Buchung ist in einem Zustand" in response.content.decode()


def test_the_outbox_lists_whom_to_call_and_what_was_skipped(
    coordinator_client: Client, resident: User
) -> None:
    from scheduling.models import Notification

    now = timezone.now()
    no_mail = MemberFactory(email="", display_name="Erna Ohnemail")
    Notification.objects.create(
        member=no_mail, kind="booking_cancelled", created_at=now, sent_at=now, channel="call"
    )
    Notification.objects.create(
        member=resident, kind="booking_reminder", created_at=now, skipped_at=now
    )
    url = reverse("admin:scheduling_notification_changelist")

    to_call = coordinator_client.get(url, {"state": "call"}).content.decode()
    skipped = coordinator_client.get(url, {"state": "skipped"}).content.decode()

    assert "Erna Ohnemail" in to_call
    assert "Rana Haddad" not in to_call
    assert "Rana Haddad" in skipped
    assert "Erna Ohnemail" not in skipped


def test_a_coordinator_switches_a_members_calendar_feed_off(
    coordinator_client: Client, resident: User
) -> None:
    from scheduling.models import FeedToken
    from scheduling.services.feeds import feed_token_issue

    key = feed_token_issue(member=resident, actor=resident, now=timezone.now())
    token = FeedToken.objects.get(member=resident)
    url = reverse("admin:scheduling_feedtoken_changelist")

    listing = coordinator_client.get(url).content.decode()
    coordinator_client.post(url, {"action": "revoke", "_selected_action": [token.pk]})

    assert key not in listing, "only the digest is stored, and it is not shown"
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert coordinator_client.get(f"/ical/u/{key}.ics").status_code == 404
