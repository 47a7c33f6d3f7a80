"""The counter page: find a unit by its inventory number and act on it in one click."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import member_create
from scheduling.models import Booking, Unit
from tests.factories import resource_create
from tests.scheduling.conftest import book
from werkhaus.models import Loan, LoanStatus, ToolType

pytestmark = pytest.mark.django_db
COUNTER = "/admin/werkhaus/loan/counter/"


@pytest.fixture
def desk(client: Client, coordinator: User) -> Client:
    client.force_login(coordinator)
    return client


@pytest.fixture
def drill() -> ToolType:
    resource = resource_create(
        name="Bohrhammer", kind="tool", units=1, slot_minutes=60, max_minutes=7 * 24 * 60
    )
    return ToolType.objects.create(resource=resource, category="power_tools", deposit=Decimal(30))


def _reserved_today(drill: ToolType, member: User) -> Booking:
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
    return book(
        drill.resource, member, start, start + timedelta(days=2), now=start - timedelta(days=1)
    )


def test_the_counter_is_linked_from_the_loans(desk: Client) -> None:
    assert reverse("admin:werkhaus_counter") == COUNTER
    assert COUNTER in desk.get(reverse("admin:werkhaus_loan_changelist")).content.decode()


def test_typing_an_inventory_number_shows_the_reservation_to_hand_out(
    desk: Client, drill: ToolType, resident: User
) -> None:
    _reserved_today(drill, resident)

    page = desk.get(COUNTER, {"q": "BOH-01"}).content.decode()

    assert "Rana Haddad" in page
    assert 'value="check_out"' in page


def test_the_unit_card_names_the_condition_in_words_not_its_code(
    desk: Client, drill: ToolType
) -> None:
    german = desk.get(COUNTER, {"q": "BOH-01"}).content.decode()
    english = desk.get(COUNTER, {"q": "BOH-01"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Zustand: <strong>gut</strong>" in german
    assert "Condition: <strong>good</strong>" in english


def test_check_out_and_in_in_two_clicks(desk: Client, drill: ToolType, resident: User) -> None:
    booking = _reserved_today(drill, resident)

    desk.post(
        COUNTER,
        {
            "action": "check_out",
            "q": "BOH-01",
            "booking": booking.pk,
            "condition": "good",
            "deposit": "30.00",
        },
    )
    loan = Loan.objects.get()
    page = desk.get(COUNTER, {"q": "boh-01"}).content.decode()
    desk.post(
        COUNTER,
        {
            "action": "check_in",
            "q": "BOH-01",
            "loan": loan.pk,
            "condition": "worn",
            "damage_report": "",
            "deposit_kept": "0",
        },
    )

    loan.refresh_from_db()
    assert 'value="check_in"' in page
    assert loan.status == LoanStatus.RETURNED
    assert loan.condition_in == "worn"


def test_a_walk_in_is_lent_the_unit_in_hand(
    desk: Client, drill: ToolType, coordinator: User
) -> None:
    walk_in = member_create(display_name="Amina", managed_by=coordinator)
    back_on = (timezone.localdate() + timedelta(days=2)).isoformat()

    response = desk.post(
        COUNTER,
        {
            "action": "walk_in",
            "q": "BOH-01",
            "unit": Unit.objects.get().pk,
            "member": "amina",
            "until": back_on,
            "condition": "good",
            "deposit": "30.00",
        },
        follow=True,
    )

    loan = Loan.objects.get()
    assert loan.booking.member == walk_in
    assert "Ohne Reservierung verliehen." in response.content.decode()


def _walk_in(desk: Client, member: str, follow: bool = False) -> Any:
    return desk.post(
        COUNTER,
        {
            "action": "walk_in",
            "q": "BOH-01",
            "unit": Unit.objects.get().pk,
            "member": member,
            "until": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "condition": "good",
            "deposit": "30.00",
        },
        follow=follow,
    )


def test_a_walk_in_is_found_by_part_of_the_name_by_phone_or_by_number(
    desk: Client, drill: ToolType, coordinator: User
) -> None:
    amina = member_create(display_name="Amina Yilmaz", phone="0170 5550123", managed_by=coordinator)

    for typed in ("yilmaz", "0170 5550123", f"#{amina.pk}"):
        assert _walk_in(desk, typed).status_code == 302, typed
        loan = Loan.objects.get(status=LoanStatus.CHECKED_OUT)
        assert loan.booking.member == amina
        loan.delete()
        loan.booking.delete()


def test_a_walk_in_name_that_fits_several_members_or_none_is_refused_in_the_page(
    desk: Client, drill: ToolType, coordinator: User
) -> None:
    member_create(display_name="Amina Yilmaz", managed_by=coordinator)
    member_create(display_name="Amina Schulz", managed_by=coordinator)

    several = _walk_in(desk, "amina", follow=True).content.decode()
    nobody = _walk_in(desk, "Zacharias", follow=True).content.decode()

    assert "Mehrere Mitglieder passen zu „amina“" in several
    assert "Kein Mitglied passt zu „Zacharias“" in nobody
    assert not Loan.objects.exists()


def test_the_counter_offers_no_list_of_every_member(
    desk: Client, drill: ToolType, coordinator: User
) -> None:
    member_create(display_name="Bertha Unsichtbar", managed_by=coordinator)

    page = desk.get(COUNTER, {"q": "BOH-01"}).content.decode()

    assert 'value="walk_in"' in page
    assert "Bertha Unsichtbar" not in page  # the old drop-down named every member


def test_a_refusal_is_shown_not_raised(desk: Client, drill: ToolType, resident: User) -> None:
    booking = _reserved_today(drill, resident)
    desk.post(
        COUNTER,
        {
            "action": "check_out",
            "q": "BOH-01",
            "booking": booking.pk,
            "condition": "good",
            "deposit": "30.00",
        },
    )

    response = desk.post(
        COUNTER,
        {
            "action": "check_out",
            "q": "BOH-01",
            "booking": booking.pk,
            "condition": "good",
            "deposit": "30",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert Loan.objects.count() == 1


def test_searching_a_name_lists_what_the_member_has(
    desk: Client, drill: ToolType, resident: User
) -> None:
    _reserved_today(drill, resident)

    page = desk.get(COUNTER, {"q": "Haddad"}).content.decode()

    assert "BOH-01" in page


def test_searching_a_name_takes_the_same_queries_for_one_member_found_as_for_three(
    desk: Client, coordinator: User
) -> None:
    def found_by_search() -> int:
        with CaptureQueriesContext(connection) as queries:
            page = desk.get(COUNTER, {"q": "Kranich"}).content.decode()
        assert page.count("Kranich") >= Booking.objects.count()
        return len(queries.captured_queries)

    def member_with_a_reservation(n: int) -> None:
        member = member_create(display_name=f"Kim Kranich {n}", managed_by=coordinator)
        tool = resource_create(
            name=f"Säge {n}", kind="tool", units=1, slot_minutes=60, max_minutes=7 * 24 * 60
        )
        ToolType.objects.create(resource=tool, category="power_tools", deposit=Decimal(5))
        _reserved_today(ToolType.objects.get(resource=tool), member)

    member_with_a_reservation(1)
    one = found_by_search()
    member_with_a_reservation(2)
    member_with_a_reservation(3)

    assert found_by_search() == one


def test_residents_cannot_open_the_counter(client: Client, resident: User) -> None:
    client.force_login(resident)

    assert client.get(COUNTER).status_code == 302
