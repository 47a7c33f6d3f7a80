"""The audit log and the notification outbox."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scheduling.models.activities import SignUp
from scheduling.models.bookings import Booking, WaitlistEntry


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
    signup = models.ForeignKey(
        SignUp, on_delete=models.CASCADE, null=True, blank=True, related_name="audit"
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


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    CALL = "call", _("to call (no e-mail address)")


class Notification(models.Model):
    """The outbox: written in the same transaction as the change it tells of, sent by the
    dispatcher (``services.outbox``), each row at most once."""

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
    signup = models.ForeignKey(
        SignUp, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    due_at = models.DateTimeField(
        _("due at"), null=True, blank=True, help_text=_("Empty: at once.")
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=NotificationChannel.choices, blank=True
    )
    claimed_at = models.DateTimeField(_("being sent since"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    failed_at = models.DateTimeField(_("given up at"), null=True, blank=True)
    skipped_at = models.DateTimeField(
        _("not sent at"),
        null=True,
        blank=True,
        help_text=_("Not sent because it no longer applied (cancelled, moved or unwanted)."),
    )
    key = models.CharField(
        _("key"),
        max_length=150,
        blank=True,
        help_text=_("Unique for reminders and digests, so that none is ever created twice."),
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=~models.Q(key=""), name="sched_notif_unique_key"
            ),
        ]
        indexes = [
            models.Index(fields=["sent_at", "created_at"], name="sched_notif_outbox_idx"),
            models.Index(fields=["sent_at", "failed_at", "due_at"], name="sched_notif_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.member}"


class NotificationOptOut(models.Model):
    """A reminder or digest a member does not want (everything is on until switched off)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="notification_opt_outs",
    )
    kind = models.CharField(_("kind"), max_length=40)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("reminder switched off")
        verbose_name_plural = _("reminders switched off")
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="sched_optout_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.kind}"
