from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from core.services import heartbeat_record


@pytest.mark.django_db
def test_it_is_200_when_database_and_broker_answer(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["status"] == "ok"


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0")
def test_it_is_503_naming_the_broker_when_the_broker_is_down(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
    assert response.json()["database"] == "ok"


@pytest.mark.django_db(transaction=True)
def test_it_is_503_naming_the_database_when_the_database_is_down(
    client: Client, unreachable_database: None
) -> None:
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert response.json()["status"] == "unavailable"


@pytest.mark.django_db
def test_it_reports_late_jobs_without_failing(client: Client) -> None:
    heartbeat_record(name="beat", now=timezone.now() - timedelta(hours=1))

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["jobs"] == "late"


@pytest.mark.django_db
def test_it_reports_recent_jobs_as_ok(client: Client) -> None:
    heartbeat_record(name="beat", now=timezone.now())

    assert client.get("/healthz").json()["jobs"] == "ok"
