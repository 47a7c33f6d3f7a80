"""API fields shared by every app."""

import re
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
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


class StrictCharField(serializers.CharField):
    """DRF's CharField, except that a number or any other non-string is refused instead of
    turned into text: the schema says string, and ``"phone": 0`` is a client's mistake."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class MoneyField(serializers.DecimalField):
    """An amount of euros: never negative, two decimal places, as a string ("12.50"), never as a
    JSON number (which a client's floats would round)."""

    def __init__(self, *, max_digits: int = 7, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", Decimal("0"))
        super().__init__(max_digits=max_digits, decimal_places=2, **kwargs)

    def to_internal_value(self, data: Any) -> Decimal:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class MoneyFieldSchema(OpenApiSerializerFieldExtension):  # type: ignore[no-untyped-call]
    """drf-spectacular writes ``^-?\\d{0,5}(?:\\.\\d{0,2})?$`` for any DecimalField, which allows
    "" and "-1"; an amount the API takes is one to ``max_whole_digits`` digits, then cents."""

    target_class = MoneyField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        field = self.target
        assert isinstance(field, MoneyField)  # noqa: S101 - target_class guarantees it
        return {
            "type": "string",
            "format": "decimal",
            "pattern": rf"^\d{{1,{field.max_whole_digits}}}(?:\.\d{{1,2}})?$",
            "example": "12.50",
        }


# The largest id a 64-bit primary key holds: a bigger number names nothing, and SQLite cannot
# even compare it (an OverflowError, a 500), so it is refused like any malformed id.
MAX_ID = 2**63 - 1


class IdField(serializers.IntegerField):
    """The id of an object, in a body or a query: a whole number from 1 to ``MAX_ID``."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)
