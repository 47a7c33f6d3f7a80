"""Reads for the Werkhaus counter and catalogue, in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from scheduling.intervals import Interval, normalise
from scheduling.models import OCCUPYING_STATUSES, Booking, Closure, Unit
from werkhaus.models import Condition, Loan, LoanStatus, ToolType

# How far ahead the catalogue looks for the next free date.
LOOKAHEAD = timedelta(days=90)


@dataclass(frozen=True)
class CatalogueEntry:
    tool: ToolType
    units: int
    free_now: int
    borrowed: int
    next_free: datetime | None


def tool_types(*, category: str | None = None) -> QuerySet[ToolType]:
    queryset = ToolType.objects.select_related("resource").filter(resource__is_active=True)
    if category:
        queryset = queryset.filter(category=category)
    return queryset.prefetch_related(
        Prefetch("resource__units", queryset=Unit.objects.filter(is_active=True))
    ).order_by("resource__name")


def _next_free(busy: list[Interval], now: datetime) -> datetime:
    moment = now
    for span in normalise(busy):
        if span.start > moment:
            break
        moment = max(moment, span.end)
    return moment


def catalogue(*, now: datetime, tools: list[ToolType]) -> list[CatalogueEntry]:
    """Each tool type with how many units are free now, how many are out, and when the next
    one is free (within ``LOOKAHEAD``). Four queries whatever the number of tools or loans."""
    resource_ids = [t.resource_id for t in tools]
    horizon = now + LOOKAHEAD
    busy: dict[int, list[Interval]] = {}
    for booking in Booking.objects.filter(
        resource_id__in=resource_ids,
        status__in=OCCUPYING_STATUSES,
        start__lt=horizon,
        blocked_until__gt=now,
    ).only("unit_id", "start", "blocked_until"):
        busy.setdefault(booking.unit_id, []).append(Interval(booking.start, booking.blocked_until))
    group_of = {t.resource_id: t.resource.group_id for t in tools}
    closed_resource: dict[int, list[Interval]] = {}
    closed_group: dict[int, list[Interval]] = {}
    for closure in Closure.objects.filter(
        Q(unit__resource_id__in=resource_ids)
        | Q(resource_id__in=resource_ids)
        | Q(group_id__in={g for g in group_of.values() if g is not None}),
        start__lt=horizon,
        end__gt=now,
    ).only("unit_id", "resource_id", "group_id", "start", "end"):
        span = Interval(closure.start, closure.end)
        if closure.unit_id is not None:
            busy.setdefault(closure.unit_id, []).append(span)
        elif closure.resource_id is not None:
            closed_resource.setdefault(closure.resource_id, []).append(span)
        elif closure.group_id is not None:
            closed_group.setdefault(closure.group_id, []).append(span)
    out = dict.fromkeys(resource_ids, 0)
    for resource_id in Loan.objects.filter(
        status=LoanStatus.CHECKED_OUT, booking__resource_id__in=resource_ids
    ).values_list("booking__resource_id", flat=True):
        out[resource_id] += 1
    entries = []
    for tool in tools:
        units = list(tool.resource.units.all())
        shared = [
            *closed_resource.get(tool.resource_id, []),
            *closed_group.get(group_of[tool.resource_id] or 0, []),
        ]
        free_at = [_next_free([*busy.get(u.pk, []), *shared], now) for u in units]
        earliest = min(free_at, default=None)
        entries.append(
            CatalogueEntry(
                tool=tool,
                units=len(units),
                free_now=sum(1 for moment in free_at if moment <= now),
                borrowed=out.get(tool.resource_id, 0),
                next_free=earliest if earliest is not None and earliest < horizon else None,
            )
        )
    return entries


def loans_for_counter(*, overdue_at: datetime | None = None) -> QuerySet[Loan]:
    loans = Loan.objects.select_related(
        "booking", "booking__unit", "booking__resource", "booking__member"
    ).order_by("booking__end")
    if overdue_at is not None:
        loans = loans.filter(status=LoanStatus.CHECKED_OUT, booking__end__lt=overdue_at)
    return loans


def tool_units_for_counter(*, now: datetime) -> QuerySet[Unit]:
    """Units of tool types with their inventory data, whether blocked now and the open loan."""
    blocked = Closure.objects.filter(unit_id=OuterRef("pk"), start__lte=now, end__gt=now)
    out_on = Loan.objects.filter(
        booking__unit_id=OuterRef("pk"), status=LoanStatus.CHECKED_OUT
    ).values("pk")[:1]
    return (
        Unit.objects.filter(resource__tool__isnull=False)
        .select_related("resource__tool")
        .annotate(
            # A unit gets its inventory row at its first loan; before that it is as new.
            condition=Coalesce(F("tool_unit__condition"), Value(Condition.GOOD)),
            loans_since_inspection=Coalesce(F("tool_unit__loans_since_inspection"), Value(0)),
            last_inspected_at=F("tool_unit__last_inspected_at"),
            blocked=Exists(blocked),
            current_loan=Subquery(out_on),
        )
        .order_by("resource__name", "label", "pk")
    )
