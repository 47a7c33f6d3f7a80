"""Creating bookings and changing their state.

A booking is placed in one transaction: the member's row is locked (quotas cannot be raced),
the rules are checked, a free unit is picked and inserted. On PostgreSQL the exclusion
constraint ``sched_booking_no_overlap`` is the final judge: an insert that lost a race fails
with an IntegrityError inside its own savepoint and the next free unit is tried. On SQLite the
transaction is BEGIN IMMEDIATE, so nobody else writes between the check and the insert.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from accounts.models import User
from core.timeutil import as_utc
from scheduling import errors
from scheduling.models import (
    ACTIVE_STATUSES,
    OCCUPYING_STATUSES,
    Booking,
    BookingStatus,
    Closure,
    RefusalCode,
    Resource,
    Unit,
)
from scheduling.services import rules
from scheduling.services.access import require_coordinator
from scheduling.services.demand import refusal_record, refused
from scheduling.services.records import audit, notify

NO_OVERLAP_CONSTRAINT = "sched_booking_no_overlap"


@dataclass(frozen=True)
class BookingRequest:
    resource: Resource
    member: User
    start: datetime
    end: datetime
    note: str = ""
    override: bool = False
    unit: Unit | None = None  # this unit, not any free one (e.g. the one in the member's hand)

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", as_utc(self.start))
        object.__setattr__(self, "end", as_utc(self.end))


def _is_overlap_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    diag = getattr(cause, "diag", None)
    name = getattr(diag, "constraint_name", None) or str(exc)
    return NO_OVERLAP_CONSTRAINT in name


def free_units(resource: Resource, start: datetime, blocked_until: datetime) -> list[Unit]:
    """Units with no active booking and no closure overlapping [start, blocked_until)."""
    clash = Booking.objects.filter(
        unit_id=OuterRef("pk"),
        status__in=OCCUPYING_STATUSES,
        start__lt=blocked_until,
        blocked_until__gt=start,
    )
    closed = Closure.objects.filter(unit_id=OuterRef("pk"), start__lt=blocked_until, end__gt=start)
    return list(
        Unit.objects.filter(resource_id=resource.pk, is_active=True)
        .exclude(Exists(clash))
        .exclude(Exists(closed))
        .order_by("label", "pk")
    )


def _lock_member(member: User) -> None:
    # Serialises one member's concurrent bookings, so quotas cannot be exceeded by a race.
    list(get_user_model().objects.select_for_update().filter(pk=member.pk).values_list("pk"))


def lock_resource(resource_id: int) -> None:
    """Serialise every change to the bookings of one resource.

    Without it, two inserts on the same unit can both enter the exclusion constraint's index
    before either checks it; each then waits for the other and PostgreSQL aborts one with a
    deadlock instead of a clean constraint violation. Lock order, everywhere: member, then
    resource, then booking rows.
    """
    list(Resource.objects.select_for_update().filter(pk=resource_id).values_list("pk"))


def check_rules(request: BookingRequest, *, now: datetime) -> None:
    resource, member = request.resource, request.member
    rules.check_range(request.start, request.end)
    if not resource.is_active or not member.is_active:
        raise errors.NotBookable()
    rules.check_qualification(resource, member, request.start, request.end)
    if request.override:
        return
    rules.check_shape(resource, request.start, request.end)
    rules.check_timing(resource, request.start, now)
    rules.check_open(resource, request.start, request.end)
    rules.check_quotas(resource, member, request.start, request.end, now)


def place(request: BookingRequest, *, status: str, actor: User | None, now: datetime) -> Booking:
    """Insert a booking on the first free unit, or raise SlotTaken. Call inside a transaction."""
    resource = request.resource
    lock_resource(resource.pk)
    blocked_until = request.end + resource.buffer
    candidates = free_units(resource, request.start, blocked_until)
    if request.unit is not None:
        candidates = [u for u in candidates if u.pk == request.unit.pk]
    for unit in candidates:
        try:
            with transaction.atomic():
                return Booking.objects.create(
                    unit=unit,
                    resource=resource,
                    member=request.member,
                    start=request.start,
                    end=request.end,
                    blocked_until=blocked_until,
                    status=status,
                    created_by=actor,
                    note=request.note,
                    rules_overridden=request.override,
                    created_at=now,
                    updated_at=now,
                )
        except IntegrityError as exc:
            if not _is_overlap_violation(exc):
                raise
    raise errors.SlotTaken()


def booking_conflict_record(*, request: BookingRequest, now: datetime) -> None:
    """Record that ``request`` found no free unit. ``booking_create`` does it itself; a service
    that books inside a transaction of its own records it again, after that transaction has
    rolled back, or the refusal goes with it (see scheduling/services/demand.py)."""
    refusal_record(
        code=RefusalCode.CONFLICT,
        now=now,
        start=request.start,
        end=request.end,
        member=request.member,
        resource=request.resource,
    )


def _record_conflict(*, request: BookingRequest, actor: User, now: datetime) -> None:
    booking_conflict_record(request=request, now=now)


# The refusal is recorded after this transaction has rolled back, in one of its own.
@refused(errors.SlotTaken, _record_conflict)
@transaction.atomic
def booking_create(*, request: BookingRequest, actor: User, now: datetime) -> Booking:
    """A member books for themselves; a coordinator may book for anyone and override rules."""
    on_behalf = actor.pk != request.member.pk
    if (on_behalf or request.override) and not actor.is_coordinator:
        raise errors.NotYourBooking()
    if not request.resource.members_may_book and not actor.is_coordinator:
        raise errors.NotBookable()
    _lock_member(request.member)
    check_rules(request, now=now)
    needs_approval = request.resource.requires_approval and not actor.is_coordinator
    status = BookingStatus.REQUESTED if needs_approval else BookingStatus.CONFIRMED
    booking = place(request, status=status, actor=actor, now=now)
    audit(
        at=now,
        actor=actor,
        action="created",
        booking=booking,
        to_status=status,
        unit=booking.unit_id,
        override=request.override,
    )
    if on_behalf:
        notify(
            member_id=request.member.pk, kind="booking_created_for_you", now=now, booking=booking
        )
    elif status == BookingStatus.CONFIRMED:
        notify(member_id=request.member.pk, kind="booking_confirmed", now=now, booking=booking)
    return booking


def _lock(booking: Booking) -> Booking:
    resource_id = Booking.objects.filter(pk=booking.pk).values_list("resource_id", flat=True)
    lock_resource(resource_id.get())
    return Booking.objects.select_for_update().select_related("resource").get(pk=booking.pk)


def _transition(
    booking: Booking, *, to: str, actor: User | None, now: datetime, action: str, **detail: Any
) -> Booking:
    before = booking.status
    booking.status = to
    booking.updated_at = now
    booking.save(update_fields=["status", "updated_at"])
    audit(
        at=now,
        actor=actor,
        action=action,
        booking=booking,
        from_status=before,
        to_status=to,
        **detail,
    )
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: User, now: datetime, reason: str = "") -> Booking:
    """Members cancel their own until the resource's cut-off; coordinators any active one."""
    from scheduling.services.waitlist import waitlist_offer_freed

    booking = _lock(booking)
    is_owner = booking.member_id == actor.pk
    if not is_owner and not actor.is_coordinator:
        raise errors.NotYourBooking()
    if booking.status not in ACTIVE_STATUSES:
        raise errors.NotCancellable()
    cutoff = booking.start - timedelta(minutes=booking.resource.cancel_cutoff_minutes)
    if not actor.is_coordinator and now >= cutoff:
        raise errors.NotCancellable(fields={"cancel_until": cutoff.isoformat()})
    _transition(
        booking, to=BookingStatus.CANCELLED, actor=actor, now=now, action="cancelled", reason=reason
    )
    # Also when members cancel themselves: the mail's calendar cancellation removes the entry
    # that the confirmation put into their calendar.
    notify(
        member_id=booking.member_id,
        kind="booking_cancelled",
        now=now,
        booking=booking,
        reason=reason,
    )
    waitlist_offer_freed(
        resource=booking.resource, start=booking.start, end=booking.blocked_until, now=now
    )
    return booking


