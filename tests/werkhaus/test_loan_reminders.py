"""A loan is reminded the day before it is due back; the overdue ones reach the digest."""

from datetime import timedelta

import pytest
from django.core import mail

from accounts.models import User
from scheduling.models import Notification
from scheduling.services.outbox import outbox_dispatch
from scheduling.services.reminders import reminders_create
from tests.factories import MemberFactory
from tests.werkhaus.conftest import MONDAY, lend
from werkhaus.models import ToolType
from werkhaus.services.loans import CheckIn, loan_check_in

pytestmark = pytest.mark.django_db


def due_reminders() -> list[Notification]:
    return list(Notification.objects.filter(kind="loan_due_reminder"))


def test_a_loan_is_reminded_once_the_day_before_it_is_due(
    drills: ToolType, resident: User, coordinator: User
) -> None:
    loan = lend(drills, resident, start=MONDAY, days=3, coordinator=coordinator)
    due = loan.booking.end

    reminders_create(now=due - timedelta(hours=25))
    assert due_reminders() == []
    reminders_create(now=due - timedelta(hours=24))
    reminders_create(now=due - timedelta(hours=23))

    [reminder] = due_reminders()
    assert reminder.member_id == resident.pk
    mail.outbox.clear()
    Notification.objects.exclude(pk=reminder.pk).update(sent_at=MONDAY)
    outbox_dispatch(now=due - timedelta(hours=23))
    [message] = mail.outbox
    assert message.subject == "Bitte bring es morgen zurück"
    assert "Zurück bis: 14. Mai 2026 09:00" in message.body


def test_a_loan_returned_early_is_not_reminded(
    drills: ToolType, resident: User, coordinator: User
) -> None:
    loan = lend(drills, resident, start=MONDAY, days=3, coordinator=coordinator)
    due = loan.booking.end
    reminders_create(now=due - timedelta(hours=24))
    loan_check_in(loan=loan, actor=coordinator, now=due - timedelta(hours=23), check=CheckIn())

    outbox_dispatch(now=due - timedelta(hours=23))

    [reminder] = due_reminders()
    reminder.refresh_from_db()
    assert reminder.skipped_at is not None
    assert reminder.sent_at is None


def test_a_loan_for_less_than_a_day_is_not_reminded(
    drills: ToolType, resident: User, coordinator: User
) -> None:
    lend(drills, resident, start=MONDAY, days=1, coordinator=coordinator)

    reminders_create(now=MONDAY + timedelta(hours=1))

    assert due_reminders() == []


def test_overdue_loans_are_listed_in_the_coordinators_digest(
    drills: ToolType, coordinator: User
) -> None:
    late = MemberFactory(display_name="Lars Spät")
    lend(drills, late, start=MONDAY - timedelta(days=7), days=2, coordinator=coordinator)
    mail.outbox.clear()
    Notification.objects.update(sent_at=MONDAY)

    reminders_create(now=MONDAY)
    outbox_dispatch(now=MONDAY)

    [digest] = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert "Überfällige Ausleihen: 1" in digest.body
    assert "Lars Spät" in digest.body
