"""Reminders fall due at their time, are written once each, and are sent only while they apply."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from accounts.models import User
from scheduling.models import Notification, NotificationOptOut, Resource, SignUp
from scheduling.services.bookings import booking_cancel
from scheduling.services.outbox import outbox_dispatch
from scheduling.services.reminders import reminders_create
from scheduling.services.signups import SignupRequest, signup_cancel, signup_create
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create
from tests.scheduling.conftest import TUESDAY, at, book

pytestmark = pytest.mark.django_db

SATURDAY = datetime(2026, 6, 13, 10, 0, tzinfo=BERLIN)


def reminders(kind: str = "") -> list[Notification]:
    found = Notification.objects.filter(key__gt="").order_by("pk")
    return list(found.filter(kind=kind) if kind else found)


def test_a_booking_is_reminded_once_a_day_before_it_starts(bench: Resource, resident: User) -> None:
    booking = book(bench, resident, at(16), at(18))  # booked on Monday morning
    day_before = at(16) - timedelta(days=1)

    assert reminders_create(now=day_before - timedelta(minutes=1)) == 0
    assert reminders_create(now=day_before) == 1
    assert reminders_create(now=day_before + timedelta(minutes=1)) == 0

    [reminder] = reminders()
    assert (reminder.kind, reminder.booking_id, reminder.member_id) == (
        "booking_reminder",
        booking.pk,
        resident.pk,
    )
    assert reminder.due_at == day_before


def test_the_same_reminder_key_cannot_be_written_twice(bench: Resource, resident: User) -> None:
    book(bench, resident, at(16), at(18))
    reminders_create(now=at(16) - timedelta(hours=20))
    [reminder] = reminders()

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            member=resident, kind=reminder.kind, key=reminder.key, created_at=TUESDAY
        )


def test_a_booking_made_less_than_a_day_ahead_gets_no_reminder(
    bench: Resource, resident: User
) -> None:
    book(bench, resident, at(16), at(18), now=at(9))

    assert reminders_create(now=at(10)) == 0


def test_a_due_reminder_is_mailed_with_what_and_when(bench: Resource, resident: User) -> None:
    book(bench, resident, at(16), at(18))
    day_before = at(16) - timedelta(days=1)
    reminders_create(now=day_before)
    mail.outbox.clear()
    Notification.objects.filter(kind="booking_confirmed").update(sent_at=day_before)

    assert outbox_dispatch(now=day_before) == {"sent": 1}

    [message] = mail.outbox
    assert message.subject == "Erinnerung: deine Buchung"
    assert "Was: Hobelbank" in message.body
    assert "Wann: 12. Mai 2026 16:00" in message.body


def test_the_reminder_of_a_booking_cancelled_meanwhile_is_skipped(
    bench: Resource, resident: User
) -> None:
    booking = book(bench, resident, at(16), at(18))
    day_before = at(16) - timedelta(days=1)
    reminders_create(now=day_before)
    booking_cancel(booking=booking, actor=resident, now=day_before + timedelta(minutes=5))

    outcome = outbox_dispatch(now=day_before + timedelta(minutes=6))

    [reminder] = reminders()
    reminder.refresh_from_db()
    assert reminder.skipped_at is not None
    assert reminder.sent_at is None
    # The confirmation is superseded too; only the cancellation goes out.
    assert outcome == {"skipped": 2, "sent": 1}
    assert [m.subject for m in mail.outbox] == ["Deine Buchung wurde storniert"]


def test_a_member_who_switched_booking_reminders_off_gets_none(
    bench: Resource, resident: User
) -> None:
    NotificationOptOut.objects.create(member=resident, kind="booking_reminder", created_at=TUESDAY)
    book(bench, resident, at(16), at(18))

    assert reminders_create(now=at(16) - timedelta(hours=20)) == 0


def test_a_reminder_switched_off_after_it_was_written_is_not_sent(
    bench: Resource, resident: User
) -> None:
    book(bench, resident, at(16), at(18))
    now = at(16) - timedelta(hours=20)
    reminders_create(now=now)
    NotificationOptOut.objects.create(member=resident, kind="booking_reminder", created_at=now)

    outbox_dispatch(now=now)

    assert reminders()[0].skipped_at is not None
    assert "Erinnerung: deine Buchung" not in [m.subject for m in mail.outbox]


@pytest.fixture
def garden_day():
    return activity_create(
        kind="shift", title="Gartentag", first_start="2026-06-06T10:00", places={"Beete": 4}
    )


def sign_up(activity, member: User, *, now: datetime) -> SignUp:
    return signup_create(
        request=SignupRequest(activity=activity, start=SATURDAY, member=member),
        actor=member,
        now=now,
    )


def test_a_shift_is_reminded_the_day_before_and_two_hours_before(garden_day) -> None:
    volunteer = MemberFactory(volunteer=True)
    sign_up(garden_day, volunteer, now=SATURDAY - timedelta(days=5))

    reminders_create(now=SATURDAY - timedelta(hours=24))
    reminders_create(now=SATURDAY - timedelta(hours=3))
    reminders_create(now=SATURDAY - timedelta(hours=2))
    reminders_create(now=SATURDAY - timedelta(hours=1))

    assert [(r.kind, r.due_at) for r in reminders()] == [
        ("signup_reminder", SATURDAY - timedelta(hours=24)),
        ("signup_reminder_soon", SATURDAY - timedelta(hours=2)),
    ]


def test_after_an_outage_only_the_nearer_shift_reminder_is_written(garden_day) -> None:
    volunteer = MemberFactory(volunteer=True)
    sign_up(garden_day, volunteer, now=SATURDAY - timedelta(days=5))

    reminders_create(now=SATURDAY - timedelta(minutes=90))

    assert [r.kind for r in reminders()] == ["signup_reminder_soon"]


def test_no_reminder_is_written_once_the_shift_has_begun(garden_day) -> None:
    volunteer = MemberFactory(volunteer=True)
    sign_up(garden_day, volunteer, now=SATURDAY - timedelta(days=5))

    assert reminders_create(now=SATURDAY + timedelta(minutes=1)) == 0


def test_the_reminder_of_a_cancelled_sign_up_is_skipped(garden_day) -> None:
    volunteer = MemberFactory(volunteer=True)
    signup = sign_up(garden_day, volunteer, now=SATURDAY - timedelta(days=5))
    reminders_create(now=SATURDAY - timedelta(hours=24))
    signup_cancel(signup=signup, actor=volunteer, now=SATURDAY - timedelta(hours=23))

    outbox_dispatch(now=SATURDAY - timedelta(hours=23))

    [reminder] = reminders()
    reminder.refresh_from_db()
    assert reminder.skipped_at is not None
    assert reminder.sent_at is None
