"""Demo Werkhaus: opening hours, tools, workbenches, machines, a room, and some weeks of
bookings (created through the booking service at their own past ``now``)."""

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from schedule.models import Calendar, Event, Rule

from accounts.models import User
from scheduling import demo_tools
from scheduling.models import (
    BookingStatus,
    HoursPolicy,
    Qualification,
    Resource,
    ResourceGroup,
    Unit,
    WaitlistMode,
)
from scheduling.services.bookings import BookingRequest, booking_create, booking_mark
from scheduling.services.qualifications import qualification_grant

BERLIN = ZoneInfo("Europe/Berlin")
GROUP_SLUG = "werkhaus"

HOURS = [("TU,TH", time(16), time(20)), ("SA", time(10), time(16))]

TOOL_RULES: dict[str, Any] = {
    "hours_policy": HoursPolicy.BOUNDARY_DAYS,
    "slot_minutes": 24 * 60,
    "min_minutes": 24 * 60,
    "max_minutes": 7 * 24 * 60,
    "max_active_bookings": 3,
}
BENCH_RULES: dict[str, Any] = {
    "slot_minutes": 30,
    "min_minutes": 60,
    "max_minutes": 240,
    "buffer_minutes": 15,
    "max_hours_per_week": 8,
}

# name, kind, units, description, rules
RESOURCES: list[tuple[str, str, int, str, dict[str, Any]]] = [
    ("Akkuschrauber", "tool", 3, "18 V, mit zwei Akkus und Bit-Satz.", TOOL_RULES),
    ("Stichsäge", "tool", 2, "Pendelhub, mit Sägeblättern für Holz und Metall.", TOOL_RULES),
    ("Bohrhammer", "tool", 1, "SDS-plus, für Beton und Mauerwerk.", TOOL_RULES),
    ("Leiter", "tool", 2, "Dreiteilige Mehrzweckleiter, 3 m.", TOOL_RULES),
    ("Biertischgarnitur", "tool", 4, "Tisch und zwei Bänke, für Hoffeste.", TOOL_RULES),
    ("Hobelbank", "workbench", 2, "Massive Hobelbank mit Vorder- und Hinterzange.", BENCH_RULES),
    ("Elektronik-Arbeitsplatz", "workbench", 1, "Lötstation, Netzteil, Multimeter.", BENCH_RULES),
    ("Nähmaschine", "machine", 2, "Haushaltsnähmaschine mit Zickzackstich.", BENCH_RULES),
    (
        "3D-Drucker",
        "machine",
        1,
        "PLA und PETG, Bauraum 22 cm.",
        {**BENCH_RULES, "max_minutes": 480},
    ),
]
MACHINES_WITH_BRIEFING = [
    ("Drechselbank", "Einweisung Drechselbank", "Holzdrechselbank, 1 m Spitzenweite."),
    ("Lasercutter", "Einweisung Lasercutter", "CO₂-Laser 40 W, Arbeitsfläche 50 × 30 cm."),
]
ROOM = ("Gemeinschaftsraum", "Für Treffen, Kurse und Feiern, bis 30 Personen.")


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


def _resource(
    name: str, kind: str, units: int, description: str, group: ResourceGroup, **rules: Any
) -> Resource:
    resource = Resource.objects.create(
        name=name, kind=kind, description=description, location="Werkhaus", group=group, **rules
    )
    prefix = "".join(ch for ch in name.upper() if ch.isalnum())[:3]
    Unit.objects.bulk_create(
        Unit(resource=resource, label=f"{prefix}-{n + 1:02d}") for n in range(units)
    )
    return resource


def _opening_slots(day: date) -> list[tuple[datetime, datetime]]:
    weekday = day.weekday()
    if weekday in (1, 3):
        return [
            (datetime.combine(day, time(h), BERLIN), datetime.combine(day, time(h + 2), BERLIN))
            for h in (16, 18)
        ]
    if weekday == 5:
        return [
            (datetime.combine(day, time(h), BERLIN), datetime.combine(day, time(h + 2), BERLIN))
            for h in (10, 12, 14)
        ]
    return []


def _history(
    resources: list[Resource], members: list[User], coordinator: User, now: datetime
) -> int:
    """Six weeks of bookings by the hour, as they happened, with outcomes marked."""
    rng = random.Random(20260512)  # noqa: S311 - demo data, not security
    benches = [
        r
        for r in resources
        if r.kind in ("workbench", "machine") and r.required_qualification_id is None
    ]
    created = 0
    today = now.astimezone(BERLIN).date()
    for offset in range(42, 0, -1):
        day = today - timedelta(days=offset)
        for start, end in _opening_slots(day):
            for resource in benches:
                if rng.random() > 0.45:
                    continue
                member = rng.choice(members)
                booking = booking_create(
                    request=BookingRequest(
                        resource=resource, member=member, start=start, end=end, override=True
                    ),
                    actor=coordinator,
                    now=start - timedelta(days=2),
                )
                outcome = BookingStatus.NO_SHOW if rng.random() < 0.1 else BookingStatus.COMPLETED
                booking_mark(booking=booking, actor=coordinator, now=end, outcome=outcome)
                created += 1
    return created


