"""A page size the API cannot honour is refused with the parameter named, never ignored."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "page_size=abc",
        "page_size=0",
        "page_size=501",
        "page_size=-1",
        "page_size=2&page_size=3",
    ],
)
def test_a_page_size_that_is_not_1_to_500_is_a_400(resident_api: APIClient, query: str) -> None:
    answer = resident_api.get(f"/api/v1/bookings/?{query}")

    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid_page_size"
    assert "page_size" in answer.json()["fields"]


def test_a_valid_page_size_is_honoured(resident_api: APIClient) -> None:
    answer = resident_api.get("/api/v1/resources/?page_size=1")

    assert answer.status_code == 200


def test_a_page_size_sent_empty_is_the_default_as_an_unset_form_field(
    resident_api: APIClient,
) -> None:
    answer = resident_api.get("/api/v1/resources/?page_size=&page=")

    assert answer.status_code == 200
    assert "results" in answer.json()