@transaction.atomic
def booking_approve(*, booking: Booking, actor: User, now: datetime) -> Booking:
    require_coordinator(actor)
    booking = _lock(booking)
    if booking.status != BookingStatus.REQUESTED:
        raise errors.InvalidTransition()
    _transition(booking, to=BookingStatus.CONFIRMED, actor=actor, now=now, action="approved")
    notify(member_id=booking.member_id, kind="booking_approved", now=now, booking=booking)
    return booking


@transaction.atomic
def booking_mark(*, booking: Booking, actor: User, now: datetime, outcome: str) -> Booking:
    """After the start, a coordinator marks a confirmed booking completed or no-show."""
    require_coordinator(actor)
    if outcome not in (BookingStatus.COMPLETED, BookingStatus.NO_SHOW):
        raise errors.InvalidTransition()
    booking = _lock(booking)
    if booking.status != BookingStatus.CONFIRMED or now < booking.start:
        raise errors.InvalidTransition()
    return _transition(booking, to=outcome, actor=actor, now=now, action=str(outcome))


@transaction.atomic
def booking_finish(*, booking: Booking, actor: User, now: datetime) -> Booking:
    """A coordinator closes a confirmed booking that is under way (the tool came back).

    Returned before its end, the booking ends now; its unit stays blocked for the buffer after
    that, and the time it no longer needs is offered to the waitlist. Returned late, the booking
    keeps its times (the next booking of that unit was never at risk of being given away).
    """
    from scheduling.services.waitlist import waitlist_offer_freed

    require_coordinator(actor)
    booking = _lock(booking)
    if booking.status != BookingStatus.CONFIRMED:
        raise errors.InvalidTransition()
    before = booking.status
    released_from = None
    old_blocked_until = booking.blocked_until
    if now < booking.end:
        booking.end = max(now, booking.start + timedelta(minutes=1))
        booking.blocked_until = min(booking.end + booking.resource.buffer, old_blocked_until)
        released_from = booking.blocked_until
    booking.status = BookingStatus.COMPLETED
    booking.updated_at = now
    booking.save(update_fields=["end", "blocked_until", "status", "updated_at"])
    audit(
        at=now,
        actor=actor,
        action="finished",
        booking=booking,
        from_status=before,
        to_status=booking.status,
        end=booking.end.isoformat(),
    )
    if released_from is not None and released_from < old_blocked_until:
        waitlist_offer_freed(
            resource=booking.resource, start=released_from, end=old_blocked_until, now=now
        )
    return booking


