"""Residents' pages of the Werkhaus: the tool catalogue, one booking, my bookings and loans, the
workshop programme and one date of it. Writes go through the services; refusals show in the
page next to the form that caused them."""

from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.errors import DomainError
from core.pages import add_domain_error, parse_stamp, render_form
from core.selectors import my_bookings_split
from scheduling import errors
from scheduling.models import (
    ACTIVE_STATUSES,
    Activity,
    ActivityKind,
    Resource,
    SignUpStatus,
    WaitlistEntry,
)
from scheduling.selectors import bookings_visible_to
from scheduling.selectors.occurrences import OccurrenceView, occurrences_in_window
from scheduling.services.bookings import booking_cancel
from scheduling.services.signups import SignupRequest, signup_cancel, signup_create
from scheduling.services.waitlist import waitlist_accept, waitlist_leave
from werkhaus.models import ToolCategory
from werkhaus.selectors import catalogue, tool_types

PROGRAMME_WEEKS = 8


def _member(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # behind login_required, or checked before
        raise PermissionDenied
    return user


# --- tools ------------------------------------------------------------------------------------


class ToolSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    kategorie = forms.ChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        choices=[("", gettext_lazy("All categories")), *ToolCategory.choices],
    )


@require_GET
def tools_page(request: HttpRequest) -> HttpResponse:
    """Tools to borrow, with free now or the next free date; search and category filter.
    Workbenches, machines and rooms follow below."""
    form = ToolSearchForm(request.GET or None)
    category, query = "", ""
    if form.is_valid():
        category, query = form.cleaned_data["kategorie"], form.cleaned_data["q"].strip()
    tools = tool_types(category=category or None)
    others = Resource.objects.filter(
        is_active=True, members_may_book=True, kind__in=("workbench", "machine", "room")
    ).order_by("kind", "name")
    if query:
        tools = tools.filter(
            Q(resource__name__icontains=query) | Q(resource__description__icontains=query)
        )
        others = others.filter(Q(name__icontains=query) | Q(description__icontains=query))
    context = {
        "form": form,
        "entries": catalogue(now=timezone.now(), tools=list(tools)),
        "others": list(others) if not category else [],
        "searched": bool(query or category),
    }
    return render_form(request, "werkhaus/pages/tools.html", context, invalid=bool(form.errors))


# --- bookings ---------------------------------------------------------------------------------


def _cancel_until(booking_start: datetime, cutoff_minutes: int) -> datetime:
    return booking_start - timedelta(minutes=cutoff_minutes)


