"""Parts of the dashboard about people: demand that could not be served (refusals, waitlists)
and the members served (new and returning, by role and language). Counts only, no names."""

from typing import Any

from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _

from core.charts import Bar, Series, bar_chart, column_chart
from core.dashboard.formats import number, percent, shown
from core.dashboard.period import Query
from core.dashboard.sections import MOST_REFUSED, Section, kind_label
from core.tables import Column, Table
from scheduling.api.stats_views import refusal_reason, waitlist_table
from scheduling.selectors import participation, stats

ROLES: dict[str, Any] = {
    "all": _("All members"),
    "resident": _("Residents"),
    "volunteer": _("Volunteers"),
    "honorary_worker": _("Honorary workers"),
}
PEOPLE_COLUMNS = [
    Column("members", _("Members served"), "int"),
    Column("new", _("New"), "int"),
    Column("returning", _("Returning"), "int"),
]


def demand(q: Query) -> Section:
    p = q.period
    targets = stats.refusals_by_target(start=p.start, end=p.end)
    waitlists = stats.waitlist_outcomes(start=p.start, end=p.end)
    refusals = Table(
        name="refusals",
        title=_("Refusals by resource and event"),
        columns=[
            Column("name", _("Name")),
            Column("kind", _("Kind")),
            Column("reason", _("Reason")),
            Column("refusals", _("Refusals"), "int"),
            Column("members", _("Members refused"), "int"),
        ],
        rows=[
            {
                "name": t.name,
                "kind": kind_label(t.kind),
                "reason": refusal_reason(t.code),
                "refusals": t.refusals,
                "members": t.members,
            }
            for t in targets
        ],
    )
    waiting = waitlist_table(waitlists, name="waitlists")
    most = targets[:MOST_REFUSED]
    chart = bar_chart(
        key="demand",
        title=gettext("Most refused resources and dates"),
        description=gettext("Requests refused because nothing was free, per resource or event."),
        bars=[
            Bar(f"{t.name} ({refusal_reason(t.code)})", t.refusals, number(t.refusals))
            for t in most
        ],
        colour="#b3470b",
    )
    total = sum(t.refusals for t in targets)
    return Section(
        "demand",
        gettext("Demand that could not be served"),
        gettext("Refusals for want of a free unit or place, and what the waitlists achieved."),
        chart if most else None,
        [shown("refusals", refusals), shown("waitlists", waiting)],
        [(gettext("Refusals"), number(total))],
    )


def served(q: Query) -> Section:
    p = q.period
    roles = participation.people_by_role(start=p.start, end=p.end)
    languages = participation.people_by_language(start=p.start, end=p.end)

    def row(count: participation.PeopleCount) -> dict[str, Any]:
        return {"members": count.members, "new": count.new, "returning": count.returning}

    by_role = Table(
        name="people-role",
        title=_("Members served by role"),
        columns=[Column("role", _("Role")), *PEOPLE_COLUMNS],
        rows=[{"role": str(ROLES.get(c.key, c.key)), **row(c)} for c in roles],
    )
    by_language = Table(
        name="people-language",
        title=_("Members served by language"),
        columns=[Column("language", _("Language")), *PEOPLE_COLUMNS],
        rows=[
            {"language": str(get_language_info(c.key)["name_translated"]), **row(c)}
            for c in languages
        ],
    )
    chart = column_chart(
        key="people",
        title=gettext("Members served, new and returning"),
        description=gettext("Distinct members served in the period by role, new ones stacked."),
        labels=[str(ROLES.get(c.key, c.key)) for c in roles],
        series=[
            Series(
                gettext("Returning"),
                [c.returning for c in roles],
                [number(c.returning) for c in roles],
            ),
            Series(gettext("New"), [c.new for c in roles], [number(c.new) for c in roles]),
        ],
        tick_text=lambda v: number(v),
    )
    everybody = roles[0]
    share_new = everybody.new / everybody.members if everybody.members else None
    return Section(
        "people",
        gettext("People served"),
        gettext(
            "Members who booked or took a place in the period (coordinators not counted); "
            "new: for the first time ever."
        ),
        chart,
        [shown("people-role", by_role), shown("people-language", by_language)],
        [
            (gettext("Members served"), number(everybody.members)),
            (gettext("New"), number(everybody.new)),
            (gettext("Share new"), percent(share_new)),
        ],
    )
