"""Signing up for dated occurrences of activities, cancelling, waitlists and attendance.

Places are taken by a conditional UPDATE of the role's counter (``taken < places``): on
PostgreSQL the row lock of that UPDATE serialises competing sign-ups and the CHECK constraint
``sched_slotrole_never_overbooked`` refuses anything beyond; on SQLite the transaction is
BEGIN IMMEDIATE. The sign-up row is inserted in the same savepoint, so a refused insert (the
member already holds a place: ``sched_signup_one_per_member``) gives the place back.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from schedule.models import Occurrence

from accounts.models import User
from core.timeutil import as_utc
from scheduling import errors
from scheduling.models import (
    LIVE_SIGNUP_STATUSES,
    Activity,
    ActivityRole,
    Eligibility,
    RefusalCode,
    SignUp,
    SignUpStatus,
    Slot,
    SlotRole,
    WaitlistMode,
)
from scheduling.recurrence import Dated, expand, persisted_in_window
from scheduling.selectors import member_holds_qualification
from scheduling.services.access import require_coordinator, require_self_or_coordinator
from scheduling.services.demand import refusal_record, refused
from scheduling.services.qualifications import qualification_grant
from scheduling.services.records import audit, notify


@dataclass(frozen=True)
class SignupRequest:
    activity: Activity
    start: datetime
    member: User
    role: ActivityRole | None = None
    waitlist: bool = False


def find_occurrence(activity: Activity, start: datetime) -> Dated:
    """The occurrence of the activity that starts (or originally started) at ``start``."""
    start = as_utc(start)
    event = activity.event
    duration = event.end - event.start
    window = (start - duration, start + duration + timedelta(minutes=1))
    persisted = persisted_in_window([event.pk], *window)
    for dated in expand([event], persisted, *window):
        if as_utc(dated.start) == start or as_utc(dated.original_start) == start:
            return dated
    slot = Slot.objects.filter(activity=activity, start=start).first()
    if slot is not None:
        return Dated(event.pk, slot.start, slot.end, slot.original_start, slot.cancelled)
    raise errors.NoSuchOccurrence(fields={"start": [str(errors.NoSuchOccurrence.default_message)]})


def slot_for(activity: Activity, dated: Dated) -> Slot:
    """Our row for a dated occurrence, created on first use, with places for every role."""
    original = as_utc(dated.original_start)
    slot = Slot.objects.filter(activity=activity, original_start=original).first()
    if slot is None:
        try:
            with transaction.atomic():
                slot = Slot.objects.create(
                    activity=activity,
                    original_start=original,
                    start=as_utc(dated.start),
                    end=as_utc(dated.end),
                    cancelled=dated.cancelled,
                )
        except IntegrityError:  # created by a concurrent sign-up a moment ago
            slot = Slot.objects.get(activity=activity, original_start=original)
    have = set(slot.roles.values_list("role_id", flat=True))
    missing = [r for r in activity.roles.all() if r.pk not in have]
    if missing:
        SlotRole.objects.bulk_create(
            [SlotRole(slot=slot, role=r, places=r.places) for r in missing],
            ignore_conflicts=True,
        )
    return slot


def check_eligible(activity: Activity, member: User, at: datetime) -> None:
    eligible = {
        Eligibility.EVERYONE: True,
        Eligibility.VOLUNTEERS: member.is_volunteer or member.is_honorary_worker,
        Eligibility.HONORARY: member.is_honorary_worker,
        Eligibility.QUALIFIED: activity.required_qualification_id is not None,
    }[Eligibility(activity.eligibility)]
    if not eligible or not member.is_active:
        raise errors.NotEligible()
    if activity.required_qualification_id is not None and not member_holds_qualification(
        member_id=member.pk,
        qualification_id=activity.required_qualification_id,
        start=at,
        end=at,
    ):
        raise errors.NotEligible(fields={"qualification": activity.required_qualification_id})


def _cutoff(slot: Slot) -> datetime:
    return slot.start - timedelta(minutes=slot.activity.signup_cutoff_minutes)


def _take_place(slot_role: SlotRole) -> bool:
    return (
        SlotRole.objects.filter(pk=slot_role.pk, taken__lt=F("places")).update(taken=F("taken") + 1)
        == 1
    )


def _give_place(slot: Slot, role_id: int) -> None:
    SlotRole.objects.filter(slot=slot, role_id=role_id, taken__gt=0).update(taken=F("taken") - 1)


def _choose_role(activity: Activity, slot: Slot, role: ActivityRole | None) -> SlotRole:
    roles = list(slot.roles.select_related("role").order_by("role__name", "role_id"))
    if role is not None:
        for slot_role in roles:
            if slot_role.role_id == role.pk:
                return slot_role
        raise errors.UnknownRole(fields={"role": [str(errors.UnknownRole.default_message)]})
    free = [r for r in roles if r.taken < r.places]
    return (free or roles)[0]


def _record_full(*, request: SignupRequest, actor: User, now: datetime) -> None:
    event = request.activity.event
    start = as_utc(request.start)
    refusal_record(
        code=RefusalCode.FULL,
        now=now,
        start=start,
        end=start + (event.end - event.start),
        member=request.member,
        activity=request.activity,
    )


# The refusal is recorded after this transaction has rolled back, in one of its own.
@refused(errors.Full, _record_full)
@transaction.atomic
def signup_create(*, request: SignupRequest, actor: User, now: datetime) -> SignUp:
    """Take a place, or a place on the waitlist when asked for and the occurrence is full."""
    activity, member = request.activity, request.member
    require_self_or_coordinator(actor, member.pk)
    dated = find_occurrence(activity, request.start)
    if dated.cancelled:
        raise errors.OccurrenceCancelled()
    check_eligible(activity, member, as_utc(dated.start))
    slot = slot_for(activity, dated)
    if slot.cancelled:
        raise errors.OccurrenceCancelled()
    if now >= _cutoff(slot) and not actor.is_coordinator:
        raise errors.SignupClosed(fields={"closed_at": _cutoff(slot).isoformat()})
    if SignUp.objects.filter(slot=slot, member=member, status__in=LIVE_SIGNUP_STATUSES).exists():
        raise errors.AlreadySignedUp()
    slot_role = _choose_role(activity, slot, request.role)
    # Hold the role's row even when no place is left: a cancellation then waits for this
    # sign-up to commit, and its promotion sees it on the waitlist. Without the lock, a
    # waitlist sign-up racing a cancellation could stay waiting beside a free place.
    list(SlotRole.objects.select_for_update().filter(pk=slot_role.pk).values_list("pk"))
    try:
        with transaction.atomic():
            if _take_place(slot_role):
                status = SignUpStatus.CONFIRMED
            elif request.waitlist:
                status = SignUpStatus.WAITLISTED
            else:
                raise errors.Full()
            signup = SignUp.objects.create(
                slot=slot,
                role_id=slot_role.role_id,
                member=member,
                status=status,
                created_by=actor,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError as exc:
        raise errors.AlreadySignedUp() from exc
    audit(at=now, actor=actor, action="signed_up", signup=signup, to_status=status)
    if actor.pk != member.pk:
        notify(member_id=member.pk, kind="signup_created_for_you", now=now, signup=signup)
    elif status == SignUpStatus.CONFIRMED:
        notify(member_id=member.pk, kind="signup_confirmed", now=now, signup=signup)
    return signup


def _lock(signup: SignUp) -> SignUp:
    return (
        SignUp.objects.select_for_update(of=("self",))
        .select_related("slot", "slot__activity", "slot__activity__event")
        .get(pk=signup.pk)
    )


def _set_status(
    signup: SignUp, to: str, *, actor: User | None, now: datetime, action: str, **detail: Any
) -> None:
    before = signup.status
    signup.status = to
    signup.updated_at = now
    signup.save(update_fields=["status", "updated_at", "offer_expires_at"])
    audit(
        at=now,
        actor=actor,
        action=action,
        signup=signup,
        from_status=before,
        to_status=to,
        **detail,
    )


def promote_next(slot: Slot, role_id: int, *, now: datetime) -> SignUp | None:
    """Give a freed place to the first on the waitlist: at once, or as an offer."""
    waiting = (
        SignUp.objects.select_for_update(of=("self",))
        .filter(slot=slot, role_id=role_id, status=SignUpStatus.WAITLISTED)
        .order_by("created_at", "pk")
        .first()
    )
    if waiting is None:
        return None
    slot_role = SlotRole.objects.get(slot=slot, role_id=role_id)
    if not _take_place(slot_role):
        return None
    activity = slot.activity
    if activity.waitlist_mode == WaitlistMode.OFFER:
        waiting.offer_expires_at = min(now + timedelta(hours=activity.offer_hours), slot.start)
        _set_status(waiting, SignUpStatus.OFFERED, actor=None, now=now, action="place_offered")
        notify(
            member_id=waiting.member_id,
            kind="signup_offer",
            now=now,
            signup=waiting,
            expires_at=waiting.offer_expires_at.isoformat(),
        )
    else:
        _set_status(waiting, SignUpStatus.CONFIRMED, actor=None, now=now, action="promoted")
        notify(member_id=waiting.member_id, kind="signup_promoted", now=now, signup=waiting)
    return waiting


@transaction.atomic
def signup_cancel(*, signup: SignUp, actor: User, now: datetime) -> SignUp:
    signup = _lock(signup)
    is_owner = signup.member_id == actor.pk
    if not is_owner and not actor.is_coordinator:
        raise errors.NotYourBooking()
    if signup.status not in (SignUpStatus.CONFIRMED, SignUpStatus.OFFERED, SignUpStatus.WAITLISTED):
        raise errors.NotCancellable()
    held_place = signup.status != SignUpStatus.WAITLISTED
    if held_place and not actor.is_coordinator and now >= _cutoff(signup.slot):
        raise errors.SignupClosed(fields={"closed_at": _cutoff(signup.slot).isoformat()})
    signup.offer_expires_at = None
    _set_status(signup, SignUpStatus.CANCELLED, actor=actor, now=now, action="cancelled")
    if held_place or not is_owner:  # a held place may stand in the member's calendar
        notify(member_id=signup.member_id, kind="signup_cancelled", now=now, signup=signup)
    if held_place:
        _give_place(signup.slot, signup.role_id)
        promote_next(signup.slot, signup.role_id, now=now)
    return signup


@transaction.atomic
def signup_accept_offer(*, signup: SignUp, actor: User, now: datetime) -> SignUp:
    signup = _lock(signup)
    require_self_or_coordinator(actor, signup.member_id)
    if signup.status != SignUpStatus.OFFERED:
        raise errors.InvalidTransition()
    if signup.offer_expires_at is not None and now >= signup.offer_expires_at:
        raise errors.OfferExpired()
    signup.offer_expires_at = None
    _set_status(signup, SignUpStatus.CONFIRMED, actor=actor, now=now, action="offer_accepted")
    notify(member_id=signup.member_id, kind="signup_confirmed", now=now, signup=signup)
    return signup


@transaction.atomic
def signups_expire_offers(*, now: datetime) -> int:
    due = (
        SignUp.objects.select_for_update(of=("self",))
        .select_related("slot", "slot__activity")
        .filter(status=SignUpStatus.OFFERED, offer_expires_at__lte=now)
        .order_by("offer_expires_at", "pk")
    )
    count = 0
    for signup in due:
        signup.offer_expires_at = None
        _set_status(signup, SignUpStatus.CANCELLED, actor=None, now=now, action="offer_expired")
        notify(member_id=signup.member_id, kind="signup_offer_expired", now=now, signup=signup)
        _give_place(signup.slot, signup.role_id)
        promote_next(signup.slot, signup.role_id, now=now)
        count += 1
    return count


@transaction.atomic
def signup_mark_attendance(*, signup: SignUp, actor: User, now: datetime, attended: bool) -> SignUp:
    """After the start, a coordinator records who came; attending a briefing qualifies."""
    require_coordinator(actor)
    signup = _lock(signup)
    if signup.status not in (SignUpStatus.CONFIRMED, SignUpStatus.ATTENDED, SignUpStatus.NO_SHOW):
        raise errors.InvalidTransition()
    if now < signup.slot.start:
        raise errors.InvalidTransition()
    to = SignUpStatus.ATTENDED if attended else SignUpStatus.NO_SHOW
    if to == signup.status:
        return signup
    _set_status(signup, to, actor=actor, now=now, action=str(to))
    grants = signup.slot.activity.grants_qualification
    if attended and grants is not None:
        qualification_grant(member=signup.member, qualification=grants, granted_by=None, now=now)
    return signup


def _persist_occurrence(activity: Activity, dated: Dated, **changes: object) -> None:
    """Mirror a cancelled or moved date into django-scheduler's own Occurrence."""
    event = activity.event
    Occurrence.objects.update_or_create(
        event=event,
        original_start=dated.original_start,
        defaults={
            "original_end": as_utc(dated.original_start) + (event.end - event.start),
            "title": event.title,
            "description": event.description,
            "start": dated.start,
            "end": dated.end,
            "cancelled": dated.cancelled,
            **changes,
        },
    )


