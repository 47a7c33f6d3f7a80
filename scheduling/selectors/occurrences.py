"""Dated occurrences of activities as people see them: places, taken, state.

A fixed number of queries whatever the window, the number of events or of sign-ups:
activities with their events and rules, their roles, django-scheduler's persisted occurrences
in the window, our slots in the window with their places, and the asking member's sign-ups.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from core.timeutil import as_utc
from scheduling.models import (
    LIVE_SIGNUP_STATUSES,
    Activity,
    ActivityRole,
    SignUp,
    Slot,
    SlotRole,
)
from scheduling.recurrence import Dated, expand, persisted_in_window


class OccurrenceState:
    OPEN = "open"
    FULL = "full"
    UNDERSTAFFED = "understaffed"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class RolePlaces:
    role_id: int
    name: str
    places: int
    taken: int
    min_staffing: int

    @property
    def open(self) -> int:
        return max(self.places - self.taken, 0)


@dataclass(frozen=True)
class OccurrenceView:
    activity: Activity
    start: datetime
    end: datetime
    original_start: datetime
    cancelled: bool
    roles: list[RolePlaces]
    slot_id: int | None = None
    my_signup: SignUp | None = field(default=None, compare=False)

    @property
    def capacity(self) -> int:
        return sum(r.places for r in self.roles)

    @property
    def taken(self) -> int:
        return sum(r.taken for r in self.roles)

    @property
    def open_places(self) -> int:
        return 0 if self.cancelled else sum(r.open for r in self.roles)

    @property
    def understaffed(self) -> bool:
        if self.cancelled:
            return False
        if self.taken < self.activity.min_staffing:
            return True
        return any(r.taken < r.min_staffing for r in self.roles)

    @property
    def state(self) -> str:
        if self.cancelled:
            return OccurrenceState.CANCELLED
        if self.open_places == 0:
            return OccurrenceState.FULL
        if self.understaffed:
            return OccurrenceState.UNDERSTAFFED
        return OccurrenceState.OPEN


def activities(
    *, kind: str | None = None, calendar_id: int | None = None, ids: Iterable[int] | None = None
) -> QuerySet[Activity]:
    queryset = Activity.objects.select_related(
        "event", "event__rule", "event__calendar", "required_qualification"
    ).prefetch_related(Prefetch("roles", queryset=ActivityRole.objects.order_by("name", "pk")))
    if kind:
        queryset = queryset.filter(kind=kind)
    if calendar_id is not None:
        queryset = queryset.filter(event__calendar_id=calendar_id)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return queryset


def _slots(
    activity_ids: list[int], start: datetime, end: datetime
) -> dict[tuple[int, datetime], Slot]:
    slots = (
        Slot.objects.filter(activity_id__in=activity_ids)
        .filter(
            Q(start__lt=end, end__gt=start) | Q(original_start__lt=end, original_start__gte=start)
        )
        .prefetch_related(Prefetch("roles", queryset=SlotRole.objects.all()))
    )
    return {(s.activity_id, as_utc(s.original_start)): s for s in slots}


def _roles(activity: Activity, slot: Slot | None) -> list[RolePlaces]:
    counted = {sr.role_id: sr for sr in slot.roles.all()} if slot is not None else {}
    result = []
    for role in activity.roles.all():
        slot_role = counted.get(role.pk)
        result.append(
            RolePlaces(
                role_id=role.pk,
                name=role.name,
                places=slot_role.places if slot_role else role.places,
                taken=slot_role.taken if slot_role else 0,
                min_staffing=role.min_staffing,
            )
        )
    return result


def occurrences_in_window(
    *,
    start: datetime,
    end: datetime,
    kind: str | None = None,
    calendar_id: int | None = None,
    activity_ids: Iterable[int] | None = None,
    member_id: int | None = None,
) -> list[OccurrenceView]:
    start, end = as_utc(start), as_utc(end)
    found = list(activities(kind=kind, calendar_id=calendar_id, ids=activity_ids))
    if not found:
        return []
    by_event = {a.event_id: a for a in found}
    persisted = persisted_in_window(list(by_event), start, end)
    dated: list[Dated] = expand((a.event for a in found), persisted, start, end)
    slots = _slots([a.pk for a in found], start, end)
    mine: dict[int, SignUp] = {}
    if member_id is not None and slots:
        for signup in SignUp.objects.filter(
            member_id=member_id,
            slot_id__in=[s.pk for s in slots.values()],
            status__in=LIVE_SIGNUP_STATUSES,
        ):
            mine[signup.slot_id] = signup
    result = []
    for occurrence in dated:
        activity = by_event[occurrence.event_id]
        slot = slots.get((activity.pk, as_utc(occurrence.original_start)))
        if slot is not None:
            begins, ends, cancelled = slot.start, slot.end, slot.cancelled or occurrence.cancelled
            if not (begins < end and ends > start):
                continue
        else:
            begins, ends, cancelled = occurrence.start, occurrence.end, occurrence.cancelled
        result.append(
            OccurrenceView(
                activity=activity,
                start=as_utc(begins),
                end=as_utc(ends),
                original_start=as_utc(occurrence.original_start),
                cancelled=cancelled,
                roles=_roles(activity, slot),
                slot_id=slot.pk if slot else None,
                my_signup=mine.get(slot.pk) if slot else None,
            )
        )
    result.sort(key=lambda o: (o.start, o.activity.pk))
    return result
