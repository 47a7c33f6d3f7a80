"""Residents' pages of the engine: a resource's week with booking in few taps, my dates (sign-ups
for sessions and shifts), and my settings (calendar feed, reminders, language)."""

from datetime import date, datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.services import member_update_profile
from core.errors import DomainError
from core.pages import StampField, add_domain_error, render_form, stamp
from core.selectors import length_choices, monday_of, my_signups, resource_week
from scheduling import errors
from scheduling.models import FeedToken, Resource, SignUp, SignUpStatus
from scheduling.services.bookings import BookingRequest, booking_create
from scheduling.services.feeds import feed_token_issue, feed_token_revoke
from scheduling.services.reminders import reminder_choices, reminder_choices_set
from scheduling.services.signups import signup_accept_offer, signup_cancel
from scheduling.services.waitlist import waitlist_join


class SlotForm(forms.Form):
    start = StampField(label=gettext_lazy("Start"))
    end = StampField(label=gettext_lazy("End"))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, datetime) and isinstance(end, datetime) and end <= start:
            self.add_error("end", errors.InvalidRange.default_message)
        return data


def _week_param(request: HttpRequest, today: date) -> date:
    try:
        return monday_of(date.fromisoformat(request.GET.get("woche", "")))
    except ValueError:
        return monday_of(today)


def _length_param(request: HttpRequest, lengths: list[int]) -> int:
    raw = request.GET.get("dauer", "")
    return int(raw) if raw.isdigit() and int(raw) in lengths else lengths[0]


