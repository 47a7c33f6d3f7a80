"""The engine's part of a member's data: bookings, waitlist, sign-ups, swaps, qualifications,
notifications, reminder choices, calendar feeds, refusals, and the audit log about them.

Anonymising cancels through the services what is still to come, so that waitlists move on and
places are freed; what happened stays for the statistics, without free text about the person.
A booking or sign-up the actor may no longer cancel (a member past the cut-off) stays as it is.
"""

from contextlib import suppress
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from schedule.models import Event

from accounts.models import User
from core.errors import DomainError
from core.privacy import Contribution, contribution, identifiers, ids, label, row, scrub_json
from scheduling.models import (
    ACTIVE_STATUSES,
    AuditEntry,
    Booking,
    Closure,
    FeedToken,
    MemberQualification,
    Notification,
    NotificationOptOut,
    Refusal,
    SignUp,
    SignUpStatus,
    SwapOffer,
    SwapStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from scheduling.services.bookings import booking_cancel
from scheduling.services.feeds import feed_token_revoke
from scheduling.services.signups import signup_cancel
from scheduling.services.swaps import swap_withdraw
from scheduling.services.waitlist import waitlist_leave

AUDIT_FIELDS = ("at", "actor_id", "action", "from_status", "to_status", "detail")
# Free text that people typed about a booking or sign-up (a reason, a note).
FREE_TEXT_KEYS = ("reason", "note")


def _about(member: User) -> Q:
    """Audit entries about the member's things, or of the member's own doing on nothing else."""
    return (
        Q(booking__member=member)
        | Q(signup__member=member)
        | Q(waitlist_entry__member=member)
        | Q(actor=member, booking__isnull=True, signup__isnull=True, waitlist_entry__isnull=True)
    )


def _audit_rows(entries: list[AuditEntry]) -> list[dict[str, Any]]:
    return [row(e, AUDIT_FIELDS) for e in entries]


def export(member: User) -> Contribution:
    part = contribution()
    records = part["records"]
    bookings = Booking.objects.filter(member=member).select_related("resource", "unit")
    records[label(Booking)] = [
        row(
            b,
            ("resource_id", "unit_id", "start", "end", "status", "note", "created_at"),
            resource=str(b.resource.name),
            unit=str(b.unit.label),
            created_by_id=b.created_by_id,
            audit=_audit_rows(list(b.audit.all())),
        )
        for b in bookings.prefetch_related("audit")
    ]
    records[label(WaitlistEntry)] = [
        row(w, ("resource_id", "start", "end", "status", "created_at", "offer_expires_at"))
        for w in WaitlistEntry.objects.filter(member=member)
    ]
    signups = SignUp.objects.filter(member=member).select_related(
        "slot", "slot__activity__event", "role"
    )
    records[label(SignUp)] = [
        row(
            s,
            ("status", "created_at", "updated_at", "offer_expires_at"),
            activity=str(s.slot.activity.event.title),
            start=s.slot.start,
            end=s.slot.end,
            role=s.role.name,
            created_by_id=s.created_by_id,
            audit=_audit_rows(list(s.audit.all())),
        )
        for s in signups.prefetch_related("audit")
    ]
    records[label(SwapOffer)] = [
        row(o, ("signup_id", "status", "created_at"))
        for o in SwapOffer.objects.filter(signup__member=member)
    ]
    records[label(MemberQualification)] = [
        row(q, ("granted_at", "valid_until", "revoked_at"), qualification=q.qualification.name)
        for q in MemberQualification.objects.filter(member=member).select_related("qualification")
    ]
    records[label(Notification)] = [
        row(n, ("kind", "created_at", "payload", "channel", "due_at", "sent_at", "skipped_at"))
        for n in Notification.objects.filter(member=member)
    ]
    records[label(NotificationOptOut)] = [
        row(o, ("kind", "created_at")) for o in NotificationOptOut.objects.filter(member=member)
    ]
    # Metadata only: the secret was never stored, and its digest is not for anyone's eyes.
    records[label(FeedToken)] = [
        row(t, ("purpose", "created_at", "revoked_at"))
        for t in FeedToken.objects.filter(member=member).order_by("created_at")
    ]
    records[label(Refusal)] = [
        row(r, ("at", "code", "resource_id", "activity_id", "start", "end"))
        for r in Refusal.objects.filter(member=member)
    ]
    records[label(AuditEntry)] = _audit_rows(list(AuditEntry.objects.filter(_about(member))))

    actions = part["actions"]
    actions[label(Booking)] = ids(Booking.objects.filter(created_by=member).exclude(member=member))
    actions[label(SignUp)] = ids(SignUp.objects.filter(created_by=member).exclude(member=member))
    actions[label(MemberQualification)] = ids(
        MemberQualification.objects.filter(granted_by=member).exclude(member=member)
    )
    actions[label(AuditEntry)] = ids(AuditEntry.objects.filter(actor=member))
    actions[label(Closure)] = ids(Closure.objects.filter(created_by=member))
    actions[label(Event)] = ids(Event.objects.filter(creator=member))
    return part


def _attempt(cancel: Any, **kwargs: Any) -> None:
    """A cancellation the actor may not make (past the cut-off) leaves the thing as it is."""
    with suppress(DomainError):
        cancel(**kwargs)


def anonymise(member: User, *, actor: User, now: datetime) -> None:
    for entry in WaitlistEntry.objects.filter(
        member=member, status__in=(WaitlistStatus.WAITING, WaitlistStatus.OFFERED)
    ):
        _attempt(waitlist_leave, entry=entry, actor=actor, now=now)
    for offer in SwapOffer.objects.filter(signup__member=member, status=SwapStatus.OPEN):
        _attempt(swap_withdraw, offer=offer, actor=actor, now=now)
    for booking in Booking.objects.filter(member=member, status__in=ACTIVE_STATUSES, start__gt=now):
        _attempt(booking_cancel, booking=booking, actor=actor, now=now)
    live = (SignUpStatus.CONFIRMED, SignUpStatus.OFFERED, SignUpStatus.WAITLISTED)
    for signup in SignUp.objects.filter(member=member, status__in=live, slot__start__gt=now):
        _attempt(signup_cancel, signup=signup, actor=actor, now=now)
    purposes = FeedToken.objects.filter(member=member, revoked_at__isnull=True).values_list(
        "purpose", flat=True
    )
    for purpose in set(purposes):
        feed_token_revoke(member=member, actor=actor, now=now, purpose=purpose)

    identifying = identifiers(member)
    Booking.objects.filter(member=member).exclude(note="").update(note="")
    # The notices about the member (the cancellations above included) go with the account.
    Notification.objects.filter(member=member).delete()
    NotificationOptOut.objects.filter(member=member).delete()
    for logged in AuditEntry.objects.filter(_about(member)).exclude(detail={}):
        detail = {key: value for key, value in logged.detail.items() if key not in FREE_TEXT_KEYS}
        detail = scrub_json(detail, identifying)
        if detail != logged.detail:
            AuditEntry.objects.filter(pk=logged.pk).update(detail=detail)


def active_since(since: datetime) -> Q:
    bookings = Booking.objects.filter(member=OuterRef("pk")).filter(
        Q(created_at__gte=since) | Q(end__gte=since)
    )
    signups = SignUp.objects.filter(member=OuterRef("pk")).filter(
        Q(created_at__gte=since) | Q(slot__end__gte=since)
    )
    return Q(Exists(bookings)) | Q(Exists(signups))
