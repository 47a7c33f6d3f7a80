"""Input and output shapes of the garden's API. No rules here: the services decide."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import IdField, MoneyField, StrictCharField
from garden.models import HourlyRate, HoursEntry, HoursStatus, Plot, PlotApplication, Season

MINUTES_IN_A_DAY = 24 * 60


class _FromToSerializer(serializers.Serializer[dict[str, Any]]):
    """``from`` is a Python keyword: the field is declared as ``from_`` and renamed here."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


# --- plots and seasons ------------------------------------------------------------------------


class PlotQuerySerializer(serializers.Serializer[dict[str, Any]]):
    season = IdField(
        required=False, help_text=_("Also tell how many households are still free this season.")
    )


class PlotSerializer(serializers.ModelSerializer[Plot]):
    name = serializers.CharField(source="resource.name", read_only=True)
    households = serializers.IntegerField(
        read_only=True, help_text=_("How many households share the plot.")
    )
    free_households = serializers.SerializerMethodField(
        help_text=_("Households still free in the season asked for; null without ?season=.")
    )

    class Meta:
        model = Plot
        fields = [
            "id",
            "resource",
            "name",
            "number",
            "size_m2",
            "sun",
            "water_access",
            "raised_bed",
            "x",
            "y",
            "width",
            "height",
            "households",
            "free_households",
        ]
        read_only_fields = fields

    def get_free_households(self, plot: Plot) -> int | None:
        taken: int | None = getattr(plot, "taken", None)
        if taken is None:
            return None
        households: int = getattr(plot, "households", 0)
        return max(households - taken, 0)


class SeasonSerializer(serializers.ModelSerializer[Season]):
    class Meta:
        model = Season
        fields = [
            "id",
            "name",
            "starts_on",
            "ends_on",
            "applications_open",
            "renewal_until",
            "max_plots_per_member",
            "offer_days",
        ]
        read_only_fields = fields


class RenewSerializer(serializers.Serializer[dict[str, Any]]):
    season = IdField()
    member = IdField(
        required=False, help_text=_("Coordinators only: renew on behalf of this member.")
    )


# --- applications -----------------------------------------------------------------------------


class PlotApplicationSerializer(serializers.ModelSerializer[PlotApplication]):
    member_name = serializers.CharField(source="member.display_name", read_only=True)
    season_name = serializers.CharField(source="season.name", read_only=True)
    offered_plot_number = serializers.IntegerField(
        source="offered_plot.number", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = PlotApplication
        fields = [
            "id",
            "season",
            "season_name",
            "member",
            "member_name",
            "wishes",
            "priority",
            "priority_reason",
            "status",
            "created_at",
            "offered_plot",
            "offered_plot_number",
            "offer_expires_at",
            "allocation",
        ]
        read_only_fields = fields


class PlotApplicationCreateSerializer(serializers.Serializer[dict[str, Any]]):
    season = IdField()
    wishes = StrictCharField(required=False, allow_blank=True, max_length=2000, default="")
    member = IdField(
        required=False, help_text=_("Coordinators only: apply on behalf of this member.")
    )


class SeasonQuerySerializer(serializers.Serializer[dict[str, Any]]):
    season = IdField()


class PlotChoiceSerializer(serializers.Serializer[dict[str, Any]]):
    plot = IdField()


class PrioritySerializer(serializers.Serializer[dict[str, Any]]):
    priority = serializers.IntegerField(
        min_value=-32768, max_value=32767, help_text=_("Higher comes first; 0 is the default.")
    )
    reason = StrictCharField(required=False, allow_blank=True, max_length=200, default="")


# --- hours ------------------------------------------------------------------------------------


class HoursEntrySerializer(serializers.ModelSerializer[HoursEntry]):
    member_name = serializers.CharField(source="member.display_name", read_only=True)

    class Meta:
        model = HoursEntry
        fields = [
            "id",
            "member",
            "member_name",
            "day",
            "minutes",
            "activity",
            "source",
            "signup",
            "paid",
            "status",
            "note",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields


class HoursQuerySerializer(_FromToSerializer):
    member = IdField(required=False)
    status = serializers.ChoiceField(choices=HoursStatus.choices, required=False)
    paid = serializers.BooleanField(required=False, allow_null=True, default=None)
    from_ = serializers.DateField(required=False, help_text=_("First day, included."))
    to = serializers.DateField(required=False, help_text=_("Last day, included."))


class HoursLogSerializer(serializers.Serializer[dict[str, Any]]):
    day = serializers.DateField()
    minutes = serializers.IntegerField(min_value=1, max_value=MINUTES_IN_A_DAY)
    activity = StrictCharField(max_length=200)
    note = StrictCharField(required=False, allow_blank=True, max_length=2000, default="")
    member = IdField(
        required=False, help_text=_("Coordinators only: log on behalf of this member.")
    )


class HoursDecideSerializer(serializers.Serializer[dict[str, Any]]):
    approve = serializers.BooleanField()
    minutes = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MINUTES_IN_A_DAY,
        help_text=_("Corrected minutes, if the entry was wrong."),
    )
    reason = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=200,
        default="",
        help_text=_("Why the hours were rejected or corrected; the member reads it."),
    )


class HourlyRateSerializer(serializers.ModelSerializer[HourlyRate]):
    member_name = serializers.CharField(source="member.display_name", read_only=True)

    class Meta:
        model = HourlyRate
        fields = ["id", "member", "member_name", "valid_from", "euros"]
        read_only_fields = fields


class HourlyRateCreateSerializer(serializers.Serializer[dict[str, Any]]):
    member = IdField()
    valid_from = serializers.DateField()
    euros = MoneyField(max_digits=6)


class MemberQuerySerializer(serializers.Serializer[dict[str, Any]]):
    member = IdField(required=False)


# --- reports ----------------------------------------------------------------------------------


class MonthQuerySerializer(serializers.Serializer[dict[str, Any]]):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    month = serializers.IntegerField(min_value=1, max_value=12)


class PeriodQuerySerializer(_FromToSerializer):
    from_ = serializers.DateField(help_text=_("First day, included."))
    to = serializers.DateField(help_text=_("Last day, included."))


class HonorariumLineSerializer(serializers.Serializer[Any]):
    day = serializers.DateField()
    activity = StrictCharField()
    minutes = serializers.IntegerField()
    rate = MoneyField(max_digits=8)
    amount = MoneyField(max_digits=12)


class HonorariumPersonSerializer(serializers.Serializer[Any]):
    member = serializers.IntegerField(source="member.pk")
    name = serializers.CharField(source="member.display_name")
    minutes = serializers.IntegerField()
    amount = MoneyField(max_digits=12)
    lines = HonorariumLineSerializer(many=True)


class MissingRateSerializer(serializers.Serializer[Any]):
    member = IdField()
    name = StrictCharField()
    day = serializers.DateField()


class HonorariumSerializer(serializers.Serializer[Any]):
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    minutes = serializers.IntegerField()
    total = MoneyField(max_digits=12)
    people = HonorariumPersonSerializer(many=True)
    missing_rates = MissingRateSerializer(
        many=True, help_text=_("Approved paid hours left out because no rate was valid that day.")
    )
