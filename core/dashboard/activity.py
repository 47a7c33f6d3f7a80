"""Parts of the dashboard about what people did: the programme and shifts, the garden hours
and the loans of tools. Not filtered by area or kind."""

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.charts import Bar, Series, bar_chart, column_chart
from core.dashboard.formats import hours, number, percent, shown
from core.dashboard.period import Query
from core.dashboard.sections import Section, both_ends, kind_label, month_label
from core.tables import Column, Table
from garden.stats import hours_by_activity, hours_by_month
from scheduling.selectors import participation as people
from werkhaus.models import ToolCategory
from werkhaus.stats import loans_by_tool_type, loans_totals


def programme(q: Query) -> Section:
    occurrences = people.programme_occurrences(start=q.period.start, end=q.period.end)
    groups = people.programme_grouped(
        start=q.period.start, end=q.period.end, by="activity", occurrences=occurrences
    )
    total = people.programme_totals(start=q.period.start, end=q.period.end, occurrences=occurrences)
    table = Table(
        name="programme",
        title=_("Programme and shifts by activity"),
        columns=[
            Column("activity", _("Activity")),
            Column("kind", _("Kind")),
            Column("occurrences", _("Occurrences"), "int"),
            Column("places", _("Places"), "int"),
            Column("taken", _("Taken"), "int"),
            Column("fill_rate", _("Fill rate"), "percent"),
            Column("no_show_rate", _("No-show rate"), "percent"),
            Column("understaffed", _("Understaffed (alerted)"), "int"),
            Column("filled_in_time", _("Filled in time"), "int"),
        ],
        rows=[
            {
                "activity": g.label,
                "kind": kind_label(g.kind),
                "occurrences": g.fill.occurrences,
                "places": g.fill.places,
                "taken": g.fill.taken,
                "fill_rate": g.fill.fill_rate,
                "no_show_rate": g.fill.no_show_rate,
                "understaffed": g.fill.understaffed,
                "filled_in_time": g.fill.filled_in_time,
            }
            for g in groups
        ],
    )
    chart = bar_chart(
        key="programme",
        title=gettext("Fill rate of the programme and the shifts"),
        description=gettext("Places taken as a share of the places offered, per activity."),
        bars=[Bar(g.label, g.fill.fill_rate or 0.0, percent(g.fill.fill_rate)) for g in groups],
        maximum=1.0,
    )
    return Section(
        "programme",
        gettext("Programme and shifts"),
        gettext("Workshop dates and garden shifts that started in the period."),
        chart,
        [shown("programme", table)],
        [
            (gettext("Dates"), number(total.occurrences)),
            (gettext("Fill rate"), percent(total.fill_rate)),
            (gettext("No-show rate"), percent(total.no_show_rate)),
            (gettext("Understaffed (alerted)"), number(total.understaffed)),
        ],
    )


HOURS_COLUMNS = [
    Column("volunteer_hours", _("Voluntary hours"), "decimal"),
    Column("honorary_hours", _("Honorary hours"), "decimal"),
    Column("approved_hours", _("Approved hours"), "decimal"),
    Column("helpers", _("People with approved hours"), "int"),
    Column("pending_hours", _("Hours to approve"), "decimal"),
]


def _hours_row(first: dict[str, Any], f: Any) -> dict[str, Any]:
    return {
        **first,
        "volunteer_hours": f.volunteer_hours,
        "honorary_hours": f.honorary_hours,
        "approved_hours": f.approved_hours,
        "helpers": f.helpers,
        "pending_hours": f.pending_hours,
    }


def garden_hours(q: Query) -> Section:
    """By month when the period spans several, else by activity."""
    p = q.period
    title = gettext("Voluntary and honorary hours in the garden")
    if (p.first.year, p.first.month) != (p.last.year, p.last.month):
        months = hours_by_month(start=p.start, end=p.end)
        table = Table(
            name="hours",
            title=_("Garden hours by month"),
            columns=[Column("month", _("Month")), *HOURS_COLUMNS],
            rows=[_hours_row({"month": f.key}, f) for f in months],
        )
        chart = column_chart(
            key="hours",
            title=title,
            description=gettext("Approved hours per month, voluntary and honorary stacked."),
            labels=[month_label(f.key) for f in months],
            series=[
                Series(
                    gettext("Voluntary hours"),
                    [float(f.volunteer_hours) for f in months],
                    [hours(f.volunteer_hours) for f in months],
                ),
                Series(
                    gettext("Honorary hours"),
                    [float(f.honorary_hours) for f in months],
                    [hours(f.honorary_hours) for f in months],
                ),
            ],
            tick_text=lambda v: number(v),
        )
    else:
        activities = hours_by_activity(start=p.start, end=p.end)
        table = Table(
            name="hours",
            title=_("Garden hours by activity"),
            columns=[Column("activity", _("Activity")), *HOURS_COLUMNS],
            rows=[_hours_row({"activity": f.key}, f) for f in activities],
        )
        chart = bar_chart(
            key="hours",
            title=title,
            description=gettext("Approved hours per activity, the most first."),
            bars=[Bar(f.key, float(f.approved_hours), hours(f.approved_hours)) for f in activities],
        )
    return Section(
        "hours",
        title,
        gettext("Approved hours; pending ones in the table."),
        chart,
        [shown("hours", table)],
    )


def loans(q: Query) -> Section:
    p = q.period
    by_type = loans_by_tool_type(start=p.start, end=p.end, now=q.now)
    total = loans_totals(start=p.start, end=p.end, now=q.now)
    table = Table(
        name="loans",
        title=_("Loans by tool type"),
        columns=[
            Column("tool_type", _("Tool type")),
            Column("category", _("Category")),
            Column("loans", _("Loans"), "int"),
            Column("average_days", _("Average length in days"), "decimal"),
            Column("overdue_rate", _("Overdue rate"), "percent"),
            Column("damage_rate", _("Damage rate"), "percent"),
        ],
        rows=[
            {
                "tool_type": f.label,
                "category": str(ToolCategory(f.category).label) if f.category else "",
                "loans": f.loans,
                "average_days": f.average_days,
                "overdue_rate": f.overdue_rate,
                "damage_rate": f.damage_rate,
            }
            for f in by_type
        ],
    )
    chart = bar_chart(
        key="loans",
        title=gettext("Most and least borrowed tools"),
        description=gettext("Loans per tool type checked out in the period, the most first."),
        bars=[Bar(f.label, f.loans, number(f.loans)) for f in both_ends(by_type)],
    )
    return Section(
        "loans",
        gettext("Loans of tools"),
        gettext("The five most and the five least borrowed; the table lists every tool type."),
        chart,
        [shown("loans", table)],
        [
            (gettext("Loans"), number(total.loans)),
            (gettext("Average length in days"), number(total.average_days or 0, 1)),
            (gettext("Overdue rate"), percent(total.overdue_rate)),
            (gettext("Damage rate"), percent(total.damage_rate)),
        ],
    )
