"""Waiting for a taken slot. A freed slot is held for the first in line for a limited time
(a booking in state ``held``, so the database keeps everybody else out of it); when the offer
expires or is declined, it passes to the next in line."""

from datetime import datetime, timedelta

from django.db import transaction

from accounts.models import User
from scheduling import errors
from scheduling.models import Booking, BookingStatus, Resource, WaitlistEntry, WaitlistStatus
from scheduling.services.access import require_self_or_coordinator
from scheduling.services.bookings import (
    BookingRequest,
    check_rules,
    free_units,
    lock_resource,
    place,
)
from scheduling.services.records import audit, notify

OPEN_STATUSES = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


@transaction.atomic
def waitlist_join(
    *, resource: Resource, member: User, start: datetime, end: datetime, actor: User, now: datetime
) -> WaitlistEntry:
    require_self_or_coordinator(actor, member.pk)
    if not resource.members_may_book and not actor.is_coordinator:
        raise errors.NotBookable()
    request = BookingRequest(resource=resource, member=member, start=start, end=end)
    start, end = request.start, request.end
    check_rules(request, now=now)
    if free_units(resource, start, end + resource.buffer):
        raise errors.SlotFree()
    if WaitlistEntry.objects.filter(
        resource=resource, member=member, start=start, end=end, status__in=OPEN_STATUSES
    ).exists():
        raise errors.AlreadyWaiting()
    entry = WaitlistEntry.objects.create(
        resource=resource, member=member, start=start, end=end, created_at=now
    )
    audit(
        at=now,
        actor=actor,
        action="waitlist_joined",
        waitlist_entry=entry,
        to_status=WaitlistStatus.WAITING,
    )
    return entry


def _close_entry(entry: WaitlistEntry, *, to: str, actor: User | None, now: datetime) -> None:
    lock_resource(entry.resource_id)
    before = entry.status
    held = entry.held_booking
    entry.status = to
    entry.save(update_fields=["status"])
    audit(
        at=now,
        actor=actor,
        action=f"waitlist_{to}",
        waitlist_entry=entry,
        from_status=before,
        to_status=to,
    )
    if held is not None and held.status == BookingStatus.HELD:
        held.status = BookingStatus.CANCELLED
        held.updated_at = now
        held.save(update_fields=["status", "updated_at"])
        audit(
            at=now,
            actor=actor,
            action="hold_released",
            booking=held,
            from_status=BookingStatus.HELD,
            to_status=BookingStatus.CANCELLED,
        )
        waitlist_offer_freed(
            resource=entry.resource, start=held.start, end=held.blocked_until, now=now
        )


@transaction.atomic
def waitlist_leave(*, entry: WaitlistEntry, actor: User, now: datetime) -> WaitlistEntry:
    entry = _lock(entry)
    require_self_or_coordinator(actor, entry.member_id)
    if entry.status not in OPEN_STATUSES:
        raise errors.InvalidTransition()
    _close_entry(entry, to=WaitlistStatus.LEFT, actor=actor, now=now)
    return entry


@transaction.atomic
def waitlist_accept(*, entry: WaitlistEntry, actor: User, now: datetime) -> Booking:
    """Turn the held slot into the member's booking."""
    entry = _lock(entry)
    require_self_or_coordinator(actor, entry.member_id)
    if entry.status != WaitlistStatus.OFFERED or entry.held_booking is None:
        raise errors.InvalidTransition()
    if entry.offer_expires_at is not None and now >= entry.offer_expires_at:
        raise errors.OfferExpired()
    booking = Booking.objects.select_for_update().get(pk=entry.held_booking.pk)
    to = BookingStatus.REQUESTED if entry.resource.requires_approval else BookingStatus.CONFIRMED
    booking.status = to
    booking.updated_at = now
    booking.save(update_fields=["status", "updated_at"])
    audit(
        at=now,
        actor=actor,
        action="offer_accepted",
        booking=booking,
        from_status=BookingStatus.HELD,
        to_status=to,
    )
    entry.status = WaitlistStatus.ACCEPTED
    entry.save(update_fields=["status"])
    audit(
        at=now,
        actor=actor,
        action="waitlist_accepted",
        waitlist_entry=entry,
        from_status=WaitlistStatus.OFFERED,
        to_status=WaitlistStatus.ACCEPTED,
    )
    if to == BookingStatus.CONFIRMED:
        notify(member_id=booking.member_id, kind="booking_confirmed", now=now, booking=booking)
    return booking


def _lock(entry: WaitlistEntry) -> WaitlistEntry:
    lock_resource(WaitlistEntry.objects.values_list("resource_id", flat=True).get(pk=entry.pk))
    return (
        WaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("resource", "held_booking")
        .get(pk=entry.pk)
    )


def waitlist_offer_freed(
    *, resource: Resource, start: datetime, end: datetime, now: datetime
) -> WaitlistEntry | None:
    """Offer a freed span to the first waiting member whose slot now fits; call in a transaction."""
    waiting = (
        WaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("member")
        .filter(
            resource=resource,
            status=WaitlistStatus.WAITING,
            start__lt=end,
            end__gt=start,
            start__gt=now,
        )
        .order_by("created_at", "pk")
    )
    for entry in waiting:
        request = BookingRequest(
            resource=resource, member=entry.member, start=entry.start, end=entry.end
        )
        try:
            with transaction.atomic():
                held = place(request, status=BookingStatus.HELD, actor=None, now=now)
        except errors.SlotTaken:
            continue
        expires = min(now + timedelta(hours=resource.waitlist_offer_hours), entry.start)
        entry.status = WaitlistStatus.OFFERED
        entry.held_booking = held
        entry.offer_expires_at = expires
        entry.save(update_fields=["status", "held_booking", "offer_expires_at"])
        audit(
            at=now,
            actor=None,
            action="waitlist_offered",
            waitlist_entry=entry,
            from_status=WaitlistStatus.WAITING,
            to_status=WaitlistStatus.OFFERED,
            held_booking=held.pk,
        )
        notify(
            member_id=entry.member_id,
            kind="waitlist_offer",
            now=now,
            booking=held,
            expires_at=expires.isoformat(),
            waitlist_entry=entry.pk,
        )
        return entry
    return None


@transaction.atomic
def waitlist_expire(*, now: datetime) -> int:
    """Let offers that ran out pass to the next in line, and close entries whose time is past."""
    expired = 0
    due = (
        WaitlistEntry.objects.select_for_update(of=("self",))
        .select_related("resource", "held_booking")
        .filter(status=WaitlistStatus.OFFERED, offer_expires_at__lte=now)
        .order_by("offer_expires_at", "pk")
    )
    for entry in due:
        notify(
            member_id=entry.member_id,
            kind="waitlist_offer_expired",
            now=now,
            booking=entry.held_booking,
            waitlist_entry=entry.pk,
        )
        _close_entry(entry, to=WaitlistStatus.EXPIRED, actor=None, now=now)
        expired += 1
    stale = WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, start__lte=now)
    for entry in stale.select_for_update():
        _close_entry(entry, to=WaitlistStatus.EXPIRED, actor=None, now=now)
        expired += 1
    return expired
