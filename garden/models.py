"""The community garden on the engine: plots allocated by season, and the hours that
volunteers and honorary workers give (shifts themselves are the engine's activities).

A plot *is* a scheduling Resource of kind ``plot``; a shared bed has one unit per household.
An allocation is a Booking of one unit for the whole season, so the engine's exclusion
constraint makes a double allocation impossible.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from scheduling.models import Booking, Resource, SignUp


class Sun(models.TextChoices):
    SUNNY = "sunny", _("sunny")
    PARTIAL = "partial", _("partial shade")
    SHADE = "shade", _("shade")


class Plot(models.Model):
    resource = models.OneToOneField(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="plot"
    )
    number = models.PositiveIntegerField(_("number"), unique=True)
    size_m2 = models.DecimalField(
        _("size in m²"), max_digits=6, decimal_places=1, validators=[MinValueValidator(Decimal(0))]
    )
    sun = models.CharField(_("sun"), max_length=10, choices=Sun.choices, default=Sun.SUNNY)
    water_access = models.BooleanField(_("water nearby"), default=True)
    raised_bed = models.BooleanField(_("raised bed"), default=False)
    # Position on the garden map, in grid cells (the plan is drawn from these).
    x = models.PositiveSmallIntegerField(_("column"))
    y = models.PositiveSmallIntegerField(_("row"))
    width = models.PositiveSmallIntegerField(_("width"), default=1)
    height = models.PositiveSmallIntegerField(_("height"), default=1)

    class Meta:
        verbose_name = _("plot")
        verbose_name_plural = _("plots")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(width__gt=0) & Q(height__gt=0), name="garden_plot_has_area"
            )
        ]

    def __str__(self) -> str:
        return f"{_('Plot')} {self.number}"


class Season(models.Model):
    name = models.CharField(_("name"), max_length=100)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    applications_open = models.BooleanField(_("applications open"), default=True)
    renewal_until = models.DateTimeField(
        _("holders of the season before may renew until"), null=True, blank=True
    )
    max_plots_per_member = models.PositiveSmallIntegerField(_("plots per member"), default=1)
    offer_days = models.PositiveSmallIntegerField(_("an offer holds for days"), default=7)

    class Meta:
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="garden_season_positive"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    OFFERED = "offered", _("offered")
    ALLOCATED = "allocated", _("allocated")
    DECLINED = "declined", _("declined")
    EXPIRED = "expired", _("expired")
    WITHDRAWN = "withdrawn", _("withdrawn")


class PlotApplication(models.Model):
    """A member's wish for a plot in a season; together they form the waiting list."""

    season = models.ForeignKey(
        Season, verbose_name=_("season"), on_delete=models.CASCADE, related_name="applications"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="plot_applications",
    )
    wishes = models.TextField(_("wishes"), blank=True)
    priority = models.SmallIntegerField(
        _("priority"),
        default=0,
        help_text=_("Higher comes first, e.g. a family without a garden; set by coordinators."),
    )
    priority_reason = models.CharField(_("reason for the priority"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.WAITING,
    )
    created_at = models.DateTimeField(_("applied at"))
    offered_plot = models.ForeignKey(
        Plot, verbose_name=_("offered plot"), on_delete=models.SET_NULL, null=True, blank=True
    )
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    allocation = models.OneToOneField(
        Booking,
        verbose_name=_("allocation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plot_application",
    )

    class Meta:
        verbose_name = _("plot application")
        verbose_name_plural = _("plot applications")
        ordering = ["-priority", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["season", "member"],
                condition=Q(status__in=["waiting", "offered"]),
                name="garden_one_open_application",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.season}"


class HoursSource(models.TextChoices):
    SHIFT = "shift", _("shift")
    OTHER = "other", _("other work")


class HoursStatus(models.TextChoices):
    PENDING = "pending", _("to approve")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class HoursEntry(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="hours",
    )
    day = models.DateField(_("day"))
    minutes = models.PositiveIntegerField(_("minutes"))
    activity = models.CharField(_("activity"), max_length=200)
    source = models.CharField(_("source"), max_length=10, choices=HoursSource.choices)
    signup = models.OneToOneField(
        SignUp,
        verbose_name=_("shift"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hours_entry",
    )
    paid = models.BooleanField(_("paid (honorary)"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=HoursStatus.choices, default=HoursStatus.PENDING
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    decision_reason = models.CharField(
        _("reason for the decision"),
        max_length=200,
        blank=True,
        help_text=_("Why the hours were rejected or corrected; the member reads it."),
    )

    class Meta:
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours log")
        ordering = ["-day", "pk"]
        indexes = [models.Index(fields=["member", "day"], name="garden_hours_member_day_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0) & Q(minutes__lte=24 * 60), name="garden_hours_in_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.day}: {self.minutes} min"


class HourlyRate(models.Model):
    """An honorary worker's rate from a date on; the history stays for past months."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("honorary worker"),
        on_delete=models.CASCADE,
        related_name="hourly_rates",
    )
    valid_from = models.DateField(_("valid from"))
    euros = models.DecimalField(
        _("euros per hour"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        verbose_name = _("hourly rate")
        verbose_name_plural = _("hourly rates")
        ordering = ["member", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["member", "valid_from"], name="garden_rate_once_a_day"),
            models.CheckConstraint(condition=Q(euros__gte=0), name="garden_rate_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.euros} € ({self.valid_from})"
