"""API fields shared by every app."""

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

UTC = ZoneInfo("UTC")
_SPACE_OFFSET = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$")


class AwareDateTimeField(serializers.DateTimeField):
    """ISO 8601 with an offset, nothing else: a naive time or a wall-clock time that does not
    exist in our time zone (the hour skipped in spring) is refused, never guessed."""

    default_error_messages = {
        "invalid": _(
            "Enter a date and time in ISO 8601 with an offset, e.g. 2026-05-12T16:00+02:00."
        ),
        "naive": _("The time has no offset; add one, e.g. +02:00 or Z."),
        "nonexistent": _("This local time does not exist (the clocks skip it)."),
    }

    def to_internal_value(self, value: Any) -> datetime:
        if isinstance(value, datetime):
            parsed = value
        else:
            # An unencoded "+" in a query string arrives as a space: "16:00 02:00".
            text = _SPACE_OFFSET.sub(r"\1+\2", str(value).strip())
            try:
                parsed = datetime.fromisoformat(text)
            except ValueError:
                self.fail("invalid")
        if timezone.is_naive(parsed):
            self.fail("naive")
        zone = ZoneInfo(settings.TIME_ZONE)
        offset = parsed.utcoffset()
        wall = parsed.replace(tzinfo=None)
        # Sent with one of our zone's offsets, the wall-clock time must exist in our zone.
        zone_offsets = {wall.replace(tzinfo=zone, fold=f).utcoffset() for f in (0, 1)}
        if offset in zone_offsets and _is_in_gap(wall, zone):
            self.fail("nonexistent")
        return parsed.astimezone(UTC)


def _is_in_gap(wall: datetime, zone: ZoneInfo) -> bool:
    aware = wall.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall
