"""GET /api/v1/me/export/: everything stored about a member, as the admin shows it."""

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from rest_framework.test import APIClient

from accounts.models import User
from core.privacy import member_export
from tests.accounts.privacy_world import EMAIL, NAME, NOW, PHONE, World, build
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

EXPORT_URL = "/api/v1/me/export/"


@pytest.fixture
def world() -> World:
    return build()


def _export(member: User) -> dict[str, Any]:
    return member_export(member=member, now=NOW)


def _user_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    user_model = get_user_model()
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.related_model is user_model
    ]


def _exported_ids(export: dict[str, Any], label: str) -> set[int]:
    own = {row["id"] for row in export["records"].get(label, [])}
    return own | set(export["actions"].get(label, []))


@pytest.mark.parametrize("whose", ["member", "coordinator"])
def test_every_admin_row_with_a_key_to_the_member_is_in_the_export(
    world: World, whose: str
) -> None:
    person = getattr(world, whose)
    export = _export(person)
    missing = []
    walked = 0
    for model in admin.site._registry:
        for field in _user_keys(model):
            rows = model._default_manager.filter(**{field.name: person})
            for pk in rows.values_list("pk", flat=True):
                walked += 1
                if pk not in _exported_ids(export, model._meta.label_lower):
                    missing.append(f"{model._meta.label_lower}.{field.name} #{pk}")
    assert walked > 0
    assert missing == []


def test_the_export_holds_the_account_with_name_email_phone_and_roles(world: World) -> None:
    (account,) = _export(world.member)["records"]["accounts.user"]

    assert (account["display_name"], account["email"], account["phone"]) == (NAME, EMAIL, PHONE)
    assert account["roles"] == ["resident", "volunteer"]
    assert account["date_joined"]


def test_the_export_holds_bookings_with_their_audit_entries(world: World) -> None:
    bookings = _export(world.member)["records"]["scheduling.booking"]

    past_bench = next(
        b for b in bookings if b["resource"] == "Hobelbank" and b["status"] == "completed"
    )
    assert NAME in past_bench["note"]
    assert [a["action"] for a in past_bench["audit"]] == ["created", "completed"]


def test_the_export_holds_what_every_app_keeps_about_the_member(world: World) -> None:
    records = _export(world.member)["records"]

    assert {label for label, rows in records.items() if rows} >= {
        "accounts.user",
        "accounts.apitoken",
        "scheduling.booking",
        "scheduling.signup",
        "scheduling.swapoffer",
        "scheduling.notification",
        "scheduling.feedtoken",
        "scheduling.auditentry",
        "werkhaus.loan",
        "werkhaus.roombooking",
        "garden.plotapplication",
        "garden.plot",
        "garden.hoursentry",
    }
    (loan,) = records["werkhaus.loan"]
    assert NAME in loan["damage_report"]
    assert records["garden.hoursentry"][0]["minutes"] == 150


def test_the_export_shows_tokens_without_their_secrets(world: World) -> None:
    records = _export(world.member)["records"]

    (token,) = records["accounts.apitoken"]
    (feed,) = records["scheduling.feedtoken"]
    assert set(token) == {"id", "prefix", "created_at", "expires_at", "last_used_at"}
    assert set(feed) == {"id", "purpose", "created_at", "revoked_at"}


def test_the_export_holds_nothing_of_another_member(world: World) -> None:
    export = _export(world.member)

    assert "Nora Nachbarin" not in str(export)
    assert world.other_booking.pk not in {b["id"] for b in export["records"]["scheduling.booking"]}


def test_a_member_exports_their_own_data_through_the_api(world: World) -> None:
    api = APIClient()
    api.force_authenticate(world.member)

    response = api.get(EXPORT_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["member"] == world.member.pk
    assert body["records"]["accounts.user"][0]["email"] == EMAIL


def test_the_export_needs_a_login() -> None:
    assert APIClient().get(EXPORT_URL).status_code in (401, 403)


def test_a_coordinator_exports_a_members_data_on_request(world: World) -> None:
    api = APIClient()
    api.force_authenticate(world.coordinator)

    response = api.get(f"/api/v1/members/{world.member.pk}/export/")

    assert response.status_code == 200
    assert response.json()["records"]["accounts.user"][0]["display_name"] == NAME


def test_a_resident_cannot_export_somebody_elses_data(world: World) -> None:
    api = APIClient()
    api.force_authenticate(world.other)

    response = api.get(f"/api/v1/members/{world.member.pk}/export/")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_a_member_without_anything_exports_just_the_account() -> None:
    member = MemberFactory()

    records = _export(member)["records"]

    assert {label for label, rows in records.items() if rows} == {"accounts.user"}
