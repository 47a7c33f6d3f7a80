"""Reads of the garden, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Q

from garden.models import Plot, Season
from garden.services.plots import season_span
from scheduling.models import OCCUPYING_STATUSES, Booking


@dataclass(frozen=True)
class MapPlot:
    plot: Plot
    households: int
    taken: int

    @property
    def free(self) -> int:
        return max(self.households - self.taken, 0)


def garden_map(*, season: Season | None) -> list[MapPlot]:
    """Every plot with its place on the map and, for a season, how many shares are taken
    (never by whom). Two queries."""
    plots = list(
        Plot.objects.select_related("resource")
        .annotate(households=Count("resource__units", filter=Q(resource__units__is_active=True)))
        # Meta.ordering does not apply to a grouped query.
        .order_by("number")
    )
    taken: dict[int, int] = {}
    if season is not None:
        start, end = season_span(season)
        for resource_id in Booking.objects.filter(
            resource__kind="plot", status__in=OCCUPYING_STATUSES, start__lt=end, end__gt=start
        ).values_list("resource_id", flat=True):
            taken[resource_id] = taken.get(resource_id, 0) + 1
    return [
        MapPlot(plot=p, households=p.households, taken=taken.get(p.resource_id, 0)) for p in plots
    ]
