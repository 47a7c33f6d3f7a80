from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import AwareDateTimeField, IdField, StrictCharField
from scheduling.models import Booking, Resource, WaitlistEntry


class ResourceRulesSerializer(serializers.ModelSerializer[Resource]):
    class Meta:
        model = Resource
        fields = [
            "hours_policy",
            "slot_minutes",
            "min_minutes",
            "max_minutes",
            "horizon_days",
            "lead_minutes",
            "buffer_minutes",
            "cancel_cutoff_minutes",
            "max_active_bookings",
            "max_hours_per_week",
            "requires_approval",
            "required_qualification",
            "waitlist_offer_hours",
        ]


class ResourceSerializer(serializers.ModelSerializer[Resource]):
    group = serializers.CharField(
        source="group.name", default=None, allow_null=True, read_only=True
    )
    units = serializers.IntegerField(source="active_units", read_only=True)
    rules = ResourceRulesSerializer(source="*", read_only=True)

    class Meta:
        model = Resource
        fields = ["id", "kind", "name", "description", "location", "group", "units", "rules"]


class WindowSerializer(serializers.Serializer[dict[str, Any]]):
    start = AwareDateTimeField()
    end = AwareDateTimeField()


class IntervalSerializer(serializers.Serializer[dict[str, Any]]):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class FreeIntervalSerializer(IntervalSerializer):
    units = serializers.IntegerField(help_text=_("How many units are free in this span."))


class UnitAvailabilitySerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField()
    label = StrictCharField()  # type: ignore[assignment]  # a field, not Field.label
    free = IntervalSerializer(many=True)


class AvailabilitySerializer(serializers.Serializer[dict[str, Any]]):
    resource = IdField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    open = IntervalSerializer(many=True)
    free = FreeIntervalSerializer(many=True)
    units = UnitAvailabilitySerializer(many=True)


class BookingCreateSerializer(serializers.Serializer[dict[str, Any]]):
    resource = IdField()
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    note = StrictCharField(required=False, allow_blank=True, max_length=2000, default="")
    member = IdField(
        required=False, help_text=_("Coordinators only: book on behalf of this member.")
    )
    override = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Coordinators only: ignore opening hours, limits and notice."),
    )


class BookingSerializer(serializers.ModelSerializer[Booking]):
    resource_name = serializers.CharField(source="resource.name", read_only=True)
    unit = serializers.CharField(source="unit.label", read_only=True)
    member_name = serializers.CharField(source="member.display_name", read_only=True)

    class Meta:
        model = Booking
        fields = [
            "id",
            "resource",
            "resource_name",
            "unit",
            "member",
            "member_name",
            "start",
            "end",
            "status",
            "note",
            "rules_overridden",
            "created_by",
            "created_at",
        ]
        read_only_fields = fields


class CancelSerializer(serializers.Serializer[dict[str, Any]]):
    reason = StrictCharField(required=False, allow_blank=True, max_length=500, default="")


class WaitlistCreateSerializer(serializers.Serializer[dict[str, Any]]):
    resource = IdField()
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    member = IdField(required=False)


class WaitlistEntrySerializer(serializers.ModelSerializer[WaitlistEntry]):
    class Meta:
        model = WaitlistEntry
        fields = [
            "id",
            "resource",
            "member",
            "start",
            "end",
            "status",
            "created_at",
            "offer_expires_at",
            "held_booking",
        ]
        read_only_fields = fields
