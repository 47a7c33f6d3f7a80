import pytest
from django.test import Client
from rest_framework.test import APIClient


@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_an_unknown_api_url_is_a_json_404_in_the_error_format(api: APIClient, method: str) -> None:
    response = getattr(api, method)("/api/v1/no/such/thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"
    assert set(response.json()) == {"code", "detail", "fields"}


def test_an_unknown_api_url_outside_v1_is_a_json_404_too(api: APIClient) -> None:
    response = api.get("/api/v2/resources/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_an_anonymous_request_is_401_with_code_not_authenticated(api: APIClient) -> None:
    response = api.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
        "fields": {},
    }
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.django_db
def test_a_missing_field_is_400_with_the_field_named_in_german(api: APIClient) -> None:
    response = api.post("/api/v1/auth/token/", {"username": "rana"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"] == {"password": ["Dieses Feld ist zwingend erforderlich."]}
    assert body["detail"].startswith("Die Eingabe ist ungültig")


@pytest.mark.django_db
def test_malformed_json_is_400_parse_error(api: APIClient) -> None:
    response = api.post("/api/v1/auth/token/", data="{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.django_db
def test_a_wrong_method_is_405_in_the_error_format(resident_api: APIClient) -> None:
    response = resident_api.put("/api/v1/me/", {})

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_a_server_error_under_api_is_json_in_the_error_format(rf) -> None:
    from core.api.errors import server_error

    response = server_error(rf.get("/api/v1/bookings/"))

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert b'"code": "server_error"' in response.content


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_is_a_503_the_client_may_retry(
    resident_api: APIClient, unreachable_database: None
) -> None:
    response = resident_api.get("/api/v1/bookings/")

    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert response["Retry-After"] == "5"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["/", "/werkzeuge/", "/ical/program.ics"])
def test_an_unreachable_database_is_a_503_on_pages_and_feeds_too(
    client: Client, unreachable_database: None, path: str
) -> None:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Der Dienst ist kurz nicht erreichbar" in response.content.decode()
