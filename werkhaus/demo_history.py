"""A few months at the Werkhaus counter, replayed through the services in the order they
happened: reservations, pick-ups, returns (on time, early, late, damaged), no-shows,
cancellations, walk-ins, inspections and repairs, overdue notices. Everything at its own past
``now``; nothing after the real one."""

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from accounts.models import User
from core.errors import DomainError
from scheduling.models import (
    Booking,
    BookingStatus,
    Closure,
    Resource,
    Unit,
)
from scheduling.services.bookings import (
    BookingRequest,
    booking_cancel,
    booking_create,
    booking_mark,
    free_units,
)
from werkhaus.demo_data import WEAR
from werkhaus.models import Condition, Loan, LoanStatus, ToolType, ToolUnit
from werkhaus.services.loans import (
    INSPECTION_REASON,
    REPAIR_REASON,
    UNUSABLE,
    CheckIn,
    CheckOut,
    loan_check_in,
    loan_check_out,
    loan_walk_in,
    loans_flag_overdue,
    unit_release,
)

BERLIN = ZoneInfo("Europe/Berlin")
# Tuesday and Thursday 16–20, Saturday 10–16 (the calendar of the Werkhaus says the same).
OPENING = {1: (time(16), time(20)), 3: (time(16), time(20)), 5: (time(10), time(16))}
HISTORY_DAYS = 84
# The overdue job runs every quarter of an hour.
FLAG_DELAY = timedelta(minutes=15)


def opening(day: date) -> tuple[datetime, datetime] | None:
    hours = OPENING.get(day.weekday())
    if hours is None:
        return None
    return datetime.combine(day, hours[0], BERLIN), datetime.combine(day, hours[1], BERLIN)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), BERLIN)


def midnight(day: date) -> datetime:
    return local(day, 0)


def open_days(first: date, last: date, closed: Collection[date]) -> list[date]:
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [d for d in days if d.weekday() in OPENING and d not in closed]


@dataclass(frozen=True)
class Outcome:
    kind: str = "on_time"  # on_time, early, late, never, no_show, cancel
    condition: str | None = None  # None: as it went out
    report: str = ""
    kept: Decimal = Decimal(0)
    repair_days: int | None = None  # repaired and lent again after so many days
    repaired_as: str = Condition.GOOD


@dataclass
class Plan:
    member: User
    tool: ToolType
    pick_up: date
    due: date  # the last day of the loan
    reserve_at: datetime | None  # None: a walk-in at the counter
    outcome: Outcome
    loan: Loan | None = None

    @property
    def key(self) -> tuple[int, int]:
        return (self.member.pk, self.tool.resource_id)


Action = Callable[[datetime], None]


