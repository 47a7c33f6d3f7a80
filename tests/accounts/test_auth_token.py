from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, User
from accounts.services import token_digest
from tests.factories import PASSWORD

TOKEN_URL = "/api/v1/auth/token/"
ME_URL = "/api/v1/me/"


def _login(api: APIClient, username: str, password: str, **extra: Any) -> Any:
    return api.post(TOKEN_URL, {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_it_issues_a_token_that_authenticates(api: APIClient, resident: User) -> None:
    response = _login(api, "rana", PASSWORD)

    assert response.status_code == 201
    key = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    me = api.get(ME_URL)
    assert me.status_code == 200
    assert me.json()["username"] == "rana"


@pytest.mark.django_db
def test_it_stores_only_the_digest_of_the_token(api: APIClient, resident: User) -> None:
    key = _login(api, "rana", PASSWORD).json()["token"]

    token = ApiToken.objects.get(user=resident)
    assert token.digest == token_digest(key)
    assert key not in {token.digest, token.prefix}


@pytest.mark.django_db
def test_it_answers_a_wrong_password_with_400_in_the_error_format(
    api: APIClient, resident: User
) -> None:
    response = _login(api, "rana", "wrong")

    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_credentials",
        "detail": "Benutzername oder Passwort ist falsch.",
        "fields": {},
    }


@pytest.mark.django_db
def test_it_answers_in_the_language_of_the_request(api: APIClient, resident: User) -> None:
    response = _login(api, "rana", "wrong", HTTP_ACCEPT_LANGUAGE="en")

    assert response.json()["detail"] == "Username or password is wrong."


@pytest.mark.django_db
def test_it_throttles_the_sixth_wrong_attempt_within_a_minute(
    api: APIClient, resident: User
) -> None:
    for _attempt in range(5):
        assert _login(api, "rana", "wrong").status_code == 400

    response = _login(api, "rana", "wrong")

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


@pytest.mark.django_db
def test_it_refuses_even_the_right_password_while_the_account_is_locked(
    api: APIClient, resident: User
) -> None:
    for _attempt in range(5):
        _login(api, "rana", "wrong")

    assert _login(api, "rana", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_it_locks_an_address_that_tries_many_accounts(api: APIClient, resident: User) -> None:
    for attempt in range(5):
        _login(api, f"guess{attempt}", "wrong")

    assert _login(api, "rana", PASSWORD).status_code == 429


@pytest.mark.django_db
@override_settings(LOGIN_FAILURE_WINDOW_SECONDS=1)
def test_it_lets_the_account_in_again_after_the_window(api: APIClient, resident: User) -> None:
    import time

    for _attempt in range(5):
        _login(api, "rana", "wrong")
    time.sleep(1.1)  # the cache's own expiry, which time travel does not move

    assert _login(api, "rana", PASSWORD).status_code == 201


@pytest.mark.django_db
def test_it_rejects_an_expired_token_with_401(api: APIClient, resident: User) -> None:
    key = _login(api, "rana", PASSWORD).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    with time_machine.travel(timezone.now() + timedelta(days=31)):
        response = api.get(ME_URL)

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.django_db
def test_it_revokes_the_token_in_use(api: APIClient, resident: User) -> None:
    key = _login(api, "rana", PASSWORD).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert api.delete(TOKEN_URL).status_code == 204
    assert api.get(ME_URL).status_code == 401
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_member_without_login(api: APIClient) -> None:
    from accounts.services import member_create

    member_create(display_name="Amina")

    assert _login(api, "", "").status_code == 400
    assert _login(api, "Amina", "").status_code == 400


@pytest.mark.django_db
def test_it_refuses_a_deactivated_member(api: APIClient, resident: User) -> None:
    User.objects.filter(pk=resident.pk).update(is_active=False)

    assert _login(api, "rana", PASSWORD).status_code == 400
