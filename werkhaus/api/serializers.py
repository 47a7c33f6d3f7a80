"""Input and output of the Werkhaus API: the catalogue, loans at the counter, tool units, rooms."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import AwareDateTimeField, IdField, MoneyField, StrictCharField
from scheduling.api.serializers import BookingSerializer
from scheduling.models import Booking, Unit
from werkhaus.models import Condition, Loan, LoanStatus, ToolCategory
from werkhaus.selectors import CatalogueEntry

# --- catalogue --------------------------------------------------------------------------------


class ToolQuerySerializer(serializers.Serializer[dict[str, Any]]):
    category = serializers.ChoiceField(choices=ToolCategory.choices, required=False)


class ToolSerializer(serializers.Serializer[CatalogueEntry]):
    """One tool type of the catalogue with what is free now (a ``CatalogueEntry``)."""

    id = serializers.IntegerField(source="tool.pk", read_only=True)
    resource = serializers.IntegerField(source="tool.resource_id", read_only=True)
    name = serializers.CharField(source="tool.resource.name", read_only=True)
    description = serializers.CharField(source="tool.resource.description", read_only=True)
    category = serializers.ChoiceField(
        source="tool.category", choices=ToolCategory.choices, read_only=True
    )
    photo = serializers.ImageField(source="tool.photo", allow_null=True, read_only=True)
    safety_notes = serializers.CharField(source="tool.safety_notes", read_only=True)
    deposit = MoneyField(source="tool.deposit", read_only=True)
    units = serializers.IntegerField(read_only=True, help_text=_("Units in use."))
    free_now = serializers.IntegerField(read_only=True, help_text=_("Units free right now."))
    borrowed = serializers.IntegerField(read_only=True, help_text=_("Units checked out."))
    next_free = serializers.DateTimeField(
        allow_null=True,
        read_only=True,
        help_text=_("When the next unit is free; empty if none within the next 90 days."),
    )


CONDITIONS_HELP = _("good, worn, damaged or out_of_service; empty until recorded.")

# --- loans ------------------------------------------------------------------------------------


class LoanQuerySerializer(serializers.Serializer[dict[str, Any]]):
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Only loans that should have come back (true) or the others (false)."),
    )
    member = IdField(required=False, help_text=_("Coordinators: only the loans of this member."))


class LoanSerializer(serializers.ModelSerializer[Loan]):
    resource = serializers.IntegerField(source="booking.resource_id", read_only=True)
    tool_name = serializers.CharField(source="booking.resource.name", read_only=True)
    unit = serializers.CharField(
        source="booking.unit.label", read_only=True, help_text=_("Inventory number.")
    )
    member = serializers.IntegerField(source="booking.member_id", read_only=True)
    member_name = serializers.CharField(source="booking.member.display_name", read_only=True)
    start = serializers.DateTimeField(source="booking.start", read_only=True)
    end = serializers.DateTimeField(source="booking.end", read_only=True)
    # Plain strings in the schema: one choice set under several names would be named twice.
    condition_out = serializers.CharField(read_only=True, help_text=CONDITIONS_HELP)
    condition_in = serializers.CharField(read_only=True, help_text=CONDITIONS_HELP)
    overdue = serializers.SerializerMethodField(
        help_text=_("Checked out and the booking has ended.")
    )

    class Meta:
        model = Loan
        fields = [
            "id",
            "booking",
            "resource",
            "tool_name",
            "unit",
            "member",
            "member_name",
            "start",
            "end",
            "status",
            "checked_out_at",
            "condition_out",
            "deposit_taken",
            "checked_in_at",
            "condition_in",
            "damage_report",
            "deposit_returned",
            "deposit_kept",
            "overdue",
        ]
        read_only_fields = fields

    def get_overdue(self, loan: Loan) -> bool:
        now: datetime = self.context["now"]
        return loan.status == LoanStatus.CHECKED_OUT and loan.booking.end < now


class CheckOutSerializer(serializers.Serializer[dict[str, Any]]):
    booking = IdField()
    condition = serializers.ChoiceField(choices=Condition.choices, default=Condition.GOOD)
    deposit = MoneyField(required=False, help_text=_("Default: the deposit of the tool type."))


class CheckInSerializer(serializers.Serializer[dict[str, Any]]):
    condition = serializers.ChoiceField(choices=Condition.choices)
    damage_report = StrictCharField(required=False, allow_blank=True, max_length=5000, default="")
    deposit_kept = MoneyField(required=False, default=Decimal("0.00"))


class WalkInSerializer(serializers.Serializer[dict[str, Any]]):
    tool = IdField(help_text=_("The tool type."))
    member = IdField()
    until = AwareDateTimeField()
    unit = StrictCharField(
        required=False,
        max_length=100,
        help_text=_("Inventory number of the unit in hand; otherwise any free unit."),
    )
    condition = serializers.ChoiceField(choices=Condition.choices, default=Condition.GOOD)
    deposit = MoneyField(required=False, help_text=_("Default: the deposit of the tool type."))


# --- tool units -------------------------------------------------------------------------------


class ToolUnitQuerySerializer(serializers.Serializer[dict[str, Any]]):
    inventory = StrictCharField(
        required=False, max_length=100, help_text=_("Inventory number, as typed or scanned.")
    )
    tool = IdField(required=False, help_text=_("Only units of this tool type."))


class ToolUnitSerializer(serializers.ModelSerializer[Unit]):
    """A unit of a tool type as the counter sees it (annotated by the view's queryset)."""

    inventory = serializers.CharField(source="label", read_only=True)
    in_use = serializers.BooleanField(source="is_active", read_only=True)
    tool = serializers.IntegerField(source="resource.tool.pk", read_only=True)
    tool_name = serializers.CharField(source="resource.name", read_only=True)
    condition = serializers.ChoiceField(choices=Condition.choices, read_only=True)
    loans_since_inspection = serializers.IntegerField(read_only=True)
    last_inspected_at = serializers.DateTimeField(allow_null=True, read_only=True)
    blocked = serializers.BooleanField(
        read_only=True, help_text=_("Blocked right now (repair, inspection, closure).")
    )
    current_loan = serializers.IntegerField(
        allow_null=True, read_only=True, help_text=_("The loan it is out on, if any.")
    )

    class Meta:
        model = Unit
        fields = [
            "id",
            "inventory",
            "in_use",
            "resource",
            "tool",
            "tool_name",
            "condition",
            "loans_since_inspection",
            "last_inspected_at",
            "blocked",
            "current_loan",
        ]
        read_only_fields = fields


class BlockSerializer(serializers.Serializer[dict[str, Any]]):
    reason = serializers.ChoiceField(
        choices=[("repair", _("repair")), ("inspection", _("inspection"))]
    )
    note = StrictCharField(required=False, allow_blank=True, max_length=2000, default="")


class ReleaseSerializer(serializers.Serializer[dict[str, Any]]):
    condition = serializers.ChoiceField(choices=Condition.choices, default=Condition.GOOD)


# --- rooms ------------------------------------------------------------------------------------


class RoomBookingCreateSerializer(serializers.Serializer[dict[str, Any]]):
    resource = IdField()
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    purpose = StrictCharField(max_length=300)
    expected_people = serializers.IntegerField(min_value=1, max_value=10_000)
    organisation = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=200,
        default="",
        help_text=_("Group or association; empty: private."),
    )
    note = StrictCharField(required=False, allow_blank=True, max_length=2000, default="")
    member = IdField(
        required=False, help_text=_("Coordinators only: book on behalf of this member.")
    )


class RoomBookingSerializer(BookingSerializer):
    # A plain string in the schema: the booking's status enum belongs to Booking.
    status = serializers.CharField(
        read_only=True, help_text=_("requested (waits for approval) or confirmed.")
    )
    purpose = serializers.CharField(source="room_booking.purpose", read_only=True)
    organisation = serializers.CharField(source="room_booking.organisation", read_only=True)
    expected_people = serializers.IntegerField(
        source="room_booking.expected_people", read_only=True
    )

    class Meta(BookingSerializer.Meta):
        model = Booking
        fields = [*BookingSerializer.Meta.fields, "purpose", "organisation", "expected_people"]
        read_only_fields = fields
