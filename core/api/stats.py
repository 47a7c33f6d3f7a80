"""What every statistics endpoint shares: the period asked for (``start``/``end`` as ISO 8601
with offset, ``end`` after ``start``, at most ten years) and the rest of the query's filters."""

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import AwareDateTimeField

MAX_SPAN = timedelta(days=3660)


class PeriodSerializer(serializers.Serializer[Any]):
    """Subclass it to add an endpoint's own filters (``group_by``, ``kind``, ``resource``…)."""

    start = AwareDateTimeField()
    end = AwareDateTimeField()
    export = serializers.ChoiceField(choices=["csv", "xlsx"], required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["end"] <= attrs["start"]:
            raise serializers.ValidationError({"end": [_("The end must lie after the start.")]})
        if attrs["end"] - attrs["start"] > MAX_SPAN:
            raise serializers.ValidationError({"end": [_("A period can span at most ten years.")]})
        return attrs
