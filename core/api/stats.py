"""What every statistics endpoint shares: the period asked for (``start``/``end`` as ISO 8601
with offset, ``end`` after ``start``, at most ten years) and the rest of the query's filters."""

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import AwareDateTimeField
from core.errors import InvalidInput, InvalidRange

MAX_SPAN = timedelta(days=3660)


class PeriodSerializer(serializers.Serializer[Any]):
    """Subclass it to add an endpoint's own filters (``group_by``, ``kind``, ``resource``…)."""

    start = AwareDateTimeField()
    end = AwareDateTimeField()
    export = serializers.ChoiceField(choices=["csv", "xlsx"], required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Refusals of well-formed input carry their own codes (not "invalid").
        if attrs["end"] <= attrs["start"]:
            raise InvalidRange(fields={"end": [_("The end must lie after the start.")]})
        if attrs["end"] - attrs["start"] > MAX_SPAN:
            message = _("A period can span at most ten years.")
            raise InvalidInput(message, fields={"end": [message]}, code="window_too_long")
        return attrs
