"""Members choose their reminders at /api/v1/me/reminders/."""

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from scheduling.models import NotificationOptOut

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/reminders/"


def test_every_reminder_is_on_until_switched_off(resident_api: APIClient) -> None:
    listing = resident_api.get(URL).json()["reminders"]

    kinds = {row["kind"]: row["enabled"] for row in listing}
    assert kinds == {
        "booking_reminder": True,
        "signup_reminder": True,
        "signup_reminder_soon": True,
        "loan_due_reminder": True,
    }
    assert all(row["description"] for row in listing)


def test_only_coordinators_are_offered_the_weekly_digest(api: APIClient, coordinator: User) -> None:
    api.force_authenticate(coordinator)

    kinds = [row["kind"] for row in api.get(URL).json()["reminders"]]

    assert "weekly_digest" in kinds


def test_a_member_switches_a_reminder_off_and_on_again(
    resident_api: APIClient, resident: User
) -> None:
    off = resident_api.patch(URL, {"reminders": {"booking_reminder": False}}, format="json")

    assert off.status_code == 200
    assert {r["kind"]: r["enabled"] for r in off.json()["reminders"]}["booking_reminder"] is False
    assert NotificationOptOut.objects.filter(member=resident, kind="booking_reminder").exists()

    resident_api.patch(URL, {"reminders": {"booking_reminder": True}}, format="json")
    assert not NotificationOptOut.objects.filter(member=resident).exists()


def test_an_unknown_or_unoffered_reminder_is_a_400_naming_it(resident_api: APIClient) -> None:
    answer = resident_api.patch(
        URL, {"reminders": {"weekly_digest": False, "nonsense": False}}, format="json"
    )

    assert answer.status_code == 400
    body = answer.json()
    assert body["code"] == "unknown_reminder"
    assert set(body["fields"]) == {"weekly_digest", "nonsense"}
    assert not NotificationOptOut.objects.exists()


def test_a_choice_that_is_not_true_or_false_is_a_400(resident_api: APIClient) -> None:
    answer = resident_api.patch(URL, {"reminders": {"booking_reminder": "maybe"}}, format="json")

    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"


def test_reminders_need_a_login(api: APIClient) -> None:
    assert api.get(URL).status_code in (401, 403)
