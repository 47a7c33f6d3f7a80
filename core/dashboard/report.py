"""The monthly report: the key figures of a month beside those of the month before, and a short
summary written from them in the page's language.

A comparison is made only when the month before has the figure (more than 0): a first month, or
one after a month without loans, gets the sentence without "than in …". Changes are whole
percentages of the month before (utilisation: whole percentage points); a change that rounds
to 0 reads "about as many as".
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils import formats
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.dashboard.formats import hours, number, percent
from core.dashboard.period import Period
from core.tables import Column, Table
from garden.stats import hours_totals
from scheduling.selectors import participation, stats
from werkhaus.stats import loans_totals


@dataclass(frozen=True)
class MonthFigures:
    loans: int
    members: int
    new_members: int
    garden_hours: Decimal  # approved, voluntary and honorary
    dates: int  # occurrences of the programme and shifts
    fill_rate: float | None
    refusals: int
    utilisation: float | None  # booked ÷ open hours of all resources


def month_figures(period: Period, *, now: datetime) -> MonthFigures:
    start, end = period.start, period.end
    people = participation.people_total(start=start, end=end)
    fill = participation.programme_totals(start=start, end=end)
    kinds = stats.utilisation_by_kind(start=start, end=end)
    capacity = sum(k.capacity_hours for k in kinds)
    booked = sum(k.booked_hours for k in kinds)
    return MonthFigures(
        loans=loans_totals(start=start, end=end, now=now).loans,
        members=people.members,
        new_members=people.new,
        garden_hours=hours_totals(start=start, end=end).approved_hours,
        dates=fill.occurrences,
        fill_rate=fill.fill_rate,
        refusals=sum(r.refusals for r in stats.refusals_by_code(start=start, end=end)),
        utilisation=round(booked / capacity, 4) if capacity else None,
    )


def month_name(period: Period) -> str:
    return formats.date_format(period.first, "F")


def _change(current: float, previous: float) -> int:
    """Whole percent of the month before (always positive; the sentence says which way)."""
    return round(abs(current - previous) / previous * 100)


def compare_counts(current: float, previous: float, before: str, *, countable: bool = True) -> str:
    """ "That is 14 % more than in September." — or fewer/less, or about as many/much."""
    if previous <= 0:
        return ""
    change = _change(current, previous)
    values = {"change": percent(change / 100), "month": before}
    if change == 0:
        if countable:
            return gettext("That is about as many as in %(month)s.") % values
        return gettext("That is about as much as in %(month)s.") % values
    if current > previous:
        return gettext("That is %(change)s more than in %(month)s.") % values
    if countable:
        return gettext("That is %(change)s fewer than in %(month)s.") % values
    return gettext("That is %(change)s less than in %(month)s.") % values


def compare_shares(current: float, previous: float | None, before: str) -> str:
    if not previous:
        return ""
    points = round(abs(current - previous) * 100)
    values = {"points": number(points), "month": before}
    if points == 0:
        return gettext("That is about the same as in %(month)s.") % values
    if current > previous:
        return (
            ngettext(
                "That is %(points)s percentage point more than in %(month)s.",
                "That is %(points)s percentage points more than in %(month)s.",
                points,
            )
            % values
        )
    return (
        ngettext(
            "That is %(points)s percentage point less than in %(month)s.",
            "That is %(points)s percentage points less than in %(month)s.",
            points,
        )
        % values
    )


def _plural_of(value: Decimal) -> int:
    """The number that picks the plural form of a decimal (1.5 hours): German and English say
    the singular only for exactly one."""
    return 1 if value == 1 else 2


def summary(
    current: MonthFigures, previous: MonthFigures, *, month: Period, before: Period
) -> list[str]:
    """A few sentences about the month, each with its comparison to the month before."""
    this, last = month_name(month), month_name(before)
    lines = []
    lines.append(
        " ".join(
            part
            for part in (
                ngettext(
                    "In %(month)s, %(count)s tool was lent.",
                    "In %(month)s, %(count)s tools were lent.",
                    current.loans,
                )
                % {"month": this, "count": number(current.loans)},
                compare_counts(current.loans, previous.loans, last),
            )
            if part
        )
    )
    lines.append(
        " ".join(
            part
            for part in (
                ngettext(
                    "%(count)s member used the Werkhaus or the garden, %(new)s of them for the "
                    "first time.",
                    "%(count)s members used the Werkhaus or the garden, %(new)s of them for the "
                    "first time.",
                    current.members,
                )
                % {"count": number(current.members), "new": number(current.new_members)},
                compare_counts(current.members, previous.members, last),
            )
            if part
        )
    )
    if current.utilisation is not None:
        lines.append(
            " ".join(
                part
                for part in (
                    gettext("Resources were booked for %(share)s of their open hours.")
                    % {"share": percent(current.utilisation)},
                    compare_shares(current.utilisation, previous.utilisation, last),
                )
                if part
            )
        )
    if current.dates:
        lines.append(
            ngettext(
                "The programme and the shifts had %(count)s date; %(share)s of the places were "
                "taken.",
                "The programme and the shifts had %(count)s dates; %(share)s of the places were "
                "taken.",
                current.dates,
            )
            % {"count": number(current.dates), "share": percent(current.fill_rate)}
        )
    lines.append(
        " ".join(
            part
            for part in (
                ngettext(
                    "Volunteers and honorary workers gave %(hours)s hour in the garden.",
                    "Volunteers and honorary workers gave %(hours)s hours in the garden.",
                    _plural_of(current.garden_hours),
                )
                % {"hours": hours(current.garden_hours)},
                compare_counts(
                    float(current.garden_hours),
                    float(previous.garden_hours),
                    last,
                    countable=False,
                ),
            )
            if part
        )
    )
    if current.refusals or previous.refusals:
        lines.append(
            " ".join(
                part
                for part in (
                    ngettext(
                        "%(count)s request could not be served because nothing was free.",
                        "%(count)s requests could not be served because nothing was free.",
                        current.refusals,
                    )
                    % {"count": number(current.refusals)},
                    compare_counts(current.refusals, previous.refusals, last),
                )
                if part
            )
        )
    return lines


FIGURES: list[tuple[str, Any, str]] = [
    ("loans", _("Loans of tools"), "int"),
    ("members", _("Members served"), "int"),
    ("new_members", _("Of them new"), "int"),
    ("utilisation", _("Utilisation"), "percent"),
    ("dates", _("Dates of programme and shifts"), "int"),
    ("fill_rate", _("Fill rate"), "percent"),
    ("garden_hours", _("Approved garden hours"), "decimal"),
    ("refusals", _("Refusals"), "int"),
]


def figures_table(
    current: MonthFigures, previous: MonthFigures, *, month: Period, before: Period
) -> Table:
    """The key figures as a file: one row for the month before and one for the month."""
    return Table(
        name=f"report-{month.first:%Y-%m}",
        title=_("Key figures"),
        columns=[
            Column("month", _("Month")),
            *(Column(key, label, kind) for key, label, kind in FIGURES),  # type: ignore[arg-type]
        ],
        rows=[
            {"month": f"{period.first:%Y-%m}", **{key: getattr(f, key) for key, _l, _k in FIGURES}}
            for period, f in ((before, previous), (month, current))
        ],
    )


@dataclass(frozen=True)
class FigureRow:
    label: str
    current: str
    previous: str


def figure_rows(current: MonthFigures, previous: MonthFigures) -> list[FigureRow]:
    """The key figures for the page: the month and the month before, side by side."""
    return [
        FigureRow(
            str(label),
            _as_text(getattr(current, key), kind),
            _as_text(getattr(previous, key), kind),
        )
        for key, label, kind in FIGURES
    ]


def _as_text(value: Any, kind: str) -> str:
    if kind == "percent":
        return percent(value)
    if kind == "decimal":
        return hours(value)
    return number(value)
