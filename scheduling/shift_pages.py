"""Volunteers' and honorary workers' pages of the engine: the open shifts (by day and role,
understaffed first), one shift with sign-up per role, cancel, and swaps (offer, withdraw, take
over). Writes go through the services; refusals show in the page of the shift."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.errors import DomainError
from core.pages import add_domain_error, parse_stamp, render_form
from core.selectors import local_midnight
from scheduling import errors
from scheduling.models import (
    Activity,
    ActivityKind,
    ActivityRole,
    Eligibility,
    MemberQualification,
    SignUpStatus,
    SwapOffer,
)
from scheduling.selectors.occurrences import OccurrenceView, occurrences_in_window
from scheduling.selectors.swaps import open_swap_offers
from scheduling.services.signups import SignupRequest, signup_cancel, signup_create
from scheduling.services.swaps import swap_offer_create, swap_take, swap_withdraw

SHIFT_WEEKS = 4  # how far ahead the list of open shifts looks
NEARBY = timedelta(days=60)  # where to look for one shift around its original start


def _member(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # behind login_required
        raise PermissionDenied
    return user


# --- who may take a shift (reads; a page-side mirror of the service's check) ------------------


@dataclass(frozen=True)
class Holdings:
    """The member's role flags and qualifications, read once for a whole list of shifts."""

    member: User
    qualifications: dict[int, list[tuple[datetime, datetime | None]]]

    @classmethod
    def of(cls, member: User) -> "Holdings":
        held: dict[int, list[tuple[datetime, datetime | None]]] = defaultdict(list)
        for qualification_id, granted, until in MemberQualification.objects.filter(
            member=member, revoked_at__isnull=True
        ).values_list("qualification_id", "granted_at", "valid_until"):
            held[qualification_id].append((granted, until))
        return cls(member=member, qualifications=dict(held))

    def holds(self, qualification_id: int, at: datetime) -> bool:
        return any(
            granted <= at and (until is None or until >= at)
            for granted, until in self.qualifications.get(qualification_id, [])
        )

    def why_not(self, activity: Activity, at: datetime) -> str:
        """The reason in the member's words why they may not take the shift; empty when they
        may. The service checks again; this only decides which buttons the page offers."""
        member = self.member
        kind = activity.eligibility
        if kind == Eligibility.VOLUNTEERS and not (
            member.is_volunteer or member.is_honorary_worker
        ):
            return _("Only volunteers and honorary workers can take this shift.")
        if kind == Eligibility.HONORARY and not member.is_honorary_worker:
            return _("Only honorary workers can take this shift.")
        required = activity.required_qualification
        if kind == Eligibility.QUALIFIED and required is None:
            return str(errors.NotEligible.default_message)
        if required is not None and not self.holds(required.pk, at):
            return _("This shift needs a qualification first: %(name)s.") % {"name": required}
        return ""


# --- the list -----------------------------------------------------------------------------------


@dataclass
class ShiftCard:
    occurrence: OccurrenceView
    not_eligible: str
    closed: bool
    my_role: str = ""
    my_offer: SwapOffer | None = None
    offers: list[SwapOffer] = field(default_factory=list)  # others' open offers


def _closed(occurrence: OccurrenceView, now: datetime) -> bool:
    cutoff = occurrence.start - timedelta(minutes=occurrence.activity.signup_cutoff_minutes)
    return now >= cutoff


def _open_offers(slot_ids: list[int], now: datetime) -> list[SwapOffer]:
    if not slot_ids:
        return []
    return list(
        open_swap_offers(now=now)
        .filter(signup__slot_id__in=slot_ids)
        .select_related("signup")
        .order_by("created_at", "pk")
    )


def shift_cards(occurrences: list[OccurrenceView], member: User, now: datetime) -> list[ShiftCard]:
    """Cards for shifts, understaffed first, each with what the member may do: two queries
    (qualifications, open swap offers) whatever the number of shifts."""
    holdings = Holdings.of(member)
    offers = _open_offers([o.slot_id for o in occurrences if o.slot_id is not None], now)
    by_slot: dict[int, list[SwapOffer]] = defaultdict(list)
    for offer in offers:
        by_slot[offer.signup.slot_id].append(offer)
    cards = []
    for occurrence in occurrences:
        slot_offers = by_slot.get(occurrence.slot_id or 0, [])
        mine = occurrence.my_signup
        roles = {r.role_id: r.name for r in occurrence.roles}
        cards.append(
            ShiftCard(
                occurrence=occurrence,
                not_eligible=holdings.why_not(occurrence.activity, occurrence.start),
                closed=_closed(occurrence, now),
                my_role=roles.get(mine.role_id, "") if mine is not None else "",
                my_offer=next((o for o in slot_offers if o.signup.member_id == member.pk), None),
                offers=[o for o in slot_offers if o.signup.member_id != member.pk],
            )
        )
    cards.sort(key=lambda c: (not c.occurrence.understaffed, c.occurrence.start))
    return cards


