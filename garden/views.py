"""Pages of the garden: the garden map, and the printable monthly honorarium for coordinators."""

from datetime import date

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from garden.models import Season
from garden.selectors import garden_map
from garden.services.hours import honorarium_report

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
