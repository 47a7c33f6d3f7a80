"""The audit log and the notification outbox, written inside the caller's transaction."""

from datetime import datetime
from typing import Any

from accounts.models import User
from scheduling.models import AuditEntry, Booking, Notification, SignUp, WaitlistEntry


def audit(
    *,
    at: datetime,
    actor: User | None,
    action: str,
    booking: Booking | None = None,
    waitlist_entry: WaitlistEntry | None = None,
    signup: SignUp | None = None,
    from_status: str = "",
    to_status: str = "",
    **detail: Any,
) -> AuditEntry:
    return AuditEntry.objects.create(
        at=at,
        actor=actor,
        action=action,
        booking=booking,
        waitlist_entry=waitlist_entry,
        signup=signup,
        from_status=from_status,
        to_status=to_status,
        detail=detail,
    )


def notify(
    *,
    member_id: int,
    kind: str,
    now: datetime,
    booking: Booking | None = None,
    signup: SignUp | None = None,
    **payload: Any,
) -> Notification:
    if booking is not None:
        payload.setdefault("resource", booking.resource_id)
        payload.setdefault("title", str(booking.resource.name))
        payload.setdefault("start", booking.start.isoformat())
        payload.setdefault("end", booking.end.isoformat())
        payload.setdefault("location", booking.resource.location)
    if signup is not None:
        slot = signup.slot
        payload.setdefault("slot", signup.slot_id)
        payload.setdefault("title", str(slot.activity.event.title))
        payload.setdefault("start", slot.start.isoformat())
        payload.setdefault("location", slot.activity.location)
    return Notification.objects.create(
        member_id=member_id,
        kind=kind,
        created_at=now,
        booking=booking,
        signup=signup,
        payload=payload,
    )