class LoanDesk:
    """The counter: an event queue replayed in time order up to ``now``."""

    def __init__(
        self, *, coordinator: User, now: datetime, rng: random.Random, days: list[date]
    ) -> None:
        self.coordinator = coordinator
        self.now = now
        self.rng = rng
        self.days = days
        self.queue: list[tuple[datetime, int, Action]] = []
        self.seq = itertools.count()
        self.active: set[tuple[int, int]] = set()
        self.stats: Counter[str] = Counter()

    # --- the clock ---
    def at(self, when: datetime, action: Action) -> None:
        heapq.heappush(self.queue, (when, next(self.seq), action))

    def run(self) -> None:
        while self.queue and self.queue[0][0] < self.now:
            when, _seq, action = heapq.heappop(self.queue)
            action(when)

    def moment(self, day: date, after: datetime | None = None) -> datetime:
        """A time at the counter on ``day`` (later than ``after``, when given)."""
        hours = opening(day)
        assert hours is not None  # noqa: S101 - only opening days are planned
        start, end = hours
        if after is not None and after >= start:
            start = after + timedelta(minutes=10)
        span = max(int((end - start).total_seconds() // 60) - 10, 1)
        return start + timedelta(minutes=self.rng.randrange(0, span, 5) if span > 5 else 0)

    def next_open(self, after: date) -> date:
        return next((d for d in self.days if d > after), after + timedelta(days=1))

    def open_on_or_after(self, day: date) -> date:
        return next((d for d in self.days if d >= day), day)

    # --- a plan, step by step ---
    def plan(self, plan: Plan) -> None:
        if plan.reserve_at is None:
            self.at(self.moment(plan.pick_up), lambda t: self._walk_in(plan, t))
        else:
            self.at(plan.reserve_at, lambda t: self._reserve(plan, t))

    def _actor(self, member: User) -> User:
        return member if member.has_login else self.coordinator

    def _reserve(self, plan: Plan, t: datetime) -> None:
        if plan.key in self.active:
            return
        try:
            booking = booking_create(
                request=BookingRequest(
                    resource=plan.tool.resource,
                    member=plan.member,
                    start=midnight(plan.pick_up),
                    end=midnight(plan.due + timedelta(days=1)),
                ),
                actor=self._actor(plan.member),
                now=t,
            )
        except DomainError:
            self.stats["refused"] += 1
            return
        self.active.add(plan.key)
        self.stats["reservations"] += 1
        kind = plan.outcome.kind
        if kind == "cancel":
            cancel_at = t + (booking.start - t) * self.rng.uniform(0.2, 0.9)
            self.at(cancel_at, lambda now: self._cancel(plan, booking, now))
        elif kind == "no_show":
            hours = opening(plan.pick_up)
            assert hours is not None  # noqa: S101
            self.at(hours[1], lambda now: self._no_show(plan, booking, now))
        else:
            self.at(self.moment(plan.pick_up), lambda now: self._check_out(plan, booking, now))

    def _cancel(self, plan: Plan, booking: Booking, t: datetime) -> None:
        booking_cancel(booking=booking, actor=self._actor(plan.member), now=t)
        self.active.discard(plan.key)
        self.stats["cancelled"] += 1

    def _no_show(self, plan: Plan, booking: Booking, t: datetime) -> None:
        booking_mark(booking=booking, actor=self.coordinator, now=t, outcome=BookingStatus.NO_SHOW)
        self.active.discard(plan.key)
        self.stats["not picked up"] += 1

    def usable_units(self, resource: Resource, start: datetime, until: datetime) -> list[Unit]:
        """Free for the engine, and also here on the shelf and fit to lend."""
        out = set(
            Loan.objects.filter(status=LoanStatus.CHECKED_OUT).values_list(
                "booking__unit_id", flat=True
            )
        )
        broken = set(
            ToolUnit.objects.filter(condition__in=UNUSABLE).values_list("unit_id", flat=True)
        )
        return [
            u for u in free_units(resource, start, until) if u.pk not in out and u.pk not in broken
        ]

    def _unit_ready(self, unit_id: int, t: datetime) -> bool:
        return not (
            Loan.objects.filter(status=LoanStatus.CHECKED_OUT, booking__unit_id=unit_id).exists()
            or Closure.objects.filter(unit_id=unit_id, start__lte=t, end__gt=t).exists()
            or ToolUnit.objects.filter(unit_id=unit_id, condition__in=UNUSABLE).exists()
        )

    def _move(self, plan: Plan, booking: Booking, t: datetime) -> Booking | None:
        """The reserved unit is in repair, due for inspection or not back yet: the coordinator
        gives the member another one, if there is one."""
        booking_cancel(
            booking=booking,
            actor=self.coordinator,
            now=t,
            reason="Das reservierte Gerät ist gerade nicht ausleihbar.",
        )
        resource = plan.tool.resource
        units = self.usable_units(resource, booking.start, booking.end + resource.buffer)
        if not units:
            self.active.discard(plan.key)
            self.stats["cancelled: no unit"] += 1
            return None
        self.stats["moved to another unit"] += 1
        return booking_create(
            request=BookingRequest(
                resource=resource,
                member=plan.member,
                start=booking.start,
                end=booking.end,
                override=True,
                unit=units[0],
                note="Umgebucht auf ein anderes Gerät.",
            ),
            actor=self.coordinator,
            now=t,
        )

    def _check_out(self, plan: Plan, booking: Booking, t: datetime) -> None:
        booking.refresh_from_db()
        if booking.status != BookingStatus.CONFIRMED:
            self.active.discard(plan.key)
            return
        if not self._unit_ready(booking.unit_id, t):
            moved = self._move(plan, booking, t)
            if moved is None:
                return
            booking = moved
        condition = ToolUnit.objects.get(unit_id=booking.unit_id).condition
        plan.loan = loan_check_out(
            booking=booking, actor=self.coordinator, now=t, check=CheckOut(condition=condition)
        )
        self._after_check_out(plan, t)

    def _walk_in(self, plan: Plan, t: datetime) -> None:
        if plan.key in self.active:
            return
        until = midnight(plan.due + timedelta(days=1))
        resource = plan.tool.resource
        units = self.usable_units(resource, t, until + resource.buffer)
        if not units:
            return
        condition = ToolUnit.objects.get(unit=units[0]).condition
        plan.loan = loan_walk_in(
            tool=plan.tool,
            member=plan.member,
            until=until,
            actor=self.coordinator,
            now=t,
            check=CheckOut(condition=condition),
            unit=units[0],
        )
        self.active.add(plan.key)
        self.stats["walk-ins"] += 1
        self._after_check_out(plan, t)

    def _after_check_out(self, plan: Plan, t: datetime) -> None:
        self.stats["loans"] += 1
        kind = plan.outcome.kind
        end = midnight(plan.due + timedelta(days=1))
        if kind in ("late", "never"):
            self.at(end + FLAG_DELAY, self._flag)
        if kind == "never":
            self.stats["overdue, not back"] += 1
            return
        day = plan.due
        if kind == "late":
            day = self.next_open(plan.due)
        elif kind == "early":
            between = [d for d in self.days if plan.pick_up < d < plan.due]
            day = self.rng.choice(between) if between else plan.due
        when = self.moment(day, after=t if day == plan.pick_up else None)
        self.at(when, lambda now: self._check_in(plan, now))

    def _flag(self, t: datetime) -> None:
        self.stats["overdue notices"] += loans_flag_overdue(now=t)

    def _check_in(self, plan: Plan, t: datetime) -> None:
        loan = plan.loan
        assert loan is not None  # noqa: S101
        outcome = plan.outcome
        unit = loan.booking.unit
        condition = outcome.condition or loan.condition_out
        report = outcome.report
        if outcome.condition is None and condition == Condition.GOOD and self.rng.random() < 0.05:
            condition, report = Condition.WORN, self.rng.choice(WEAR)
        loan_check_in(
            loan=loan,
            actor=self.coordinator,
            now=t,
            check=CheckIn(condition=condition, damage_report=report, deposit_kept=outcome.kept),
        )
        self.active.discard(plan.key)
        self.stats["returned late" if outcome.kind == "late" else "returned"] += 1
        if outcome.kept:
            self.stats["deposits kept"] += 1
        block = Closure.objects.filter(unit=unit, start=t).first()
        if block is None:
            return
        if block.reason == REPAIR_REASON:
            self.stats["damaged"] += 1
            if outcome.repair_days is not None:
                day = self.open_on_or_after(t.date() + timedelta(days=outcome.repair_days))
                repaired = outcome.repaired_as
                self.at(self.moment(day), lambda now: self._release(unit, repaired, now))
        elif block.reason == INSPECTION_REASON:
            self.stats["inspections"] += 1
            when = self.moment(self.next_open(t.astimezone(BERLIN).date()))
            self.at(when, lambda now: self._release(unit, condition, now))

    def _release(self, unit: Unit, condition: str, t: datetime) -> None:
        unit_release(unit=unit, actor=self.coordinator, now=t, condition=condition)
