"""Statistics of participation: how full the programme and the shifts were, and how many
people the place served. Aggregates only — no member's name, e-mail or id leaves here.

Programme and shifts
    The dated occurrences come from ``occurrences_in_window`` (a fixed number of queries);
    an occurrence belongs to a period when it starts in it, and a cancelled one is left out
    (it had no places to fill). Places and taken come from the occurrence's ``SlotRole`` rows
    (an occurrence without a ``Slot`` row has its roles' places and nothing taken); attendance
    and the understaffing alerts come from one grouped query over the ``Slot`` rows.

    - fill rate: taken ÷ places; over a group it is Σ taken ÷ Σ places (a weighted rate, so a
      session of 30 counts more than one of 3);
    - no-show rate: no-shows ÷ (attended + no-shows), over sign-ups whose attendance was marked;
    - understaffed: occurrences that were alerted as understaffed (``understaffed_alerted_at``);
      *filled in time*: of those, the ones that reached their minimum staffing (the activity's
      and each role's) — judged by ``SlotRole.taken`` as it stands now. After the start only a
      coordinator can still change a sign-up, so for a past occurrence that is its staffing at
      the start; for one still to come it means "filled so far".

People
    A member is *served* in a period by a booking that held its time (confirmed, completed or
    no-show; not requested, held, or cancelled) starting in the period — a loan of a tool is
    such a booking — or by a sign-up that held a place (confirmed, offered, attended, no-show)
    for an occurrence starting in the period. Coordinators are never counted. A member is *new*
    when their first service ever lies in the period, *returning* otherwise. Members hold
    several roles at once, so the counts by role may add up to more than the total.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone

from accounts.models import User
from core.timeutil import as_utc
from scheduling.models import (
    PLACE_STATUSES,
    Booking,
    BookingStatus,
    SignUp,
    SignUpStatus,
    Slot,
)
from scheduling.recurrence import local_zone
from scheduling.selectors.occurrences import OccurrenceView, occurrences_in_window

# Bookings that held their time for the member.
SERVED_BOOKING_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW)

ProgrammeGroup = Literal["occurrence", "activity", "month"]
PeopleGroup = Literal["role", "language", "month"]


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def month_key(moment: datetime) -> str:
    """The local month of a moment, ``YYYY-MM``."""
    return timezone.localtime(moment, local_zone()).strftime("%Y-%m")


def local_months(*, start: datetime, end: datetime) -> list[tuple[str, datetime, datetime]]:
    """The local calendar months the period touches, each clipped to the period."""
    zone = local_zone()
    local = timezone.localtime(start, zone)
    year, month = local.year, local.month
    months = []
    while True:
        # Midnight exists on every day in Berlin (the clocks change at night, not at midnight).
        first = datetime(year, month, 1, tzinfo=zone)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        after = datetime(year, month, 1, tzinfo=zone)
        months.append((first.strftime("%Y-%m"), max(first, start), min(after, end)))
        if after >= end:
            return months


# --- programme and shifts ---------------------------------------------------------------------


@dataclass(frozen=True)
class Fill:
    """How full a set of occurrences was. Counts; the rates are derived (None without a base)."""

    occurrences: int = 0
    places: int = 0
    taken: int = 0
    attended: int = 0
    no_show: int = 0
    understaffed: int = 0
    filled_in_time: int = 0

    @property
    def fill_rate(self) -> float | None:
        return _rate(self.taken, self.places)

    @property
    def no_show_rate(self) -> float | None:
        return _rate(self.no_show, self.attended + self.no_show)

    def __add__(self, other: "Fill") -> "Fill":
        return Fill(
            occurrences=self.occurrences + other.occurrences,
            places=self.places + other.places,
            taken=self.taken + other.taken,
            attended=self.attended + other.attended,
            no_show=self.no_show + other.no_show,
            understaffed=self.understaffed + other.understaffed,
            filled_in_time=self.filled_in_time + other.filled_in_time,
        )


@dataclass(frozen=True)
class OccurrenceFill:
    activity_id: int
    title: str
    kind: str
    start: datetime
    end: datetime
    fill: Fill


@dataclass(frozen=True)
class GroupFill:
    """One group of occurrences: ``key`` is the activity id (as text) or the month
    ``YYYY-MM``; ``label`` the activity's title or the month."""

    key: str
    label: str
    kind: str | None
    fill: Fill


