"""Demo Werkhaus: opening hours and closures, some forty tool types with their units, six
workbenches and machines (two need an Einweisung), two rooms, a workshop programme, and a
few months of loans and bookings replayed through the services at their own past ``now``."""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from schedule.models import Calendar, Event, Rule

from accounts.models import User
from scheduling.models import (
    Closure,
    HoursPolicy,
    Qualification,
    Resource,
    ResourceGroup,
    Unit,
)
from scheduling.services.qualifications import qualification_grant
from werkhaus import demo_benches, demo_bookings
from werkhaus.demo_data import BENCHES, ROOMS, TOOLS, ToolSpec
from werkhaus.demo_history import (
    BERLIN,
    HISTORY_DAYS,
    LoanDesk,
    midnight,
    open_days,
)
from werkhaus.demo_plans import random_plans, scripted_plans
from werkhaus.models import Condition, Room, ToolType, ToolUnit
from werkhaus.services.loans import REPAIR_REASON, loans_flag_overdue, unit_block

GROUP_SLUG = "werkhaus"
SEED = 20260512

HOURS = [("TU,TH", time(16), time(20)), ("SA", time(10), time(16))]

TOOL_RULES: dict[str, Any] = {
    "hours_policy": HoursPolicy.BOUNDARY_DAYS,
    "slot_minutes": 24 * 60,
    "min_minutes": 24 * 60,
    "max_active_bookings": 3,
}
BENCH_RULES: dict[str, Any] = {
    "slot_minutes": 30,
    "min_minutes": 60,
    "buffer_minutes": 15,
    "max_hours_per_week": 8,
}
# Thüringen (the Werkhaus is in Saalfeld): the public holidays on fixed dates.
HOLIDAYS = {
    (1, 1): "Neujahr",
    (5, 1): "Tag der Arbeit",
    (9, 20): "Weltkindertag",
    (10, 3): "Tag der Deutschen Einheit",
    (10, 31): "Reformationstag",
}
OUT_OF_SERVICE = ("Rasenmäher", "RM-02", "Seilzugstarter gerissen, Ersatzteil ist bestellt.")


def _calendar(now: datetime) -> Calendar:
    calendar, _ = Calendar.objects.get_or_create(
        slug="werkhaus-oeffnungszeiten", defaults={"name": "Öffnungszeiten Werkhaus"}
    )
    first = now.astimezone(BERLIN).date() - timedelta(days=120)
    for days, opens, closes in HOURS:
        rule, _ = Rule.objects.get_or_create(
            name=f"Wöchentlich {days}",
            defaults={"description": "", "frequency": "WEEKLY", "params": f"byweekday:{days}"},
        )
        weekday = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}[days[:2]]
        day = first + timedelta(days=(weekday - first.weekday()) % 7)
        Event.objects.create(
            calendar=calendar,
            title=f"Geöffnet {days}",
            start=datetime.combine(day, opens, BERLIN),
            end=datetime.combine(day, closes, BERLIN),
            rule=rule,
        )
    return calendar


def _closures(group: ResourceGroup, coordinator: User, today: date) -> dict[date, str]:
    """Public holidays and the Christmas break around the demo's months; the closed days."""
    spans: list[tuple[date, date, str]] = []
    for year in (today.year - 1, today.year, today.year + 1):
        spans += [(date(year, m, d), date(year, m, d), name) for (m, d), name in HOLIDAYS.items()]
        spans.append((date(year, 12, 23), date(year + 1, 1, 1), "Weihnachtspause"))
    closed: dict[date, str] = {}
    window = (today - timedelta(days=HISTORY_DAYS + 14), today + timedelta(days=120))
    for first, last, reason in sorted(spans):
        if last < window[0] or first > window[1] or first in closed:
            continue
        Closure.objects.create(
            group=group,
            start=midnight(first),
            end=midnight(last + timedelta(days=1)),
            reason=reason,
            created_by=coordinator,
        )
        closed.update((first + timedelta(days=n), reason) for n in range((last - first).days + 1))
    return closed


def _units(resource: Resource, prefix: str, count: int) -> list[Unit]:
    return Unit.objects.bulk_create(
        Unit(resource=resource, label=f"{prefix}-{n:02d}") for n in range(1, count + 1)
    )


def _tool_unit(spec: ToolSpec, unit: Unit, rng: random.Random, today: date) -> ToolUnit:
    purchased = today - timedelta(days=rng.randint(90, 2200))
    old = (today - purchased).days > 3 * 365
    inspected = None
    if spec.inspect_months:
        last = max(purchased, today - timedelta(days=rng.randint(20, 340)))
        inspected = datetime.combine(last, time(17), BERLIN)
    return ToolUnit(
        unit=unit,
        condition=Condition.WORN if old and rng.random() < 0.4 else Condition.GOOD,
        purchased_on=purchased,
        notes="Spende aus der Nachbarschaft." if rng.random() < 0.12 else "",
        loans_since_inspection=rng.randrange(spec.inspect_loans) if spec.inspect_loans else 0,
        last_inspected_at=inspected,
    )


