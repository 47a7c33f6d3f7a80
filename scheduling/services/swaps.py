"""Swaps: a member offers their place, another eligible member takes it over in one step.

The place changes hands inside one transaction without being given back, so the occurrence is
never briefly short of a person and nobody on the waitlist can slip in between.
"""

from datetime import datetime

from django.db import transaction

from accounts.models import User
from scheduling import errors
from scheduling.models import LIVE_SIGNUP_STATUSES, SignUp, SignUpStatus, SwapOffer, SwapStatus
from scheduling.services.access import require_self_or_coordinator
from scheduling.services.records import audit, notify
from scheduling.services.signups import check_eligible


@transaction.atomic
def swap_offer_create(*, signup: SignUp, actor: User, now: datetime) -> SwapOffer:
    signup = SignUp.objects.select_related("slot").get(pk=signup.pk)
    require_self_or_coordinator(actor, signup.member_id)
    if signup.status != SignUpStatus.CONFIRMED or now >= signup.slot.start:
        raise errors.InvalidTransition()
    offer, _created = SwapOffer.objects.get_or_create(
        signup=signup, status=SwapStatus.OPEN, defaults={"created_at": now}
    )
    audit(at=now, actor=actor, action="swap_offered", signup=signup)
    return offer


@transaction.atomic
def swap_withdraw(*, offer: SwapOffer, actor: User, now: datetime) -> SwapOffer:
    offer = SwapOffer.objects.select_for_update().select_related("signup").get(pk=offer.pk)
    require_self_or_coordinator(actor, offer.signup.member_id)
    if offer.status != SwapStatus.OPEN:
        raise errors.SwapNotOpen()
    offer.status = SwapStatus.WITHDRAWN
    offer.save(update_fields=["status"])
    audit(at=now, actor=actor, action="swap_withdrawn", signup=offer.signup)
    return offer


@transaction.atomic
def swap_take(*, offer: SwapOffer, taker: User, now: datetime) -> SignUp:
    offer = (
        SwapOffer.objects.select_for_update(of=("self",))
        .select_related("signup__slot__activity__event")
        .get(pk=offer.pk)
    )
    if offer.status != SwapStatus.OPEN:
        raise errors.SwapNotOpen()
    given = SignUp.objects.select_for_update().get(pk=offer.signup_id)
    slot = offer.signup.slot
    if given.status != SignUpStatus.CONFIRMED or now >= slot.start:
        raise errors.SwapNotOpen()
    if (
        given.member_id == taker.pk
        or SignUp.objects.filter(slot=slot, member=taker, status__in=LIVE_SIGNUP_STATUSES).exists()
    ):
        raise errors.AlreadySignedUp()
    check_eligible(slot.activity, taker, slot.start)
    given.status = SignUpStatus.CANCELLED
    given.updated_at = now
    given.save(update_fields=["status", "updated_at"])
    audit(
        at=now,
        actor=taker,
        action="swapped_away",
        signup=given,
        from_status=SignUpStatus.CONFIRMED,
        to_status=SignUpStatus.CANCELLED,
    )
    taken = SignUp.objects.create(
        slot=slot,
        role_id=given.role_id,
        member=taker,
        status=SignUpStatus.CONFIRMED,
        created_by=taker,
        created_at=now,
        updated_at=now,
    )
    audit(
        at=now,
        actor=taker,
        action="swapped_in",
        signup=taken,
        to_status=SignUpStatus.CONFIRMED,
        swapped_with=given.pk,
    )
    offer.status = SwapStatus.TAKEN
    offer.taken_by = taken
    offer.save(update_fields=["status", "taken_by"])
    notify(member_id=given.member_id, kind="swap_taken", now=now, signup=given, taken_by=taker.pk)
    return taken
