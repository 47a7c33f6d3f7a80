"""The counter page in the administration: type or scan an inventory number (or a member's
name or phone), then check out, check in or lend to a walk-in in a few clicks."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import member_match, members_typed
from core.errors import DomainError
from scheduling.models import ACTIVE_STATUSES, Booking, BookingStatus, Closure, Unit
from werkhaus.models import Condition, Loan, LoanStatus, ToolType
from werkhaus.services.loans import (
    EARLY_PICK_UP,
    CheckIn,
    CheckOut,
    loan_check_in,
    loan_check_out,
    loan_walk_in,
    tool_unit_for,
)


class CheckOutForm(forms.Form):
    booking = forms.IntegerField(widget=forms.HiddenInput)
    condition = forms.ChoiceField(label=_("condition"), choices=Condition.choices)
    deposit = forms.DecimalField(label=_("deposit taken"), min_value=Decimal(0), decimal_places=2)


class CheckInForm(forms.Form):
    loan = forms.IntegerField(widget=forms.HiddenInput)
    condition = forms.ChoiceField(label=_("condition"), choices=Condition.choices)
    damage_report = forms.CharField(
        label=_("damage report"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    deposit_kept = forms.DecimalField(
        label=_("deposit kept"), min_value=Decimal(0), decimal_places=2, initial=Decimal(0)
    )


class MemberByNameField(forms.CharField):
    """A member as typed at the counter: their name or part of it, username or phone number, or
    ``#`` and their number. One match is the member; none or several is a refusal that says
    so. (A drop-down of every member would not do at a few thousand.)"""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 150)
        kwargs.setdefault(
            "help_text", _("Name, username or phone number; #number for one member exactly.")
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> User:
        text = str(super().clean(value)).strip()
        found = members_typed(text)
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(
                _("No member matches “%(text)s”."), code="no_member", params={"text": text}
            )
        raise forms.ValidationError(
            _("Several members match “%(text)s”: type more of the name, or the username."),
            code="several_members",
            params={"text": text},
        )


class WalkInForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    member = MemberByNameField(label=_("member"))
    until = forms.DateField(label=_("back on"), widget=forms.DateInput(attrs={"type": "date"}))
    condition = forms.ChoiceField(label=_("condition"), choices=Condition.choices)
    deposit = forms.DecimalField(label=_("deposit taken"), min_value=Decimal(0), decimal_places=2)


@dataclass
class UnitCard:
    unit: Unit
    tool: ToolType | None
    condition: str
    blocked: Closure | None
    loan: Loan | None
    reservation: Booking | None

    @property
    def condition_label(self) -> str:
        """The condition as people read it ("gut"), not its code ("good")."""
        return str(Condition(self.condition).label)


def _card(unit: Unit, now: datetime) -> UnitCard:
    loan = (
        Loan.objects.select_related("booking__member")
        .filter(booking__unit=unit, status=LoanStatus.CHECKED_OUT)
        .first()
    )
    reservation = (
        Booking.objects.select_related("member")
        .filter(
            unit=unit,
            status=BookingStatus.CONFIRMED,
            loan__isnull=True,
            start__lte=now + EARLY_PICK_UP,
            end__gt=now,
        )
        .order_by("start")
        .first()
    )
    return UnitCard(
        unit=unit,
        tool=ToolType.objects.filter(resource_id=unit.resource_id).first(),
        condition=tool_unit_for(unit).condition,
        blocked=Closure.objects.filter(unit=unit, start__lte=now, end__gt=now).first(),
        loan=loan,
        reservation=reservation,
    )


def _back_on(day: Any) -> datetime:
    """A loan returned "on" a day runs until the end of that day."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time()))


ADMIN_TEMPLATE = "werkhaus/admin/counter.html"


