"""Who may do what, for every endpoint of the OpenAPI schema and every object-level action:
anonymous 401, coordinator-only 403, someone else's object 404, one's own object served. A new
endpoint without an expectation here fails the walk."""

import json
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import api_token_issue
from garden.models import HourlyRate, HoursEntry, Plot, PlotApplication
from scheduling.models import Unit
from scheduling.models.activities import SwapOffer
from tests.accounts import privacy_world
from tests.factories import MemberFactory
from werkhaus.models import Loan, ToolType

ROLES = ("anonymous", "resident_a", "resident_b", "volunteer", "honorary", "coordinator")

# What a role may see: "ok" is any answer past the permission checks (2xx, or 400/409 for the
# empty body the walk sends); the rest are the exact refusals.
OK = "ok"
PUBLIC = dict.fromkeys(ROLES, OK)
MEMBERS = {**PUBLIC, "anonymous": 401}
COORDINATORS = {
    "anonymous": 401,
    "resident_a": 403,
    "resident_b": 403,
    "volunteer": 403,
    "honorary": 403,
    "coordinator": OK,
}
A_OWNS = {**COORDINATORS, "resident_a": OK, "resident_b": 404, "volunteer": 404, "honorary": 404}
B_OWNS = {**A_OWNS, "resident_a": 404, "resident_b": OK}
# Coordinators' actions on an object a resident can see: the resident is refused (403), the
# others do not see it (404).
A_SEES_COORDINATORS_ACT = {**A_OWNS, "resident_a": 403}
B_SEES_COORDINATORS_ACT = {**B_OWNS, "resident_b": 403}
# A's open swap offer, which every member sees in the list of open offers: any member may try
# to take it (A and B, who is on the date's waiting list, are refused with 409), only A or a
# coordinator may withdraw it, and the others, who see it, are refused (403).
SWAP_OPEN = MEMBERS
SWAP_WITHDRAW = {**dict.fromkeys(ROLES, 403), "anonymous": 401, "resident_a": OK, "coordinator": OK}

