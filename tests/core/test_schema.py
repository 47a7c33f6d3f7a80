import re

import pytest
from django.core.management import call_command
from django.test import Client


def test_the_openapi_schema_is_valid_without_warnings(tmp_path) -> None:
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))

    assert "openapi: 3" in (tmp_path / "s.yml").read_text()


@pytest.mark.django_db
def test_the_schema_is_served_as_openapi_3(client: Client) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/auth/token/" in schema["paths"]
    assert "Error" in schema["components"]["schemas"]


@pytest.mark.django_db
def test_swagger_ui_loads_only_our_own_static_files(client: Client) -> None:
    response = client.get("/api/docs/")

    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', response.content.decode())
    assert sources
    assert all(source.startswith("/") for source in sources), sources