def counter_view(
    request: HttpRequest,
    *,
    template: str = ADMIN_TEMPLATE,
    url_name: str = "admin:werkhaus_counter",
    refusals_in_page: bool = False,
) -> HttpResponse:
    """The counter in the administration, and (with the coordinators' ``template`` and
    ``url_name``) in the site's frame, where a refusal answers 400 with the page instead of
    redirecting to it."""
    actor = request.user
    assert isinstance(actor, User)  # noqa: S101 - admin_view requires staff
    now = timezone.now()
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()
    # A member just registered at the counter (?mitglied=<id>) comes back as the walk-in.
    chosen = request.GET.get("mitglied", "")
    status = 200
    if request.method == "POST":
        done = _act(request, actor, now)
        if done or not refusals_in_page:
            return HttpResponseRedirect(f"{reverse(url_name)}?{urlencode({'q': query})}")
        status = 400
    unit = (
        Unit.objects.select_related("resource").filter(label__iexact=query).first()
        if query
        else None
    )
    card = _card(unit, now) if unit else None
    members = []
    if query and unit is None:
        members = list(User.objects.filter(member_match(query)).order_by("display_name")[:10])
    # What the members found have out and may pick up: two queries for all of them.
    loans_of: dict[int, list[Loan]] = defaultdict(list)
    for loan in Loan.objects.select_related("booking__unit", "booking__resource").filter(
        booking__member__in=members, status=LoanStatus.CHECKED_OUT
    ):
        loans_of[loan.booking.member_id].append(loan)
    reservations_of: dict[int, list[Booking]] = defaultdict(list)
    for booking in Booking.objects.select_related("unit", "resource").filter(
        member__in=members,
        resource__kind="tool",
        status__in=ACTIVE_STATUSES,
        loan__isnull=True,
        start__lte=now + EARLY_PICK_UP,
        end__gt=now,
    ):
        reservations_of[booking.member_id].append(booking)
    deposit = card.tool.deposit if card and card.tool else Decimal(0)
    context = {
        "title": _("Counter"),
        "query": query,
        "card": card,
        "members": [(m, loans_of[m.pk], reservations_of[m.pk]) for m in members],
        "check_out_form": CheckOutForm(
            initial={
                "condition": card.condition if card else Condition.GOOD,
                "deposit": deposit,
                "booking": card.reservation.pk if card and card.reservation else None,
            }
        ),
        "check_in_form": CheckInForm(
            initial={
                "condition": Condition.GOOD,
                "loan": card.loan.pk if card and card.loan else None,
            }
        ),
        "walk_in_form": WalkInForm(
            initial={
                "unit": unit.pk if unit else None,
                "member": f"#{chosen}" if chosen.isdigit() else "",
                "condition": card.condition if card else Condition.GOOD,
                "deposit": deposit,
                "until": (now + timedelta(days=2)).date(),
            }
        ),
        "overdue": Loan.objects.filter(status=LoanStatus.CHECKED_OUT, booking__end__lt=now).count(),
    }
    return render(request, template, context, status=status)


def _act(request: HttpRequest, actor: User, now: datetime) -> bool:
    """Carry out the posted action; True when it was done, else its refusal is a message."""
    action = request.POST.get("action")
    try:
        if action == "check_out":
            form: forms.Form = CheckOutForm(request.POST)
            if form.is_valid():
                booking = Booking.objects.get(pk=form.cleaned_data["booking"])
                loan_check_out(
                    booking=booking,
                    actor=actor,
                    now=now,
                    check=CheckOut(
                        condition=form.cleaned_data["condition"],
                        deposit=form.cleaned_data["deposit"],
                    ),
                )
                messages.success(request, _("Checked out."))
                return True
        elif action == "check_in":
            form = CheckInForm(request.POST)
            if form.is_valid():
                loan = Loan.objects.get(pk=form.cleaned_data["loan"])
                loan_check_in(
                    loan=loan,
                    actor=actor,
                    now=now,
                    check=CheckIn(
                        condition=form.cleaned_data["condition"],
                        damage_report=form.cleaned_data["damage_report"],
                        deposit_kept=form.cleaned_data["deposit_kept"],
                    ),
                )
                messages.success(request, _("Checked in."))
                return True
        elif action == "walk_in":
            form = WalkInForm(request.POST)
            if form.is_valid():
                unit = Unit.objects.get(pk=form.cleaned_data["unit"])
                tool = ToolType.objects.get(resource_id=unit.resource_id)
                loan_walk_in(
                    tool=tool,
                    member=form.cleaned_data["member"],
                    until=_back_on(form.cleaned_data["until"]),
                    actor=actor,
                    now=now,
                    check=CheckOut(
                        condition=form.cleaned_data["condition"],
                        deposit=form.cleaned_data["deposit"],
                    ),
                    unit=unit,
                )
                messages.success(request, _("Lent to a walk-in."))
                return True
        else:
            messages.error(request, _("Unknown action."))
            return False
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, str(error))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    except (Booking.DoesNotExist, Loan.DoesNotExist, Unit.DoesNotExist, ToolType.DoesNotExist):
        messages.error(request, _("Not found."))
    return False