def move_to_another_unit(booking: Booking, *, now: datetime) -> bool:
    """Put a booking on another free unit of its resource (call with the resource locked)."""
    away_from = booking.unit_id
    others = [
        u
        for u in free_units(booking.resource, booking.start, booking.blocked_until)
        if u.pk != away_from
    ]
    if not others:
        return False
    booking.unit = others[0]
    booking.updated_at = now
    booking.save(update_fields=["unit", "updated_at"])
    audit(
        at=now,
        actor=None,
        action="unit_changed",
        booking=booking,
        from_unit=away_from,
        to_unit=others[0].pk,
    )
    return True


@transaction.atomic
def unit_reassign_bookings(*, unit: Unit, start: datetime, now: datetime) -> tuple[int, int]:
    """A unit cannot be used from ``start`` on (repair, inspection, not back yet): move its
    bookings that have not begun to another free unit of the same resource. Those that find
    none stay where they are and their members are told, so that a coordinator can help.
    Returns (moved, stranded)."""
    lock_resource(unit.resource_id)
    moved = stranded = 0
    waiting = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("resource")
        .filter(unit=unit, status__in=ACTIVE_STATUSES, blocked_until__gt=start, start__gte=now)
        .order_by("start", "pk")
    )
    for booking in waiting:
        if move_to_another_unit(booking, now=now):
            moved += 1
        else:
            notify(
                member_id=booking.member_id,
                kind="booking_unit_unavailable",
                now=now,
                booking=booking,
            )
            audit(at=now, actor=None, action="unit_unavailable", booking=booking, unit=unit.pk)
            stranded += 1
    return moved, stranded