def _member(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # behind login_required, or checked before
        raise PermissionDenied
    return user


@require_http_methods(["GET", "POST"])
def resource_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The week of one resource: free slots to pick, busy ones to wait for; pick → confirm →
    done. Busy times show no names."""
    resource = get_object_or_404(Resource.objects.select_related("tool"), pk=pk, is_active=True)
    now = timezone.now()
    today = timezone.localdate(now)
    lengths = length_choices(resource)
    length = _length_param(request, lengths)
    monday = _week_param(request, today)
    form: SlotForm | None = None
    refused_code = ""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        form = SlotForm(request.POST)
        if form.is_valid():
            member = _member(request)
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            try:
                if request.POST.get("action") == "wait":
                    waitlist_join(
                        resource=resource,
                        member=member,
                        start=start,
                        end=end,
                        actor=member,
                        now=now,
                    )
                    messages.success(request, _("You are on the waitlist. We will let you know."))
                    return HttpResponseRedirect(reverse("werkhaus:my-bookings"))
                booking = booking_create(
                    request=BookingRequest(resource=resource, member=member, start=start, end=end),
                    actor=member,
                    now=now,
                )
            except DomainError as error:
                add_domain_error(form, error)
                refused_code = error.code
            else:
                messages.success(request, _("Booked. Here are the details."))
                return HttpResponseRedirect(reverse("werkhaus:booking", args=[booking.pk]))
    elif "start" in request.GET:
        form = SlotForm(request.GET)
        form.is_valid()
    chosen = form.cleaned_data if form is not None and hasattr(form, "cleaned_data") else {}
    chosen_start, chosen_end = chosen.get("start"), chosen.get("end")
    if isinstance(chosen_start, datetime) and request.method == "POST":
        monday = monday_of(timezone.localdate(chosen_start))
    week = resource_week(resource=resource, monday=monday, length=length, now=now)
    chosen_free = any(
        s.free and s.start == chosen_start and s.end == chosen_end for d in week for s in d.slots
    )
    context = {
        "resource": resource,
        "tool": getattr(resource, "tool", None),
        "monday": monday,
        "previous": monday - timedelta(7) if monday > monday_of(today) else None,
        "following": monday + timedelta(7),
        "this_week": monday_of(today),
        "lengths": lengths,
        "length": length,
        "form": form,
        "chosen_start": chosen_start,
        "chosen_end": chosen_end,
        "offer_waitlist": bool(chosen_start)
        and (refused_code == errors.SlotTaken.code or (not chosen_free and not refused_code)),
        "days": [
            (day.day, [(s, slot_query(s.start, s.end, monday, length)) for s in day.slots])
            for day in week
        ],
    }
    invalid = form is not None and bool(form.errors)
    return render_form(request, "scheduling/pages/resource.html", context, invalid=invalid)


# --- my dates ---------------------------------------------------------------------------------


class SignupChoiceForm(forms.Form):
    signup = forms.IntegerField(widget=forms.HiddenInput)
    action = forms.ChoiceField(choices=[("cancel", "cancel"), ("accept", "accept")])


@login_required
@require_http_methods(["GET", "POST"])
def my_dates_page(request: HttpRequest) -> HttpResponse:
    """My sign-ups for workshop sessions and garden shifts, soonest first; cancel, accept."""
    member, now = _member(request), timezone.now()
    form = SignupChoiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signup = SignUp.objects.filter(member=member, pk=form.cleaned_data["signup"]).first()
        try:
            if signup is None:
                raise errors.NotCancellable()
            if form.cleaned_data["action"] == "accept":
                signup_accept_offer(signup=signup, actor=member, now=now)
                messages.success(request, _("You have the place."))
            else:
                signup_cancel(signup=signup, actor=member, now=now)
                messages.success(request, _("Your sign-up is cancelled."))
            return HttpResponseRedirect(reverse("scheduling:my-dates"))
        except DomainError as error:
            add_domain_error(form, error)
    context = {
        "signups": list(my_signups(member=member, now=now)),
        "form": form,
        "offered": SignUpStatus.OFFERED,
    }
    invalid = request.method == "POST"  # a valid POST has redirected
    return render_form(request, "scheduling/pages/my_dates.html", context, invalid=invalid)


# --- my settings ------------------------------------------------------------------------------


class LanguageForm(forms.Form):
    preferred_language = forms.ChoiceField(
        label=gettext_lazy("Language for e-mails and pages"), choices=settings.LANGUAGES
    )


def _feed_url(request: HttpRequest, key: str) -> str:
    return request.build_absolute_uri(reverse("ical:member", kwargs={"token": key}))


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    """My calendar feed (new address, switch off), my reminders and my language."""
    member, now = _member(request), timezone.now()
    action = request.POST.get("action", "")
    language_form = LanguageForm(initial={"preferred_language": member.preferred_language})
    reminder_errors: list[str] = []
    feed_url = ""
    invalid = False
    if action == "feed_new":
        feed_url = _feed_url(request, feed_token_issue(member=member, actor=member, now=now))
    elif action == "feed_off":
        feed_token_revoke(member=member, actor=member, now=now)
        messages.success(request, _("Your calendar feed is switched off."))
        return HttpResponseRedirect(reverse("scheduling:settings"))
    elif action == "reminders":
        wanted = set(request.POST.getlist("reminders"))
        offered = [kind for kind, _label, _on in reminder_choices(member=member)]
        chosen = {kind: kind in wanted for kind in offered}
        chosen.update(dict.fromkeys(wanted - set(offered), True))
        try:
            reminder_choices_set(member=member, choices=chosen, now=now)
        except DomainError as error:
            reminder_errors.append(str(error.message))
            invalid = True
        else:
            messages.success(request, _("Your reminders are saved."))
            return HttpResponseRedirect(reverse("scheduling:settings"))
    elif action == "language":
        language_form = LanguageForm(request.POST)
        if language_form.is_valid():
            code = language_form.cleaned_data["preferred_language"]
            member_update_profile(member=member, changes={"preferred_language": code})
            translation.activate(code)
            messages.success(request, _("Your language is saved."))
            response = HttpResponseRedirect(reverse("scheduling:settings"))
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, samesite="Lax")
            return response
        invalid = True
    elif request.method == "POST":
        invalid = True
        reminder_errors.append(_("Please use one of the buttons on this page."))
    context = {
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[-1] if feed_url else "",
        "feed_active": FeedToken.objects.filter(
            member=member, purpose="calendar", revoked_at__isnull=True
        ).exists(),
        "reminders": reminder_choices(member=member),
        "reminder_errors": reminder_errors,
        "language_form": language_form,
    }
    return render_form(request, "scheduling/pages/settings.html", context, invalid=invalid)


def slot_query(start: datetime, end: datetime, monday: date, length: int) -> str:
    """The address part that opens the confirmation of one slot."""
    query: dict[str, str | int] = {
        "woche": monday.isoformat(),
        "dauer": length,
        "start": stamp(start),
        "end": stamp(end),
    }
    return "?" + urlencode(query)