def _slot_figures(
    *, start: datetime, end: datetime, kind: str | None
) -> dict[int, tuple[bool, int, int]]:
    """Per slot starting in the period: (alerted, attended, no-shows), in one query."""
    slots = Slot.objects.filter(start__gte=start, start__lt=end, cancelled=False)
    if kind:
        slots = slots.filter(activity__kind=kind)
    rows = (
        slots.order_by()
        .values("pk", "understaffed_alerted_at")
        .annotate(
            attended=Count("signups", filter=Q(signups__status=SignUpStatus.ATTENDED)),
            no_show=Count("signups", filter=Q(signups__status=SignUpStatus.NO_SHOW)),
        )
    )
    return {
        row["pk"]: (row["understaffed_alerted_at"] is not None, row["attended"], row["no_show"])
        for row in rows
    }


def _occurrence_fill(occurrence: OccurrenceView, figures: tuple[bool, int, int] | None) -> Fill:
    alerted, attended, no_show = figures or (False, 0, 0)
    return Fill(
        occurrences=1,
        places=occurrence.capacity,
        taken=occurrence.taken,
        attended=attended,
        no_show=no_show,
        understaffed=int(alerted),
        filled_in_time=int(alerted and not occurrence.understaffed),
    )


def programme_occurrences(
    *, start: datetime, end: datetime, kind: str | None = None
) -> list[OccurrenceFill]:
    """Every occurrence starting in the period that was not cancelled, in order of start.
    A fixed number of queries (those of ``occurrences_in_window`` and one more)."""
    start, end = as_utc(start), as_utc(end)
    figures = _slot_figures(start=start, end=end, kind=kind)
    result = []
    for occurrence in occurrences_in_window(start=start, end=end, kind=kind):
        if occurrence.cancelled or not start <= occurrence.start < end:
            continue
        found = figures.get(occurrence.slot_id) if occurrence.slot_id is not None else None
        result.append(
            OccurrenceFill(
                activity_id=occurrence.activity.pk,
                title=str(occurrence.activity.event.title),
                kind=occurrence.activity.kind,
                start=occurrence.start,
                end=occurrence.end,
                fill=_occurrence_fill(occurrence, found),
            )
        )
    return result


def programme_grouped(
    *,
    start: datetime,
    end: datetime,
    kind: str | None = None,
    by: Literal["activity", "month"] = "activity",
    occurrences: Iterable[OccurrenceFill] | None = None,
) -> list[GroupFill]:
    """Occurrences summed per activity (ordered by title) or per local month (in order).
    Pass ``occurrences`` from ``programme_occurrences`` to save its queries."""
    found = (
        programme_occurrences(start=start, end=end, kind=kind)
        if occurrences is None
        else occurrences
    )
    groups: dict[str, GroupFill] = {}
    group_kind: str | None
    for item in found:
        if by == "activity":
            key, label, group_kind = str(item.activity_id), item.title, item.kind
        else:
            key = label = month_key(item.start)
            group_kind = kind
        known = groups.get(key)
        if known is None:
            groups[key] = GroupFill(key=key, label=label, kind=group_kind, fill=item.fill)
        else:
            groups[key] = replace(known, fill=known.fill + item.fill)
    if by == "month":
        return sorted(groups.values(), key=lambda g: g.key)
    return sorted(groups.values(), key=lambda g: (g.label.casefold(), int(g.key)))


def programme_totals(
    *,
    start: datetime,
    end: datetime,
    kind: str | None = None,
    occurrences: Iterable[OccurrenceFill] | None = None,
) -> Fill:
    found = (
        programme_occurrences(start=start, end=end, kind=kind)
        if occurrences is None
        else occurrences
    )
    return sum((item.fill for item in found), Fill())


# --- people -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeopleCount:
    """Distinct members served in a group: ``key`` is ``all``, a role (``resident``,
    ``volunteer``, ``honorary_worker``), a language code or a month ``YYYY-MM``."""

    key: str
    members: int
    new: int

    @property
    def returning(self) -> int:
        return self.members - self.new


def _booked(member: OuterRef, start: datetime | None, end: datetime) -> Exists:
    bookings = Booking.objects.filter(
        member_id=member, status__in=SERVED_BOOKING_STATUSES, start__lt=end
    )
    if start is not None:
        bookings = bookings.filter(start__gte=start)
    return Exists(bookings)


