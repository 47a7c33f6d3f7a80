"""Statistics never name anybody: every table of every statistics endpoint (JSON and CSV), the
dashboard and the monthly report, over a world where a member's data reaches every app."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.accounts.privacy_world import EMAIL, NAME, PHONE, USERNAME, build

pytestmark = pytest.mark.django_db

PERIOD = {"start": "2026-01-01T00:00:00+01:00", "end": "2027-01-01T00:00:00+01:00"}
TABLES = {
    "utilisation": ["resource", "kind", "week", "weekday_hour", "day", "month", "unit"],
    "demand": ["code", "resource", "week", "waitlist"],
    "programme": ["occurrence", "activity", "month"],
    "people": ["role", "language", "month"],
    "loans": ["tool_type", "category", "month"],
    "hours": ["month", "activity"],
}
NAMES = (NAME, EMAIL, PHONE, USERNAME, "Nora Nachbarin", "nachbarin", "Kim Koordination")


def test_no_statistics_table_names_a_member() -> None:
    world = build()
    api = APIClient()
    api.force_authenticate(world.coordinator)

    checked = 0
    for endpoint, groupings in TABLES.items():
        for group_by in groupings:
            for export in ("", "csv"):
                params = {**PERIOD, "group_by": group_by, **({"export": export} if export else {})}
                answer = api.get(f"/api/v1/stats/{endpoint}/", params)
                assert answer.status_code == 200, (endpoint, group_by, answer.content[:200])
                body = answer.content.decode("utf-8")
                assert [n for n in NAMES if n in body] == [], (endpoint, group_by, export)
                checked += 1
    assert checked == 2 * sum(len(g) for g in TABLES.values())


def test_the_dashboard_and_the_monthly_report_name_nobody(client: Client) -> None:
    world = build()
    client.force_login(world.coordinator)

    pages = [
        client.get(
            "/koordination/statistik/",
            {"period": "custom", "start": "2026-01-01", "end": "2026-12-31"},
        ),
        client.get("/koordination/bericht/2026/04/"),
        client.get("/koordination/bericht/2026/05/"),
    ]

    assert "Hobelbank" in pages[0].content.decode(), "the period holds the world's bookings"
    for page in pages:
        assert page.status_code == 200
        body = page.content.decode()
        # The coordinator's own name may stand in the page's header (logged in as); nobody
        # else's anywhere, and the coordinator's nowhere in the figures.
        main = body[body.index("<main") :]
        assert [n for n in NAMES if n in main] == []
