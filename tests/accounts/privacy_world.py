"""A member with a distinctive name, e-mail and phone, whose data reaches into every app: the
world the privacy tests export, delete and search."""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Sum
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import api_token_issue
from garden.models import HoursEntry, Plot, PlotApplication, Season
from garden.services.hours import hours_log
from garden.services.plots import plot_allocate, season_apply
from scheduling.models import Booking, SignUp
from scheduling.services.bookings import BookingRequest, booking_create, booking_mark
from scheduling.services.feeds import feed_token_issue
from scheduling.services.records import notify
from scheduling.services.signups import SignupRequest, signup_create, signup_mark_attendance
from scheduling.services.swaps import swap_offer_create
from scheduling.services.waitlist import waitlist_join
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create, resource_create
from werkhaus.models import Loan, Room, ToolType, ToolUnit
from werkhaus.services.loans import CheckIn, CheckOut, loan_check_in, loan_check_out
from werkhaus.services.rooms import RoomRequest, room_book

NAME = "Zofia Quellwasser-Brandt"
EMAIL = "zofia.quellwasser@example.net"
PHONE = "+49 170 5550199"
USERNAME = "zquellwasser"
IDENTIFIERS = (NAME, EMAIL, PHONE, USERNAME)

# A Tuesday morning in May 2026; the past is April, the future is June.
NOW = datetime(2026, 5, 12, 10, 0, tzinfo=BERLIN)
APRIL = datetime(2026, 4, 14, 9, 0, tzinfo=BERLIN)
JUNE = datetime(2026, 6, 9, 9, 0, tzinfo=BERLIN)


@dataclass
class World:
    member: User
    other: User
    coordinator: User
    future_booking: Booking
    future_signup: SignUp
    other_waits_for_booking: Any
    other_waits_for_signup: SignUp
    other_booking: Booking


def member_create() -> User:
    return MemberFactory(
        username=USERNAME, display_name=NAME, email=EMAIL, phone=PHONE, volunteer=True
    )


