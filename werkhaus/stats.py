"""Statistics of the tool library: how many loans, how long, how often late or damaged, and
which tool types are borrowed most and least. Aggregated in the database; no names.

A loan belongs to the period it was checked out in.

- length: check-out to check-in; a loan still out is counted up to ``now`` (its length so
  far), so the average of a past period changes only while its loans are still out;
- overdue: returned after the booking's end, or still out and the end has passed (``now``) —
  a loan returned early ends its booking at the return, so it can never count as late;
- damaged: returned in a condition that takes the unit out of use (damaged, out of service)
  or with a damage report; the damage rate is over returned loans only, since a loan still
  out has no condition yet.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth

from core.timeutil import as_utc
from scheduling.recurrence import local_zone
from scheduling.selectors.participation import local_months, month_key
from werkhaus.models import Condition, Loan, LoanStatus, ToolCategory, ToolType

LoanGroup = Literal["tool_type", "category", "month"]
DAY = Decimal(86400)


@dataclass(frozen=True)
class LoanFigures:
    """One group of loans. ``key``: the tool type's id (as text), the category or the month
    ``YYYY-MM``; ``label``: the tool type's name, else the same as ``key`` (a view translates
    a category's name)."""

    key: str
    label: str
    category: str
    loans: int
    average_days: Decimal | None
    overdue: int
    returned: int
    damaged: int

    @property
    def overdue_rate(self) -> float | None:
        return self.overdue / self.loans if self.loans else None

    @property
    def damage_rate(self) -> float | None:
        return self.damaged / self.returned if self.returned else None


def _loans(
    *, start: datetime, end: datetime, category: str | None, tool_type: int | None
) -> QuerySet[Loan]:
    loans = Loan.objects.filter(checked_out_at__gte=as_utc(start), checked_out_at__lt=as_utc(end))
    if category:
        loans = loans.filter(booking__resource__tool__category=category)
    if tool_type is not None:
        loans = loans.filter(booking__resource__tool__pk=tool_type)
    return loans.order_by()


def _figures(now: datetime) -> dict[str, Any]:
    length = ExpressionWrapper(
        Coalesce(F("checked_in_at"), Value(as_utc(now))) - F("checked_out_at"),
        output_field=DurationField(),
    )
    late = Q(checked_in_at__gt=F("booking__end")) | Q(
        checked_in_at__isnull=True, booking__end__lt=as_utc(now)
    )
    returned = Q(status=LoanStatus.RETURNED)
    damaged = returned & (
        Q(condition_in__in=[Condition.DAMAGED, Condition.OUT_OF_SERVICE]) | ~Q(damage_report="")
    )
    return {
        "loans": Count("pk"),
        "average": Avg(length),
        "overdue": Count("pk", filter=late),
        "returned": Count("pk", filter=returned),
        "damaged": Count("pk", filter=damaged),
    }


def _days(average: timedelta | None) -> Decimal | None:
    if average is None:
        return None
    seconds = Decimal(str(average.total_seconds()))
    return (seconds / DAY).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _make(key: str, label: str, category: str, row: Mapping[str, Any] | None) -> LoanFigures:
    row = row or {}
    return LoanFigures(
        key=key,
        label=label,
        category=category,
        loans=row.get("loans", 0),
        average_days=_days(row.get("average")),
        overdue=row.get("overdue", 0),
        returned=row.get("returned", 0),
        damaged=row.get("damaged", 0),
    )


def loans_by_tool_type(
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    category: str | None = None,
    tool_type: int | None = None,
) -> list[LoanFigures]:
    """Every tool type (those never borrowed included, with 0), most borrowed first, then by
    name: the first rows are the most, the last rows the least borrowed. Two queries."""
    rows = {
        row["booking__resource__tool"]: row
        for row in _loans(start=start, end=end, category=category, tool_type=tool_type)
        .values("booking__resource__tool")
        .annotate(**_figures(now))
    }
    types = ToolType.objects.select_related("resource").order_by()
    if category:
        types = types.filter(category=category)
    if tool_type is not None:
        types = types.filter(pk=tool_type)
    found = [_make(str(t.pk), str(t.resource.name), t.category, rows.get(t.pk)) for t in types]
    return sorted(found, key=lambda f: (-f.loans, f.label.casefold(), int(f.key)))


def loans_by_category(
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    category: str | None = None,
    tool_type: int | None = None,
) -> list[LoanFigures]:
    """Every category in the order of ToolCategory (with a tool type filter: only the
    categories with loans). One query."""
    rows = {
        row["booking__resource__tool__category"]: row
        for row in _loans(start=start, end=end, category=category, tool_type=tool_type)
        .values("booking__resource__tool__category")
        .annotate(**_figures(now))
    }
    wanted = [category] if category else ToolCategory.values
    return [
        _make(value, value, value, rows.get(value))
        for value in wanted
        if value in rows or tool_type is None
    ]


def loans_by_month(
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    category: str | None = None,
    tool_type: int | None = None,
) -> list[LoanFigures]:
    """Every local month the period touches, in order (months without loans with 0). One
    query."""
    rows = {
        month_key(row["month"]): row
        for row in _loans(start=start, end=end, category=category, tool_type=tool_type)
        .annotate(month=TruncMonth("checked_out_at", tzinfo=local_zone()))
        .values("month")
        .annotate(**_figures(now))
    }
    return [
        _make(key, key, category or "", rows.get(key))
        for key, _first, _after in local_months(start=start, end=end)
    ]


def loans_totals(
    *,
    start: datetime,
    end: datetime,
    now: datetime,
    category: str | None = None,
    tool_type: int | None = None,
) -> LoanFigures:
    """All loans of the period in one figure (``key`` ``all``). One query."""
    row = _loans(start=start, end=end, category=category, tool_type=tool_type).aggregate(
        **_figures(now)
    )
    return _make("all", "", category or "", row)
