"""The booking engine's data. It knows resources, units and time, not drills or tomatoes.

The invariant "a unit is never booked twice for overlapping time, buffers included" lives in
the database: on PostgreSQL an exclusion constraint over (unit, [start, blocked_until)) for
active bookings (migration 0002); on SQLite every transaction is BEGIN IMMEDIATE, so the
check and the insert of ``services.bookings`` run under the database's write lock.
"""

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


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    HELD = "held", _("held for a waitlist offer")
    CONFIRMED = "confirmed", _("confirmed")
    CANCELLED = "cancelled", _("cancelled")
    NO_SHOW = "no_show", _("no-show")
    COMPLETED = "completed", _("completed")


# Bookings in these states occupy their unit; the exclusion constraint covers exactly these.
ACTIVE_STATUSES = (BookingStatus.REQUESTED, BookingStatus.HELD, BookingStatus.CONFIRMED)


class Booking(models.Model):
    # The foreign keys get no index of their own: the composite indexes below lead with them.
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="bookings",
        db_index=False,
    )
    # Denormalised from unit, so that listings and quotas filter without a join.
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        on_delete=models.PROTECT,
        related_name="bookings",
        db_index=False,
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="bookings",
        db_index=False,
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    blocked_until = models.DateTimeField(
        _("blocked until"), help_text=_("End plus the resource's buffer at booking time.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    rules_overridden = models.BooleanField(_("rules overridden by a coordinator"), default=False)
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start"]
        # Overlap queries ask "start < window end AND blocked_until > window start": leading
        # with blocked_until bounds the scan to bookings that reach into the window, so the
        # cost does not grow with years of history (bench/ measured it at 1M bookings).
        indexes = [
            models.Index(fields=["unit", "blocked_until"], name="sched_booking_unit_until_idx"),
            models.Index(fields=["resource", "blocked_until"], name="sched_booking_res_until_idx"),
            models.Index(fields=["resource", "start"], name="sched_booking_res_start_idx"),
            models.Index(fields=["member", "end"], name="sched_booking_member_end_idx"),
            models.Index(fields=["member", "start"], name="sched_booking_member_idx"),
            models.Index(fields=["status", "start"], name="sched_booking_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="sched_booking_positive"),
            models.CheckConstraint(
                condition=Q(blocked_until__gte=F("end")), name="sched_booking_blocked_after_end"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    OFFERED = "offered", _("offered")
    ACCEPTED = "accepted", _("accepted")
    EXPIRED = "expired", _("expired")
    LEFT = "left", _("left")


class WaitlistEntry(models.Model):
    """A member waiting for a taken slot; a freed slot is offered and held for a while."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="waitlist"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=20, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    created_at = models.DateTimeField(_("created at"))
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)
    held_booking = models.OneToOneField(
        Booking,
        verbose_name=_("held booking"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="waitlist_entry",
    )

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["resource", "status", "start"], name="sched_wait_res_idx"),
            models.Index(fields=["status", "offer_expires_at"], name="sched_wait_offer_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="sched_wait_positive"),
            models.UniqueConstraint(
                fields=["resource", "member", "start", "end"],
                condition=Q(status__in=["waiting", "offered"]),
                name="sched_wait_once_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.resource} {self.start:%Y-%m-%d %H:%M}"


class AuditEntry(models.Model):
    """Who changed what, when: every change of state of a booking or waitlist entry."""

    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40)
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="audit"
    )
    waitlist_entry = models.ForeignKey(
        WaitlistEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="audit"
    )
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class Notification(models.Model):
    """An outbox of things to tell a member; the reminders issue sends them exactly once."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=40)
    created_at = models.DateTimeField(_("created at"))
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["sent_at", "created_at"], name="sched_notif_outbox_idx")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.member}"
