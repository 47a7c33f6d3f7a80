from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import AwareDateTimeField, IdField, StrictCharField
from scheduling.models import ActivityKind, SignUp, SwapOffer


class OccurrenceQuerySerializer(serializers.Serializer[dict[str, Any]]):
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    kind = serializers.ChoiceField(choices=ActivityKind.choices, required=False)
    calendar = IdField(required=False)
    event = IdField(required=False)
    open = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Only with open places.")
    )
    understaffed = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=_("Only understaffed ones.")
    )


class RolePlacesSerializer(serializers.Serializer[dict[str, Any]]):
    id = serializers.IntegerField(source="role_id")
    name = StrictCharField()
    places = serializers.IntegerField()
    taken = serializers.IntegerField()
    open = serializers.IntegerField()
    min_staffing = serializers.IntegerField()


class OccurrenceSerializer(serializers.Serializer[Any]):
    event = serializers.IntegerField(source="activity.event_id")
    title = serializers.CharField(source="activity.event.title")
    description = serializers.CharField(source="activity.event.description")
    calendar = serializers.IntegerField(source="activity.event.calendar_id")
    kind = serializers.CharField(source="activity.kind")
    location = serializers.CharField(source="activity.location")
    paid = serializers.BooleanField(source="activity.paid")
    eligibility = serializers.CharField(source="activity.eligibility")
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    original_start = serializers.DateTimeField()
    capacity = serializers.IntegerField()
    taken = serializers.IntegerField()
    open_places = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["open", "full", "understaffed", "cancelled"])
    roles = RolePlacesSerializer(many=True)
    my_signup = serializers.SerializerMethodField()

    def get_my_signup(self, occurrence: Any) -> dict[str, Any] | None:
        signup = occurrence.my_signup
        if signup is None:
            return None
        return {"id": signup.pk, "status": signup.status, "role": signup.role_id}


class SignUpCreateSerializer(serializers.Serializer[dict[str, Any]]):
    event = IdField()
    start = AwareDateTimeField()
    role = IdField(required=False)
    waitlist = serializers.BooleanField(
        required=False, default=False, help_text=_("Join the waitlist when all places are taken.")
    )
    member = IdField(required=False, help_text=_("Coordinators only: sign up this member."))


class SignUpSerializer(serializers.ModelSerializer[SignUp]):
    event = serializers.IntegerField(source="slot.activity.event_id", read_only=True)
    title = serializers.CharField(source="slot.activity.event.title", read_only=True)
    start = serializers.DateTimeField(source="slot.start", read_only=True)
    end = serializers.DateTimeField(source="slot.end", read_only=True)
    role_name = serializers.CharField(source="role.name", read_only=True)

    class Meta:
        model = SignUp
        fields = [
            "id",
            "event",
            "title",
            "start",
            "end",
            "role",
            "role_name",
            "member",
            "status",
            "offer_expires_at",
            "created_at",
        ]
        read_only_fields = fields


class AttendanceSerializer(serializers.Serializer[dict[str, Any]]):
    attended = serializers.BooleanField()


class OccurrenceActionSerializer(serializers.Serializer[dict[str, Any]]):
    event = IdField()
    start = AwareDateTimeField()
    reason = StrictCharField(required=False, allow_blank=True, max_length=500, default="")


class OccurrenceMoveSerializer(OccurrenceActionSerializer):
    new_start = AwareDateTimeField()
    new_end = AwareDateTimeField()


class SwapOfferSerializer(serializers.ModelSerializer[SwapOffer]):
    signup = SignUpSerializer(read_only=True)

    class Meta:
        model = SwapOffer
        fields = ["id", "signup", "status", "created_at"]
        read_only_fields = fields
