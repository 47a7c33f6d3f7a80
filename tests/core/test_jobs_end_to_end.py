"""A real worker (and beat) in their own processes execute what the app dispatches."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu import Connection

from accounts.models import ApiToken, User
from accounts.services import api_token_issue
from accounts.tasks import clear_expired_credentials
from core.models import Heartbeat
from scheduling.models import Notification
from tests.jobs import celery_process, process_env, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

WORKER_ARGS = ("worker", "--pool", "solo", "--loglevel", "INFO", "--without-mingle")


def _dispatch_cleanup_and_wait(
    resident: User, env: dict[str, str], log: Path, **send_options: Any
) -> None:
    api_token_issue(user=resident, now=timezone.now() - timedelta(days=60))
    with celery_process(*WORKER_ARGS, env=env, log=log):
        with transaction.atomic():
            transaction.on_commit(lambda: clear_expired_credentials.apply_async(**send_options))
        wait_for(lambda: not ApiToken.objects.exists(), seconds=60, log=log)


@pytest.mark.redis
def test_a_worker_on_redis_runs_a_task_dispatched_on_commit(resident: User, tmp_path: Path) -> None:
    assert settings.CELERY_BROKER_URL.startswith("redis://")

    _dispatch_cleanup_and_wait(resident, process_env(), tmp_path / "worker.log")


def test_a_worker_on_the_embedded_filesystem_broker_runs_a_task(
    resident: User, tmp_path: Path
) -> None:
    folder = tmp_path / "celery"
    options = {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
    }
    for sub in ("queue", "processed", "control"):
        (folder / sub).mkdir(parents=True)
    env = process_env(CELERY_DATA_DIR=str(folder), REDIS_URL="")

    with Connection("filesystem://", transport_options=options) as connection:
        _dispatch_cleanup_and_wait(resident, env, tmp_path / "worker.log", connection=connection)


@pytest.mark.redis
def test_beat_schedules_the_heartbeat_and_the_worker_records_it(tmp_path: Path) -> None:
    env = process_env(HEARTBEAT_SECONDS="1")
    log = tmp_path / "beat.log"

    with (
        celery_process(*WORKER_ARGS, env=env, log=tmp_path / "worker.log"),
        celery_process(
            "beat", "--loglevel", "INFO", "--schedule", str(tmp_path / "s"), env=env, log=log
        ),
    ):
        wait_for(lambda: Heartbeat.objects.filter(name="beat").exists(), seconds=60, log=log)

    from django_celery_beat.models import PeriodicTask

    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert set(settings.CELERY_BEAT_SCHEDULE) <= names


@pytest.mark.redis
@pytest.mark.postgres
def test_two_overlapping_dispatch_runs_on_a_real_worker_mail_each_notification_once(
    tmp_path: Path,
) -> None:
    from scheduling.services.records import notify
    from scheduling.tasks import dispatch_notifications
    from tests.factories import MemberFactory

    now = timezone.now()
    members = [MemberFactory() for _ in range(12)]
    for member in members:
        notify(member_id=member.pk, kind="waitlist_offer", now=now)
    mailbox = tmp_path / "mail"
    env = process_env(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mailbox),
    )
    two_at_once = (
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        "2",
        "--loglevel",
        "INFO",
        "--without-mingle",
    )

    with celery_process(*two_at_once, env=env, log=tmp_path / "worker.log"):
        dispatch_notifications.delay()
        dispatch_notifications.delay()
        wait_for(
            lambda: Notification.objects.filter(sent_at__isnull=False).count() == len(members),
            seconds=60,
            log=tmp_path / "worker.log",
        )

    recipients = []
    for message in mailbox.glob("*.log"):
        recipients += [
            line.removeprefix("To: ").strip()
            for line in message.read_text().splitlines()
            if line.startswith("To: ")
        ]
    assert sorted(recipients) == sorted(m.email for m in members)
