"""The public catalogue of tools and the counter's view of single units."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from scheduling.models import Unit
from tests.factories import MemberFactory
from tests.werkhaus.conftest import MONDAY, as_member, lend, tool_type_create
from werkhaus.models import ToolType

pytestmark = pytest.mark.django_db

TOOLS = "/api/v1/tools/"
UNITS = "/api/v1/tool-units/"


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _monday(clock: time_machine.Traveller) -> None:
    """Every test here runs on Monday morning unless it moves the clock itself."""


def unit_of(tool: ToolType, label: str) -> Unit:
    return Unit.objects.get(resource=tool.resource, label=label)


def entry(tool: ToolType) -> dict[str, object]:
    response = APIClient().get(f"{TOOLS}{tool.pk}/")
    assert response.status_code == 200
    body: dict[str, object] = response.json()
    return body


def test_it_lists_the_catalogue_to_anyone(api: APIClient, drills: ToolType) -> None:
    response = api.get(TOOLS)

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": drills.pk,
            "resource": drills.resource_id,
            "name": "Akkuschrauber",
            "description": "",
            "category": "power_tools",
            "photo": None,
            "safety_notes": "",
            "deposit": "20.00",
            "units": 2,
            "free_now": 2,
            "borrowed": 0,
            "next_free": "2026-05-11T09:00:00+02:00",
        }
    ]


def test_it_filters_by_category(api: APIClient, drills: ToolType) -> None:
    shears = tool_type_create("Heckenschere", category="garden")

    response = api.get(TOOLS, {"category": "garden"})

    assert [t["id"] for t in response.json()["results"]] == [shears.pk]


def test_an_unknown_category_is_a_400(api: APIClient, drills: ToolType) -> None:
    response = api.get(TOOLS, {"category": "spaceships"})

    assert response.status_code == 400
    assert "category" in response.json()["fields"]


def test_it_shows_the_photo_as_a_url(drills: ToolType) -> None:
    drills.photo.name = "tools/akkuschrauber.jpg"
    drills.save()

    assert entry(drills)["photo"] == "http://testserver/media/tools/akkuschrauber.jpg"


def test_an_unknown_tool_is_a_404(api: APIClient) -> None:
    response = api.get(f"{TOOLS}999999/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_borrowed_unit_is_counted_out_and_not_free(
    drills: ToolType, resident: User, coordinator: User
) -> None:
    lend(drills, resident, start=MONDAY - timedelta(hours=1), days=2, coordinator=coordinator)

    assert (entry(drills)["free_now"], entry(drills)["borrowed"]) == (1, 1)


def test_the_list_needs_as_many_queries_for_twenty_tools_as_for_two(
    api: APIClient, resident: User, coordinator: User
) -> None:
    def add_tools(first: int, count: int) -> None:
        for n in range(first, first + count):
            tool = tool_type_create(f"Werkzeug {n:02d}")
            lend(tool, resident, start=MONDAY - timedelta(hours=1), days=2, coordinator=coordinator)
            lend(tool, resident, start=MONDAY + timedelta(days=3), days=2, coordinator=coordinator)

    def count_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = api.get(TOOLS)
        assert response.status_code == 200
        return len(response.json()["results"]), len(queries)

    add_tools(0, 2)
    tools_two, queries_two = count_queries()
    add_tools(2, 18)
    tools_twenty, queries_twenty = count_queries()

    assert (tools_two, tools_twenty) == (2, 20)
    assert queries_twenty == queries_two


# --- tool units at the counter ----------------------------------------------------------------


def test_the_counter_finds_a_unit_by_its_inventory_number(
    coordinator_api: APIClient, drills: ToolType, resident: User, coordinator: User
) -> None:
    loan = lend(
        drills, resident, start=MONDAY - timedelta(hours=1), days=2, coordinator=coordinator
    )
    tool_type_create("Bohrhammer")  # BOH-01, BOH-02: not found by AKK-01

    response = coordinator_api.get(UNITS, {"inventory": "akk-01"})

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": unit_of(drills, "AKK-01").pk,
            "inventory": "AKK-01",
            "in_use": True,
            "resource": drills.resource_id,
            "tool": drills.pk,
            "tool_name": "Akkuschrauber",
            "condition": "good",
            "loans_since_inspection": 0,
            "last_inspected_at": None,
            "blocked": False,
            "current_loan": loan.pk,
        }
    ]


def test_residents_cannot_look_up_units(resident_api: APIClient, drills: ToolType) -> None:
    response = resident_api.get(UNITS, {"inventory": "AKK-01"})

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_a_blocked_unit_is_no_longer_free(
    coordinator_api: APIClient, api: APIClient, drills: ToolType
) -> None:
    unit = unit_of(drills, "AKK-02")

    response = coordinator_api.post(
        f"{UNITS}{unit.pk}/block/", {"reason": "repair", "note": "Akku bläht sich"}
    )

    assert response.status_code == 200
    assert response.json()["blocked"] is True
    assert entry(drills)["free_now"] == 1


def test_a_released_unit_is_free_again(
    coordinator_api: APIClient, drills: ToolType, clock: time_machine.Traveller
) -> None:
    unit = unit_of(drills, "AKK-02")
    coordinator_api.post(f"{UNITS}{unit.pk}/block/", {"reason": "inspection"})
    clock.shift(timedelta(hours=2))

    response = coordinator_api.post(f"{UNITS}{unit.pk}/release/", {"condition": "worn"})

    assert response.status_code == 200
    body = response.json()
    assert (body["blocked"], body["condition"]) == (False, "worn")
    assert body["last_inspected_at"] == "2026-05-11T11:00:00+02:00"
    assert entry(drills)["free_now"] == 2


def test_residents_cannot_block_a_unit(drills: ToolType) -> None:
    unit = unit_of(drills, "AKK-01")

    response = as_member(MemberFactory()).post(f"{UNITS}{unit.pk}/block/", {"reason": "repair"})

    assert response.status_code == 403
    assert entry(drills)["free_now"] == 2
