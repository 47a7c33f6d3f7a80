"""The demo's rooms in use and the workshop programme."""

from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from accounts.models import User
from scheduling import demo_tools
from scheduling.models import (
    Activity,
    Booking,
    BookingStatus,
    Qualification,
    Resource,
    WaitlistMode,
)
from scheduling.selectors.occurrences import occurrences_in_window
from scheduling.services.bookings import (
    booking_approve,
    booking_cancel,
    booking_mark,
)
from scheduling.services.signups import occurrence_cancel
from werkhaus.demo_history import BERLIN, local
from werkhaus.services.rooms import RoomRequest, room_book


class _RoomDesk:
    def __init__(self, coordinator: User, now: datetime, closed: Mapping[date, str]) -> None:
        self.coordinator = coordinator
        self.now = now
        self.closed = closed
        self.stats: Counter[str] = Counter()

    def book(
        self,
        room: Resource,
        member: User,
        span: tuple[datetime, datetime],
        made: datetime,
        *,
        approve: bool = True,
        **details: Any,
    ) -> Booking | None:
        start, end = span
        if made >= self.now or start.date() in self.closed:
            return None
        actor = member if member.has_login else self.coordinator
        booking = room_book(
            request=RoomRequest(resource=room, member=member, start=start, end=end, **details),
            actor=actor,
            now=made,
        )
        approved_at = made + timedelta(hours=22)
        if booking.status == BookingStatus.REQUESTED and approve and approved_at < self.now:
            booking_approve(booking=booking, actor=self.coordinator, now=approved_at)
            booking.status = BookingStatus.CONFIRMED
        if booking.status == BookingStatus.CONFIRMED and end < self.now:
            booking_mark(
                booking=booking, actor=self.coordinator, now=end, outcome=BookingStatus.COMPLETED
            )
            booking.status = BookingStatus.COMPLETED
        self.stats[
            {
                BookingStatus.COMPLETED: "completed",
                BookingStatus.CONFIRMED: "confirmed, coming",
                BookingStatus.REQUESTED: "awaiting approval",
            }[BookingStatus(booking.status)]
        ] += 1
        return booking


def _first_weekday(year: int, month: int, weekday: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7)


def room_bookings(
    rooms: list[Resource],
    members: Mapping[str, User],
    coordinator: User,
    now: datetime,
    closed: Mapping[date, str],
) -> Counter[str]:
    hall, workshop = rooms
    today = now.astimezone(BERLIN).date()
    desk = _RoomDesk(coordinator, now, closed)
    # The Sprachcafé meets every Friday afternoon; Rana books it ten days ahead.
    friday = today - timedelta(days=42 + (today.weekday() - 4) % 7)
    while friday <= today + timedelta(days=14):
        desk.book(
            hall,
            members["resident"],
            (local(friday, 15), local(friday, 17)),
            local(friday - timedelta(days=10), 11),
            purpose="Sprachcafé: Deutsch üben bei Tee und Kuchen",
            organisation="Sprachcafé Alte Kaserne",
            expected_people=12,
        )
        friday += timedelta(days=7)
    # The neighbourhood association on the first Wednesday of the month, booked three weeks
    # ahead; the next meeting was booked and approved a few days ago.
    for back in (3, 2, 1, 0, -1):
        month = (today.month - back - 1) % 12 + 1
        year = today.year + (today.month - back - 1) // 12
        day = _first_weekday(year, month, 2)
        made = local(day - timedelta(days=21), 9)
        if day > today + timedelta(days=3):
            made = min(made, now - timedelta(days=3))
        desk.book(
            hall,
            members["volunteer"],
            (local(day, 19), local(day, 21)),
            made,
            purpose="Monatstreffen",
            organisation="Nachbarschaftsverein Lerchenberg",
            expected_people=18,
        )
    # A film night asked for on a Tuesday, when the sewing course has the room: declined,
    # and booked again for the Wednesday.
    tuesday = today - timedelta(days=35 + (today.weekday() - 1) % 7)
    if (tuesday + timedelta(days=1)).day <= 7:  # that Wednesday the association meets
        tuesday -= timedelta(days=7)
    film: dict[str, Any] = {
        "purpose": "Filmabend mit Kurzfilmen aus dem Quartier",
        "organisation": "Hofgemeinschaft Alte Kaserne",
        "expected_people": 25,
    }
    asked = desk.book(
        hall,
        members["volunteer"],
        (local(tuesday, 18, 30), local(tuesday, 21, 30)),
        local(tuesday - timedelta(days=12), 20),
        approve=False,
        **film,
    )
    if asked is not None:
        booking_cancel(
            booking=asked,
            actor=coordinator,
            now=local(tuesday - timedelta(days=11), 10),
            reason="Dienstagabend ist der Gemeinschaftsraum für den Nähkurs belegt. "
            "Wie wäre es mit Mittwoch?",
        )
        desk.stats["awaiting approval"] -= 1
        desk.stats["declined"] += 1
        wednesday = tuesday + timedelta(days=1)
        desk.book(
            hall,
            members["volunteer"],
            (local(wednesday, 18, 30), local(wednesday, 21, 30)),
            local(tuesday - timedelta(days=11), 18),
            **film,
        )
    # A private birthday, asked for yesterday and not yet approved.
    sunday = today + timedelta(days=10)
    sunday += timedelta(days=(6 - sunday.weekday()) % 7)
    while sunday in closed:
        sunday += timedelta(days=7)
    desk.book(
        hall,
        members["resident2"],
        (local(sunday, 14), local(sunday, 18)),
        now - timedelta(hours=20),
        approve=False,
        purpose="Kindergeburtstag",
        expected_people=20,
    )
    # A primary school class builds bird boxes in the workshop on three Wednesday mornings.
    wednesday = today - timedelta(days=7 + (today.weekday() - 2) % 7)
    for week in range(3):
        day = wednesday + timedelta(weeks=week)
        desk.book(
            workshop,
            coordinator,
            (local(day, 9), local(day, 12)),
            local(wednesday - timedelta(days=14), 10),
            purpose="Projekt: Vogelhäuser bauen",
            organisation="Grundschule Alte Kaserne, Klasse 4b",
            expected_people=14,
        )
    return desk.stats


