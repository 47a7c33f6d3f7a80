"""Pages of the garden: the garden map, a resident's plot application and plot, a volunteer's
hours log, and the printable monthly honorarium for coordinators."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from core.errors import DomainError
from core.pages import add_domain_error, render_form
from core.selectors import my_garden
from garden.errors import NotOffered
from garden.models import HoursEntry, HoursStatus, PlotApplication, Season
from garden.selectors import garden_map
from garden.services.hours import honorarium_report, hours_log
from garden.services.plots import plot_offer_accept, plot_offer_decline, season_apply

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _shift(year: int, month: int, by: int) -> date:
    index = year * 12 + month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


@never_cache
@staff_member_required
@require_GET
def honorarium_this_month(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return HttpResponseRedirect(
        reverse("garden:honorarium", kwargs={"year": today.year, "month": today.month})
    )


@never_cache
@staff_member_required
@require_GET
def honorarium_page(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """The month's honorarium per person, with subtotals and the total, ready to print; the
    CSV link gives the same figures for a spreadsheet."""
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404
    report = honorarium_report(year=year, month=month)
    previous, following = _shift(year, month, -1), _shift(year, month, 1)
    csv_url = reverse("v1:honorarium-csv") + "?" + urlencode({"year": year, "month": month})
    context = {
        "report": report,
        "first_day": date(year, month, 1),
        "csv_url": csv_url,
        "previous": previous if previous.year >= FIRST_YEAR else None,
        "following": following if following.year <= LAST_YEAR else None,
    }
    return render(request, "garden/honorarium.html", context)


CELL = 60  # pixels per grid cell of the garden map


@require_GET
def garden_map_page(request: HttpRequest) -> HttpResponse:
    """The garden plan: every plot where it lies, and how many shares are free in a season."""
    seasons = list(Season.objects.order_by("-starts_on"))
    chosen = next((s for s in seasons if str(s.pk) == request.GET.get("season")), None)
    season = chosen or (seasons[0] if seasons else None)
    plots = garden_map(season=season)
    width = max((p.plot.x + p.plot.width for p in plots), default=1)
    height = max((p.plot.y + p.plot.height for p in plots), default=1)
    context = {
        "season": season,
        "seasons": seasons,
        "plots": plots,
        "cell": CELL,
        "svg_width": width * CELL,
        "svg_height": height * CELL,
    }
    return render(request, "garden/map.html", context)


# --- residents: plot application and my plot ---------------------------------------------------


class PlotApplicationForm(forms.Form):
    season = forms.ModelChoiceField(
        label=gettext_lazy("Season"),
        queryset=Season.objects.filter(applications_open=True),
        empty_label=None,
    )
    wishes = forms.CharField(
        label=gettext_lazy("Wishes (optional)"),
        help_text=gettext_lazy("For example: sunny, raised bed, near the water."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _application_action(member: User, action: str, target: str, now: datetime) -> str:
    application = PlotApplication.objects.filter(member=member, pk=target).first()
    if application is None or action not in ("accept", "decline"):
        raise NotOffered()
    if action == "accept":
        plot_offer_accept(application=application, actor=member, now=now)
        return gettext("The plot is yours for the season.")
    plot_offer_decline(application=application, actor=member, now=now)
    return gettext("You have declined the offer.")


@require_http_methods(["GET", "POST"])
def my_garden_page(request: HttpRequest) -> HttpResponse:
    """Apply for a plot in an open season; see my applications, offers and plots."""
    now = timezone.now()
    member = request.user if isinstance(request.user, User) else None
    form = PlotApplicationForm(request.POST if request.POST.get("action") == "apply" else None)
    action_errors: list[str] = []
    if request.method == "POST":
        if member is None:
            return redirect_to_login(request.get_full_path())
        action = request.POST.get("action", "")
        try:
            if action == "apply":
                if not form.is_valid():
                    raise _FormInvalid
                season_apply(
                    season=form.cleaned_data["season"],
                    member=member,
                    actor=member,
                    now=now,
                    wishes=form.cleaned_data["wishes"],
                )
                done = gettext("Your application is on the waiting list.")
            else:
                done = _application_action(member, action, request.POST.get("target", ""), now)
        except _FormInvalid:
            pass
        except DomainError as error:
            if action == "apply":
                add_domain_error(form, error)
            else:
                action_errors.append(str(error.message))
        else:
            messages.success(request, done)
            return HttpResponseRedirect(reverse("garden:mine"))
    context = {
        "form": form,
        "action_errors": action_errors,
        "mine": my_garden(member=member) if member is not None else None,
        "open_seasons": list(Season.objects.filter(applications_open=True)),
    }
    return render_form(request, "garden/pages/mine.html", context, invalid=request.method == "POST")


class _FormInvalid(Exception):
    pass


# --- volunteers and honorary workers: my hours ------------------------------------------------

HOURS_MONTHS = 12  # how many months back "my hours" lists


class HoursForm(forms.Form):
    day = forms.DateField(
        label=gettext_lazy("Day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    hours = forms.DecimalField(
        label=gettext_lazy("Hours"),
        help_text=gettext_lazy("For example 1.5 for an hour and a half."),
        min_value=Decimal("0.25"),
        max_value=Decimal(24),
        max_digits=4,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    activity = forms.CharField(
        label=gettext_lazy("What did you do?"),
        help_text=gettext_lazy("For example: watering, compost, building the shed."),
        max_length=200,
    )
    note = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def duration(minutes: int) -> str:
    """Minutes as the page shows them, e.g. 1:30 h."""
    return gettext("%(hours)d:%(minutes)02d h") % {"hours": minutes // 60, "minutes": minutes % 60}


@dataclass
class HoursMonth:
    first_day: date
    entries: list[tuple[HoursEntry, str]] = field(default_factory=list)  # with its duration
    minutes: dict[str, int] = field(default_factory=dict)  # by status

    def total(self, status: str) -> str:
        return duration(self.minutes.get(status, 0))

    @property
    def approved(self) -> str:
        return self.total(HoursStatus.APPROVED)

    @property
    def pending(self) -> str:
        return self.total(HoursStatus.PENDING)

    @property
    def rejected(self) -> str:
        return self.total(HoursStatus.REJECTED)


def hours_by_month(*, member: User, today: date) -> list[HoursMonth]:
    """The member's entries of the last months, newest month first, with totals by status;
    one query."""
    since = _shift(today.year, today.month, -(HOURS_MONTHS - 1))
    months: dict[date, HoursMonth] = {}
    for entry in HoursEntry.objects.filter(member=member, day__gte=since).order_by("-day", "-pk"):
        first = entry.day.replace(day=1)
        month = months.setdefault(first, HoursMonth(first_day=first))
        month.entries.append((entry, duration(entry.minutes)))
        month.minutes[entry.status] = month.minutes.get(entry.status, 0) + entry.minutes
    return sorted(months.values(), key=lambda m: m.first_day, reverse=True)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def my_hours_page(request: HttpRequest) -> HttpResponse:
    """Log work done in the garden and see my entries with their status and monthly totals."""
    member, now = request.user, timezone.now()
    if not isinstance(member, User):  # behind login_required
        raise PermissionDenied
    today = timezone.localdate(now)
    form = HoursForm(request.POST or None, initial={"day": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hours_log(
                member=member,
                day=data["day"],
                minutes=int((data["hours"] * 60).to_integral_value()),
                activity=data["activity"],
                note=data["note"],
                actor=member,
                now=now,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request, gettext("Your hours are logged. A coordinator will check them.")
            )
            return HttpResponseRedirect(reverse("garden:hours"))
    context = {
        "form": form,
        "helper": member.is_volunteer or member.is_honorary_worker,
        "months": hours_by_month(member=member, today=today),
        "statuses": HoursStatus,
    }
    return render_form(
        request, "garden/pages/hours.html", context, invalid=request.method == "POST"
    )
