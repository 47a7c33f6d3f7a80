"""Coordinators: statistics of the tool library as a table (JSON, CSV or XLSX)."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.views import APIView

from core.api.fields import IdField
from core.api.stats import PeriodSerializer
from core.tables import Column, Table, table_response
from scheduling.api.participation_views import TABLE_RESPONSE, table_name
from scheduling.api.permissions import IsCoordinator
from werkhaus import stats as statistics
from werkhaus.models import ToolCategory


class LoanStatsQuerySerializer(PeriodSerializer):
    group_by = serializers.ChoiceField(
        choices=["tool_type", "category", "month"], default="tool_type"
    )
    category = serializers.ChoiceField(choices=ToolCategory.choices, required=False)
    tool_type = IdField(required=False)


FIGURE_COLUMNS = [
    Column("loans", _("Loans"), "int"),
    Column("average_days", _("Average length in days"), "decimal"),
    Column("overdue", _("Overdue"), "int"),
    Column("overdue_rate", _("Overdue rate"), "percent"),
    Column("returned", _("Returned"), "int"),
    Column("damaged", _("Damaged"), "int"),
    Column("damage_rate", _("Damage rate"), "percent"),
]
FIRST_COLUMNS = {
    "tool_type": [Column("tool_type", _("Tool type")), Column("category", _("Category"))],
    "category": [Column("category", _("Category"))],
    "month": [Column("month", _("Month"))],
}
TITLES = {
    "tool_type": _("Loans by tool type"),
    "category": _("Loans by category"),
    "month": _("Loans by month"),
}
SELECTORS = {
    "tool_type": statistics.loans_by_tool_type,
    "category": statistics.loans_by_category,
    "month": statistics.loans_by_month,
}


def _row(group_by: str, figures: statistics.LoanFigures) -> dict[str, Any]:
    category = str(ToolCategory(figures.category).label) if figures.category else ""
    first = {
        "tool_type": {"tool_type": figures.label, "category": category},
        "category": {"category": category},
        "month": {"month": figures.key},
    }[group_by]
    return {
        **first,
        "loans": figures.loans,
        "average_days": figures.average_days,
        "overdue": figures.overdue,
        "overdue_rate": figures.overdue_rate,
        "returned": figures.returned,
        "damaged": figures.damaged,
        "damage_rate": figures.damage_rate,
    }


def loans_table(
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    group_by: str,
    category: str | None = None,
    tool_type: int | None = None,
) -> Table:
    found = SELECTORS[group_by](
        start=start, end=end, now=now, category=category, tool_type=tool_type
    )
    return Table(
        name=table_name(f"loans-{group_by}", start, end),
        title=TITLES[group_by],
        columns=[*FIRST_COLUMNS[group_by], *FIGURE_COLUMNS],
        rows=[_row(group_by, figures) for figures in found],
    )


class LoanStatsView(APIView):
    """Coordinators: loans checked out in a period — number, average length in days (a loan
    still out counts up to now), overdue (returned after the booking's end or still out past
    it) and damage rate (of returned loans: returned damaged, out of service or with a damage
    report). By tool type the most borrowed come first and the never borrowed last."""

    permission_classes = [permissions.IsAuthenticated, IsCoordinator]

    @extend_schema(parameters=[LoanStatsQuerySerializer], responses={200: TABLE_RESPONSE})
    def get(self, request: Request) -> Any:
        query = LoanStatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        values = query.validated_data
        table = loans_table(
            start=values["start"],
            end=values["end"],
            now=timezone.now(),
            group_by=values["group_by"],
            category=values.get("category"),
            tool_type=values.get("tool_type"),
        )
        return table_response(request, table)
