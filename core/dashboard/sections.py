"""The parts of the statistics dashboard and the monthly report: each calls its selectors once
and returns a chart and the tables with the same figures (which are also the download files).

Area and kind filter the utilisation parts (over time, heat map, resources); the others cover
the whole place. Every builder does a fixed number of queries, whatever the data.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.utils import dates
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.charts import Bar, Series, bar_chart, column_chart, heat_map
from core.dashboard.formats import Shown, percent, shown
from core.dashboard.period import Query
from core.tables import Column, Table
from scheduling.models import ActivityKind, ResourceKind
from scheduling.selectors import stats

SHOWN_AT_EACH_END = 5  # top and bottom resources and tool types in a chart
MOST_REFUSED = 10

CAPACITY = Column("capacity_hours", _("Open hours (all units)"), "decimal")
BOOKED = Column("booked_hours", _("Booked hours"), "decimal")
SHARE = Column("utilisation", _("Utilisation"), "percent")


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    text: str  # what the chart shows, in a sentence
    chart: SafeString | None
    tables: list[Shown]
    figures: list[tuple[str, str]] = field(default_factory=list)  # key figures of the part


def kind_label(kind: str | None) -> str:
    for choices in (ResourceKind, ActivityKind):
        if kind in choices.values:
            return str(choices(kind).label)
    return kind or ""


def month_label(key: str) -> str:
    """``2026-10`` as the month's short name (with the year when a chart spans years)."""
    year, month = (int(part) for part in key.split("-"))
    return f"{dates.MONTHS_3[month].title()} {year % 100:02d}"


T = TypeVar("T")


def both_ends(ranked: Sequence[T]) -> list[T]:
    """The first and the last few of a ranking (all of it when it is short)."""
    if len(ranked) <= 2 * SHOWN_AT_EACH_END:
        return list(ranked)
    return [*ranked[:SHOWN_AT_EACH_END], *ranked[-SHOWN_AT_EACH_END:]]


# --- utilisation -------------------------------------------------------------------------------


def utilisation(q: Query) -> Section:
    days = q.period.days
    every: stats.Every = "day" if days <= 62 else "week" if days <= 400 else "month"
    rows = stats.utilisation_over_time(
        start=q.period.start, end=q.period.end, every=every, where=q.where
    )
    first: dict[str, Any] = {"day": _("Day"), "week": _("Week from"), "month": _("Month from")}

    def label(day: date) -> str:
        if every == "day":
            return str(day.day)
        if every == "week":
            return gettext("W%(week)s") % {"week": day.isocalendar().week}
        return month_label(day.strftime("%Y-%m"))

    table = Table(
        name="utilisation",
        title=_("Utilisation over time"),
        columns=[Column("start", first[every], "date"), CAPACITY, BOOKED, SHARE],
        rows=[
            {
                "start": r.start,
                "capacity_hours": r.capacity_hours,
                "booked_hours": r.booked_hours,
                "utilisation": r.utilisation,
            }
            for r in rows
        ],
    )
    shares = [r.utilisation or 0.0 for r in rows]
    chart = column_chart(
        key="utilisation",
        title=gettext("Utilisation over time"),
        description=gettext("Booked hours as a share of the open hours, one column each."),
        labels=[label(r.start) for r in rows],
        series=[Series(gettext("Utilisation"), shares, [percent(r.utilisation) for r in rows])],
        tick_text=percent,
        maximum=1.0,
    )
    return Section(
        "utilisation",
        gettext("Utilisation over time"),
        gettext("Booked hours ÷ open hours of all units, by day, week or month."),
        chart,
        [shown("utilisation", table)],
    )


def heatmap(q: Query) -> Section:
    cells = stats.utilisation_heatmap(start=q.period.start, end=q.period.end, where=q.where)
    grid = {(c.weekday, c.hour): c for c in cells}
    open_hours = [c.hour for c in cells if c.capacity_hours > 0]
    hours_shown = list(range(min(open_hours), max(open_hours) + 1)) if open_hours else []
    hours_shown = hours_shown or list(range(24))
    columns = [Column("weekday", _("Weekday"))] + [
        Column(f"h{h}", f"{h:02d}:00", "percent") for h in hours_shown
    ]
    rows: list[Mapping[str, Any]] = []
    for weekday in range(1, 8):
        row: dict[str, Any] = {"weekday": str(dates.WEEKDAYS[weekday - 1])}
        row.update({f"h{h}": grid[(weekday, h)].utilisation for h in hours_shown})
        rows.append(row)
    table = Table(name="heatmap", title=_("Utilisation by weekday and hour"), columns=columns)
    table.rows = rows
    chart = heat_map(
        key="heatmap",
        title=gettext("Utilisation by weekday and hour"),
        description=gettext(
            "The darker a cell, the larger the share of its open hours that was booked; "
            "white cells had no open hours."
        ),
        rows=[str(dates.WEEKDAYS_ABBR[w]) for w in range(7)],
        columns=[str(h) for h in hours_shown],
        values=[[grid[(w, h)].utilisation for h in hours_shown] for w in range(1, 8)],
        texts=[[percent(grid[(w, h)].utilisation) for h in hours_shown] for w in range(1, 8)],
    )
    return Section(
        "heatmap",
        gettext("Utilisation by weekday and hour"),
        gettext("Local time, summed over the period."),
        chart,
        [shown("heatmap", table)],
    )


def resources(q: Query) -> Section:
    found = stats.utilisation_by_resource(start=q.period.start, end=q.period.end, where=q.where)
    ranked = sorted(
        (r for r in found if r.utilisation is not None),
        key=lambda r: (-(r.utilisation or 0.0), r.name.casefold()),
    )
    never_open = [r for r in found if r.utilisation is None]
    table = Table(
        name="resources",
        title=_("Utilisation by resource"),
        columns=[
            Column("resource", _("Resource")),
            Column("kind", _("Kind")),
            Column("units", _("Units"), "int"),
            CAPACITY,
            BOOKED,
            Column("bookings", _("Bookings"), "int"),
            SHARE,
        ],
        rows=[
            {
                "resource": r.name,
                "kind": kind_label(r.kind),
                "units": r.units,
                "capacity_hours": r.capacity_hours,
                "booked_hours": r.booked_hours,
                "bookings": r.bookings,
                "utilisation": r.utilisation,
            }
            for r in [*ranked, *never_open]
        ],
    )
    chart = bar_chart(
        key="resources",
        title=gettext("Most and least used resources"),
        description=gettext("Utilisation of each resource, the most used first."),
        bars=[Bar(r.name, r.utilisation or 0.0, percent(r.utilisation)) for r in both_ends(ranked)],
        maximum=1.0,
    )
    return Section(
        "resources",
        gettext("Most and least used resources"),
        gettext("The five most and the five least used; the table lists every resource."),
        chart,
        [shown("resources", table)],
    )
