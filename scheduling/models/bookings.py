"""Bookings of units and the waitlist for taken slots.

The invariant "a unit is never booked twice for overlapping time, buffers included" lives in
the database: on PostgreSQL an exclusion constraint over (unit, [start, blocked_until)) for
active bookings (migration 0002); on SQLite every transaction is BEGIN IMMEDIATE, so the
check and the insert of ``services.bookings`` run under the database's write lock.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from scheduling.models.resources import Resource, Unit


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    HELD = "held", _("held for a waitlist offer")
    CONFIRMED = "confirmed", _("confirmed")
    CANCELLED = "cancelled", _("cancelled")
    NO_SHOW = "no_show", _("no-show")
    COMPLETED = "completed", _("completed")


# Bookings in these states occupy their unit; the exclusion constraint covers exactly these.
# Bookings in these states are still to come or under way: they count for quotas and may be
# cancelled.
ACTIVE_STATUSES = (BookingStatus.REQUESTED, BookingStatus.HELD, BookingStatus.CONFIRMED)
# Bookings in these states occupy their unit for [start, blocked_until): the exclusion
# constraint covers exactly these. A completed booking keeps its buffer (a returned tool is
# checked before the next loan); a no-show frees the rest of its time.
OCCUPYING_STATUSES = (*ACTIVE_STATUSES, BookingStatus.COMPLETED)


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
            # The statistics ask for every booking overlapping a period, across resources.
            models.Index(fields=["blocked_until"], name="sched_booking_until_idx"),
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
