"""Deleting an account: nothing personal remains anywhere, the statistics keep their numbers,
what was still to come is cancelled through the services, and nobody else is touched."""

import json
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from accounts.services import member_delete
from core.errors import NotAllowed
from core.privacy import DELETED_MEMBER, REMOVED, stored
from scheduling.models import (
    Booking,
    BookingStatus,
    FeedToken,
    Notification,
    SignUpStatus,
    WaitlistStatus,
)
from tests.accounts.privacy_world import NOW, PHONE, World, build, hits, statistics
from tests.factories import MemberFactory
from werkhaus.models import Loan
from werkhaus.privacy import ToolsStillOut

pytestmark = pytest.mark.django_db

ME_URL = "/api/v1/me/"


@pytest.fixture
def world() -> World:
    return build()


def _delete(world: World, actor: User | None = None) -> User:
    return member_delete(member=world.member, actor=actor or world.coordinator, now=NOW)


def test_the_world_names_the_member_before(world: World) -> None:
    assert len(hits()) >= 10  # the search finds what it looks for


@pytest.mark.parametrize("by", ["member", "coordinator"])
def test_nothing_personal_remains_in_any_table_after_deletion(world: World, by: str) -> None:
    _delete(world, getattr(world, by))

    assert hits() == []


def test_the_statistics_keep_their_numbers(world: World) -> None:
    before = statistics(world.member)

    _delete(world)

    assert statistics(world.member) == before


def test_the_account_is_deactivated_and_stripped(world: World) -> None:
    _delete(world)

    member = User.objects.get(pk=world.member.pk)
    assert member.display_name == stored(DELETED_MEMBER)
    assert (member.username, member.email, member.phone) == (None, "", "")
    assert not member.is_active
    assert not member.has_usable_password()
    assert (member.is_resident, member.is_volunteer) == (True, True)  # counted by role


def test_tokens_feeds_and_sessions_end(world: World) -> None:
    _delete(world)

    assert not ApiToken.objects.filter(user=world.member).exists()
    assert not FeedToken.objects.filter(member=world.member, revoked_at__isnull=True).exists()
    assert not [
        s
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(world.member.pk)
    ]


def test_a_future_booking_is_cancelled_and_offered_to_the_waitlist(world: World) -> None:
    _delete(world)

    world.future_booking.refresh_from_db()
    world.other_waits_for_booking.refresh_from_db()
    assert world.future_booking.status == BookingStatus.CANCELLED
    assert world.other_waits_for_booking.status == WaitlistStatus.OFFERED


def test_a_future_sign_up_is_cancelled_and_the_place_goes_to_the_next(world: World) -> None:
    _delete(world)

    world.future_signup.refresh_from_db()
    world.other_waits_for_signup.refresh_from_db()
    assert world.future_signup.status == SignUpStatus.CANCELLED
    assert world.other_waits_for_signup.status == SignUpStatus.CONFIRMED


def test_past_bookings_stay_without_their_note(world: World) -> None:
    _delete(world)

    past = Booking.objects.get(
        member=world.member, status=BookingStatus.COMPLETED, resource__name="Hobelbank"
    )
    assert past.note == ""


def test_the_damage_report_stays_without_the_members_name(world: World) -> None:
    _delete(world)

    loan = Loan.objects.get(booking__member=world.member)
    assert loan.condition_in == "damaged"
    removed = stored(REMOVED)
    assert loan.damage_report == f"Akku von {removed} fallen gelassen ({removed})"


def test_notifications_to_the_member_are_deleted(world: World) -> None:
    _delete(world)

    assert not Notification.objects.filter(member=world.member).exists()


def test_the_other_member_keeps_their_bookings_and_access(world: World) -> None:
    _delete(world)

    world.other_booking.refresh_from_db()
    assert world.other_booking.status == BookingStatus.CONFIRMED
    api = APIClient()
    api.force_authenticate(world.other)
    assert api.get(f"/api/v1/bookings/{world.other_booking.pk}/").status_code == 200
    assert api.get(ME_URL).json()["display_name"] == "Nora Nachbarin"


def test_a_member_deletes_their_own_account_through_the_api(world: World) -> None:
    api = APIClient()
    api.force_authenticate(world.member)

    response = api.delete(ME_URL)

    assert response.status_code == 204
    assert hits() == []


def test_a_deleted_member_can_no_longer_log_in(world: World) -> None:
    api = APIClient()
    api.force_authenticate(world.member)
    api.delete(ME_URL)

    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "zquellwasser", "password": "correct horse battery"}
    )

    assert response.status_code == 400


def test_a_coordinator_deletes_a_members_data_through_the_api(world: World) -> None:
    api = APIClient()
    api.force_authenticate(world.coordinator)

    response = api.delete(f"/api/v1/members/{world.member.pk}/")

    assert response.status_code == 204
    assert hits() == []


def test_a_resident_cannot_delete_somebody_else_through_the_api(world: World) -> None:
    api = APIClient()
    api.force_authenticate(world.other)

    response = api.delete(f"/api/v1/members/{world.member.pk}/")

    assert response.status_code == 403
    assert User.objects.get(pk=world.member.pk).display_name != stored(DELETED_MEMBER)


def test_a_resident_cannot_delete_somebody_else_through_the_service(world: World) -> None:
    with pytest.raises(NotAllowed):
        member_delete(member=world.member, actor=world.other, now=NOW)


def test_an_unknown_member_is_404_for_a_coordinator(world: World) -> None:
    api = APIClient()
    api.force_authenticate(world.coordinator)

    assert api.delete("/api/v1/members/999999/").status_code == 404


def test_a_member_with_a_tool_out_is_not_deleted(world: World) -> None:
    Loan.objects.filter(booking__member=world.member).update(status="checked_out")

    with pytest.raises(ToolsStillOut):
        _delete(world)
    assert User.objects.get(pk=world.member.pk).email


def test_a_tool_still_out_answers_409_with_its_code(world: World) -> None:
    Loan.objects.filter(booking__member=world.member).update(status="checked_out")
    api = APIClient()
    api.force_authenticate(world.member)

    response = api.delete(ME_URL)

    assert response.status_code == 409
    assert response.json()["code"] == "tools_still_out"


def test_deleting_twice_changes_nothing_more(world: World) -> None:
    _delete(world)
    before = statistics(world.member)

    _delete(world)

    assert statistics(world.member) == before
    assert hits() == []


def test_a_member_with_nothing_is_deleted_too() -> None:
    member = MemberFactory(display_name="Xaver Einsam", email="xaver.einsam@example.net")

    member_delete(member=member, actor=member, now=NOW)

    assert hits(("Xaver Einsam", "xaver.einsam@example.net")) == []


ADMIN_USERS = "/admin/accounts/user/"


def _admin_action(client: Client, action: str, member: User) -> Any:
    return client.post(ADMIN_USERS, {"action": action, "_selected_action": [member.pk]})


def test_a_coordinator_deletes_a_members_data_in_the_admin(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)

    response = _admin_action(client, "delete_personal_data", world.member)

    assert response.status_code == 302
    assert hits() == []


def test_a_coordinator_exports_a_members_data_in_the_admin(world: World) -> None:
    client = Client()
    client.force_login(world.coordinator)

    response = _admin_action(client, "export_personal_data", world.member)

    assert response.status_code == 200
    assert json.loads(response.content)["records"]["accounts.user"][0]["phone"] == PHONE


def test_a_resident_cannot_use_the_admin_action(world: World) -> None:
    client = Client()
    client.force_login(world.other)

    response = _admin_action(client, "delete_personal_data", world.member)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert User.objects.get(pk=world.member.pk).phone == PHONE
