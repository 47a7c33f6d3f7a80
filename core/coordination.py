"""The coordinators' pages: today at a glance, the counter in the site's frame, approvals (room
requests, hours, plot allocations), booking on behalf of a member, and a password for a member
without e-mail. Writes go through the services; refusals show in the page with status 400."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from accounts.services import member_set_password
from core import coordination_selectors as reads
from core.errors import DomainError
from core.pages import add_domain_error, render_form
from garden.models import HoursEntry, Plot, PlotApplication
from garden.services.hours import hours_decide
from garden.services.plots import plot_allocate
from scheduling.models import Booking, BookingStatus, Resource
from scheduling.services.bookings import (
    BookingRequest,
    booking_approve,
    booking_cancel,
    booking_create,
)
from werkhaus.counter import counter_view

View = Callable[..., HttpResponse]


def coordinator_required(view: View) -> View:
    """Anonymous visitors go to the login; members who are not coordinators get 403."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not getattr(request.user, "is_coordinator", False):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def _coordinator(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # behind coordinator_required
        raise PermissionDenied
    return user


# --- today ------------------------------------------------------------------------------------


@require_GET
@coordinator_required
def today_page(request: HttpRequest) -> HttpResponse:
    """Pick-ups and returns due today, overdue loans, today's bookings, sessions and shifts with
    their staffing, today's walk-ins, and what waits for approval; each links to where to act."""
    now = timezone.now()
    context = {"today": reads.today(now=now), "now": now}
    return render_form(request, "core/coordination/today.html", context)


# --- the counter ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@coordinator_required
def counter_page(request: HttpRequest) -> HttpResponse:
    """The administration's counter (werkhaus.counter) in the site's frame."""
    return counter_view(
        request,
        template="core/coordination/counter.html",
        url_name="coordination:counter",
        refusals_in_page=True,
    )


# --- approvals --------------------------------------------------------------------------------

APPROVAL_ACTIONS = [
    ("approve", "approve"),
    ("reject", "reject"),
    ("hours_approve", "hours_approve"),
    ("hours_reject", "hours_reject"),
    ("allocate", "allocate"),
]


class DecisionForm(forms.Form):
    action = forms.ChoiceField(choices=APPROVAL_ACTIONS)
    target = forms.IntegerField(min_value=1)
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=200)
    plot = forms.IntegerField(label=gettext_lazy("Plot"), required=False, min_value=1)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        rejects = data.get("action") in ("reject", "hours_reject")
        if rejects and not str(data.get("reason") or "").strip():
            self.add_error("reason", _("Please give a reason: the member reads it."))
        if data.get("action") == "allocate" and not data.get("plot"):
            self.add_error("plot", _("Please choose a plot."))
        return data


class Gone(DomainError):
    default_message = gettext_lazy("This no longer waits for a decision.")


def _decide(data: dict[str, Any], actor: User) -> str:
    """Carry out one decision; returns the success message."""
    now, action, target = timezone.now(), str(data["action"]), int(data["target"])
    if action in ("approve", "reject"):
        booking = Booking.objects.filter(pk=target, status=BookingStatus.REQUESTED).first()
        if booking is None:
            raise Gone()
        if action == "approve":
            booking_approve(booking=booking, actor=actor, now=now)
            return _("Approved. The member gets a message.")
        booking_cancel(booking=booking, actor=actor, now=now, reason=str(data["reason"]).strip())
        return _("Declined. The member gets a message with your reason.")
    if action in ("hours_approve", "hours_reject"):
        entry = HoursEntry.objects.filter(pk=target).first()
        if entry is None:
            raise Gone()
        approve = action == "hours_approve"
        reason = str(data["reason"] or "")
        hours_decide(entry=entry, actor=actor, now=now, approve=approve, reason=reason)
        return _("The hours are approved.") if approve else _("Hours rejected.")
    application = PlotApplication.objects.filter(pk=target).first()
    plot = Plot.objects.filter(pk=data["plot"]).first()
    if application is None:
        raise Gone()
    if plot is None:
        raise Gone(_("This plot does not exist."), fields={"plot": [_("Please choose a plot.")]})
    booking = plot_allocate(application=application, plot=plot, actor=actor, now=now)
    return _("Plot %(number)s is allocated to %(member)s.") % {
        "number": plot.number,
        "member": booking.member,
    }


KIND_OF_ACTION = {"approve": "booking", "reject": "booking", "allocate": "application"}


def _failed(form: DecisionForm) -> tuple[str, int | None]:
    """Which item a refused decision was about, to show its messages next to it."""
    if not form.errors:
        return "", None
    action, target = str(form.data.get("action", "")), str(form.data.get("target", ""))
    return KIND_OF_ACTION.get(action, "hours"), int(target) if target.isdigit() else None


