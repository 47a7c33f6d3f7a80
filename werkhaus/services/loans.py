"""Lending tools: check-out at the counter, check-in with condition and deposit, walk-ins,
maintenance blocks and overdue notices. Times and conflicts are the engine's business."""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from scheduling import errors as engine_errors
from scheduling.models import Booking, BookingStatus, Closure, ResourceKind, Unit
from scheduling.services.access import require_coordinator
from scheduling.services.bookings import (
    BookingRequest,
    booking_conflict_record,
    booking_create,
    booking_finish,
    lock_resource,
    move_to_another_unit,
    unit_reassign_bookings,
)
from scheduling.services.demand import refused
from scheduling.services.records import audit, notify
from werkhaus import errors
from werkhaus.models import Condition, Loan, LoanStatus, ToolType, ToolUnit

# An open-ended block (repair, inspection due) lasts until a coordinator ends it.
UNTIL_FURTHER_NOTICE = datetime(2100, 1, 1, tzinfo=UTC)
# A reservation may be picked up this long before it starts (the evening before).
EARLY_PICK_UP = timedelta(hours=12)
UNUSABLE = (Condition.DAMAGED, Condition.OUT_OF_SERVICE)
INSPECTION_REASON = "inspection"
REPAIR_REASON = "repair"
OVERDUE_REASON = "overdue"


def _usable(unit: Unit, *, now: datetime) -> bool:
    """In good enough condition, not blocked now, and not out on another loan."""
    if tool_unit_for(unit).condition in UNUSABLE:
        return False
    if Closure.objects.filter(unit=unit, start__lte=now, end__gt=now).exists():
        return False
    return not Loan.objects.filter(booking__unit=unit, status=LoanStatus.CHECKED_OUT).exists()


def tool_unit_for(unit: Unit) -> ToolUnit:
    tool_unit, _created = ToolUnit.objects.get_or_create(unit=unit)
    return tool_unit


@dataclass(frozen=True)
class CheckOut:
    condition: str = Condition.GOOD
    deposit: Decimal | None = None  # default: the tool type's deposit


@transaction.atomic
def loan_check_out(*, booking: Booking, actor: User, now: datetime, check: CheckOut) -> Loan:
    """Hand a reserved tool over: the coordinator records condition and deposit."""
    require_coordinator(actor)
    booking = (
        Booking.objects.select_for_update().select_related("resource", "unit").get(pk=booking.pk)
    )
    if booking.resource.kind != ResourceKind.TOOL:
        raise errors.NotATool()
    if (
        booking.status != BookingStatus.CONFIRMED
        or hasattr(booking, "loan")
        or not booking.start - EARLY_PICK_UP <= now < booking.end
    ):
        raise errors.NotReadyForCheckOut()
    if check.condition in UNUSABLE:
        raise errors.UnitNotUsable()
    if not _usable(booking.unit, now=now):
        # The reserved unit is in repair or still out: hand out another one of the same kind.
        lock_resource(booking.resource_id)
        if not move_to_another_unit(booking, now=now) or not _usable(booking.unit, now=now):
            raise errors.UnitNotUsable()
    tool_unit = tool_unit_for(booking.unit)
    tool = ToolType.objects.filter(resource=booking.resource).first()
    deposit = check.deposit if check.deposit is not None else (tool.deposit if tool else Decimal(0))
    loan = Loan.objects.create(
        booking=booking,
        status=LoanStatus.CHECKED_OUT,
        checked_out_at=now,
        checked_out_by=actor,
        condition_out=check.condition,
        deposit_taken=deposit,
    )
    ToolUnit.objects.filter(pk=tool_unit.pk).update(condition=check.condition)
    audit(
        at=now,
        actor=actor,
        action="checked_out",
        booking=booking,
        deposit=str(deposit),
        condition=check.condition,
    )
    return loan