# (method, path template) -> (which object's id fills {id}, expectation per role)
EXPECTED: dict[tuple[str, str], tuple[str | None, dict[str, Any]]] = {
    ("POST", "/api/v1/auth/token/"): (None, PUBLIC),
    ("DELETE", "/api/v1/auth/token/"): (None, MEMBERS),
    ("GET", "/api/v1/bookings/"): (None, MEMBERS),
    ("POST", "/api/v1/bookings/"): (None, MEMBERS),
    ("GET", "/api/v1/bookings/{id}/"): ("booking_a", A_OWNS),
    ("POST", "/api/v1/bookings/{id}/cancel/"): ("booking_a", A_OWNS),
    ("POST", "/api/v1/bookings/{id}/approve/"): ("booking_a", A_SEES_COORDINATORS_ACT),
    ("POST", "/api/v1/bookings/{id}/complete/"): ("booking_a", A_SEES_COORDINATORS_ACT),
    ("POST", "/api/v1/bookings/{id}/no-show/"): ("booking_a", A_SEES_COORDINATORS_ACT),
    ("GET", "/api/v1/honorarium/"): (None, COORDINATORS),
    ("GET", "/api/v1/honorarium/csv/"): (None, COORDINATORS),
    ("GET", "/api/v1/hourly-rates/"): (None, COORDINATORS),
    ("POST", "/api/v1/hourly-rates/"): (None, COORDINATORS),
    ("GET", "/api/v1/hourly-rates/{id}/"): ("hourly_rate", COORDINATORS),
    ("GET", "/api/v1/hours/"): (None, MEMBERS),
    ("POST", "/api/v1/hours/"): (None, MEMBERS),
    ("GET", "/api/v1/hours/{id}/"): ("hours_a", A_OWNS),
    ("POST", "/api/v1/hours/{id}/decide/"): ("hours_a", A_SEES_COORDINATORS_ACT),
    ("GET", "/api/v1/loans/"): (None, MEMBERS),
    ("GET", "/api/v1/loans/{id}/"): ("loan_a", A_OWNS),
    ("POST", "/api/v1/loans/{id}/check-in/"): ("loan_a", A_SEES_COORDINATORS_ACT),
    ("POST", "/api/v1/loans/check-out/"): (None, COORDINATORS),
    ("POST", "/api/v1/loans/walk-in/"): (None, COORDINATORS),
    ("GET", "/api/v1/me/"): (None, MEMBERS),
    ("PATCH", "/api/v1/me/"): (None, MEMBERS),
    ("DELETE", "/api/v1/me/"): (None, MEMBERS),
    ("POST", "/api/v1/me/calendar-token/"): (None, MEMBERS),
    ("DELETE", "/api/v1/me/calendar-token/"): (None, MEMBERS),
    ("GET", "/api/v1/me/export/"): (None, MEMBERS),
    ("GET", "/api/v1/me/reminders/"): (None, MEMBERS),
    ("PATCH", "/api/v1/me/reminders/"): (None, MEMBERS),
    ("DELETE", "/api/v1/members/{id}/"): ("member_a", COORDINATORS),
    ("GET", "/api/v1/members/{id}/export/"): ("member_a", COORDINATORS),
    ("GET", "/api/v1/occurrences/"): (None, PUBLIC),
    ("POST", "/api/v1/occurrences/cancel/"): (None, COORDINATORS),
    ("POST", "/api/v1/occurrences/move/"): (None, COORDINATORS),
    ("GET", "/api/v1/plot-applications/"): (None, MEMBERS),
    ("POST", "/api/v1/plot-applications/"): (None, MEMBERS),
    ("GET", "/api/v1/plot-applications/{id}/"): ("application_a", A_OWNS),
    ("POST", "/api/v1/plot-applications/{id}/accept/"): ("application_a", A_OWNS),
    ("POST", "/api/v1/plot-applications/{id}/decline/"): ("application_a", A_OWNS),
    ("POST", "/api/v1/plot-applications/{id}/allocate/"): (
        "application_a",
        A_SEES_COORDINATORS_ACT,
    ),
    ("POST", "/api/v1/plot-applications/{id}/offer/"): (
        "application_a",
        A_SEES_COORDINATORS_ACT,
    ),
    ("POST", "/api/v1/plot-applications/{id}/prioritise/"): (
        "application_a",
        A_SEES_COORDINATORS_ACT,
    ),
    ("GET", "/api/v1/plot-applications/waiting-list/"): (None, COORDINATORS),
    ("GET", "/api/v1/plots/"): (None, PUBLIC),
    ("GET", "/api/v1/plots/{id}/"): ("plot", PUBLIC),
    ("POST", "/api/v1/plots/{id}/renew/"): ("plot", MEMBERS),
    ("GET", "/api/v1/resources/"): (None, PUBLIC),
    ("GET", "/api/v1/resources/{id}/"): ("resource", PUBLIC),
    ("GET", "/api/v1/resources/{id}/availability/"): ("resource", PUBLIC),
    ("POST", "/api/v1/rooms/bookings/"): (None, MEMBERS),
    ("GET", "/api/v1/seasons/"): (None, PUBLIC),
    ("GET", "/api/v1/seasons/{id}/"): ("season", PUBLIC),
    ("GET", "/api/v1/signups/"): (None, MEMBERS),
    ("POST", "/api/v1/signups/"): (None, MEMBERS),
    ("GET", "/api/v1/signups/{id}/"): ("signup_a", A_OWNS),
    ("POST", "/api/v1/signups/{id}/cancel/"): ("signup_a", A_OWNS),
    ("POST", "/api/v1/signups/{id}/swap/"): ("signup_a", A_OWNS),
    ("POST", "/api/v1/signups/{id}/attendance/"): ("signup_a", A_SEES_COORDINATORS_ACT),
    ("POST", "/api/v1/signups/{id}/accept/"): ("signup_b", B_OWNS),
    ("GET", "/api/v1/stats/demand/"): (None, COORDINATORS),
    ("GET", "/api/v1/stats/hours/"): (None, COORDINATORS),
    ("GET", "/api/v1/stats/loans/"): (None, COORDINATORS),
    ("GET", "/api/v1/stats/people/"): (None, COORDINATORS),
    ("GET", "/api/v1/stats/programme/"): (None, COORDINATORS),
    ("GET", "/api/v1/stats/utilisation/"): (None, COORDINATORS),
    ("GET", "/api/v1/swaps/"): (None, MEMBERS),
    ("POST", "/api/v1/swaps/{id}/take/"): ("swap_a", SWAP_OPEN),
    ("POST", "/api/v1/swaps/{id}/withdraw/"): ("swap_a", SWAP_WITHDRAW),
    ("GET", "/api/v1/tool-units/"): (None, COORDINATORS),
    ("POST", "/api/v1/tool-units/{id}/block/"): ("unit", COORDINATORS),
    ("POST", "/api/v1/tool-units/{id}/release/"): ("unit", COORDINATORS),
    ("GET", "/api/v1/tools/"): (None, PUBLIC),
    ("GET", "/api/v1/tools/{id}/"): ("tool", PUBLIC),
    ("GET", "/api/v1/volunteer-hours/csv/"): (None, COORDINATORS),
    ("GET", "/api/v1/waitlist/"): (None, MEMBERS),
    ("POST", "/api/v1/waitlist/"): (None, MEMBERS),
    ("GET", "/api/v1/waitlist/{id}/"): ("waitlist_b", B_OWNS),
    ("POST", "/api/v1/waitlist/{id}/accept/"): ("waitlist_b", B_OWNS),
    ("POST", "/api/v1/waitlist/{id}/leave/"): ("waitlist_b", B_OWNS),
}