def _tools(
    group: ResourceGroup, rng: random.Random, coordinator: User, now: datetime
) -> list[tuple[ToolSpec, ToolType]]:
    today = now.astimezone(BERLIN).date()
    tools = []
    tool_units = []
    for spec in TOOLS:
        resource = Resource.objects.create(
            name=spec.name,
            kind="tool",
            description=spec.description,
            location="Werkhaus, Ausleihe",
            group=group,
            max_minutes=spec.max_days * 24 * 60,
            buffer_minutes=spec.buffer_minutes,
            **TOOL_RULES,
        )
        tool = ToolType.objects.create(
            resource=resource,
            category=spec.category,
            safety_notes=spec.safety,
            deposit=spec.deposit,
            inspect_every_loans=spec.inspect_loans,
            inspect_every_months=spec.inspect_months,
        )
        tools.append((spec, tool))
        tool_units += [
            _tool_unit(spec, u, rng, today) for u in _units(resource, spec.prefix, spec.units)
        ]
    ToolUnit.objects.bulk_create(tool_units)
    # One unit has been waiting for a spare part since before the months shown.
    name, label, note = OUT_OF_SERVICE
    broken = Unit.objects.get(resource__group=group, resource__name=name, label=label)
    ToolUnit.objects.filter(unit=broken).update(condition=Condition.OUT_OF_SERVICE, notes=note)
    since = now - timedelta(days=HISTORY_DAYS + 10)
    unit_block(unit=broken, actor=coordinator, now=since, reason=REPAIR_REASON, note=note)
    return tools


def _benches(group: ResourceGroup) -> list[Resource]:
    benches = []
    for spec in BENCHES:
        qualification = None
        if spec.briefing:
            qualification = Qualification.objects.create(
                name=spec.briefing,
                slug=spec.briefing.lower().replace(" ", "-"),
                valid_days=730,
                description="Sicherheitseinweisung durch die Koordination.",
            )
        resource = Resource.objects.create(
            name=spec.name,
            kind=spec.kind,
            description=spec.description,
            location="Werkhaus, Werkstatt",
            group=group,
            required_qualification=qualification,
            max_minutes=spec.max_minutes,
            **BENCH_RULES,
        )
        _units(resource, spec.prefix, spec.units)
        benches.append(resource)
    return benches


def _rooms(group: ResourceGroup) -> list[Resource]:
    rooms = []
    for spec in ROOMS:
        resource = Resource.objects.create(
            name=spec.name,
            kind="room",
            description=spec.description,
            location="Werkhaus",
            group=group,
            hours_policy=HoursPolicy.NONE,
            slot_minutes=30,
            min_minutes=60,
            max_minutes=spec.max_minutes,
            lead_minutes=spec.lead_minutes,
            cancel_cutoff_minutes=24 * 60,
            requires_approval=spec.requires_approval,
            horizon_days=120,
        )
        Unit.objects.create(resource=resource, label=spec.label)
        Room.objects.create(resource=resource, max_people=spec.max_people, equipment=spec.equipment)
        rooms.append(resource)
    return rooms


def _members() -> dict[str, User]:
    named = {u.username: u for u in User.objects.filter(username__in=["resident", "resident2"])}
    named["volunteer"] = User.objects.get(username="volunteer")
    walk_in = User.objects.filter(username=None).order_by("pk").first()
    if walk_in is not None:
        named["walk_in"] = walk_in
    return {key: named[key] for key in ("resident", "resident2", "volunteer", "walk_in")}


def _briefings(members: dict[str, User], coordinator: User, now: datetime) -> None:
    for key, slug, days_ago in [
        ("resident", "einweisung-drechselbank", 30),
        ("volunteer", "einweisung-lasercutter", 75),
    ]:
        qualification_grant(
            member=members[key],
            qualification=Qualification.objects.get(slug=slug),
            granted_by=coordinator,
            now=now - timedelta(days=days_ago),
        )


def seed(*, now: datetime) -> list[str]:
    if ResourceGroup.objects.filter(slug=GROUP_SLUG).exists():
        return []
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    today = now.astimezone(BERLIN).date()
    coordinator = User.objects.get(username="coordinator")
    group = ResourceGroup.objects.create(
        name="Werkhaus", slug=GROUP_SLUG, hours_calendar=_calendar(now)
    )
    closed = _closures(group, coordinator, today)
    tools = _tools(group, rng, coordinator, now)
    benches = _benches(group)
    rooms = _rooms(group)
    members = _members()
    _briefings(members, coordinator, now)

    days = open_days(today - timedelta(days=HISTORY_DAYS), today + timedelta(days=28), closed)
    desk = LoanDesk(coordinator=coordinator, now=now, rng=rng, days=days)
    scripted, reserved = scripted_plans(tools, members, days, now)
    for plan in scripted + random_plans(tools, members, days, now, rng, reserved):
        desk.plan(plan)
    desk.run()
    desk.stats["overdue notices"] += loans_flag_overdue(now=now)

    explicit = demo_benches.upcoming_bench_plans(benches, members, days, now)
    bench_stats = demo_benches.bench_history(
        benches=benches,
        # Amina books at the counter what she takes home; the benches are booked online.
        members=[m for m in members.values() if m.has_login],
        coordinator=coordinator,
        now=now,
        rng=rng,
        days=[d for d in days if d <= today + timedelta(days=7)],
        skip_future={resource.pk for resource, *_rest in explicit},
    )
    upcoming = demo_benches.book_upcoming(explicit, now)
    room_stats = demo_bookings.room_bookings(rooms, members, coordinator, now, closed)
    programme = demo_bookings.programme(now, members, coordinator, closed)
    units = sum(spec.units for spec, _tool in tools)
    return [
        f"{len(tools)} tool types with {units} units",
        f"{len(benches)} workbenches and machines",
        f"{len(rooms)} rooms",
        f"{len({d for d in closed if d >= today})} closed days ahead",
        "loans: " + _counts(desk.stats),
        "workbench and machine bookings: " + _counts(bench_stats + Counter(upcoming=upcoming)),
        "room bookings: " + _counts(room_stats),
        *programme,
    ]


def _counts(stats: Counter[str]) -> str:
    return "; ".join(f"{count} {what}" for what, count in stats.items() if count)
