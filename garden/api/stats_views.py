"""Coordinators: the hours given in the garden as a table (JSON, CSV or XLSX), no names."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from core.api.stats import PeriodSerializer
from core.tables import Column, Table, table_response
from garden import stats as statistics
from scheduling.api.participation_views import TABLE_RESPONSE, table_name
from scheduling.api.permissions import IsCoordinator


class HoursStatsQuerySerializer(PeriodSerializer):
    group_by = serializers.ChoiceField(choices=["month", "activity"], default="month")


FIGURE_COLUMNS = [
    Column("volunteer_hours", _("Voluntary hours"), "decimal"),
    Column("honorary_hours", _("Honorary hours"), "decimal"),
    Column("approved_hours", _("Approved hours"), "decimal"),
    Column("helpers", _("People with approved hours"), "int"),
    Column("pending_hours", _("Hours to approve"), "decimal"),
]


def _row(figures: statistics.HoursFigures) -> dict[str, Any]:
    return {
        "volunteer_hours": figures.volunteer_hours,
        "honorary_hours": figures.honorary_hours,
        "approved_hours": figures.approved_hours,
        "helpers": figures.helpers,
        "pending_hours": figures.pending_hours,
    }


def hours_table(*, start: Any, end: Any, group_by: str) -> Table:
    rows: list[Mapping[str, Any]]
    if group_by == "activity":
        first = Column("activity", _("Activity"))
        title = _("Garden hours by activity")
        found = statistics.hours_by_activity(start=start, end=end)
    else:
        first = Column("month", _("Month"))
        title = _("Garden hours by month")
        found = statistics.hours_by_month(start=start, end=end)
    rows = [{first.key: figures.key, **_row(figures)} for figures in found]
    return Table(
        name=table_name(f"hours-{group_by}", start, end),
        title=title,
        columns=[first, *FIGURE_COLUMNS],
        rows=rows,
    )


class HoursStatsView(APIView):
    """Coordinators: approved hours by month or activity, voluntary and honorary (paid) apart,
    the number of people who gave them, and the hours still to approve. An entry counts in
    the period its day begins in; rejected entries count nowhere."""

    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    @extend_schema(parameters=[HoursStatsQuerySerializer], responses={200: TABLE_RESPONSE})
    def get(self, request: Request) -> Any:
        query = HoursStatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        table = hours_table(start=values["start"], end=values["end"], group_by=values["group_by"])
        return table_response(request, table)