@login_required
@require_http_methods(["GET", "POST"])
def booking_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One booking: what, when, its state; cancel until the cut-off; the due date of a loan."""
    member, now = _member(request), timezone.now()
    visible = bookings_visible_to(member_id=member.pk, is_coordinator=member.is_coordinator)
    booking = get_object_or_404(visible.select_related("loan"), pk=pk)
    form = forms.Form(request.POST or None)
    if request.method == "POST":
        try:
            booking_cancel(booking=booking, actor=member, now=now)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The booking is cancelled."))
            return HttpResponseRedirect(reverse("werkhaus:booking", args=[booking.pk]))
    cancel_until = _cancel_until(booking.start, booking.resource.cancel_cutoff_minutes)
    context = {
        "booking": booking,
        "loan": getattr(booking, "loan", None),
        "cancel_until": cancel_until,
        "can_cancel": booking.status in ACTIVE_STATUSES
        and (now < cancel_until or member.is_coordinator),
        "form": form,
    }
    return render_form(request, "werkhaus/pages/booking.html", context, invalid=bool(form.errors))


class BookingActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("cancel", "cancel"), ("accept", "accept"), ("leave", "leave")]
    )
    target = forms.IntegerField()


def _my_booking_action(member: User, action: str, target: int, now: datetime) -> str:
    """Carry out one action of the list; returns the success message."""
    if action == "cancel":
        booking = bookings_visible_to(member_id=member.pk, is_coordinator=False).filter(pk=target)
        found = booking.first()
        if found is None:
            raise errors.NotCancellable()
        booking_cancel(booking=found, actor=member, now=now)
        return _("The booking is cancelled.")
    entry = WaitlistEntry.objects.filter(member=member, pk=target).first()
    if entry is None:
        raise errors.InvalidTransition()
    if action == "accept":
        waitlist_accept(entry=entry, actor=member, now=now)
        return _("The offer is yours: it is now your booking.")
    waitlist_leave(entry=entry, actor=member, now=now)
    return _("You have left the waitlist.")


@login_required
@require_http_methods(["GET", "POST"])
def my_bookings_page(request: HttpRequest) -> HttpResponse:
    """My bookings and loans (running and upcoming first, with due dates), my waitlist places
    and offers, and the latest past bookings."""
    member, now = _member(request), timezone.now()
    form = BookingActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            messages.success(
                request,
                _my_booking_action(
                    member, form.cleaned_data["action"], form.cleaned_data["target"], now
                ),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            return HttpResponseRedirect(reverse("werkhaus:my-bookings"))
    elif request.method == "POST":
        form.add_error(None, _("Please use one of the buttons on this page."))
    mine = my_bookings_split(member=member, now=now)
    context = {"mine": mine, "form": form, "now": now}
    return render_form(
        request, "werkhaus/pages/my_bookings.html", context, invalid=bool(form.errors)
    )


# --- the workshop programme -------------------------------------------------------------------


@require_GET
def programme_page(request: HttpRequest) -> HttpResponse:
    """The workshop sessions of the coming weeks with their free places and my sign-ups."""
    now = timezone.now()
    member_id = request.user.pk if request.user.is_authenticated else None
    occurrences = occurrences_in_window(
        start=now,
        end=now + timedelta(weeks=PROGRAMME_WEEKS),
        kind=ActivityKind.WORKSHOP,
        member_id=member_id,
    )
    return render_form(
        request, "werkhaus/pages/programme.html", {"occurrences": occurrences, "now": now}
    )


def _occurrence(
    activity: Activity, original_start: datetime, member_id: int | None
) -> OccurrenceView:
    window = timedelta(days=60)
    for occurrence in occurrences_in_window(
        start=original_start - window,
        end=original_start + window,
        activity_ids=[activity.pk],
        member_id=member_id,
    ):
        if occurrence.original_start == original_start:
            return occurrence
    raise Http404


@require_http_methods(["GET", "POST"])
def occurrence_page(request: HttpRequest, event_id: int, original: str) -> HttpResponse:
    """One date of the programme (the calendar feeds link here): sign up, join the waitlist
    when full, or cancel."""
    original_start = parse_stamp(original)
    if original_start is None:
        raise Http404
    activity = get_object_or_404(
        Activity.objects.select_related("event"), event_id=event_id, kind=ActivityKind.WORKSHOP
    )
    now = timezone.now()
    member_id = request.user.pk if request.user.is_authenticated else None
    occurrence = _occurrence(activity, original_start, member_id)
    form = forms.Form(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        member = _member(request)
        action = request.POST.get("action")
        try:
            if action == "cancel":
                if occurrence.my_signup is None:
                    raise errors.NotCancellable()
                signup_cancel(signup=occurrence.my_signup, actor=member, now=now)
                done = _("Your sign-up is cancelled.")
            elif action in ("signup", "wait"):
                request_ = SignupRequest(
                    activity=activity,
                    start=original_start,
                    member=member,
                    waitlist=action == "wait",
                )
                signup = signup_create(request=request_, actor=member, now=now)
                if signup.status == SignUpStatus.WAITLISTED:
                    done = _("You are on the waitlist. We will let you know.")
                else:
                    done = _("You are signed up. See you there!")
            else:
                raise errors.InvalidTransition(_("Please use one of the buttons on this page."))
        except DomainError as error:
            add_domain_error(form, error)
            occurrence = _occurrence(activity, original_start, member_id)
        else:
            messages.success(request, done)
            return HttpResponseRedirect(request.path)
    context = {"occurrence": occurrence, "form": form, "now": now}
    return render_form(
        request, "werkhaus/pages/occurrence.html", context, invalid=bool(form.errors)
    )