def build() -> World:
    member = member_create()
    other = MemberFactory(username="nachbarin", display_name="Nora Nachbarin")
    coordinator = MemberFactory(username="kim", display_name="Kim Koordination", coordinator=True)

    # A workbench: a past booking with a note naming the member, a future one somebody waits for.
    bench = resource_create(name="Hobelbank", max_minutes=240)
    past = booking_create(
        request=BookingRequest(
            resource=bench,
            member=member,
            start=APRIL,
            end=APRIL + timedelta(hours=2),
            note=f"{NAME} bringt eigenes Holz, Rückruf {PHONE}",
        ),
        actor=member,
        now=APRIL - timedelta(days=1),
    )
    booking_mark(
        booking=past, actor=coordinator, now=APRIL + timedelta(hours=3), outcome="completed"
    )
    future = booking_create(
        request=BookingRequest(
            resource=bench, member=member, start=JUNE, end=JUNE + timedelta(hours=2)
        ),
        actor=member,
        now=NOW - timedelta(days=1),
    )
    waiting = waitlist_join(
        resource=bench,
        member=other,
        start=JUNE,
        end=JUNE + timedelta(hours=2),
        actor=other,
        now=NOW - timedelta(hours=1),
    )
    other_booking = booking_create(
        request=BookingRequest(
            resource=bench,
            member=other,
            start=JUNE + timedelta(days=2),
            end=JUNE + timedelta(days=2, hours=1),
        ),
        actor=other,
        now=NOW - timedelta(hours=1),
    )

    # A tool lent in April, back damaged with a report that names the member.
    drill = resource_create(
        name="Akkuschrauber",
        kind="tool",
        units=1,
        slot_minutes=1440,
        min_minutes=1440,
        max_minutes=7 * 1440,
    )
    ToolType.objects.create(resource=drill, category="power_tools", deposit=Decimal("20.00"))
    reserved = booking_create(
        request=BookingRequest(
            resource=drill, member=member, start=APRIL, end=APRIL + timedelta(days=2), override=True
        ),
        actor=coordinator,
        now=APRIL - timedelta(days=1),
    )
    loan = loan_check_out(booking=reserved, actor=coordinator, now=APRIL, check=CheckOut())
    loan_check_in(
        loan=loan,
        actor=coordinator,
        now=APRIL + timedelta(days=2),
        check=CheckIn(
            condition="damaged", damage_report=f"Akku von {NAME} fallen gelassen ({EMAIL})"
        ),
    )
    ToolUnit.objects.filter(unit__resource=drill).update(notes=f"Zuletzt bei {NAME}, {PHONE}")

    # A room for a birthday.
    hall = resource_create(name="Saal", kind="room", max_minutes=600)
    Room.objects.create(resource=hall, max_people=30)
    room_book(
        request=RoomRequest(
            resource=hall,
            member=member,
            start=APRIL + timedelta(days=5),
            end=APRIL + timedelta(days=5, hours=4),
            purpose=f"Geburtstag von {NAME}",
            expected_people=20,
            organisation=f"Familie {NAME}",
        ),
        actor=member,
        now=APRIL,
    )

    # A workshop attended in April, and a full one in June with the neighbour waiting.
    workshop = activity_create(title="Repair-Café", first_start="2026-04-18T14:00", places=1)
    first = signup_create(
        request=SignupRequest(
            activity=workshop, start=datetime(2026, 4, 18, 14, tzinfo=BERLIN), member=member
        ),
        actor=member,
        now=APRIL,
    )
    signup_mark_attendance(
        signup=first, actor=coordinator, now=datetime(2026, 4, 18, 18, tzinfo=BERLIN), attended=True
    )
    june_session = datetime(2026, 6, 13, 14, tzinfo=BERLIN)
    future_signup = signup_create(
        request=SignupRequest(activity=workshop, start=june_session, member=member),
        actor=member,
        now=NOW - timedelta(days=1),
    )
    swap_offer_create(signup=future_signup, actor=member, now=NOW - timedelta(hours=2))
    other_waits = signup_create(
        request=SignupRequest(activity=workshop, start=june_session, member=other, waitlist=True),
        actor=other,
        now=NOW - timedelta(hours=1),
    )

    # The garden: an application with wishes naming them, a plot held, hours with a note.
    season = Season.objects.create(
        name="Saison 2026", starts_on=date(2026, 3, 1), ends_on=date(2026, 10, 31)
    )
    beet = resource_create(name="Beet 7", kind="plot")
    plot = Plot.objects.create(resource=beet, number=7, size_m2=12, x=1, y=1)
    application = season_apply(
        season=season,
        member=member,
        actor=member,
        now=datetime(2026, 2, 10, tzinfo=BERLIN),
        wishes=f"Bitte sonnig – {NAME}, {PHONE}",
    )
    plot_allocate(
        application=application,
        plot=plot,
        actor=coordinator,
        now=datetime(2026, 2, 20, tzinfo=BERLIN),
    )
    hours_log(
        member=member,
        day=date(2026, 5, 2),
        minutes=150,
        activity="Kompost umsetzen",
        actor=member,
        now=NOW - timedelta(days=5),
        note=f"mit {NAME} und Kindern",
    )

    # News about the member, and a coordinator's note about them.
    notify(member_id=member.pk, kind="booking_confirmed", now=NOW, greeting=f"Hallo {NAME}")
    notify(
        member_id=coordinator.pk,
        kind="call_back",
        now=NOW,
        text=f"{NAME} zurückrufen: {PHONE}",
    )
    LogEntry.objects.log_actions(
        user_id=coordinator.pk,
        queryset=[member],
        action_flag=CHANGE,
        change_message=f"Telefon {PHONE}",
    )
    ContentType.objects.clear_cache()

    # Ways in: an API token, a calendar feed, a session.
    api_token_issue(user=member, now=NOW - timedelta(days=1))
    feed_token_issue(member=member, actor=member, now=NOW - timedelta(days=1))
    APIClient().force_login(member)

    return World(
        member=member,
        other=other,
        coordinator=coordinator,
        future_booking=future,
        future_signup=future_signup,
        other_waits_for_booking=waiting,
        other_waits_for_signup=other_waits,
        other_booking=other_booking,
    )


# --- Looking for the member -------------------------------------------------------------------


def _text_like(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, models.CharField | models.TextField | models.JSONField)


def hits(needles: tuple[str, ...] = IDENTIFIERS) -> list[str]:
    """Every table, every text and JSON column: where any of the needles still stands."""
    lowered = [n.lower() for n in needles]
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields if _text_like(f)]
        if not fields:
            continue
        for values in model._default_manager.values_list("pk", *(f.attname for f in fields)):
            pk, texts = values[0], values[1:]
            for field, value in zip(fields, texts, strict=True):
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                for needle in lowered:
                    if needle in text.lower():
                        found.append(f"{model._meta.label}.{field.name} #{pk}: {needle}")
    return found


def statistics(member: User) -> dict[str, Any]:
    """What the statistics count of the member (a freed place may add a booking for another)."""
    return {
        "bookings": Booking.objects.filter(member=member).count(),
        "signups": SignUp.objects.filter(member=member).count(),
        "loans": Loan.objects.filter(booking__member=member).count(),
        "hours_minutes": HoursEntry.objects.filter(member=member).aggregate(t=Sum("minutes"))["t"],
        "plot_applications": PlotApplication.objects.filter(member=member).count(),
        "all_signups": SignUp.objects.count(),
        "all_loans": Loan.objects.count(),
    }
