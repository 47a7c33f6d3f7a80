"""Sending the outbox, each notification at most once.

A dispatcher first *claims* due rows in a short transaction (``SELECT … FOR UPDATE SKIP
LOCKED`` on PostgreSQL, the write lock of ``BEGIN IMMEDIATE`` on SQLite) by stamping
``claimed_at``; two dispatchers that overlap never claim the same row. It then sends each claimed
row and marks it sent with a conditional UPDATE on its own claim. A dispatcher that died after
claiming leaves rows that are claimed again after ``claim_timeout()``
(``NOTIFICATION_CLAIM_TIMEOUT_SECONDS``, 600). Failed sends are retried
with a growing pause and given up visibly after ``MAX_ATTEMPTS``. Rows older than
``max age`` (history, e.g. of the demo, or news that is stale) are given up without sending.
Members without an e-mail address get nothing mailed: their rows are marked for a coordinator
to call. A reminder that no longer applies (its booking was cancelled or moved, or the member
switched that reminder off) and a confirmation of something already cancelled are marked
skipped, not sent.
"""

import logging
import smtplib
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from scheduling.invitations import invitation, invitation_part, superseded
from scheduling.messages import render
from scheduling.models import Notification, NotificationChannel
from scheduling.reminders import still_applies

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def claim_timeout() -> timedelta:
    """How long a claim holds before another dispatcher may take the row over: longer than any
    dispatch run takes, since a row taken over while still being sent is mailed twice."""
    return timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT_SECONDS)


def _due(now: datetime) -> Q:
    return (
        Q(sent_at__isnull=True, failed_at__isnull=True, skipped_at__isnull=True)
        & (Q(due_at__isnull=True) | Q(due_at__lte=now))
        & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - claim_timeout()))
    )


@transaction.atomic
def outbox_claim(*, now: datetime, limit: int = 100) -> list[int]:
    rows = list(
        Notification.objects.select_for_update(skip_locked=True)
        .filter(_due(now))
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    Notification.objects.filter(pk__in=rows).update(claimed_at=now)
    return rows


def _send(notification: Notification, *, now: datetime) -> None:
    member = notification.member
    with translation.override(member.preferred_language):
        subject, text, html = render(notification, now=now)
    mail = EmailMultiAlternatives(subject=subject, body=text, to=[member.email])
    mail.attach_alternative(html, "text/html")
    calendar = invitation(notification, now=now)
    if calendar is not None:
        mail.attach(invitation_part(*calendar))
    mail.send(fail_silently=False)


def outbox_send(*, notification_id: int, claimed_at: datetime, now: datetime) -> str:
    """Send one claimed notification; returns what happened (for the dispatcher's count)."""
    notification = Notification.objects.select_related(
        "member",
        "booking__resource",
        "signup__slot__activity__event",
        "signup__role",
    ).get(pk=notification_id)
    mine = Notification.objects.filter(pk=notification_id, claimed_at=claimed_at, sent_at=None)
    max_age = timedelta(hours=settings.NOTIFICATION_MAX_AGE_HOURS)
    if (notification.due_at or notification.created_at) < now - max_age:
        mine.update(failed_at=now, last_error="too old to send", claimed_at=None)
        return "stale"
    if superseded(notification) or not still_applies(notification):
        mine.update(skipped_at=now, claimed_at=None)
        return "skipped"
    if not notification.member.email or not notification.member.is_active:
        mine.update(sent_at=now, channel=NotificationChannel.CALL, claimed_at=None)
        return "call"
    try:
        _send(notification, now=now)
    except (smtplib.SMTPException, OSError) as exc:
        attempts = notification.attempts + 1
        if attempts >= MAX_ATTEMPTS:
            mine.update(
                attempts=attempts, last_error=str(exc)[:500], failed_at=now, claimed_at=None
            )
            log.error(
                "gave up notification %s after %s attempts: %s", notification_id, attempts, exc
            )
            return "failed"
        mine.update(
            attempts=attempts,
            last_error=str(exc)[:500],
            due_at=now + timedelta(minutes=2**attempts),
            claimed_at=None,
        )
        return "retry"
    mine.update(sent_at=now, channel=NotificationChannel.EMAIL, claimed_at=None)
    return "sent"


def outbox_dispatch(*, now: datetime, limit: int = 100) -> dict[str, int]:
    counts: dict[str, int] = {}
    for notification_id in outbox_claim(now=now, limit=limit):
        outcome = outbox_send(notification_id=notification_id, claimed_at=now, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def outbox_file_as_history(*, before: datetime, now: datetime) -> int:
    """Mark unsent news of before ``before`` as not to be sent (the demo's past weeks)."""
    return Notification.objects.filter(
        sent_at__isnull=True,
        failed_at__isnull=True,
        skipped_at__isnull=True,
        created_at__lt=before,
    ).update(skipped_at=now, last_error="history: not sent")
