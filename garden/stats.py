"""Statistics of the hours given in the garden, for the funding report: approved hours by month
and activity, split into voluntary and paid (honorary) work, and what still waits for approval.
Aggregated in the database; no names.

- An entry is *honorary* when it is paid (``HoursEntry.paid``: a shift of a paid activity, or
  work logged by an honorary worker), *voluntary* otherwise — the entry decides, not the
  person, since one person may do both.
- An entry belongs to a period when its day begins in it (local midnight in ``[start, end)``),
  so two adjacent periods never count a day twice.
- Rejected entries count nowhere; pending ones only as pending.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from garden.models import HoursEntry, HoursStatus
from scheduling.recurrence import local_zone
from scheduling.selectors.participation import local_months

SIXTY = Decimal(60)


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / SIXTY).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class HoursFigures:
    """One group: ``key`` is the month ``YYYY-MM``, the activity, or ``all``. Minutes are
    exact; the ``*_hours`` properties round to the hundredth."""

    key: str
    volunteer_minutes: int = 0
    honorary_minutes: int = 0
    pending_volunteer_minutes: int = 0
    pending_honorary_minutes: int = 0
    helpers: int = 0  # distinct members with approved hours

    @property
    def volunteer_hours(self) -> Decimal:
        return _hours(self.volunteer_minutes)

    @property
    def honorary_hours(self) -> Decimal:
        return _hours(self.honorary_minutes)

    @property
    def approved_hours(self) -> Decimal:
        return _hours(self.volunteer_minutes + self.honorary_minutes)

    @property
    def pending_hours(self) -> Decimal:
        return _hours(self.pending_volunteer_minutes + self.pending_honorary_minutes)


def period_days(*, start: datetime, end: datetime) -> tuple[date, date]:
    """The first and the last day whose local midnight lies in ``[start, end)``."""
    zone = local_zone()
    first = timezone.localtime(start, zone).date()
    if datetime.combine(first, datetime.min.time(), zone) < start:
        first += timedelta(days=1)
    last = timezone.localtime(end, zone).date()
    if datetime.combine(last, datetime.min.time(), zone) >= end:
        last -= timedelta(days=1)
    return first, last


def _entries(*, start: datetime, end: datetime) -> QuerySet[HoursEntry]:
    first, last = period_days(start=start, end=end)
    return HoursEntry.objects.filter(day__gte=first, day__lte=last).order_by()


def _sums() -> dict[str, Any]:
    approved = Q(status=HoursStatus.APPROVED)
    pending = Q(status=HoursStatus.PENDING)
    return {
        "volunteer": Sum("minutes", filter=approved & Q(paid=False), default=0),
        "honorary": Sum("minutes", filter=approved & Q(paid=True), default=0),
        "pending_volunteer": Sum("minutes", filter=pending & Q(paid=False), default=0),
        "pending_honorary": Sum("minutes", filter=pending & Q(paid=True), default=0),
        "helpers": Count("member", filter=approved, distinct=True),
    }


def _make(key: str, row: Mapping[str, Any] | None) -> HoursFigures:
    row = row or {}
    return HoursFigures(
        key=key,
        volunteer_minutes=row.get("volunteer", 0),
        honorary_minutes=row.get("honorary", 0),
        pending_volunteer_minutes=row.get("pending_volunteer", 0),
        pending_honorary_minutes=row.get("pending_honorary", 0),
        helpers=row.get("helpers", 0),
    )


def hours_by_month(*, start: datetime, end: datetime) -> list[HoursFigures]:
    """Every local month the period touches, in order (empty months with 0). One query."""
    rows = {
        row["month"].strftime("%Y-%m"): row
        for row in _entries(start=start, end=end)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**_sums())
    }
    return [_make(key, rows.get(key)) for key, _first, _after in local_months(start=start, end=end)]


def hours_by_activity(*, start: datetime, end: datetime) -> list[HoursFigures]:
    """Every activity with approved or pending hours, most approved hours first. One query."""
    rows = (
        _entries(start=start, end=end)
        .exclude(status=HoursStatus.REJECTED)
        .values("activity")
        .annotate(**_sums())
    )
    found = [_make(row["activity"], row) for row in rows]
    return sorted(
        found, key=lambda f: (-(f.volunteer_minutes + f.honorary_minutes), f.key.casefold())
    )


def hours_totals(*, start: datetime, end: datetime) -> HoursFigures:
    return _make("all", _entries(start=start, end=end).aggregate(**_sums()))