@dataclass(frozen=True)
class CheckIn:
    condition: str = Condition.GOOD
    damage_report: str = ""
    deposit_kept: Decimal = Decimal(0)


@transaction.atomic
def loan_check_in(*, loan: Loan, actor: User, now: datetime, check: CheckIn) -> Loan:
    """Take a tool back: condition, damage, deposit; then the unit's buffer, and a block if it
    is damaged or due for inspection."""
    require_coordinator(actor)
    loan = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("booking", "booking__unit", "booking__resource")
        .get(pk=loan.pk)
    )
    if loan.status != LoanStatus.CHECKED_OUT:
        raise errors.NotCheckedOut()
    if check.deposit_kept > loan.deposit_taken or check.deposit_kept < 0:
        raise errors.DepositTooHigh(fields={"deposit_taken": str(loan.deposit_taken)})
    if check.condition in UNUSABLE and not check.damage_report.strip():
        raise errors.DamageReportRequired(fields={"damage_report": []})
    booking_finish(booking=loan.booking, actor=actor, now=now)
    loan.status = LoanStatus.RETURNED
    loan.checked_in_at = now
    loan.checked_in_by = actor
    loan.condition_in = check.condition
    loan.damage_report = check.damage_report
    loan.deposit_kept = check.deposit_kept
    loan.deposit_returned = loan.deposit_taken - check.deposit_kept
    loan.save()
    audit(
        at=now,
        actor=actor,
        action="checked_in",
        booking=loan.booking,
        condition=check.condition,
        deposit_returned=str(loan.deposit_returned),
        deposit_kept=str(loan.deposit_kept),
    )
    unit = loan.booking.unit
    # Back at last: an "overdue" block ends after the buffer for checking the returned tool.
    Closure.objects.filter(unit=unit, reason=OVERDUE_REASON, end__gt=now).update(
        end=now + loan.booking.resource.buffer
    )
    tool_unit = tool_unit_for(unit)
    tool_unit.condition = check.condition
    tool_unit.loans_since_inspection += 1
    tool_unit.save(update_fields=["condition", "loans_since_inspection"])
    if check.condition in UNUSABLE:
        unit_block(unit=unit, actor=actor, now=now, reason=REPAIR_REASON, note=check.damage_report)
    elif inspection_due(tool_unit, now=now):
        unit_block(unit=unit, actor=actor, now=now, reason=INSPECTION_REASON)
    return loan


def inspection_due(tool_unit: ToolUnit, *, now: datetime) -> bool:
    tool = ToolType.objects.filter(resource_id=tool_unit.unit.resource_id).first()
    if tool is None:
        return False
    if tool.inspect_every_loans and tool_unit.loans_since_inspection >= tool.inspect_every_loans:
        return True
    if tool.inspect_every_months:
        since = tool_unit.last_inspected_at
        if since is None and tool_unit.purchased_on is not None:
            since = datetime.combine(tool_unit.purchased_on, time(), UTC)
        if since is not None:
            return now >= since + timedelta(days=round(30.44 * tool.inspect_every_months))
    return False


@transaction.atomic
def unit_block(
    *,
    unit: Unit,
    actor: User | None,
    now: datetime,
    reason: str,
    note: str = "",
    start: datetime | None = None,
) -> Closure:
    """Take a unit out of lending until further notice (repair, inspection, not back yet);
    its reservations move to another unit where one is free."""
    closure = Closure.objects.create(
        unit=unit, start=start or now, end=UNTIL_FURTHER_NOTICE, reason=reason, created_by=actor
    )
    unit_reassign_bookings(unit=unit, start=closure.start, now=now)
    audit(at=now, actor=actor, action=f"unit_blocked_{reason}", unit=unit.pk, note=note)
    return closure


