"""The engine has no demo data of its own; it files the demo's past news as history."""

from datetime import datetime, timedelta

from scheduling.services.outbox import outbox_file_as_history


def seed(*, now: datetime) -> list[str]:
    return []


def finish(*, now: datetime) -> None:
    # The demo writes weeks of past bookings and sign-ups; their notices are history, not news.
    outbox_file_as_history(before=now - timedelta(hours=1), now=now)