class ShiftFilterForm(forms.Form):
    tag = forms.DateField(
        label=gettext_lazy("Day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    rolle = forms.ChoiceField(label=gettext_lazy("Role"), required=False)

    def __init__(self, data: QueryDict | None, *, roles: list[str]) -> None:
        super().__init__(data)
        self.fields["rolle"] = forms.ChoiceField(
            label=gettext_lazy("Role"),
            required=False,
            choices=[("", gettext_lazy("All roles")), *((n, n) for n in roles)],
        )


def _window(day: date | None, now: datetime) -> tuple[datetime, datetime]:
    if day is None:
        return now, now + timedelta(weeks=SHIFT_WEEKS)
    return max(local_midnight(day), now), local_midnight(day + timedelta(days=1))


@login_required
@require_GET
def shifts_page(request: HttpRequest) -> HttpResponse:
    """Open garden shifts of the coming weeks, understaffed first; filter by day and role."""
    member, now = _member(request), timezone.now()
    roles = ActivityRole.objects.filter(activity__kind=ActivityKind.SHIFT).exclude(name="")
    names = sorted(set(roles.values_list("name", flat=True)))
    form = ShiftFilterForm(request.GET or None, roles=names)
    day, role = None, ""
    if form.is_valid():
        day, role = form.cleaned_data["tag"], form.cleaned_data["rolle"]
    start, end = _window(day, now)
    dated = (
        occurrences_in_window(start=start, end=end, kind=ActivityKind.SHIFT, member_id=member.pk)
        if start < end
        else []
    )
    found = [
        o
        for o in dated
        if not o.cancelled and o.end > now and (not role or any(r.name == role for r in o.roles))
    ]
    context = {
        "form": form,
        "cards": shift_cards(found, member, now),
        "filtered": bool(day or role),
        "role": role,
        "now": now,
    }
    return render_form(request, "scheduling/pages/shifts.html", context, invalid=bool(form.errors))


# --- one shift ----------------------------------------------------------------------------------


def _occurrence(activity: Activity, original_start: datetime, member_id: int) -> OccurrenceView:
    for occurrence in occurrences_in_window(
        start=original_start - NEARBY,
        end=original_start + NEARBY,
        activity_ids=[activity.pk],
        member_id=member_id,
    ):
        if occurrence.original_start == original_start:
            return occurrence
    raise Http404


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return request.path


def _act(
    request: HttpRequest, activity: Activity, occurrence: OccurrenceView, now: datetime
) -> str:
    """Carry out the button pressed; the message to show, or a DomainError."""
    member = _member(request)
    action = request.POST.get("action")
    mine = occurrence.my_signup
    if action == "signup":
        raw = request.POST.get("role", "")
        role = None
        if raw:
            role = ActivityRole.objects.filter(
                activity=activity, pk=int(raw) if raw.isdigit() else 0
            ).first()
            if role is None:
                raise errors.UnknownRole()
        signup_create(
            request=SignupRequest(
                activity=activity, start=occurrence.original_start, member=member, role=role
            ),
            actor=member,
            now=now,
        )
        return _("You are signed up for the shift. Thank you!")
    if action in ("cancel", "swap") and mine is None:
        raise errors.NotCancellable()
    if action == "cancel" and mine is not None:
        signup_cancel(signup=mine, actor=member, now=now)
        return _("Your sign-up is cancelled.")
    if action == "swap" and mine is not None:
        swap_offer_create(signup=mine, actor=member, now=now)
        return _("Your shift is offered for a swap. It stays yours until someone takes it over.")
    if action in ("withdraw", "take"):
        raw = request.POST.get("offer", "")
        offer = SwapOffer.objects.filter(
            pk=int(raw) if raw.isdigit() else 0, signup__slot_id=occurrence.slot_id or 0
        ).first()
        if offer is None:
            raise errors.SwapNotOpen()
        if action == "withdraw":
            swap_withdraw(offer=offer, actor=member, now=now)
            return _("Your swap offer is withdrawn.")
        swap_take(offer=offer, taker=member, now=now)
        return _("The shift is yours now. Thank you!")
    raise errors.InvalidTransition(_("Please use one of the buttons on this page."))


@login_required
@require_http_methods(["GET", "POST"])
def shift_page(request: HttpRequest, event_id: int, original: str) -> HttpResponse:
    """One shift (the calendar feeds link here): its roles and places, sign up per role,
    cancel, offer it for a swap or take over someone's offer."""
    original_start = parse_stamp(original)
    if original_start is None:
        raise Http404
    activity = get_object_or_404(
        Activity.objects.select_related("event", "required_qualification"),
        event_id=event_id,
        kind=ActivityKind.SHIFT,
    )
    member, now = _member(request), timezone.now()
    occurrence = _occurrence(activity, original_start, member.pk)
    form = forms.Form(request.POST or None)
    if request.method == "POST":
        try:
            done = _act(request, activity, occurrence, now)
        except DomainError as error:
            add_domain_error(form, error)
            occurrence = _occurrence(activity, original_start, member.pk)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(_next(request))
    (card,) = shift_cards([occurrence], member, now)
    context = {
        "card": card,
        "o": occurrence,
        "form": form,
        "now": now,
        "confirmed": SignUpStatus.CONFIRMED,
    }
    return render_form(request, "scheduling/pages/shift.html", context, invalid=bool(form.errors))