@transaction.atomic
def unit_release(*, unit: Unit, actor: User, now: datetime, condition: str = Condition.GOOD) -> int:
    """End a unit's open blocks after repair or inspection; it can be lent again."""
    require_coordinator(actor)
    if condition in UNUSABLE:
        raise errors.UnitNotUsable()
    blocks = Closure.objects.filter(
        unit=unit, end__gt=now, reason__in=[INSPECTION_REASON, REPAIR_REASON]
    )
    # Blocks under way end now; one set at this very instant (or later) is simply removed.
    ended = blocks.filter(start__lt=now).update(end=now)
    removed, _detail = blocks.filter(start__gte=now).delete()
    ended += removed
    ToolUnit.objects.update_or_create(
        unit=unit,
        defaults={"condition": condition, "loans_since_inspection": 0, "last_inspected_at": now},
    )
    audit(at=now, actor=actor, action="unit_released", unit=unit.pk, condition=condition)
    return ended


def _walk_in_request(
    *, tool: ToolType, member: User, until: datetime, now: datetime, unit: Unit | None
) -> BookingRequest:
    return BookingRequest(
        resource=tool.resource,
        member=member,
        start=now,
        end=until,
        override=True,
        note="walk-in",
        unit=unit,
    )


def _record_walk_in_conflict(
    *,
    tool: ToolType,
    member: User,
    until: datetime,
    actor: User,
    now: datetime,
    check: CheckOut,
    unit: Unit | None = None,
) -> None:
    request = _walk_in_request(tool=tool, member=member, until=until, now=now, unit=unit)
    booking_conflict_record(request=request, now=now)


# booking_create's own record of "no unit free" goes with this transaction: record it after.
@refused(engine_errors.SlotTaken, _record_walk_in_conflict)
@transaction.atomic
def loan_walk_in(
    *,
    tool: ToolType,
    member: User,
    until: datetime,
    actor: User,
    now: datetime,
    check: CheckOut,
    unit: Unit | None = None,
) -> Loan:
    """A resident at the counter without a reservation takes a free unit home right away
    (``unit``: the one already in hand; otherwise any free one)."""
    require_coordinator(actor)
    if unit is not None and unit.resource_id != tool.resource_id:
        raise errors.UnknownInventoryNumber()
    request = _walk_in_request(tool=tool, member=member, until=until, now=now, unit=unit)
    booking = booking_create(request=request, actor=actor, now=now)
    return loan_check_out(booking=booking, actor=actor, now=now, check=check)


@transaction.atomic
def loans_flag_overdue(*, now: datetime) -> int:
    """Record one notice per loan that should have come back (the reminders send it)."""
    overdue = (
        Loan.objects.select_for_update(of=("self",))
        .select_related("booking")
        .filter(status=LoanStatus.CHECKED_OUT, booking__end__lt=now, overdue_notified_at=None)
    )
    count = 0
    for loan in overdue:
        notify(member_id=loan.booking.member_id, kind="loan_overdue", now=now, booking=loan.booking)
        loan.overdue_notified_at = now
        loan.save(update_fields=["overdue_notified_at"])
        # Still out: the unit cannot go to the next reservation until it is back.
        unit_block(
            unit=loan.booking.unit,
            actor=None,
            now=now,
            reason=OVERDUE_REASON,
            start=loan.booking.blocked_until,
        )
        count += 1
    return count


@transaction.atomic
def units_block_due_inspections(*, now: datetime) -> int:
    """Block units whose inspection by months is due, even if nobody borrowed them lately;
    a unit out on loan is blocked when it comes back (at check-in)."""
    blocked = 0
    tools = ToolType.objects.filter(inspect_every_months__isnull=False)
    units = (
        ToolUnit.objects.select_related("unit")
        .filter(unit__resource__tool__in=tools, unit__is_active=True)
        .exclude(unit__closures__end__gt=now, unit__closures__reason=INSPECTION_REASON)
    )
    for tool_unit in units:
        if inspection_due(tool_unit, now=now):
            unit_block(unit=tool_unit.unit, actor=None, now=now, reason=INSPECTION_REASON)
            blocked += 1
    return blocked
