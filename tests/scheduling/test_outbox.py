"""The outbox dispatcher sends each due notification once, in the member's language."""

import smtplib
import threading
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection

from accounts.models import User
from accounts.services import member_create
from scheduling.models import Notification
from scheduling.services.outbox import MAX_ATTEMPTS, outbox_dispatch
from scheduling.services.records import notify
from tests.conftest import BERLIN
from tests.factories import MemberFactory

NOW = datetime(2026, 5, 12, 10, 0, tzinfo=BERLIN)


def waiting(member: User, kind: str = "waitlist_offer", **payload: Any) -> Notification:
    return notify(member_id=member.pk, kind=kind, now=NOW - timedelta(minutes=1), **payload)


@pytest.mark.django_db
def test_a_due_notification_is_mailed_once(resident: User) -> None:
    waiting(resident, start="2026-05-14T16:00:00+02:00")

    assert outbox_dispatch(now=NOW) == {"sent": 1}
    assert outbox_dispatch(now=NOW + timedelta(minutes=1)) == {}

    [message] = mail.outbox
    assert message.to == [resident.email]
    assert message.subject == "Ein Platz, auf den du gewartet hast, ist frei"
    assert "Wann: 14. Mai 2026 16:00" in message.body


@pytest.mark.django_db
def test_it_speaks_the_members_language() -> None:
    member = MemberFactory(preferred_language="en")
    waiting(member)

    outbox_dispatch(now=NOW)

    assert mail.outbox[0].subject == "A place you waited for is free"


@pytest.mark.django_db
def test_a_notification_due_later_waits(resident: User) -> None:
    note = waiting(resident)
    Notification.objects.filter(pk=note.pk).update(due_at=NOW + timedelta(hours=1))

    assert outbox_dispatch(now=NOW) == {}
    assert outbox_dispatch(now=NOW + timedelta(hours=1)) == {"sent": 1}


@pytest.mark.django_db
def test_a_member_without_e_mail_is_listed_to_call(coordinator: User) -> None:
    walk_in = member_create(display_name="Amina", managed_by=coordinator)
    note = waiting(walk_in)

    assert outbox_dispatch(now=NOW) == {"call": 1}

    note.refresh_from_db()
    assert note.channel == "call"
    assert note.sent_at == NOW
    assert mail.outbox == []


@pytest.mark.django_db
def test_old_history_is_not_mailed(resident: User) -> None:
    notify(member_id=resident.pk, kind="booking_approved", now=NOW - timedelta(days=30))

    assert outbox_dispatch(now=NOW) == {"stale": 1}
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_failing_mail_server_is_retried_with_a_pause_then_given_up(
    resident: User, settings
) -> None:
    settings.EMAIL_BACKEND = "tests.scheduling.test_outbox.BrokenBackend"
    note = waiting(resident)

    moment = NOW
    for attempt in range(1, MAX_ATTEMPTS + 1):
        outcome = outbox_dispatch(now=moment)
        note.refresh_from_db()
        assert note.attempts == attempt
        if attempt < MAX_ATTEMPTS:
            assert outcome == {"retry": 1}
            assert note.due_at == moment + timedelta(minutes=2**attempt)
            assert outbox_dispatch(now=moment) == {}, "not before the pause is over"
            moment = note.due_at
    assert outcome == {"failed": 1}
    assert note.failed_at is not None
    assert "refused" in note.last_error


class BrokenBackend:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: list[object]) -> int:
        raise smtplib.SMTPServerDisconnected("connection refused")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_overlapping_dispatch_runs_send_each_notification_once() -> None:
    members = [MemberFactory() for _ in range(30)]
    for member in members:
        waiting(member)
    barrier = threading.Barrier(4)
    results: list[dict[str, int]] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            results.append(outbox_dispatch(now=NOW, limit=10))
            results.append(outbox_dispatch(now=NOW, limit=10))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(r.get("sent", 0) for r in results) == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
