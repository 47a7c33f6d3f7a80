"""Coordinators: utilisation of resources and demand that could not be served.

Thin: parse the period and filters, call ``scheduling.selectors.stats``, build a
``core.tables.Table`` and answer JSON, CSV or XLSX. Figures only, no names of members.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from core.api.fields import IdField
from core.api.stats import PeriodSerializer
from core.tables import Column, Table, table_response
from scheduling.api.permissions import IsCoordinator
from scheduling.models import ActivityKind, RefusalCode, ResourceKind
from scheduling.selectors import stats

TABLE_RESPONSE = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=(
        "A table: {title, columns: [{key, label, type}], rows: [{key: value}]}; with "
        "?export=csv a CSV file (UTF-8 with BOM, ';', decimal comma), with ?export=xlsx an "
        "Excel workbook."
    ),
)


def _file_name(prefix: str, start: datetime, end: datetime) -> str:
    first, last = timezone.localtime(start).date(), timezone.localtime(end).date()
    return f"{prefix}-{first.isoformat()}-{last.isoformat()}"


def _kind_label(kind: str) -> str:
    for choices in (ResourceKind, ActivityKind):
        if kind in choices.values:
            return str(choices(kind).label)
    return kind


# --- utilisation ------------------------------------------------------------------------------

WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]


class UtilisationQuerySerializer(PeriodSerializer):
    group_by = serializers.ChoiceField(
        choices=["resource", "kind", "week", "weekday_hour", "day", "month", "unit"],
        default="resource",
    )
    kind = serializers.ChoiceField(choices=ResourceKind.choices, required=False)
    resource = IdField(required=False)
    group = serializers.SlugField(required=False, help_text="Slug of a resource group.")


SHARE = Column("utilisation", _("Utilisation"), "percent")
CAPACITY = Column("capacity_hours", _("Open hours (all units)"), "decimal")
BOOKED = Column("booked_hours", _("Booked hours"), "decimal")
BOOKINGS = Column("bookings", _("Bookings"), "int")


def _by_resource(start: datetime, end: datetime, where: stats.ResourceFilter) -> Table:
    return Table(
        name="",
        title=_("Utilisation by resource"),
        columns=[
            Column("resource_id", _("Resource number"), "int"),
            Column("resource", _("Resource")),
            Column("kind", _("Kind")),
            Column("group", _("Group")),
            Column("units", _("Units"), "int"),
            Column("open_hours", _("Open hours"), "decimal"),
            CAPACITY,
            BOOKED,
            BOOKINGS,
            SHARE,
        ],
        rows=[
            {
                "resource_id": r.resource_id,
                "resource": r.name,
                "kind": _kind_label(r.kind),
                "group": r.group,
                "units": r.units,
                "open_hours": r.open_hours,
                "capacity_hours": r.capacity_hours,
                "booked_hours": r.booked_hours,
                "bookings": r.bookings,
                "utilisation": r.utilisation,
            }
            for r in stats.utilisation_by_resource(start=start, end=end, where=where)
        ],
    )


def _by_unit(start: datetime, end: datetime, where: stats.ResourceFilter) -> Table:
    return Table(
        name="",
        title=_("Utilisation by unit"),
        columns=[
            Column("resource_id", _("Resource number"), "int"),
            Column("resource", _("Resource")),
            Column("unit", _("Unit")),
            Column("kind", _("Kind")),
            Column("open_hours", _("Open hours"), "decimal"),
            BOOKED,
            BOOKINGS,
            SHARE,
        ],
        rows=[
            {
                "resource_id": u.resource_id,
                "resource": u.resource,
                "unit": u.label,
                "kind": _kind_label(u.kind),
                "open_hours": u.open_hours,
                "booked_hours": u.booked_hours,
                "bookings": u.bookings,
                "utilisation": u.utilisation,
            }
            for u in stats.utilisation_by_unit(start=start, end=end, where=where)
        ],
    )


def _by_kind(start: datetime, end: datetime, where: stats.ResourceFilter) -> Table:
    return Table(
        name="",
        title=_("Utilisation by kind"),
        columns=[
            Column("kind", _("Kind")),
            Column("resources", _("Resources"), "int"),
            Column("units", _("Units"), "int"),
            CAPACITY,
            BOOKED,
            BOOKINGS,
            SHARE,
        ],
        rows=[
            {
                "kind": _kind_label(k.kind),
                "resources": k.resources,
                "units": k.units,
                "capacity_hours": k.capacity_hours,
                "booked_hours": k.booked_hours,
                "bookings": k.bookings,
                "utilisation": k.utilisation,
            }
            for k in stats.utilisation_by_kind(start=start, end=end, where=where)
        ],
    )


def _over_time(every: stats.Every) -> Callable[..., Table]:
    titles = {
        "day": (_("Utilisation by day"), _("Day")),
        "week": (_("Utilisation by week"), _("Week from")),
        "month": (_("Utilisation by month"), _("Month from")),
    }

    def build(start: datetime, end: datetime, where: stats.ResourceFilter) -> Table:
        title, first = titles[every]
        rows = stats.utilisation_over_time(start=start, end=end, every=every, where=where)
        return Table(
            name="",
            title=title,
            columns=[Column("start", first, "date"), CAPACITY, BOOKED, SHARE],
            rows=[
                {
                    "start": p.start,
                    "capacity_hours": p.capacity_hours,
                    "booked_hours": p.booked_hours,
                    "utilisation": p.utilisation,
                }
                for p in rows
            ],
        )

    return build


def _heatmap(start: datetime, end: datetime, where: stats.ResourceFilter) -> Table:
    return Table(
        name="",
        title=_("Utilisation by weekday and hour"),
        columns=[
            Column("weekday", _("Weekday number (1 = Monday)"), "int"),
            Column("weekday_name", _("Weekday")),
            Column("hour", _("Hour"), "int"),
            CAPACITY,
            BOOKED,
            SHARE,
        ],
        rows=[
            {
                "weekday": c.weekday,
                "weekday_name": str(WEEKDAYS[c.weekday - 1]),
                "hour": c.hour,
                "capacity_hours": c.capacity_hours,
                "booked_hours": c.booked_hours,
                "utilisation": c.utilisation,
            }
            for c in stats.utilisation_heatmap(start=start, end=end, where=where)
        ],
    )


UTILISATION_TABLES: dict[str, Callable[..., Table]] = {
    "resource": _by_resource,
    "unit": _by_unit,
    "kind": _by_kind,
    "day": _over_time("day"),
    "week": _over_time("week"),
    "month": _over_time("month"),
    "weekday_hour": _heatmap,
}


class UtilisationStatsView(APIView):
    """Coordinators: booked hours ÷ open hours in a period, by resource, unit, kind, day, week,
    month, or local weekday × hour. Open hours: the opening hours of resources that have them,
    all hours for the others (tools lent by the day), minus closures; a resource's capacity is
    its units' open hours together. Booked hours: requested, held, confirmed and completed
    bookings, clipped to the period (and to each day or hour)."""

    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    @extend_schema(parameters=[UtilisationQuerySerializer], responses={200: TABLE_RESPONSE})
    def get(self, request: Request) -> Any:
        query = UtilisationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        where = stats.ResourceFilter(
            kind=values.get("kind"), resource_id=values.get("resource"), group=values.get("group")
        )
        group_by = values["group_by"]
        start, end = values["start"], values["end"]
        table = UTILISATION_TABLES[group_by](start, end, where)
        table.name = _file_name(f"utilisation-{group_by}", start, end)
        return table_response(request, table)


# --- demand that could not be served ----------------------------------------------------------


class DemandQuerySerializer(PeriodSerializer):
    group_by = serializers.ChoiceField(
        choices=["code", "resource", "week", "waitlist"], default="code"
    )
    resource = IdField(required=False)
    event = IdField(required=False)


REFUSALS = Column("refusals", _("Refusals"), "int")
MEMBERS = Column("members", _("Members refused"), "int")
WAITLISTS = {"booking": _("Bookings (taken times)"), "signup": _("Sign-ups (full dates)")}
TARGETS = {"resource": _("Resource"), "activity": _("Event")}


def refusal_reason(code: str) -> str:
    return str(RefusalCode(code).label) if code in RefusalCode.values else code


def waitlist_table(outcomes: list[Any], *, name: str) -> Table:
    """What the waitlists achieved: the API's table and the dashboard's."""
    return Table(
        name=name,
        title=_("Waitlists"),
        columns=[
            Column("waitlist", _("Waitlist")),
            Column("entries", _("Joined"), "int"),
            Column("offered", _("Offered a place"), "int"),
            Column("placed", _("Got a place"), "int"),
            Column("placed_share", _("Share that got a place"), "percent"),
            Column("avg_hours_to_offer", _("Average hours to an offer"), "decimal"),
        ],
        rows=[
            {
                "waitlist": str(WAITLISTS[o.waitlist]),
                "entries": o.entries,
                "offered": o.offered,
                "placed": o.placed,
                "placed_share": o.placed_share,
                "avg_hours_to_offer": o.avg_hours_to_offer,
            }
            for o in outcomes
        ],
    )


def demand_table(*, start: datetime, end: datetime, group_by: str, where: Any) -> Table:
    name = _file_name(f"demand-{group_by}", start, end)
    code, reason = Column("code", _("Code")), Column("reason", _("Reason"))
    if group_by == "resource":
        return Table(
            name=name,
            title=_("Refusals by resource and event"),
            columns=[
                Column("target", _("Refused")),
                Column("target_id", _("Number"), "int"),
                Column("name", _("Name")),
                Column("kind", _("Kind")),
                code,
                reason,
                REFUSALS,
                MEMBERS,
            ],
            rows=[
                {
                    "target": str(TARGETS[t.target]),
                    "target_id": t.target_id,
                    "name": t.name,
                    "kind": _kind_label(t.kind),
                    "code": t.code,
                    "reason": refusal_reason(t.code),
                    "refusals": t.refusals,
                    "members": t.members,
                }
                for t in stats.refusals_by_target(start=start, end=end, where=where)
            ],
        )
    if group_by == "week":
        return Table(
            name=name,
            title=_("Refusals by week"),
            columns=[Column("week", _("Week from"), "date"), code, reason, REFUSALS, MEMBERS],
            rows=[
                {
                    "week": w.week,
                    "code": w.code,
                    "reason": refusal_reason(w.code),
                    "refusals": w.refusals,
                    "members": w.members,
                }
                for w in stats.refusals_by_week(start=start, end=end, where=where)
            ],
        )
    if group_by == "waitlist":
        return waitlist_table(stats.waitlist_outcomes(start=start, end=end, where=where), name=name)
    return Table(
        name=name,
        title=_("Refusals by reason"),
        columns=[code, reason, REFUSALS, MEMBERS],
        rows=[
            {
                "code": c.code,
                "reason": refusal_reason(c.code),
                "refusals": c.refusals,
                "members": c.members,
            }
            for c in stats.refusals_by_code(start=start, end=end, where=where)
        ],
    )


class DemandStatsView(APIView):
    """Coordinators: demand that could not be served in a period. ``group_by=code``: refusals
    by reason (``conflict``: no unit free; ``full``: no place left) with the number of distinct
    members refused; ``resource``: by resource and event, most refused first; ``week``: by
    local week; ``waitlist``: waitlist entries joined in the period, how many were offered a
    freed time or place, how many got it, and the average hours from joining to the offer.
    A refusal counts in the period it happened in. Counts only, no names."""

    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    @extend_schema(parameters=[DemandQuerySerializer], responses={200: TABLE_RESPONSE})
    def get(self, request: Request) -> Any:
        query = DemandQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        where = stats.DemandFilter(resource_id=values.get("resource"), event_id=values.get("event"))
        table = demand_table(
            start=values["start"], end=values["end"], group_by=values["group_by"], where=where
        )
        return table_response(request, table)
