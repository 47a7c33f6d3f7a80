"""The Werkhaus: a library of things and a community workshop, built on the engine.

A tool type *is* a scheduling Resource (kind ``tool``) with what the counter needs beside it;
a tool unit is a scheduling Unit with its inventory data; a loan is a Booking with what happens
at the counter (check-out, check-in, deposit). Rooms add purpose and group size to a booking.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from scheduling.models import Booking, Resource, Unit


class ToolCategory(models.TextChoices):
    POWER_TOOLS = "power_tools", _("power tools")
    HAND_TOOLS = "hand_tools", _("hand tools")
    GARDEN = "garden", _("garden")
    SEWING = "sewing", _("sewing")
    CLEANING = "cleaning", _("cleaning")
    KITCHEN_EVENT = "kitchen_event", _("kitchen and events")
    MEASURING = "measuring", _("measuring")
    OTHER = "other", _("other")


class Condition(models.TextChoices):
    GOOD = "good", _("good")
    WORN = "worn", _("worn")
    DAMAGED = "damaged", _("damaged")
    OUT_OF_SERVICE = "out_of_service", _("out of service")


class ToolType(models.Model):
    resource = models.OneToOneField(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="tool"
    )
    category = models.CharField(_("category"), max_length=20, choices=ToolCategory.choices)
    photo = models.ImageField(_("photo"), upload_to="tools/", blank=True)
    safety_notes = models.TextField(_("safety notes"), blank=True)
    deposit = models.DecimalField(
        _("deposit"),
        max_digits=7,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    inspect_every_loans = models.PositiveIntegerField(
        _("inspection after every N loans"), null=True, blank=True
    )
    inspect_every_months = models.PositiveIntegerField(
        _("inspection every N months"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("tool type")
        verbose_name_plural = _("tool types")
        ordering = ["resource__name"]
        constraints = [
            models.CheckConstraint(condition=Q(deposit__gte=0), name="werkhaus_deposit_positive")
        ]

    def __str__(self) -> str:
        return self.resource.name


class ToolUnit(models.Model):
    """Inventory data of one physical tool; its inventory number is the unit's label."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="tool_unit"
    )
    condition = models.CharField(
        _("condition"), max_length=20, choices=Condition.choices, default=Condition.GOOD
    )
    purchased_on = models.DateField(_("purchase date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    loans_since_inspection = models.PositiveIntegerField(_("loans since inspection"), default=0)
    last_inspected_at = models.DateTimeField(_("last inspected"), null=True, blank=True)

    class Meta:
        verbose_name = _("tool unit")
        verbose_name_plural = _("tool units")

    def __str__(self) -> str:
        return str(self.unit.label)


class LoanStatus(models.TextChoices):
    # A reservation is the booking itself; the loan begins at the counter.
    CHECKED_OUT = "checked_out", _("checked out")
    RETURNED = "returned", _("returned")


class Loan(models.Model):
    """What happens at the counter for one booking of a tool."""

    booking = models.OneToOneField(
        Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="loan"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=LoanStatus.choices, default=LoanStatus.CHECKED_OUT
    )
    checked_out_at = models.DateTimeField(_("checked out at"))
    checked_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked out by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    condition_out = models.CharField(
        _("condition at check-out"), max_length=20, choices=Condition.choices, blank=True
    )
    deposit_taken = models.DecimalField(
        _("deposit taken"), max_digits=7, decimal_places=2, default=Decimal("0.00")
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    condition_in = models.CharField(
        _("condition at check-in"), max_length=20, choices=Condition.choices, blank=True
    )
    damage_report = models.TextField(_("damage report"), blank=True)
    deposit_returned = models.DecimalField(
        _("deposit returned"), max_digits=7, decimal_places=2, default=Decimal("0.00")
    )
    deposit_kept = models.DecimalField(
        _("deposit kept"), max_digits=7, decimal_places=2, default=Decimal("0.00")
    )
    overdue_notified_at = models.DateTimeField(_("overdue notice at"), null=True, blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        indexes = [
            models.Index(fields=["status"], name="werkhaus_loan_status_idx"),
            # The loan statistics select loans by the period they were checked out in.
            models.Index(fields=["checked_out_at"], name="werkhaus_loan_out_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deposit_taken__gte=0)
                & Q(deposit_returned__gte=0)
                & Q(deposit_kept__gte=0),
                name="werkhaus_loan_deposits_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status="checked_out")
                | Q(deposit_returned__lte=F("deposit_taken") - F("deposit_kept")),
                name="werkhaus_loan_deposit_accounted",
                violation_error_message=_("More deposit returned and kept than taken."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking.unit.label} → {self.booking.member}"


class Room(models.Model):
    resource = models.OneToOneField(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="room"
    )
    max_people = models.PositiveIntegerField(_("maximum number of people"))
    equipment = models.TextField(_("equipment"), blank=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return self.resource.name


class RoomBooking(models.Model):
    """What a room booking needs beyond the time: who for, what for, how many."""

    booking = models.OneToOneField(
        Booking, verbose_name=_("booking"), on_delete=models.CASCADE, related_name="room_booking"
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    organisation = models.CharField(
        _("group or association"), max_length=200, blank=True, help_text=_("Empty: private.")
    )
    expected_people = models.PositiveIntegerField(_("expected number of people"))

    class Meta:
        verbose_name = _("room booking")
        verbose_name_plural = _("room bookings")

    def __str__(self) -> str:
        return self.purpose