@require_http_methods(["GET", "POST"])
@coordinator_required
def approvals_page(request: HttpRequest) -> HttpResponse:
    """Room requests to approve or decline (with a reason), hours to approve or reject, and
    plot applications to allocate a free plot to."""
    actor = _coordinator(request)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                done = _decide(form.cleaned_data, actor)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(request, done)
                return HttpResponseRedirect(reverse("coordination:approvals"))
        elif "action" in form.errors or "target" in form.errors:
            form.add_error(None, _("Please use one of the buttons on this page."))
    rooms = list(reads.rooms_waiting(now=timezone.now()))
    hours = list(reads.hours_waiting())
    seasons = reads.plots_to_allocate()
    listed = {
        "booking": {b.pk for b in rooms},
        "hours": {e.pk for e in hours},
        "application": {a.pk for s in seasons for a in s.applications},
    }
    kind, target = _failed(form)
    if target not in listed.get(kind, set()):
        target = None  # gone from the lists: its messages go to the top of the page
    context = {
        "form": form,
        "failed_kind": kind,
        "failed_target": target,
        "rooms": rooms,
        "hours": hours,
        "seasons": seasons,
    }
    return render_form(
        request, "core/coordination/approvals.html", context, invalid=bool(form.errors)
    )


# --- booking on behalf of a member ------------------------------------------------------------

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


class LocalMinuteField(forms.DateTimeField):
    """A local date and time to the minute (``<input type=datetime-local>``); the time zone is
    the site's, and a time that does not exist there (the spring gap) is refused."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE)
    input_formats = [LOCAL_MINUTE]


class BookForForm(forms.Form):
    member = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True), widget=forms.HiddenInput
    )
    resource = forms.ModelChoiceField(
        label=gettext_lazy("What"),
        queryset=Resource.objects.filter(is_active=True)
        .exclude(kind="plot")
        .order_by("kind", "name"),
    )
    start = LocalMinuteField(label=gettext_lazy("From"))
    end = LocalMinuteField(label=gettext_lazy("Until"))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=200)
    override = forms.BooleanField(
        label=gettext_lazy("Book outside the rules (opening hours, lengths, limits)"),
        required=False,
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        return data


@require_http_methods(["GET", "POST"])
@coordinator_required
def book_for_page(request: HttpRequest) -> HttpResponse:
    """Find a member by name or phone, then book a resource for them; the booking is theirs,
    confirmed at once (coordinators need no approval), and they get a message."""
    actor = _coordinator(request)
    query = request.GET.get("q", "").strip()[:100]
    chosen_id = request.POST.get("member") or request.GET.get("mitglied", "")
    chosen = (
        User.objects.filter(pk=chosen_id, is_active=True).first() if chosen_id.isdigit() else None
    )
    form = BookForForm(request.POST or None, initial={"member": chosen.pk if chosen else None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = booking_create(
                request=BookingRequest(
                    resource=data["resource"],
                    member=data["member"],
                    start=data["start"],
                    end=data["end"],
                    note=data["note"],
                    override=data["override"],
                ),
                actor=actor,
                now=timezone.now(),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Booked for %(member)s. Here are the details.") % {"member": data["member"]},
            )
            return HttpResponseRedirect(reverse("werkhaus:booking", args=[booking.pk]))
    if request.method == "POST" and "member" in form.errors:
        form.add_error(None, _("Please find the member first."))
    context = {
        "form": form,
        "query": query,
        "found": list(reads.members_found(query=query)) if query and chosen is None else [],
        "chosen": chosen,
    }
    return render_form(request, "core/coordination/book.html", context, invalid=bool(form.errors))


# --- a password for a member without e-mail ---------------------------------------------------


class MemberPasswordForm(SetPasswordForm):  # type: ignore[type-arg]  # not generic at run time
    """Django's new-password pair with its validators, and a username when the member has
    none; the service sets them."""

    username = forms.CharField(
        label=gettext_lazy("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=gettext_lazy("The member logs in with it. Letters, digits and @.+-_ only."),
    )
    field_order = ["username", "new_password1", "new_password2"]

    def __init__(self, member: User, *args: object, **kwargs: object) -> None:
        super().__init__(member, *args, **kwargs)
        if member.username is not None:
            del self.fields["username"]


@require_http_methods(["GET", "POST"])
@coordinator_required
def member_password_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a password (and a username, for a walk-in) for a member without e-mail."""
    actor = _coordinator(request)
    member = get_object_or_404(User, pk=pk, is_active=True)
    form = MemberPasswordForm(member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = member_set_password(
                member=member,
                actor=actor,
                password=form.cleaned_data["new_password1"],
                username=form.cleaned_data.get("username"),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(member)s can now log in as “%(username)s”.")
                % {"member": member, "username": member.username},
            )
            return HttpResponseRedirect(reverse("coordination:book") + f"?mitglied={member.pk}")
    context = {"form": form, "member": member}
    return render_form(
        request, "core/coordination/member_password.html", context, invalid=bool(form.errors)
    )