def seed(*, now: datetime) -> list[str]:
    if ResourceGroup.objects.filter(slug=GROUP_SLUG).exists():
        return []
    group = ResourceGroup.objects.create(
        name="Werkhaus", slug=GROUP_SLUG, hours_calendar=_calendar(now)
    )
    resources = [_resource(n, k, u, d, group, **rules) for n, k, u, d, rules in RESOURCES]
    for name, briefing, description in MACHINES_WITH_BRIEFING:
        qualification = Qualification.objects.create(
            name=briefing,
            slug=briefing.lower().replace(" ", "-"),
            valid_days=730,
            description="Sicherheitseinweisung durch die Koordination.",
        )
        resources.append(
            _resource(
                name,
                "machine",
                1,
                description,
                group,
                required_qualification=qualification,
                **BENCH_RULES,
            )
        )
    resources.append(
        _resource(
            ROOM[0],
            "room",
            1,
            ROOM[1],
            group,
            hours_policy=HoursPolicy.NONE,
            slot_minutes=30,
            min_minutes=60,
            max_minutes=8 * 60,
            requires_approval=True,
            horizon_days=120,
        )
    )
    coordinator = User.objects.get(username="coordinator")
    members = list(User.objects.filter(username__in=["resident", "resident2", "volunteer"]))
    members += list(User.objects.filter(username=None))
    lathe_briefing = Qualification.objects.get(slug="einweisung-drechselbank")
    qualification_grant(
        member=User.objects.get(username="resident"),
        qualification=lathe_briefing,
        granted_by=coordinator,
        now=now - timedelta(days=30),
    )
    history = _history(resources, members, coordinator, now)
    upcoming = _upcoming(resources, coordinator, now)
    programme = _programme(now, lathe_briefing, members, coordinator)
    return [
        group.name,
        *(r.name for r in resources),
        f"{history} past and {upcoming} next bookings",
        *programme,
    ]


def _programme(
    now: datetime, lathe: Qualification, members: list[User], coordinator: User
) -> list[str]:
    """The workshop programme, with sign-ups for its next dates and attendance of past ones."""
    cal = demo_tools.calendar("werkhaus-programm", "Werkhaus-Programm")
    start = now.astimezone(BERLIN).date() - timedelta(days=60)
    common: dict[str, Any] = {"calendar": cal, "first_day": start, "kind": "workshop"}
    activities = [
        demo_tools.recurring_activity(
            **common,
            title="Repair-Café",
            starts=time(14),
            hours=3,
            description="Kaputtes mitbringen, gemeinsam reparieren: Toaster, Fahrrad, Hose.",
            frequency="MONTHLY",
            params="byweekday:SA;bysetpos:1",
            places={"": 12},
            location="Werkstatt",
        ),
        demo_tools.recurring_activity(
            **common,
            title="Nähkurs",
            starts=time(18),
            hours=2,
            description="Nähen lernen an der Maschine, Material ist da.",
            frequency="WEEKLY",
            params="byweekday:TU",
            places={"": 6},
            signup_cutoff_minutes=24 * 60,
            waitlist_mode=WaitlistMode.OFFER,
            offer_hours=12,
            location="Gemeinschaftsraum",
        ),
        demo_tools.recurring_activity(
            **common,
            title="Holzwerkstatt für Kinder",
            starts=time(16),
            hours=2,
            description="Für Kinder von 8 bis 12 Jahren, mit Begleitung.",
            frequency="WEEKLY",
            params="byweekday:TH",
            places={"": 8},
            location="Werkstatt",
        ),
        demo_tools.recurring_activity(
            **common,
            title="Einweisung Drechselbank",
            starts=time(17),
            hours=1.5,
            description="Sicherheitseinweisung; danach darfst du die Drechselbank buchen.",
            frequency="MONTHLY",
            params="byweekday:TH;bysetpos:2",
            places={"": 4},
            grants_qualification=lathe,
            location="Werkstatt",
        ),
    ]
    return [a.event.title for a in activities] + [
        f"{demo_tools.fill_activities(activities, members, coordinator, now)} sign-ups"
    ]


def _upcoming(resources: list[Resource], coordinator: User, now: datetime) -> int:
    """The demo residents' next bookings: a workbench and a tool loan."""
    by_name = {r.name: r for r in resources}
    today = now.astimezone(BERLIN).date()
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    thursday = tuesday + timedelta(days=2)
    plans = [
        ("resident", "Hobelbank", datetime.combine(tuesday, time(16), BERLIN), timedelta(hours=2)),
        (
            "resident2",
            "Akkuschrauber",
            datetime.combine(tuesday, time(0), BERLIN),
            timedelta(days=3),
        ),
        (
            "resident",
            "Drechselbank",
            datetime.combine(thursday, time(17), BERLIN),
            timedelta(hours=2),
        ),
    ]
    for username, name, start, length in plans:
        member = User.objects.get(username=username)
        booking_create(
            request=BookingRequest(
                resource=by_name[name], member=member, start=start, end=start + length
            ),
            actor=member,
            now=now,
        )
    return len(plans)