def _signed_up(member: OuterRef, start: datetime | None, end: datetime) -> Exists:
    signups = SignUp.objects.filter(
        member_id=member, status__in=PLACE_STATUSES, slot__start__lt=end
    )
    if start is not None:
        signups = signups.filter(slot__start__gte=start)
    return Exists(signups)


def _served(start: datetime, end: datetime) -> Q:
    return Q(_booked(OuterRef("pk"), start, end)) | Q(_signed_up(OuterRef("pk"), start, end))


def _served_before(moment: datetime) -> ExpressionWrapper[Any]:
    """Whether the member was served at any time before ``moment`` (an index probe per member;
    a "first service ever" subquery sorted every member's whole history instead)."""
    return ExpressionWrapper(
        Q(_booked(OuterRef("pk"), None, moment)) | Q(_signed_up(OuterRef("pk"), None, moment)),
        output_field=BooleanField(),
    )


def _members_served(start: datetime, end: datetime) -> QuerySet[User]:
    """Non-coordinators served in the period, with ``earlier`` as an alias: whether they were
    served before the period (*returning*) or not (*new*)."""
    return (
        User.objects.filter(is_coordinator=False)
        .filter(_served(start, end))
        .alias(earlier=_served_before(start))
    )


NEW = Q(earlier=False)


ROLES = (
    ("resident", "is_resident"),
    ("volunteer", "is_volunteer"),
    ("honorary_worker", "is_honorary_worker"),
)


def people_by_role(*, start: datetime, end: datetime) -> list[PeopleCount]:
    """``all`` first, then each role; one query."""
    start, end = as_utc(start), as_utc(end)
    aggregates = {"all": Count("pk"), "all_new": Count("pk", filter=NEW)}
    for key, flag in ROLES:
        aggregates[key] = Count("pk", filter=Q(**{flag: True}))
        aggregates[f"{key}_new"] = Count("pk", filter=Q(**{flag: True}) & NEW)
    counts = _members_served(start, end).aggregate(**aggregates)
    return [
        PeopleCount(key=key, members=counts[key], new=counts[f"{key}_new"])
        for key in ("all", *(key for key, _flag in ROLES))
    ]


def people_total(*, start: datetime, end: datetime) -> PeopleCount:
    start, end = as_utc(start), as_utc(end)
    counts = _members_served(start, end).aggregate(members=Count("pk"), new=Count("pk", filter=NEW))
    return PeopleCount(key="all", members=counts["members"], new=counts["new"])


def people_by_language(*, start: datetime, end: datetime) -> list[PeopleCount]:
    """One row per preferred language that has anybody served, in the order of LANGUAGES."""
    start, end = as_utc(start), as_utc(end)
    rows = {
        row["preferred_language"]: row
        for row in _members_served(start, end)
        .order_by()
        .values("preferred_language")
        .annotate(members=Count("pk"), new=Count("pk", filter=NEW))
    }
    order = [code for code, _name in settings.LANGUAGES]
    codes = sorted(
        rows, key=lambda code: (order.index(code) if code in order else len(order), code)
    )
    return [
        PeopleCount(key=code, members=rows[code]["members"], new=rows[code]["new"])
        for code in codes
    ]


def people_by_month(*, start: datetime, end: datetime) -> list[PeopleCount]:
    """Per local month of the period: members served in that month, and those whose first
    service ever lies in it. One query (two conditional counts per month)."""
    start, end = as_utc(start), as_utc(end)
    months = local_months(start=start, end=end)
    # The flags are aliases, so that their Exists() stay in the query of the members.
    flags: dict[str, Any] = {}
    aggregates = {}
    for index, (_key, first, after) in enumerate(months):
        flags[f"served{index}"] = ExpressionWrapper(
            _served(first, after), output_field=BooleanField()
        )
        flags[f"before{index}"] = _served_before(first)
        served = Q(**{f"served{index}": True})
        aggregates[f"m{index}"] = Count("pk", filter=served)
        aggregates[f"n{index}"] = Count("pk", filter=served & Q(**{f"before{index}": False}))
    counts = _members_served(start, end).alias(**flags).aggregate(**aggregates)
    return [
        PeopleCount(key=key, members=counts[f"m{index}"], new=counts[f"n{index}"])
        for index, (key, _first, _after) in enumerate(months)
    ]
