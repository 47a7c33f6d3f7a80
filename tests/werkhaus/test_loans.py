"""The loan at the counter: reservation, check-out, check-in, deposit, buffer, maintenance."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from accounts.models import User
from accounts.services import member_create
from scheduling import errors as engine_errors
from scheduling.models import Booking, BookingStatus, Closure, Resource, Unit
from tests.conftest import BERLIN
from tests.factories import MemberFactory, resource_create
from tests.scheduling.conftest import book
from werkhaus import errors
from werkhaus.models import Condition, Loan, LoanStatus, ToolType, ToolUnit
from werkhaus.services.loans import (
    CheckIn,
    CheckOut,
    loan_check_in,
    loan_check_out,
    loan_walk_in,
    loans_flag_overdue,
    unit_release,
)

pytestmark = pytest.mark.django_db

TUESDAY = datetime(2026, 5, 12, tzinfo=BERLIN)
PICK_UP = TUESDAY.replace(hour=16, minute=30)
DUE = TUESDAY + timedelta(days=3)  # back by Thursday night: Friday 00:00


def tool(
    name: str = "Bohrhammer", units: int = 1, deposit: str = "50.00", **inspection: int
) -> ToolType:
    resource = resource_create(
        name=name,
        kind="tool",
        units=units,
        slot_minutes=24 * 60,
        min_minutes=24 * 60,
        max_minutes=7 * 24 * 60,
        buffer_minutes=60,
    )
    return ToolType.objects.create(
        resource=resource, category="power_tools", deposit=Decimal(deposit), **inspection
    )


def reserve(resource: Resource, member: User, start=TUESDAY, end=DUE) -> Booking:
    return book(resource, member, start, end, now=start - timedelta(days=2))


@pytest.fixture
def drill() -> ToolType:
    return tool()


@pytest.fixture
def loan(drill: ToolType, resident: User, coordinator: User) -> Loan:
    booking = reserve(drill.resource, resident)
    return loan_check_out(booking=booking, actor=coordinator, now=PICK_UP, check=CheckOut())


def test_check_out_records_unit_condition_and_the_deposit(loan: Loan, coordinator: User) -> None:
    assert loan.status == LoanStatus.CHECKED_OUT
    assert (loan.checked_out_at, loan.checked_out_by) == (PICK_UP, coordinator)
    assert loan.deposit_taken == Decimal("50.00")
    assert loan.condition_out == Condition.GOOD


def test_a_different_deposit_can_be_taken(
    drill: ToolType, resident: User, coordinator: User
) -> None:
    booking = reserve(drill.resource, resident)

    loan = loan_check_out(
        booking=booking, actor=coordinator, now=PICK_UP, check=CheckOut(deposit=Decimal("20"))
    )

    assert loan.deposit_taken == Decimal("20.00")


def test_only_a_coordinator_checks_out(drill: ToolType, resident: User) -> None:
    booking = reserve(drill.resource, resident)

    with pytest.raises(engine_errors.NotYourBooking):
        loan_check_out(booking=booking, actor=resident, now=PICK_UP, check=CheckOut())


def test_a_reservation_is_not_handed_out_days_early(
    drill: ToolType, resident: User, coordinator: User
) -> None:
    booking = reserve(drill.resource, resident)

    with pytest.raises(errors.NotReadyForCheckOut) as refusal:
        loan_check_out(
            booking=booking, actor=coordinator, now=TUESDAY - timedelta(days=1), check=CheckOut()
        )

    assert refusal.value.code == "not_ready_for_check_out"


def test_a_loan_is_checked_out_once(loan: Loan, coordinator: User) -> None:
    with pytest.raises(errors.NotReadyForCheckOut):
        loan_check_out(booking=loan.booking, actor=coordinator, now=PICK_UP, check=CheckOut())


def test_a_damaged_unit_is_not_handed_out(
    drill: ToolType, resident: User, coordinator: User
) -> None:
    booking = reserve(drill.resource, resident)
    ToolUnit.objects.create(unit=booking.unit, condition=Condition.DAMAGED)

    with pytest.raises(errors.UnitNotUsable):
        loan_check_out(booking=booking, actor=coordinator, now=PICK_UP, check=CheckOut())


def test_check_in_returns_the_deposit_and_completes_the_booking(
    loan: Loan, coordinator: User
) -> None:
    back = DUE - timedelta(hours=6)

    loan_check_in(loan=loan, actor=coordinator, now=back, check=CheckIn())

    loan.refresh_from_db()
    assert loan.status == LoanStatus.RETURNED
    assert (loan.deposit_returned, loan.deposit_kept) == (Decimal("50.00"), Decimal("0.00"))
    assert loan.booking.status == BookingStatus.COMPLETED


def test_part_of_the_deposit_is_kept_for_damage(loan: Loan, coordinator: User) -> None:
    loan_check_in(
        loan=loan,
        actor=coordinator,
        now=DUE - timedelta(hours=6),
        check=CheckIn(condition=Condition.WORN, deposit_kept=Decimal("15.50")),
    )

    loan.refresh_from_db()
    assert (loan.deposit_returned, loan.deposit_kept) == (Decimal("34.50"), Decimal("15.50"))


def test_more_deposit_cannot_be_kept_than_was_taken(loan: Loan, coordinator: User) -> None:
    with pytest.raises(errors.DepositTooHigh):
        loan_check_in(
            loan=loan, actor=coordinator, now=DUE, check=CheckIn(deposit_kept=Decimal("50.01"))
        )


def test_a_damaged_return_needs_a_report_and_blocks_the_unit(loan: Loan, coordinator: User) -> None:
    with pytest.raises(errors.DamageReportRequired):
        loan_check_in(
            loan=loan, actor=coordinator, now=DUE, check=CheckIn(condition=Condition.DAMAGED)
        )

    loan_check_in(
        loan=loan,
        actor=coordinator,
        now=DUE - timedelta(hours=2),
        check=CheckIn(condition=Condition.DAMAGED, damage_report="Bohrfutter klemmt"),
    )

    unit = loan.booking.unit
    assert ToolUnit.objects.get(unit=unit).condition == Condition.DAMAGED
    assert Closure.objects.filter(unit=unit, reason="repair", end__gt=DUE + timedelta(days=300))
    with pytest.raises(engine_errors.SlotTaken):
        reserve(
            loan.booking.resource, MemberFactory(), DUE + timedelta(days=4), DUE + timedelta(days=5)
        )


def test_a_repaired_unit_is_lent_again(loan: Loan, coordinator: User) -> None:
    loan_check_in(
        loan=loan,
        actor=coordinator,
        now=DUE - timedelta(hours=2),
        check=CheckIn(condition=Condition.DAMAGED, damage_report="Kabel gebrochen"),
    )

    unit_release(unit=loan.booking.unit, actor=coordinator, now=DUE)

    assert reserve(
        loan.booking.resource, MemberFactory(), DUE + timedelta(days=4), DUE + timedelta(days=5)
    )


def test_an_early_return_frees_the_rest_after_the_buffer(loan: Loan, coordinator: User) -> None:
    back = TUESDAY.replace(hour=19)

    loan_check_in(loan=loan, actor=coordinator, now=back, check=CheckIn())

    booking = Booking.objects.get(pk=loan.booking_id)
    assert booking.end == back
    assert booking.blocked_until == back + timedelta(minutes=60)


def test_a_late_return_keeps_the_booking_times(loan: Loan, coordinator: User) -> None:
    late = DUE + timedelta(days=1)

    loan_check_in(loan=loan, actor=coordinator, now=late, check=CheckIn())

    assert Booking.objects.get(pk=loan.booking_id).end == DUE


def test_an_inspection_due_after_n_loans_blocks_the_unit(resident: User, coordinator: User) -> None:
    ladder = tool(name="Leiter", inspect_every_loans=2)
    for week in range(2):
        start = TUESDAY + timedelta(weeks=week)
        booking = reserve(ladder.resource, resident, start, start + timedelta(days=2))
        loan = loan_check_out(
            booking=booking, actor=coordinator, now=start.replace(hour=17), check=CheckOut()
        )
        loan_check_in(
            loan=loan, actor=coordinator, now=start + timedelta(hours=40), check=CheckIn()
        )

    unit = Unit.objects.get(resource=ladder.resource)
    assert Closure.objects.filter(unit=unit, reason="inspection").exists()
    with pytest.raises(engine_errors.SlotTaken):
        reserve(
            ladder.resource,
            resident,
            TUESDAY + timedelta(weeks=3),
            TUESDAY + timedelta(weeks=3, days=2),
        )

    unit_release(unit=unit, actor=coordinator, now=TUESDAY + timedelta(weeks=2))

    assert ToolUnit.objects.get(unit=unit).loans_since_inspection == 0
    assert reserve(
        ladder.resource,
        resident,
        TUESDAY + timedelta(weeks=3),
        TUESDAY + timedelta(weeks=3, days=2),
    )


def test_an_inspection_every_n_months_blocks_the_unit_when_due(
    resident: User, coordinator: User
) -> None:
    cleaner = tool(name="Hochdruckreiniger", inspect_every_months=6)
    unit = Unit.objects.get(resource=cleaner.resource)
    ToolUnit.objects.create(unit=unit, last_inspected_at=TUESDAY - timedelta(days=200))
    booking = reserve(cleaner.resource, resident)
    loan = loan_check_out(booking=booking, actor=coordinator, now=PICK_UP, check=CheckOut())

    loan_check_in(loan=loan, actor=coordinator, now=DUE - timedelta(hours=5), check=CheckIn())

    assert Closure.objects.filter(unit=unit, reason="inspection").exists()


def test_a_walk_in_borrows_a_free_unit_on_the_spot(coordinator: User) -> None:
    drills = tool(name="Akkuschrauber", units=2)
    walk_in = member_create(display_name="Amina", managed_by=coordinator)

    loan = loan_walk_in(
        tool=drills, member=walk_in, until=DUE, actor=coordinator, now=PICK_UP, check=CheckOut()
    )

    assert loan.booking.member == walk_in
    assert loan.booking.rules_overridden is True
    assert loan.status == LoanStatus.CHECKED_OUT


def test_a_walk_in_takes_the_unit_in_hand(coordinator: User, resident: User) -> None:
    drills = tool(name="Akkuschrauber", units=3)
    wanted = Unit.objects.filter(resource=drills.resource).order_by("label").last()

    loan = loan_walk_in(
        tool=drills,
        member=resident,
        until=DUE,
        actor=coordinator,
        now=PICK_UP,
        check=CheckOut(),
        unit=wanted,
    )

    assert loan.booking.unit == wanted


def test_a_walk_in_cannot_take_a_reserved_unit(
    drill: ToolType, resident: User, coordinator: User
) -> None:
    reserve(drill.resource, MemberFactory())

    with pytest.raises(engine_errors.SlotTaken):
        loan_walk_in(
            tool=drill, member=resident, until=DUE, actor=coordinator, now=PICK_UP, check=CheckOut()
        )


def test_a_walk_in_refused_for_want_of_a_free_unit_is_recorded_once(
    drill: ToolType, resident: User, coordinator: User
) -> None:
    from scheduling.models import Refusal, RefusalCode

    reserve(drill.resource, MemberFactory())

    with pytest.raises(engine_errors.SlotTaken):
        loan_walk_in(
            tool=drill, member=resident, until=DUE, actor=coordinator, now=PICK_UP, check=CheckOut()
        )

    refusal = Refusal.objects.get()
    assert (refusal.code, refusal.member, refusal.resource) == (
        RefusalCode.CONFLICT,
        resident,
        drill.resource,
    )
    assert (refusal.start, refusal.end) == (PICK_UP, DUE)


def test_an_overdue_loan_is_noticed_once(loan: Loan) -> None:
    from scheduling.models import Notification

    assert loans_flag_overdue(now=DUE - timedelta(minutes=1)) == 0
    assert loans_flag_overdue(now=DUE + timedelta(hours=1)) == 1
    assert loans_flag_overdue(now=DUE + timedelta(hours=2)) == 0

    notice = Notification.objects.get(kind="loan_overdue")
    assert notice.member == loan.booking.member


def test_a_unit_standing_on_the_shelf_is_blocked_when_its_inspection_is_due() -> None:
    from werkhaus.services.loans import units_block_due_inspections

    cleaner = tool(name="Hochdruckreiniger", inspect_every_months=12)
    unit = Unit.objects.get(resource=cleaner.resource)
    ToolUnit.objects.create(unit=unit, last_inspected_at=TUESDAY - timedelta(days=360))

    assert units_block_due_inspections(now=TUESDAY) == 0
    assert units_block_due_inspections(now=TUESDAY + timedelta(days=6)) == 1
    assert units_block_due_inspections(now=TUESDAY + timedelta(days=7)) == 0, "blocked once"
    assert Closure.objects.filter(unit=unit, reason="inspection").count() == 1


def test_an_overdue_tool_keeps_its_unit_from_the_next_reservation(
    loan: Loan, coordinator: User
) -> None:
    from werkhaus.selectors import catalogue, tool_types

    loans_flag_overdue(now=DUE + timedelta(hours=1))

    with pytest.raises(engine_errors.SlotTaken):
        reserve(
            loan.booking.resource, MemberFactory(), DUE + timedelta(days=1), DUE + timedelta(days=2)
        )
    [entry] = catalogue(now=DUE + timedelta(hours=2), tools=list(tool_types()))
    assert (entry.free_now, entry.borrowed) == (0, 1)


def test_a_reservation_on_an_overdue_unit_moves_to_a_free_one(coordinator: User) -> None:
    drills = tool(name="Akkuschrauber", units=2)
    first = reserve(drills.resource, MemberFactory())
    waiting = reserve(
        drills.resource, MemberFactory(), DUE + timedelta(days=1), DUE + timedelta(days=2)
    )
    Booking.objects.filter(pk=waiting.pk).update(unit=first.unit)  # both on the same unit
    out = loan_check_out(booking=first, actor=coordinator, now=PICK_UP, check=CheckOut())

    loans_flag_overdue(now=DUE + timedelta(hours=1))

    waiting.refresh_from_db()
    assert waiting.unit != out.booking.unit
    assert waiting.audit.filter(action="unit_changed").exists()


def test_a_reservation_that_cannot_move_is_left_and_its_member_told(coordinator: User) -> None:
    from scheduling.models import Notification

    drill = tool()
    first = reserve(drill.resource, MemberFactory())
    later = reserve(
        drill.resource, MemberFactory(), DUE + timedelta(days=1), DUE + timedelta(days=2)
    )
    loan_check_out(booking=first, actor=coordinator, now=PICK_UP, check=CheckOut())

    loans_flag_overdue(now=DUE + timedelta(hours=1))

    assert Notification.objects.get(kind="booking_unit_unavailable").member == later.member


def test_a_unit_blocked_for_inspection_is_not_handed_out(
    drill: ToolType, resident: User, coordinator: User
) -> None:
    from werkhaus.services.loans import unit_block

    booking = reserve(drill.resource, resident)
    unit_block(
        unit=booking.unit, actor=coordinator, now=PICK_UP - timedelta(hours=1), reason="inspection"
    )

    with pytest.raises(errors.UnitNotUsable):
        loan_check_out(booking=booking, actor=coordinator, now=PICK_UP, check=CheckOut())


def test_returning_an_overdue_tool_frees_its_unit_after_the_buffer(
    loan: Loan, coordinator: User
) -> None:
    loans_flag_overdue(now=DUE + timedelta(hours=1))
    back = DUE + timedelta(days=1)

    loan_check_in(loan=loan, actor=coordinator, now=back, check=CheckIn())

    assert reserve(
        loan.booking.resource, MemberFactory(), back + timedelta(days=1), back + timedelta(days=2)
    )
    block = Closure.objects.get(unit=loan.booking.unit, reason="overdue")
    assert block.end == back + timedelta(minutes=60)


def test_check_out_hands_out_another_unit_when_the_reserved_one_is_still_out(
    coordinator: User,
) -> None:
    drills = tool(name="Akkuschrauber", units=2)
    first = reserve(
        drills.resource, MemberFactory(), TUESDAY - timedelta(days=7), TUESDAY - timedelta(days=5)
    )
    late = loan_check_out(
        booking=first, actor=coordinator, now=first.start + timedelta(hours=17), check=CheckOut()
    )
    mine = reserve(drills.resource, MemberFactory())
    Booking.objects.filter(pk=mine.pk).update(unit=late.booking.unit)  # placed before anyone knew

    loan = loan_check_out(booking=mine, actor=coordinator, now=PICK_UP, check=CheckOut())

    assert loan.booking.unit != late.booking.unit
