"""Coordinators' pages: today at a glance, the counter in the site's frame, approvals, booking on
behalf of a member and a password for a member without e-mail (Django test client)."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.services import member_create
from garden.models import HoursEntry, HoursStatus, Plot, PlotApplication, Season
from garden.services.hours import hours_log
from garden.services.plots import season_apply
from scheduling.models import Booking, BookingStatus, Resource
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create, resource_create
from tests.scheduling.conftest import book
from werkhaus.models import Loan, LoanStatus, ToolCategory, ToolType
from werkhaus.services.loans import CheckOut, loan_check_out, loan_walk_in

NOW = datetime(2026, 5, 11, 9, 0, tzinfo=BERLIN)  # a Monday
TODAY = datetime(2026, 5, 11, tzinfo=BERLIN)
EARLIER = NOW - timedelta(days=7)
PAGES = [
    "/koordination/",
    "/koordination/ausgabe/",
    "/koordination/freigaben/",
    "/koordination/buchen/",
]


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def desk(coordinator: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(coordinator)
    return client


def tool(name: str = "Bohrhammer", units: int = 1) -> Resource:
    resource = resource_create(
        name=name, kind="tool", units=units, slot_minutes=1440, max_minutes=7 * 1440
    )
    ToolType.objects.create(
        resource=resource, category=ToolCategory.POWER_TOOLS, deposit=Decimal(30)
    )
    return resource


def lend(resource: Resource, member: User, start: datetime, end: datetime) -> Loan:
    booking = book(resource, member, start, end, now=start - timedelta(days=1))
    coordinator = User.objects.filter(is_coordinator=True).first() or MemberFactory(
        coordinator=True
    )
    check = CheckOut(condition="good", deposit=Decimal(0))
    return loan_check_out(booking=booking, actor=coordinator, now=start, check=check)


def room(**rules: Any) -> Resource:
    return resource_create(name="Saal", kind="room", requires_approval=True, **rules)


def requested(resource: Resource, member: User) -> Booking:
    booking = book(resource, member, NOW + timedelta(days=2), NOW + timedelta(days=2, hours=2))
    assert booking.status == BookingStatus.REQUESTED
    return booking


# --- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [*PAGES, "/koordination/mitglieder/1/passwort/"])
def test_residents_are_refused_every_coordination_page(url: str, resident: User) -> None:
    client = Client()
    client.force_login(resident)

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_volunteers_are_refused_the_coordination_pages(url: str, db: None) -> None:
    client = Client()
    client.force_login(MemberFactory(volunteer=True, honorary_worker=True))

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_visitors_are_sent_to_the_login(url: str, db: None) -> None:
    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_navigation_shows_coordination_to_coordinators_only(
    desk: Client, resident: User
) -> None:
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(resident)

    assert 'href="/koordination/"' in desk.get("/").content.decode()
    assert 'href="/koordination/"' not in other.get("/").content.decode()


# --- today --------------------------------------------------------------------------------------


def test_today_lists_a_tool_to_hand_out_with_a_link_to_the_counter(
    desk: Client, resident: User
) -> None:
    book(tool(), resident, TODAY, TODAY + timedelta(days=2), now=EARLIER)

    page = desk.get("/koordination/").content.decode()

    assert "Rana Haddad" in page
    assert 'href="/koordination/ausgabe/?q=BOH-01"' in page


def test_today_lists_an_overdue_loan(desk: Client, resident: User) -> None:
    lend(tool(), resident, TODAY - timedelta(days=3), TODAY - timedelta(days=1))

    response = desk.get("/koordination/")

    overdue = response.context["today"].overdue
    assert [loan.booking.member for loan in overdue] == [resident]
    assert response.context["today"].returns == []


def test_today_lists_a_loan_due_back_today(desk: Client, resident: User) -> None:
    lend(tool(), resident, TODAY - timedelta(days=1), TODAY + timedelta(days=1))

    today = desk.get("/koordination/").context["today"]

    assert [loan.booking.member for loan in today.returns] == [resident]
    assert today.overdue == []


def test_today_lists_a_walk_in_of_today(desk: Client, coordinator: User) -> None:
    walk_in = member_create(display_name="Amina Yusuf", managed_by=coordinator)
    drill = ToolType.objects.get(resource=tool())
    loan_walk_in(
        tool=drill,
        member=walk_in,
        until=TODAY + timedelta(days=2),
        actor=coordinator,
        now=NOW,
        check=CheckOut(condition="good", deposit=Decimal(30)),
    )

    today = desk.get("/koordination/").context["today"]

    assert [loan.booking.member for loan in today.walk_ins] == [walk_in]


def test_today_lists_a_room_booking_of_today_with_its_member(desk: Client, resident: User) -> None:
    saal = resource_create(name="Saal", kind="room")
    book(saal, resident, NOW + timedelta(hours=8), NOW + timedelta(hours=10), now=EARLIER)

    page = desk.get("/koordination/").content.decode()

    assert "Saal" in page
    assert "Rana Haddad" in page


def test_today_shows_the_staffing_of_a_session_of_today(desk: Client, db: None) -> None:
    activity_create(title="Repair-Café", first_start="2026-05-11T14:00", places=8)

    page = desk.get("/koordination/").content.decode()

    assert "Repair-Café" in page
    assert "0 of 8 places taken" in page


def _today_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/koordination/").status_code == 200
    return len(queries)


def _a_day_of(n: int, coordinator: User) -> None:
    for i in range(n):
        member = MemberFactory()
        book(tool(f"Werkzeug {n}-{i}"), member, TODAY, TODAY + timedelta(days=1), now=EARLIER)
        lend(tool(f"Leihe {n}-{i}"), member, TODAY - timedelta(days=3), TODAY - timedelta(1))
        lend(tool(f"Heute {n}-{i}"), member, TODAY - timedelta(days=1), TODAY + timedelta(1))
        saal = resource_create(name=f"Raum {n}-{i}", kind="room", requires_approval=True)
        book(saal, member, NOW + timedelta(hours=3), NOW + timedelta(hours=4), now=EARLIER)
        activity_create(title=f"Kurs {n}-{i}", first_start="2026-05-11T14:00", places=8)


def test_today_takes_the_same_queries_for_one_of_each_and_for_five(
    desk: Client, coordinator: User
) -> None:
    _a_day_of(1, coordinator)
    few = _today_queries(desk)
    _a_day_of(4, coordinator)

    assert _today_queries(desk) == few


# --- the counter in the frame -------------------------------------------------------------------


def test_the_counter_in_the_frame_checks_a_reserved_tool_out_and_in(
    desk: Client, resident: User
) -> None:
    booking = book(tool(), resident, TODAY, TODAY + timedelta(days=2), now=EARLIER)
    out = {"action": "check_out", "q": "BOH-01", "booking": booking.pk}
    back = {"action": "check_in", "q": "BOH-01", "condition": "good", "deposit_kept": "0"}

    first = desk.post("/koordination/ausgabe/", {**out, "condition": "good", "deposit": "30"})
    loan = Loan.objects.get()
    second = desk.post("/koordination/ausgabe/", {**back, "loan": loan.pk})

    loan.refresh_from_db()
    assert first["Location"] == "/koordination/ausgabe/?q=BOH-01"
    assert second.status_code == 302
    assert loan.status == LoanStatus.RETURNED


def test_a_counter_refusal_answers_400_in_the_frame(desk: Client, resident: User) -> None:
    booking = book(tool(), resident, TODAY, TODAY + timedelta(days=2), now=EARLIER)
    data = {"action": "check_out", "q": "BOH-01", "booking": booking.pk, "condition": "good"}
    desk.post("/koordination/ausgabe/", {**data, "deposit": "30"})

    response = desk.post("/koordination/ausgabe/", {**data, "deposit": "30"})

    assert response.status_code == 400
    assert 'class="message error"' in response.content.decode()
    assert Loan.objects.count() == 1


def test_a_counter_form_error_answers_400_with_the_field_message(
    desk: Client, resident: User
) -> None:
    booking = book(tool(), resident, TODAY, TODAY + timedelta(days=2), now=EARLIER)
    data = {"action": "check_out", "q": "BOH-01", "booking": booking.pk, "condition": "good"}

    response = desk.post("/koordination/ausgabe/", {**data, "deposit": "-5"})

    assert response.status_code == 400
    assert "greater than or equal to 0" in response.content.decode()


# --- approvals ----------------------------------------------------------------------------------


def test_approving_a_room_request_confirms_it(desk: Client, resident: User) -> None:
    booking = requested(room(), resident)

    response = desk.post("/koordination/freigaben/", {"action": "approve", "target": booking.pk})

    booking.refresh_from_db()
    assert response.status_code == 302
    assert booking.status == BookingStatus.CONFIRMED


def test_declining_without_a_reason_is_answered_next_to_the_request(
    desk: Client, resident: User
) -> None:
    booking = requested(room(), resident)

    response = desk.post(
        "/koordination/freigaben/", {"action": "reject", "target": booking.pk, "reason": " "}
    )

    booking.refresh_from_db()
    assert response.status_code == 400
    assert f'id="reason-{booking.pk}-errors"' in response.content.decode()
    assert booking.status == BookingStatus.REQUESTED


def test_declining_with_a_reason_cancels_the_request(desk: Client, resident: User) -> None:
    booking = requested(room(), resident)

    desk.post(
        "/koordination/freigaben/",
        {"action": "reject", "target": booking.pk, "reason": "Der Saal wird renoviert."},
    )

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_a_request_decided_already_is_answered_in_the_page(desk: Client, resident: User) -> None:
    booking = requested(room(), resident)
    desk.post("/koordination/freigaben/", {"action": "approve", "target": booking.pk})

    response = desk.post("/koordination/freigaben/", {"action": "approve", "target": booking.pk})

    assert response.status_code == 400
    assert "This no longer waits for a decision." in response.content.decode()


def test_an_unknown_action_is_answered_in_the_page(desk: Client, db: None) -> None:
    response = desk.post("/koordination/freigaben/", {"action": "launch", "target": "x"})

    assert response.status_code == 400
    assert "Please use one of the buttons on this page." in response.content.decode()


@pytest.fixture
def helper_hours(db: None) -> HoursEntry:
    helper = MemberFactory(volunteer=True, display_name="Hana Helferin")
    return hours_log(
        member=helper, day=date(2026, 5, 9), minutes=90, activity="Gießen", actor=helper, now=NOW
    )


def test_the_approvals_list_hours_to_approve(desk: Client, helper_hours: HoursEntry) -> None:
    page = desk.get("/koordination/freigaben/").content.decode()

    assert "Hana Helferin" in page
    assert "Gießen" in page


def test_approving_hours(desk: Client, helper_hours: HoursEntry) -> None:
    desk.post("/koordination/freigaben/", {"action": "hours_approve", "target": helper_hours.pk})

    helper_hours.refresh_from_db()
    assert helper_hours.status == HoursStatus.APPROVED


def test_rejecting_hours_with_a_reason_the_member_reads(
    desk: Client, helper_hours: HoursEntry
) -> None:
    desk.post(
        "/koordination/freigaben/",
        {"action": "hours_reject", "target": helper_hours.pk, "reason": "Am 9. Mai war zu."},
    )

    helper_hours.refresh_from_db()
    assert helper_hours.status == HoursStatus.REJECTED
    assert helper_hours.decision_reason == "Am 9. Mai war zu."
    helper = Client()
    helper.force_login(helper_hours.member)
    assert "Am 9. Mai war zu." in helper.get("/garten/stunden/").content.decode()


def test_rejecting_hours_without_a_reason_is_answered_in_the_page(
    desk: Client, helper_hours: HoursEntry
) -> None:
    response = desk.post(
        "/koordination/freigaben/", {"action": "hours_reject", "target": helper_hours.pk}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert (
        f'id="hours-reason-{helper_hours.pk}" name="reason" maxlength="200" aria-invalid="true"'
        in page
    )
    helper_hours.refresh_from_db()
    assert helper_hours.status == HoursStatus.PENDING


def test_hours_decided_already_get_the_services_refusal(
    desk: Client, helper_hours: HoursEntry
) -> None:
    desk.post(
        "/koordination/freigaben/",
        {"action": "hours_reject", "target": helper_hours.pk, "reason": "doppelt"},
    )

    response = desk.post(
        "/koordination/freigaben/", {"action": "hours_approve", "target": helper_hours.pk}
    )

    assert response.status_code == 400
    assert "These hours have been decided and cannot change." in response.content.decode()


def plot(number: int) -> Plot:
    resource = resource_create(name=f"Beet {number}", kind="plot")
    return Plot.objects.create(resource=resource, number=number, size_m2=12, x=number, y=1)


@pytest.fixture
def application(db: None) -> PlotApplication:
    season = Season.objects.create(
        name="Saison 2026", starts_on=date(2026, 3, 1), ends_on=date(2026, 10, 31)
    )
    member = MemberFactory(display_name="Oleh Kovalenko")
    return season_apply(season=season, member=member, actor=member, now=EARLIER)


def test_allocating_a_free_plot_to_an_application(
    desk: Client, application: PlotApplication
) -> None:
    beet = plot(3)
    assert "Plot 3" in desk.get("/koordination/freigaben/").content.decode()

    desk.post(
        "/koordination/freigaben/",
        {"action": "allocate", "target": application.pk, "plot": beet.pk},
    )

    assert Booking.objects.get(resource=beet.resource).member == application.member


def test_allocating_a_plot_taken_already_gets_the_services_refusal(
    desk: Client, application: PlotApplication
) -> None:
    beet = plot(3)
    other = MemberFactory()
    first = season_apply(season=application.season, member=other, actor=other, now=EARLIER)
    desk.post(
        "/koordination/freigaben/", {"action": "allocate", "target": first.pk, "plot": beet.pk}
    )

    response = desk.post(
        "/koordination/freigaben/",
        {"action": "allocate", "target": application.pk, "plot": beet.pk},
    )

    assert response.status_code == 400
    assert "This plot is already allocated for the season." in response.content.decode()


# --- booking for a member -----------------------------------------------------------------------


def test_finding_a_member_by_name_links_to_booking_for_them(desk: Client, resident: User) -> None:
    page = desk.get("/koordination/buchen/", {"q": "hadd"}).content.decode()

    assert f'href="?mitglied={resident.pk}"' in page


def _booking_for(member: User, resource: Resource, start: str, end: str) -> dict[str, object]:
    return {"member": member.pk, "resource": resource.pk, "start": start, "end": end}


def test_a_coordinator_books_a_workbench_for_a_member(
    desk: Client, resident: User, coordinator: User
) -> None:
    bench = resource_create(name="Hobelbank", max_minutes=240)

    response = desk.post(
        "/koordination/buchen/",
        _booking_for(resident, bench, "2026-05-12T16:00", "2026-05-12T18:00"),
    )

    booking = Booking.objects.get()
    assert response["Location"] == f"/buchungen/{booking.pk}/"
    assert booking.member == resident
    assert booking.start == datetime(2026, 5, 12, 16, 0, tzinfo=BERLIN)
    assert booking.status == BookingStatus.CONFIRMED


def test_a_booking_for_a_member_that_collides_is_answered_in_the_page(
    desk: Client, resident: User
) -> None:
    bench = resource_create(name="Hobelbank", max_minutes=240)
    book(bench, MemberFactory(), NOW + timedelta(days=1), NOW + timedelta(days=1, hours=4))

    response = desk.post(
        "/koordination/buchen/",
        _booking_for(resident, bench, "2026-05-12T10:00", "2026-05-12T12:00"),
    )

    assert response.status_code == 400
    assert Booking.objects.filter(member=resident).count() == 0
    assert 'class="form-errors"' in response.content.decode()


def test_an_end_before_the_start_is_answered_next_to_the_end(desk: Client, resident: User) -> None:
    bench = resource_create(name="Hobelbank")

    response = desk.post(
        "/koordination/buchen/",
        _booking_for(resident, bench, "2026-05-12T16:00", "2026-05-12T15:00"),
    )

    assert response.status_code == 400
    assert "The end must be after the start." in response.content.decode()


def test_a_time_that_does_not_exist_locally_is_refused(desk: Client, resident: User) -> None:
    bench = resource_create(name="Hobelbank")

    response = desk.post(
        "/koordination/buchen/",
        _booking_for(resident, bench, "2027-03-28T02:30", "2027-03-28T04:00"),
    )

    assert response.status_code == 400
    assert Booking.objects.count() == 0


def test_booking_without_a_member_asks_to_find_one(desk: Client, db: None) -> None:
    bench = resource_create(name="Hobelbank")

    response = desk.post(
        "/koordination/buchen/",
        {"resource": bench.pk, "start": "2026-05-12T16:00", "end": "2026-05-12T17:00"},
    )

    assert response.status_code == 400
    assert "Please find the member first." in response.content.decode()


# --- a password for a member without e-mail -----------------------------------------------------


def test_a_walk_in_gets_a_username_and_password_and_can_log_in(
    desk: Client, coordinator: User
) -> None:
    walk_in = member_create(display_name="Amina Yusuf", managed_by=coordinator)
    password = "Gartenbank-2026!"

    response = desk.post(
        f"/koordination/mitglieder/{walk_in.pk}/passwort/",
        {"username": "amina", "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 302
    assert Client().login(username="amina", password=password)


def test_two_different_passwords_are_answered_in_the_page(desk: Client, coordinator: User) -> None:
    walk_in = member_create(display_name="Amina Yusuf", managed_by=coordinator)

    response = desk.post(
        f"/koordination/mitglieder/{walk_in.pk}/passwort/",
        {"username": "amina", "new_password1": "Gartenbank-2026!", "new_password2": "other-one"},
    )

    walk_in.refresh_from_db()
    assert response.status_code == 400
    assert "The two password fields" in response.content.decode()
    assert walk_in.username is None


def test_a_member_with_e_mail_gets_the_services_refusal(desk: Client, resident: User) -> None:
    response = desk.post(
        f"/koordination/mitglieder/{resident.pk}/passwort/",
        {"new_password1": "Gartenbank-2026!", "new_password2": "Gartenbank-2026!"},
    )

    assert response.status_code == 400
    assert "can reset their password themselves" in response.content.decode()
