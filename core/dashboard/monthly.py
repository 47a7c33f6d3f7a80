"""The monthly report assembled: the month, the month before, their key figures, the written
summary and the dashboard's parts for the month (without filters)."""

from dataclasses import dataclass
from datetime import datetime

from core.dashboard.catalogue import all_sections
from core.dashboard.period import Period, Query
from core.dashboard.report import (
    FigureRow,
    MonthFigures,
    figure_rows,
    month_figures,
    summary,
)
from core.dashboard.sections import Section


@dataclass(frozen=True)
class MonthlyReport:
    month: Period
    before: Period
    current: MonthFigures
    previous: MonthFigures
    figures: list[FigureRow]
    summary: list[str]
    sections: list[Section]
    query: Query


def monthly_figures(month: Period, *, now: datetime) -> tuple[MonthFigures, MonthFigures]:
    """The month's key figures and those of the month before."""
    return month_figures(month, now=now), month_figures(month.previous_month(), now=now)


def monthly_report(month: Period, *, now: datetime) -> MonthlyReport:
    before = month.previous_month()
    current, previous = monthly_figures(month, now=now)
    query = Query(period=month, now=now)
    return MonthlyReport(
        month=month,
        before=before,
        current=current,
        previous=previous,
        figures=figure_rows(current, previous),
        summary=summary(current, previous, month=month, before=before),
        sections=all_sections(query),
        query=query,
    )