def _bodies(ids: dict[str, int]) -> dict[str, dict[str, Any]]:
    """Valid input where a view validates before it refuses, so that the refusal is what shows."""
    return {
        "/decide/": {"approve": True},
        "/check-in/": {"condition": "good"},
        "/check-out/": {"booking": ids["booking_a"]},
        "/walk-in/": {"member": ids["member_a"], "tool": ids["tool"], "until": "2026-12-24T12:00Z"},
        "/allocate/": {"plot": ids["plot"]},
        "/offer/": {"plot": ids["plot"]},
        "/prioritise/": {"priority": 1, "reason": "Härtefall"},
        "/attendance/": {"attended": True},
    }


def _endpoints() -> list[tuple[str, str]]:
    document = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    ]


def _objects(world: privacy_world.World) -> dict[str, int]:
    a, b = world.member, world.other
    loan = Loan.objects.get(booking__member=a)
    return {
        "booking_a": world.future_booking.pk,
        "signup_a": world.future_signup.pk,
        "signup_b": world.other_waits_for_signup.pk,
        "waitlist_b": world.other_waits_for_booking.pk,
        "swap_a": SwapOffer.objects.get(signup=world.future_signup).pk,
        "loan_a": loan.pk,
        "unit": Unit.objects.get(pk=loan.booking.unit_id).pk,
        "tool": ToolType.objects.get(resource=loan.booking.resource).pk,
        "hours_a": HoursEntry.objects.get(member=a).pk,
        "application_a": PlotApplication.objects.get(member=a).pk,
        "plot": Plot.objects.get(number=7).pk,
        "season": PlotApplication.objects.get(member=a).season_id,
        "resource": world.future_booking.resource_id,
        "member_a": a.pk,
        "hourly_rate": HourlyRate.objects.create(
            member=a, valid_from="2026-01-01", euros="12.00"
        ).pk,
        "b": b.pk,
    }


def _client(user: User | None) -> APIClient:
    """A token, as programs use the API; a fresh one per request, since some actions end it."""
    client = APIClient()
    if user is not None:
        _token, key = api_token_issue(user=user, now=timezone.now())
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _verdict(status: int) -> Any:
    return OK if status < 300 or status in (400, 409) else status


@pytest.mark.django_db
def test_every_endpoint_has_an_expectation() -> None:
    missing = sorted(set(_endpoints()) - set(EXPECTED))
    assert missing == [], f"endpoints without an authorization expectation: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_endpoint(role: str) -> None:
    # The API reads the wall clock: stand where the world was built, so that its future (an
    # open swap offer, bookings still to cancel) is the future.
    with time_machine.travel(privacy_world.NOW, tick=False):
        _walk(role)


def _walk(role: str) -> None:
    world = privacy_world.build()
    users: dict[str, User | None] = {
        "anonymous": None,
        "resident_a": world.member,
        "resident_b": world.other,
        "volunteer": MemberFactory(username="vera", volunteer=True),
        "honorary": MemberFactory(username="hanno", honorary_worker=True),
        "coordinator": world.coordinator,
    }
    ids = _objects(world)
    bodies = _bodies(ids)
    wrong = []
    for method, path in _endpoints():
        subject, expected = EXPECTED.get((method, path), (None, None))
        if expected is None:
            continue  # reported by test_every_endpoint_has_an_expectation
        url = path.replace("{id}", str(ids[subject])) if subject else path
        with transaction.atomic():
            client = _client(users[role])
            body = next((b for end, b in bodies.items() if path.endswith(end)), {})
            response = client.generic(
                method, url, data=json.dumps(body), content_type="application/json"
            )
            transaction.set_rollback(True)
        if _verdict(response.status_code) != expected[role]:
            wrong.append(f"{method} {url}: {response.status_code}, expected {expected[role]}")
    assert wrong == [], "\n".join(wrong)