@transaction.atomic
def occurrence_cancel(
    *, activity: Activity, start: datetime, actor: User, now: datetime, reason: str = ""
) -> Slot:
    """Cancel one date: its sign-ups are cancelled and the people concerned are told."""
    require_coordinator(actor)
    dated = find_occurrence(activity, start)
    slot = slot_for(activity, dated)
    Slot.objects.filter(pk=slot.pk).update(cancelled=True)
    _persist_occurrence(activity, dated, cancelled=True)
    live = SignUp.objects.select_for_update().filter(slot=slot, status__in=LIVE_SIGNUP_STATUSES)
    for signup in live:
        signup.offer_expires_at = None
        _set_status(
            signup,
            SignUpStatus.CANCELLED,
            actor=actor,
            now=now,
            action="occurrence_cancelled",
            reason=reason,
        )
        notify(
            member_id=signup.member_id,
            kind="occurrence_cancelled",
            now=now,
            signup=signup,
            reason=reason,
        )
    SlotRole.objects.filter(slot=slot).update(taken=0)
    audit(at=now, actor=actor, action="occurrence_cancelled", slot=slot.pk, reason=reason)
    slot.refresh_from_db()
    return slot


@transaction.atomic
def occurrence_move(
    *,
    activity: Activity,
    start: datetime,
    new_start: datetime,
    new_end: datetime,
    actor: User,
    now: datetime,
) -> Slot:
    """Move one date: its sign-ups move with it and the people concerned are told."""
    require_coordinator(actor)
    if new_end <= new_start:
        raise errors.InvalidRange()
    dated = find_occurrence(activity, start)
    slot = slot_for(activity, dated)
    old_start = slot.start
    Slot.objects.filter(pk=slot.pk).update(start=as_utc(new_start), end=as_utc(new_end))
    _persist_occurrence(activity, dated, start=new_start, end=new_end)
    live = SignUp.objects.filter(slot=slot, status__in=LIVE_SIGNUP_STATUSES)
    for signup in live:
        notify(
            member_id=signup.member_id,
            kind="occurrence_moved",
            now=now,
            signup=signup,
            old_start=as_utc(old_start).isoformat(),
            new_start=as_utc(new_start).isoformat(),
        )
    audit(
        at=now,
        actor=actor,
        action="occurrence_moved",
        slot=slot.pk,
        old_start=as_utc(old_start).isoformat(),
        new_start=as_utc(new_start).isoformat(),
    )
    slot.refresh_from_db()
    return slot
