"""Aware datetimes only. Python subtracts and adds on the wall clock when both sides carry the
same zone (Berlin 01:45 + 30 min on a DST night is wrong by an hour), so the engine computes
in UTC and converts to Europe/Berlin only for rules that are about the wall clock."""

from datetime import UTC, datetime


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime: {moment!r}")
    return moment.astimezone(UTC)
