"""Bookable resources, their units, opening hours, closures and qualifications."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from schedule.models import Calendar


class ResourceKind(models.TextChoices):
    TOOL = "tool", _("tool")
    WORKBENCH = "workbench", _("workbench")
    MACHINE = "machine", _("machine")
    ROOM = "room", _("room")
    PLOT = "plot", _("plot")


class HoursPolicy(models.TextChoices):
    WITHIN = "within", _("the whole booking lies in opening hours")
    BOUNDARY_DAYS = "boundary_days", _("the first and the last day are opening days")
    NONE = "none", _("opening hours do not apply")


class ResourceGroup(models.Model):
    """Resources that share opening hours and closures, e.g. "the Werkhaus"."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    hours_calendar = models.ForeignKey(
        Calendar,
        verbose_name=_("opening hours"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("A calendar whose (recurring) events are the opening times."),
    )

    class Meta:
        verbose_name = _("resource group")
        verbose_name_plural = _("resource groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Qualification(models.Model):
    """Something a member must hold to book a resource, e.g. a safety briefing (Einweisung)."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"), blank=True)
    valid_days = models.PositiveIntegerField(
        _("valid for days"),
        null=True,
        blank=True,
        help_text=_("Empty: valid until revoked."),
    )

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MemberQualification(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="qualifications",
    )
    qualification = models.ForeignKey(
        Qualification,
        verbose_name=_("qualification"),
        on_delete=models.CASCADE,
        related_name="holders",
    )
    granted_at = models.DateTimeField(_("granted at"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("qualification of a member")
        verbose_name_plural = _("qualifications of members")
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["member", "qualification"], name="sched_memqual_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("granted_at")),
                name="sched_memqual_valid_after_grant",
            )
        ]

    def __str__(self) -> str:
        return f"{self.qualification} · {self.member}"


class Resource(models.Model):
    """A bookable thing with one or more interchangeable units, and its booking rules."""

    kind = models.CharField(_("kind"), max_length=20, choices=ResourceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    group = models.ForeignKey(
        ResourceGroup,
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    hours_calendar = models.ForeignKey(
        Calendar,
        verbose_name=_("own opening hours"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Overrides the opening hours of the group."),
    )
    is_active = models.BooleanField(_("bookable"), default=True)
    members_may_book = models.BooleanField(
        _("members book it themselves"),
        default=True,
        help_text=_("Off: only coordinators (or an app's own process, e.g. plot allocation)."),
    )

    # --- rules (defaults fit a workbench booked by the hour) ---
    hours_policy = models.CharField(
        _("opening hours"), max_length=20, choices=HoursPolicy.choices, default=HoursPolicy.WITHIN
    )
    slot_minutes = models.PositiveIntegerField(
        _("slot in minutes"),
        default=30,
        help_text=_("Start and length are multiples of this; 1440 books whole days."),
    )
    min_minutes = models.PositiveIntegerField(_("shortest booking in minutes"), default=30)
    max_minutes = models.PositiveIntegerField(_("longest booking in minutes"), default=240)
    horizon_days = models.PositiveIntegerField(_("bookable days ahead"), default=60)
    lead_minutes = models.PositiveIntegerField(_("minimum notice in minutes"), default=0)
    buffer_minutes = models.PositiveIntegerField(
        _("buffer after each booking in minutes"),
        default=0,
        help_text=_("Time to clean up or check a returned item before the next booking."),
    )
    cancel_cutoff_minutes = models.PositiveIntegerField(
        _("members cancel until minutes before start"), default=0
    )
    max_active_bookings = models.PositiveIntegerField(
        _("active bookings per member"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    max_hours_per_week = models.PositiveIntegerField(
        _("hours per member and week"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    requires_approval = models.BooleanField(
        _("requires approval"),
        default=False,
        help_text=_("Bookings stay requested until a coordinator approves them."),
    )
    required_qualification = models.ForeignKey(
        Qualification,
        verbose_name=_("required qualification"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
    )
    waitlist_offer_hours = models.PositiveIntegerField(
        _("waitlist offer holds for hours"), default=12
    )

    # Changes made in the admin reach the calendar feeds at once (their fingerprints read it).
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["kind", "name"]
        indexes = [models.Index(fields=["kind", "is_active"], name="sched_resource_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_minutes__gt=0), name="sched_resource_slot_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_minutes__lte=F("max_minutes")),
                name="sched_resource_min_le_max",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def buffer(self) -> timedelta:
        return timedelta(minutes=self.buffer_minutes)

    @property
    def calendar_id_for_hours(self) -> int | None:
        if self.hours_calendar_id is not None:
            return self.hours_calendar_id
        return self.group.hours_calendar_id if self.group is not None else None


class Unit(models.Model):
    """One physical item of a resource (the second of three identical drills)."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="units"
    )
    label = models.CharField(_("label"), max_length=100, help_text=_("E.g. the inventory number."))
    is_active = models.BooleanField(_("in use"), default=True)

    # Changes made in the admin reach the calendar feeds at once (their fingerprints read it).
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["resource", "label"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "label"], name="sched_unit_label_unique")
        ]

    def __str__(self) -> str:
        return f"{self.resource} · {self.label}"


class Closure(models.Model):
    """A time when a group, a resource or a single unit cannot be booked.

    Recurring opening times and cancelled single openings live in django-scheduler; closures
    are one-off spans (holidays, a broken machine, a unit in repair) and live here, indexed,
    so that availability reads them in one query whatever their number.
    """

    group = models.ForeignKey(
        ResourceGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="closures"
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, null=True, blank=True, related_name="closures"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="closures"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("closure")
        verbose_name_plural = _("closures")
        ordering = ["start"]
        # Leading with the end bounds overlap queries to closures that are not over yet.
        indexes = [models.Index(fields=["end", "start"], name="sched_closure_span_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="sched_closure_positive"),
            models.CheckConstraint(
                condition=(
                    Q(group__isnull=False, resource__isnull=True, unit__isnull=True)
                    | Q(group__isnull=True, resource__isnull=False, unit__isnull=True)
                    | Q(group__isnull=True, resource__isnull=True, unit__isnull=False)
                ),
                name="sched_closure_one_scope",
                violation_error_message=_("A closure applies to a group, a resource or a unit."),
            ),
        ]

    def __str__(self) -> str:
        return self.reason
