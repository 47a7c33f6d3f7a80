"""Writes made with the session (the web pages' login) need the CSRF token, in the API and on
the pages; token-authenticated API calls do not carry cookies and need none."""

import pytest
from django.test import Client

from accounts.models import User
from tests.factories import PASSWORD, resource_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(resident: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    return client


def test_a_session_write_to_the_api_without_the_csrf_token_is_refused(browser: Client) -> None:
    bench = resource_create()

    answer = browser.post(
        "/api/v1/bookings/",
        {"resource": bench.pk, "start": "2026-12-01T10:00+01:00", "end": "2026-12-01T11:00+01:00"},
        content_type="application/json",
    )

    assert answer.status_code == 403
    assert "CSRF" in answer.json()["detail"]


def test_a_page_form_without_the_csrf_token_is_refused(browser: Client) -> None:
    answer = browser.post("/meine/einstellungen/", {"action": "language", "language": "en"})

    assert answer.status_code == 403


def test_the_login_form_needs_the_csrf_token(resident: User) -> None:
    client = Client(enforce_csrf_checks=True)

    answer = client.post("/accounts/login/", {"username": "rana", "password": PASSWORD})

    assert answer.status_code == 403


def test_the_token_login_of_the_api_needs_no_csrf_token(resident: User) -> None:
    client = Client(enforce_csrf_checks=True)

    answer = client.post(
        "/api/v1/auth/token/",
        {"username": "rana", "password": PASSWORD},
        content_type="application/json",
    )

    assert answer.status_code == 201
