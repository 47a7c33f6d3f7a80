"""Reminders on the production shape: a real prefork worker on the real Redis, two dispatch
runs at once, and an outage of the broker while members book."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from celery.exceptions import OperationalError as CeleryOperationalError
from django.test import override_settings
from django.utils import timezone
from kombu import Connection
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from scheduling.models import Booking, Notification, Resource
from scheduling.services.bookings import BookingRequest, booking_create
from scheduling.tasks import dispatch_notifications
from tests.factories import MemberFactory, resource_create
from tests.jobs import celery_process, process_env, wait_for

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

DEAD_BROKER = "redis://127.0.0.1:1/0"
TWO_PROCESSES = (
    "worker",
    "--pool",
    "prefork",
    "--concurrency",
    "2",
    "--loglevel",
    "INFO",
    "--without-mingle",
)


def next_full_hour(after: timedelta = timedelta(0)) -> datetime:
    """On the booking grid, at least ``after`` from now."""
    later = timezone.now() + after
    return later.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def booked_yesterday(resource: Resource, members: Sequence[Any]) -> list[Booking]:
    """Bookings made 30 hours ago that start within the hour: their reminders are due now."""
    now = timezone.now()
    bookings = []
    for member in members:
        start = next_full_hour()
        bookings.append(
            booking_create(
                request=BookingRequest(
                    resource=resource, member=member, start=start, end=start + timedelta(hours=1)
                ),
                actor=member,
                now=now - timedelta(hours=30),
            )
        )
    # Their confirmations went out yesterday.
    Notification.objects.update(sent_at=now - timedelta(hours=30))
    return bookings


def recipients(mailbox: Path) -> list[str]:
    found = []
    for message in mailbox.glob("*.log"):
        found += [
            line.removeprefix("To: ").strip()
            for line in message.read_text().splitlines()
            if line.startswith("To: ")
        ]
    return sorted(found)


def mail_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    mailbox = tmp_path / "mail"
    env = process_env(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mailbox),
    )
    return env, mailbox


def test_two_overlapping_dispatch_runs_send_each_due_reminder_once(tmp_path: Path) -> None:
    members = [MemberFactory() for _ in range(8)]
    booked_yesterday(resource_create(name="Werkbank", units=len(members)), members)
    env, mailbox = mail_env(tmp_path)

    with celery_process(*TWO_PROCESSES, env=env, log=tmp_path / "worker.log"):
        dispatch_notifications.delay()
        dispatch_notifications.delay()
        wait_for(
            lambda: (
                Notification.objects.filter(kind="booking_reminder", sent_at__isnull=False).count()
                == len(members)
            ),
            seconds=60,
            log=tmp_path / "worker.log",
        )
        # Let a straggling run finish before counting.
        dispatch_notifications.delay().get(timeout=30)

    assert Notification.objects.filter(kind="booking_reminder").count() == len(members)
    assert recipients(mailbox) == sorted(m.email for m in members)


def test_bookings_succeed_while_the_broker_is_down_and_everything_due_is_sent_once_it_is_back(
    tmp_path: Path,
) -> None:
    earlier = [MemberFactory() for _ in range(3)]
    resource = resource_create(name="Werkbank", units=10)
    booked_yesterday(resource, earlier)
    newcomers = [MemberFactory() for _ in range(4)]
    start = next_full_hour(timedelta(hours=2))

    with override_settings(CELERY_BROKER_URL=DEAD_BROKER):
        health = APIClient().get("/healthz")
        assert health.status_code == 503
        assert health.json()["broker"] == "unavailable"
        # Beat's tick cannot reach the queue...
        dead = Connection(DEAD_BROKER, connect_timeout=1)
        options: dict[str, Any] = {"retry": False, "connection": dead}
        with pytest.raises((OperationalError, CeleryOperationalError)):
            dispatch_notifications.apply_async(**options)
        dead.release()
        # ...but members book as usual: a booking never waits for the broker.
        for member in newcomers:
            client = APIClient()
            client.force_authenticate(member)
            answer = client.post(
                "/api/v1/bookings/",
                {
                    "resource": resource.pk,
                    "start": start.isoformat(),
                    "end": (start + timedelta(hours=1)).isoformat(),
                },
                format="json",
            )
            assert answer.status_code == 201, answer.content

    env, mailbox = mail_env(tmp_path)
    with celery_process(*TWO_PROCESSES, env=env, log=tmp_path / "worker.log"):
        dispatch_notifications.delay()
        dispatch_notifications.delay()
        wait_for(
            lambda: (
                not Notification.objects.filter(sent_at__isnull=True).exists()
                and Notification.objects.filter(kind="booking_reminder").count() == len(earlier)
            ),
            seconds=60,
            log=tmp_path / "worker.log",
        )
        dispatch_notifications.delay().get(timeout=30)

    # The newcomers' confirmations and the earlier members' reminders, each exactly once.
    assert recipients(mailbox) == sorted(m.email for m in earlier + newcomers)
