"""The weekly digest: once per coordinator and week, Monday morning, with the week's figures."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.test import override_settings

from accounts.models import User
from scheduling.models import Notification, NotificationOptOut, Resource
from scheduling.services.outbox import outbox_dispatch
from scheduling.services.records import notify
from scheduling.services.reminders import reminders_create
from tests.conftest import BERLIN
from tests.factories import MemberFactory
from tests.scheduling.conftest import at, book

pytestmark = pytest.mark.django_db

MONDAY_7 = datetime(2026, 5, 11, 7, 0, tzinfo=BERLIN)


def digests() -> list[Notification]:
    return list(Notification.objects.filter(kind="weekly_digest").order_by("member_id"))


def test_each_coordinator_gets_one_digest_on_monday_morning(coordinator: User) -> None:
    second = MemberFactory(coordinator=True)
    MemberFactory(volunteer=True)

    reminders_create(now=MONDAY_7 - timedelta(minutes=1))
    assert digests() == []
    reminders_create(now=MONDAY_7)
    reminders_create(now=MONDAY_7 + timedelta(hours=3))

    assert [d.member_id for d in digests()] == sorted([coordinator.pk, second.pk])


def test_a_digest_missed_on_monday_morning_is_written_later_that_day(coordinator: User) -> None:
    reminders_create(now=MONDAY_7 + timedelta(hours=9))

    assert len(digests()) == 1


def test_no_digest_is_written_on_other_days(coordinator: User) -> None:
    for days in range(1, 7):
        reminders_create(now=MONDAY_7 + timedelta(days=days))

    assert digests() == []


@override_settings(DIGEST_HOUR=9)
def test_the_digest_hour_is_a_setting(coordinator: User) -> None:
    reminders_create(now=MONDAY_7)
    assert digests() == []
    reminders_create(now=MONDAY_7 + timedelta(hours=2))
    assert len(digests()) == 1


def test_a_coordinator_who_switched_the_digest_off_gets_none(coordinator: User) -> None:
    NotificationOptOut.objects.create(member=coordinator, kind="weekly_digest", created_at=MONDAY_7)

    reminders_create(now=MONDAY_7)

    assert digests() == []


def test_the_digest_lists_the_weeks_bookings_and_whom_to_call(
    coordinator: User, bench: Resource, resident: User
) -> None:
    book(bench, resident, at(16), at(18), now=MONDAY_7 - timedelta(days=2))
    no_mail = MemberFactory(email="", phone="030 1234567", display_name="Erna Ohnemail")
    notify(member_id=no_mail.pk, kind="booking_cancelled", now=MONDAY_7 - timedelta(days=1))
    outbox_dispatch(now=MONDAY_7 - timedelta(days=1))
    mail.outbox.clear()

    reminders_create(now=MONDAY_7)
    outbox_dispatch(now=MONDAY_7)

    [message] = mail.outbox
    assert message.to == [coordinator.email]
    assert message.subject == "Die kommende Woche im Werkhaus & Garten"
    assert "Buchungen in der kommenden Woche: 1" in message.body
    assert "- Hobelbank: 1" in message.body
    assert "Mitglieder ohne E-Mail, die angerufen werden sollten: 1" in message.body
    assert "Erna Ohnemail (030 1234567): Deine Buchung wurde storniert" in message.body
    assert "Überfällige Ausleihen: 0" in message.body
    assert "Stunden, die auf Freigabe warten: 0" in message.body
