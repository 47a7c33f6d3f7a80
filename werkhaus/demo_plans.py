"""Who borrows what and when, for the demo's months at the counter: a few loans with a story
(damage, overdue, a dirty return, a walk-in) and many ordinary ones, drawn at random."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from accounts.models import User
from werkhaus.demo_data import ToolSpec
from werkhaus.demo_history import BERLIN, Outcome, Plan
from werkhaus.models import Condition, ToolType

# resource id, first and last day on which random loans keep away from a scripted one
Window = tuple[int, date, date]

MEMBER_WEIGHTS = {"resident": 3.0, "resident2": 3.0, "volunteer": 2.5, "walk_in": 1.5}
# How an ordinary loan ends: the first threshold above a random number in [0, 1).
OUTCOMES = [(0.06, "cancel"), (0.1, "no_show"), (0.15, "late"), (0.28, "early"), (1.0, "on_time")]
# How many opening days a loan spans beyond its first: mostly to the next opening day.
SPAN_WEIGHTS = [0.3, 1, 0.7, 0.3, 0.1]


def _evening_before(day: date, days: int) -> datetime:
    return datetime.combine(day - timedelta(days=days), time(19, 30), BERLIN)


def scripted_plans(
    tools: list[tuple[ToolSpec, ToolType]],
    members: dict[str, User],
    days: list[date],
    now: datetime,
) -> tuple[list[Plan], list[Window]]:
    today = now.astimezone(BERLIN).date()
    by_name = {spec.name: (spec, tool) for spec, tool in tools}
    before = [d for d in reversed(days) if d < today]
    ahead = [d for d in days if d > today]

    def past(n: int) -> date:
        """The n-th last opening day (0: the last); months with many holidays have fewer."""
        return before[max(0, min(n, len(before) - 1))]

    def on(
        who: str,
        name: str,
        pick_up: date,
        due: date,
        outcome: Outcome,
        *,
        walk_in: bool = False,
        reserved_at: datetime | None = None,
    ) -> Plan:
        reserve_at = None if walk_in else reserved_at or _evening_before(pick_up, 3)
        return Plan(members[who], by_name[name][1], pick_up, due, reserve_at, outcome)

    def plan(who: str, name: str, n: int, steps: int, outcome: Outcome) -> Plan:
        """Picked up on the n-th last opening day, due ``steps`` opening days later; a little
        earlier if a holiday in between would make the loan longer than the tool allows."""
        spec = by_name[name][0]
        for m in range(n, n + 6):
            if (past(m - steps) - past(m)).days < spec.max_days:
                return on(who, name, past(m), past(m - steps), outcome)
        return on(who, name, past(n), past(n), outcome)

    damaged = Condition.DAMAGED
    tuesday = next(d for d in ahead if d.weekday() == 1)
    plans = [
        # Two loans that have not come back: one for over a week, one since the last days.
        plan("resident2", "Bohrhammer", 6, 2, Outcome("never")),
        plan("volunteer", "Leiter", 3, 2, Outcome("never")),
        # Damage: kept part of the deposit, the unit went to repair.
        plan(
            "resident",
            "Stichsäge",
            31,
            1,
            Outcome(
                condition=damaged,
                report="Pendelhub-Hebel abgebrochen, die Sägeblattaufnahme klemmt.",
                kept=Decimal(15),
                repair_days=12,
            ),
        ),
        plan(
            "volunteer",
            "Pavillon",
            22,
            1,
            Outcome(
                condition=damaged,
                report="Eine Dachstange verbogen, Plane am Rand eingerissen (Sturmböe beim "
                "Hoffest).",
                kept=Decimal(10),
                repair_days=8,
                repaired_as=Condition.WORN,
            ),
        ),
        plan(
            "resident2",
            "Hochdruckreiniger",
            8,
            1,
            Outcome(
                condition=damaged,
                report="Hochdruckschlauch geplatzt, die Pistole tropft.",
                kept=Decimal(25),
            ),
        ),
        plan(
            "walk_in",
            "Teppichreiniger",
            17,
            1,
            Outcome(
                condition=Condition.GOOD,
                report="Schmutzwassertank nicht geleert; 5 € Reinigungspauschale einbehalten.",
                kept=Decimal(5),
            ),
        ),
        plan("resident", "Biertischgarnitur", 26, 1, Outcome("late")),
        plan("volunteer", "Lastenrad", 11, 1, Outcome("no_show")),
        # Amina came by without a reservation and took the hand truck home.
        on("walk_in", "Sackkarre", past(0), ahead[0], Outcome(), walk_in=True),
        # resident2 reserved a drill for next Tuesday to Thursday a few hours ago.
        on(
            "resident2",
            "Akkuschrauber",
            tuesday,
            next(d for d in ahead if d > tuesday),
            Outcome(),
            reserved_at=now - timedelta(hours=3),
        ),
    ]
    windows = [
        (p.tool.resource_id, p.pick_up - timedelta(days=8), p.due + timedelta(days=8))
        for p in plans
    ]
    return plans, windows


def _taken(windows: list[Window], resource_id: int, first: date, last: date) -> bool:
    return any(r == resource_id and first <= to and last >= fro for r, fro, to in windows)


def random_plans(
    tools: list[tuple[ToolSpec, ToolType]],
    members: dict[str, User],
    days: list[date],
    now: datetime,
    rng: random.Random,
    windows: list[Window],
) -> list[Plan]:
    """Two or three loans on a weekday evening, four or so on a Saturday; seasonal tools in
    their season; most reserved a few days ahead, some taken home on the spot."""
    today = now.astimezone(BERLIN).date()
    people = list(members)
    people_weights = [MEMBER_WEIGHTS[key] for key in people]
    plans = []
    for day in days:
        count = rng.choice([3, 4, 5]) if day.weekday() == 5 else rng.choice([1, 2, 3])
        weights = [
            spec.popularity * (1 if not spec.season or day.month in spec.season else 0.15)
            for spec, _tool in tools
        ]
        for _n in range(count):
            who = rng.choices(people, people_weights)[0]
            spec, tool = rng.choices(tools, weights)[0]
            options = [d for d in days if day <= d and (d - day).days < spec.max_days]
            due = rng.choices(options, SPAN_WEIGHTS[: len(options)])[0]
            if _taken(windows, tool.resource_id, day, due):
                continue
            reserve_at = None
            if day > today or rng.random() > 0.12:
                reserve_at = datetime.combine(
                    day - timedelta(days=rng.randint(1, 6)),
                    time(rng.randint(7, 21), rng.choice([0, 15, 30, 45])),
                    BERLIN,
                )
            roll = rng.random()
            kind = next(kind for limit, kind in OUTCOMES if roll < limit)
            plans.append(Plan(members[who], tool, day, due, reserve_at, Outcome(kind)))
    return plans
