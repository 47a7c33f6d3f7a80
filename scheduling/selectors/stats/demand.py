"""Demand that could not be served: refusals, waitlists, and the wait for a free place.

Counts and averages only; a member appears at most inside a distinct count. A refusal and a
waitlist entry belong to the period in which it happened (the refusal's ``at``, the moment of
joining the waitlist), not to the time that was wanted. Each function is one query.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Trunc
from django.utils import timezone

from core.timeutil import as_utc
from scheduling.models import (
    AuditEntry,
    Refusal,
    SignUpStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from scheduling.recurrence import local_zone


@dataclass(frozen=True)
class DemandFilter:
    resource_id: int | None = None  # only refused bookings and booking waitlists of it
    event_id: int | None = None  # only refused sign-ups and sign-up waitlists of this event

    @property
    def bookings(self) -> bool:
        return self.event_id is None

    @property
    def signups(self) -> bool:
        return self.resource_id is None


@dataclass(frozen=True)
class RefusalCount:
    code: str  # "conflict" (no unit free) or "full" (no place left)
    refusals: int
    members: int  # distinct members refused


@dataclass(frozen=True)
class RefusalTarget:
    target: str  # "resource" or "activity"
    target_id: int  # the resource's id or the activity's event id
    name: str
    kind: str  # the resource's or activity's kind
    code: str
    refusals: int
    members: int


@dataclass(frozen=True)
class RefusalWeek:
    week: date  # the Monday, local time
    code: str
    refusals: int
    members: int


@dataclass(frozen=True)
class WaitlistOutcome:
    waitlist: str  # "booking" (a taken time of a resource) or "signup" (a full occurrence)
    entries: int  # joined in the period
    offered: int  # of these, offered a freed time or place (or moved up at once)
    placed: int  # of these, holding the booking or place in the end
    placed_share: float | None
    avg_hours_to_offer: float | None  # from joining to the offer, among those offered


def _refusals(start: datetime, end: datetime, where: DemandFilter) -> QuerySet[Refusal]:
    refusals = Refusal.objects.filter(at__gte=as_utc(start), at__lt=as_utc(end))
    if where.resource_id is not None:
        refusals = refusals.filter(resource_id=where.resource_id)
    if where.event_id is not None:
        refusals = refusals.filter(activity__event_id=where.event_id)
    return refusals.order_by()


def refusals_by_code(
    *, start: datetime, end: datetime, where: DemandFilter | None = None
) -> list[RefusalCount]:
    rows = (
        _refusals(start, end, where or DemandFilter())
        .values("code")
        .annotate(n=Count("pk"), members=Count("member_id", distinct=True))
        .order_by("code")
    )
    return [RefusalCount(r["code"], r["n"], r["members"]) for r in rows]


def refusals_by_target(
    *, start: datetime, end: datetime, where: DemandFilter | None = None
) -> list[RefusalTarget]:
    """Most refused first."""
    rows = (
        _refusals(start, end, where or DemandFilter())
        .values(
            "code",
            "resource_id",
            "resource__name",
            "resource__kind",
            "activity__event_id",
            "activity__event__title",
            "activity__kind",
        )
        .annotate(n=Count("pk"), members=Count("member_id", distinct=True))
        .order_by("-n", "resource__name", "activity__event__title", "code")
    )
    result = []
    for r in rows:
        is_resource = r["resource_id"] is not None
        result.append(
            RefusalTarget(
                target="resource" if is_resource else "activity",
                target_id=r["resource_id"] if is_resource else r["activity__event_id"],
                name=r["resource__name"] if is_resource else r["activity__event__title"],
                kind=r["resource__kind"] if is_resource else r["activity__kind"],
                code=r["code"],
                refusals=r["n"],
                members=r["members"],
            )
        )
    return result


def refusals_by_week(
    *, start: datetime, end: datetime, where: DemandFilter | None = None
) -> list[RefusalWeek]:
    rows = (
        _refusals(start, end, where or DemandFilter())
        .annotate(week=Trunc("at", "week", tzinfo=local_zone()))
        .values("week", "code")
        .annotate(n=Count("pk"), members=Count("member_id", distinct=True))
        .order_by("week", "code")
    )
    return [
        RefusalWeek(
            timezone.localtime(r["week"], local_zone()).date(), r["code"], r["n"], r["members"]
        )
        for r in rows
    ]


def _hours(value: timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 3600, 2)


def _outcome(waitlist: str, figures: dict[str, object]) -> WaitlistOutcome:
    entries = int(figures["entries"] or 0)  # type: ignore[call-overload]
    placed = int(figures["placed"] or 0)  # type: ignore[call-overload]
    wait = figures["wait"]
    return WaitlistOutcome(
        waitlist=waitlist,
        entries=entries,
        offered=int(figures["offered"] or 0),  # type: ignore[call-overload]
        placed=placed,
        placed_share=round(placed / entries, 4) if entries else None,
        avg_hours_to_offer=_hours(wait if isinstance(wait, timedelta) else None),
    )


def _booking_waitlist(start: datetime, end: datetime, where: DemandFilter) -> WaitlistOutcome:
    first_offer = (
        AuditEntry.objects.filter(waitlist_entry_id=OuterRef("pk"), action="waitlist_offered")
        .order_by("at")
        .values("at")[:1]
    )
    entries = WaitlistEntry.objects.filter(
        created_at__gte=as_utc(start), created_at__lt=as_utc(end)
    )
    if where.resource_id is not None:
        entries = entries.filter(resource_id=where.resource_id)
    figures = (
        entries.order_by()
        .annotate(offered_at=Subquery(first_offer))
        .aggregate(
            entries=Count("pk"),
            offered=Count("pk", filter=Q(offered_at__isnull=False)),
            placed=Count("pk", filter=Q(status=WaitlistStatus.ACCEPTED)),
            wait=Avg(
                ExpressionWrapper(F("offered_at") - F("created_at"), output_field=DurationField())
            ),
        )
    )
    return _outcome("booking", figures)


def _signup_waitlist(start: datetime, end: datetime, where: DemandFilter) -> WaitlistOutcome:
    later = AuditEntry.objects.filter(signup_id=OuterRef("signup_id"), at__gte=OuterRef("at"))
    first_offer = (
        later.filter(action__in=["promoted", "place_offered"]).order_by("at").values("at")[:1]
    )
    placed = later.filter(action__in=["promoted", "offer_accepted"])
    joined = AuditEntry.objects.filter(
        signup__isnull=False,
        action="signed_up",
        to_status=SignUpStatus.WAITLISTED,
        at__gte=as_utc(start),
        at__lt=as_utc(end),
    )
    if where.event_id is not None:
        joined = joined.filter(signup__slot__activity__event_id=where.event_id)
    figures = (
        joined.order_by()
        .annotate(offered_at=Subquery(first_offer), got_place=Exists(placed))
        .aggregate(
            entries=Count("pk"),
            offered=Count("pk", filter=Q(offered_at__isnull=False)),
            placed=Count("pk", filter=Q(got_place=True)),
            wait=Avg(ExpressionWrapper(F("offered_at") - F("at"), output_field=DurationField())),
        )
    )
    return _outcome("signup", figures)


def waitlist_outcomes(
    *, start: datetime, end: datetime, where: DemandFilter | None = None
) -> list[WaitlistOutcome]:
    """One row for the booking waitlist and one for sign-up waitlists (one query each)."""
    where = where or DemandFilter()
    result = []
    if where.bookings:
        result.append(_booking_waitlist(start, end, where))
    if where.signups:
        result.append(_signup_waitlist(start, end, where))
    return result
