"""Coordinators: statistics of the programme and shifts, and of the people served.

Thin: parse the period and filters, call the selectors of ``scheduling.selectors.participation``,
build a ``core.tables.Table`` and answer JSON, CSV or XLSX. No names in these tables.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from core.api.stats import PeriodSerializer
from core.tables import Column, Table, table_response
from scheduling.api.permissions import IsCoordinator
from scheduling.models import ActivityKind
from scheduling.selectors import participation as p


def table_name(prefix: str, start: datetime, end: datetime) -> str:
    """A file name for the period: ``programme-2026-10-01-2026-11-01``."""
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    return f"{prefix}-{first.isoformat()}-{last.isoformat()}"


TABLE_RESPONSE = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=(
        "A table: {title, columns: [{key, label, type}], rows: [{key: value}]}; with "
        "?export=csv a CSV file (UTF-8 with BOM, ';', decimal comma), with ?export=xlsx an "
        "Excel workbook."
    ),
)


# --- programme and shifts ---------------------------------------------------------------------


class ProgrammeQuerySerializer(PeriodSerializer):
    group_by = serializers.ChoiceField(
        choices=["occurrence", "activity", "month"], default="activity"
    )
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False)


FILL_COLUMNS = [
    Column("places", _("Places"), "int"),
    Column("taken", _("Taken"), "int"),
    Column("fill_rate", _("Fill rate"), "percent"),
    Column("attended", _("Attended"), "int"),
    Column("no_show", _("No-shows"), "int"),
    Column("no_show_rate", _("No-show rate"), "percent"),
    Column("understaffed", _("Understaffed (alerted)"), "int"),
    Column("filled_in_time", _("Filled in time"), "int"),
]


def _fill_row(fill: p.Fill) -> dict[str, Any]:
    return {
        "occurrences": fill.occurrences,
        "places": fill.places,
        "taken": fill.taken,
        "fill_rate": fill.fill_rate,
        "attended": fill.attended,
        "no_show": fill.no_show,
        "no_show_rate": fill.no_show_rate,
        "understaffed": fill.understaffed,
        "filled_in_time": fill.filled_in_time,
    }


def _kind_label(kind: str | None) -> str:
    return str(ActivityKind(kind).label) if kind else ""


def programme_table(*, start: datetime, end: datetime, kind: str | None, group_by: str) -> Table:
    occurrences = p.programme_occurrences(start=start, end=end, kind=kind)
    name = table_name(f"programme-{group_by}", start, end)
    if group_by == "occurrence":
        return Table(
            name=name,
            title=_("Programme and shifts by occurrence"),
            columns=[
                Column("activity", _("Activity")),
                Column("kind", _("Kind")),
                Column("start", _("Start"), "datetime"),
                *FILL_COLUMNS,
            ],
            rows=[
                {
                    "activity": o.title,
                    "kind": _kind_label(o.kind),
                    "start": o.start,
                    **_fill_row(o.fill),
                }
                for o in occurrences
            ],
        )
    groups = p.programme_grouped(
        start=start,
        end=end,
        kind=kind,
        by="month" if group_by == "month" else "activity",
        occurrences=occurrences,
    )
    if group_by == "month":
        first = [Column("month", _("Month"))]
        title = _("Programme and shifts by month")
        rows: list[Mapping[str, Any]] = [{"month": g.key, **_fill_row(g.fill)} for g in groups]
    else:
        first = [Column("activity", _("Activity")), Column("kind", _("Kind"))]
        title = _("Programme and shifts by activity")
        rows = [
            {"activity": g.label, "kind": _kind_label(g.kind), **_fill_row(g.fill)} for g in groups
        ]
    columns = [*first, Column("occurrences", _("Occurrences"), "int"), *FILL_COLUMNS]
    return Table(name=name, title=title, columns=columns, rows=rows)


class ProgrammeStatsView(APIView):
    """Coordinators: how full the programme and the shifts were in a period — places, taken,
    fill rate (Σ taken ÷ Σ places), attendance and no-show rate (no-shows ÷ marked sign-ups),
    understaffed occurrences (alerted) and how many of them reached their minimum staffing.
    Cancelled occurrences are left out; an occurrence belongs to the period it starts in."""

    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    @extend_schema(parameters=[ProgrammeQuerySerializer], responses={200: TABLE_RESPONSE})
    def get(self, request: Request) -> Any:
        query = ProgrammeQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        table = programme_table(
            start=values["start"],
            end=values["end"],
            kind=values.get("kind"),
            group_by=values["group_by"],
        )
        return table_response(request, table)


# --- people -----------------------------------------------------------------------------------


class PeopleQuerySerializer(PeriodSerializer):
    group_by = serializers.ChoiceField(choices=["role", "language", "month"], default="role")


ROLE_LABELS = {
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


def _people_row(count: p.PeopleCount) -> dict[str, Any]:
    return {"members": count.members, "new": count.new, "returning": count.returning}


def people_table(*, start: datetime, end: datetime, group_by: str) -> Table:
    name = table_name(f"people-{group_by}", start, end)
    if group_by == "language":
        names = dict(settings.LANGUAGES)
        return Table(
            name=name,
            title=_("Members served by language"),
            columns=[
                Column("language", _("Language code")),
                Column("language_name", _("Language")),
                *PEOPLE_COLUMNS,
            ],
            rows=[
                {"language": c.key, "language_name": str(names.get(c.key, c.key)), **_people_row(c)}
                for c in p.people_by_language(start=start, end=end)
            ],
        )
    if group_by == "month":
        return Table(
            name=name,
            title=_("Members served by month"),
            columns=[Column("month", _("Month")), *PEOPLE_COLUMNS],
            rows=[
                {"month": c.key, **_people_row(c)} for c in p.people_by_month(start=start, end=end)
            ],
        )
    return Table(
        name=name,
        title=_("Members served by role"),
        columns=[Column("role", _("Role key")), Column("role_name", _("Role")), *PEOPLE_COLUMNS],
        rows=[
            {"role": c.key, "role_name": str(ROLE_LABELS[c.key]), **_people_row(c)}
            for c in p.people_by_role(start=start, end=end)
        ],
    )


class PeopleStatsView(APIView):
    """Coordinators: distinct members served in a period (a booking that held its time — a
    loan included — or a sign-up that held a place; coordinators not counted), new (first
    service ever in the period) and returning, by role (a member may hold several; the first
    row counts everybody once), by preferred language or by month. Counts only, no names."""

    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    @extend_schema(parameters=[PeopleQuerySerializer], responses={200: TABLE_RESPONSE})
    def get(self, request: Request) -> Any:
        query = PeopleQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        table = people_table(start=values["start"], end=values["end"], group_by=values["group_by"])
        return table_response(request, table)