def programme(
    now: datetime, members: Mapping[str, User], coordinator: User, closed: Mapping[date, str]
) -> list[str]:
    """The workshop programme, with sign-ups for its next dates and attendance of past ones;
    dates on which the Werkhaus is closed are cancelled."""
    cal = demo_tools.calendar("werkhaus-programm", "Werkhaus-Programm")
    start = now.astimezone(BERLIN).date() - timedelta(days=60)
    common: dict[str, Any] = {"calendar": cal, "first_day": start, "kind": "workshop"}
    lathe = Qualification.objects.get(slug="einweisung-drechselbank")
    laser = Qualification.objects.get(slug="einweisung-lasercutter")
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
            starts=time(18),
            hours=1.5,
            description="Sicherheitseinweisung; danach darfst du die Drechselbank buchen.",
            frequency="MONTHLY",
            params="byweekday:TH;bysetpos:2",
            places={"": 4},
            grants_qualification=lathe,
            location="Werkstatt",
        ),
        demo_tools.recurring_activity(
            **common,
            title="Einweisung Lasercutter",
            starts=time(16, 30),
            hours=1.5,
            description="Sicherheitseinweisung: Material, Brandschutz, Absaugung. Danach darfst "
            "du den Lasercutter buchen.",
            frequency="MONTHLY",
            params="byweekday:TU;bysetpos:1",
            places={"": 4},
            grants_qualification=laser,
            location="Werkstatt",
        ),
        demo_tools.recurring_activity(
            **common,
            title="Fahrradwerkstatt",
            starts=time(10),
            hours=3,
            description="Selbsthilfe mit Anleitung: Schlauch flicken, Bremsen und Licht "
            "einstellen, Kette ölen. Werkzeug und Ersatzteile sind da.",
            frequency="WEEKLY",
            params="byweekday:SA",
            places={"": 8},
            location="Hof vor dem Werkhaus",
        ),
        demo_tools.recurring_activity(
            **common,
            title="Upcycling-Werkstatt",
            starts=time(13),
            hours=3,
            description="Aus alten Jeans werden Taschen, aus Paletten Hochbeete. Bring mit, "
            "was sonst im Müll landet.",
            frequency="MONTHLY",
            params="byweekday:SA;bysetpos:3",
            places={"": 10},
            location="Gemeinschaftsraum",
        ),
        demo_tools.recurring_activity(
            **common,
            title="Löten für Einsteiger*innen",
            starts=time(18),
            hours=2,
            description="Eine kleine Blinkschaltung löten und dabei das Löten lernen; "
            "ab 12 Jahren.",
            frequency="MONTHLY",
            params="byweekday:TH;bysetpos:3",
            places={"": 6},
            location="Elektronik-Arbeitsplatz",
        ),
    ]
    signups = demo_tools.fill_activities(activities, list(members.values()), coordinator, now)
    cancelled = _cancel_closed_dates(activities, coordinator, now, closed)
    return [a.event.title for a in activities] + [
        f"{signups} sign-ups",
        f"{cancelled} dates cancelled (closed)",
    ]


def _cancel_closed_dates(
    activities: list[Activity], coordinator: User, now: datetime, closed: Mapping[date, str]
) -> int:
    cancelled = 0
    for occurrence in occurrences_in_window(
        start=now, end=now + timedelta(days=120), activity_ids=[a.pk for a in activities]
    ):
        reason = closed.get(occurrence.start.astimezone(BERLIN).date())
        if reason is None or occurrence.cancelled:
            continue
        occurrence_cancel(
            activity=occurrence.activity,
            start=occurrence.start,
            actor=coordinator,
            now=now,
            reason=f"{reason}: das Werkhaus ist geschlossen.",
        )
        cancelled += 1
    return cancelled
