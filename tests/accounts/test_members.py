import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import COORDINATOR_GROUP, Roles, member_create, member_set_roles
from tests.factories import MemberFactory


@pytest.mark.django_db
def test_a_member_without_login_has_no_username_and_cannot_log_in(coordinator: User) -> None:
    member = member_create(display_name="Amina", phone="0170 1234567", managed_by=coordinator)

    assert member.username is None
    assert member.has_login is False
    assert member.managed_by == coordinator
    assert authenticate(username=None, password="") is None


@pytest.mark.django_db
def test_several_members_without_login_can_exist(coordinator: User) -> None:
    member_create(display_name="Amina")
    member_create(display_name="Yusuf")

    assert User.objects.filter(username=None).count() == 2


@pytest.mark.django_db
def test_a_coordinator_is_staff_and_in_the_coordinators_group() -> None:
    member = MemberFactory(coordinator=True)

    assert member.is_staff is True
    assert member.groups.filter(name=COORDINATOR_GROUP).exists()
    assert member.has_perm("accounts.change_user")


@pytest.mark.django_db
def test_the_database_refuses_a_coordinator_who_is_not_staff() -> None:
    member = MemberFactory(coordinator=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=member.pk).update(is_staff=False)


@pytest.mark.django_db
def test_removing_the_coordinator_role_removes_staff_and_group() -> None:
    member = MemberFactory(coordinator=True)

    member_set_roles(member=member, roles=Roles(volunteer=True))

    member.refresh_from_db()
    assert member.is_staff is False
    assert member.roles == ["resident", "volunteer"]
    assert not member.groups.exists()


@pytest.mark.django_db
def test_me_shows_roles_and_login_state(resident_api: APIClient) -> None:
    body = resident_api.get("/api/v1/me/").json()

    assert body["roles"] == ["resident"]
    assert body["has_login"] is True
    assert body["display_name"] == "Rana Haddad"


@pytest.mark.django_db
def test_me_lets_a_member_change_language_and_phone(resident_api: APIClient) -> None:
    response = resident_api.patch(
        "/api/v1/me/", {"preferred_language": "en", "phone": "0170 999"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["preferred_language"] == "en"
    assert User.objects.get(username="rana").phone == "0170 999"


@pytest.mark.django_db
def test_me_ignores_attempts_to_change_roles_or_username(resident_api: APIClient) -> None:
    resident_api.patch("/api/v1/me/", {"username": "boss", "roles": ["coordinator"]})

    member = User.objects.get(display_name="Rana Haddad")
    assert member.username == "rana"
    assert member.is_coordinator is False


@pytest.mark.django_db
def test_me_refuses_an_unknown_language_with_the_field_named(resident_api: APIClient) -> None:
    response = resident_api.patch("/api/v1/me/", {"preferred_language": "xx"})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "preferred_language" in response.json()["fields"]
