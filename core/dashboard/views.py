"""Coordinators' statistics pages. Thin: read the period, call the page assembly, render.

Not logged in: to the login form. Logged in but not a coordinator: 403. A bad period is the
form's message in the page (400), never an error page.
"""

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.dashboard.catalogue import all_sections, table_for
from core.dashboard.monthly import monthly_figures, monthly_report
from core.dashboard.pdf import html_to_pdf
from core.dashboard.period import (
    FIRST_YEAR,
    LAST_YEAR,
    Period,
    PeriodForm,
    month_start,
    period_form,
)
from core.dashboard.report import figures_table
from core.tables import EXPORTS, table_file

View = Callable[..., HttpResponse]


def coordinators_only(view: View) -> View:
    @wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not getattr(request.user, "is_coordinator", False):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(login_required(require_GET(checked)))


def _invalid(request: HttpRequest, form: PeriodForm) -> HttpResponse:
    return render(request, "core/stats/dashboard.html", {"form": form}, status=400)


@coordinators_only
def dashboard(request: HttpRequest) -> HttpResponse:
    form = period_form(request.GET)
    if not form.is_valid():
        return _invalid(request, form)
    query = form.query(today=timezone.localdate(), now=timezone.now())
    context = {
        "form": form,
        "query": query,
        "sections": all_sections(query),
        "report_month": query.period.first,
    }
    return render(request, "core/stats/dashboard.html", context)


@coordinators_only
def dashboard_table(request: HttpRequest, key: str) -> HttpResponse:
    """One table of the dashboard as CSV or XLSX (``?export=``), for the same period."""
    export = request.GET.get("export", "")
    if export not in EXPORTS:
        raise Http404
    form = period_form(request.GET)
    if not form.is_valid():
        return _invalid(request, form)
    table = table_for(key, form.query(today=timezone.localdate(), now=timezone.now()))
    if table is None:
        raise Http404
    return table_file(table, export)


def _month(year: int, month: int) -> Period:
    if not (FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12):
        raise Http404
    return Period.month(year, month)


def _neighbours(period: Period) -> dict[str, date | None]:
    before = month_start(period.first.year, period.first.month, -1)
    after = month_start(period.first.year, period.first.month, 1)
    return {
        "previous": before if before.year >= FIRST_YEAR else None,
        "following": after if after.year <= LAST_YEAR else None,
    }


@coordinators_only
def this_months_report(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return HttpResponseRedirect(reverse("core:report", args=[today.year, today.month]))


@coordinators_only
def report(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """The month's report; ``?export=csv|xlsx`` gives its key figures as a file."""
    period = _month(year, month)
    export = request.GET.get("export", "")
    if export:
        if export not in EXPORTS:
            raise Http404
        current, previous = monthly_figures(period, now=timezone.now())
        table = figures_table(current, previous, month=period, before=period.previous_month())
        return table_file(table, export)
    context = {"report": monthly_report(period, now=timezone.now()), **_neighbours(period)}
    return render(request, "core/stats/report.html", context)


@coordinators_only
def report_pdf(request: HttpRequest, year: int, month: int) -> HttpResponse:
    period = _month(year, month)
    context = {"report": monthly_report(period, now=timezone.now()), "pdf": True}
    html = render_to_string("core/stats/report_pdf.html", context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="report-{period.first:%Y-%m}.pdf"'
    return response
