"""Secret calendar feed tokens: one live token per member and purpose, stored hashed."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FeedToken(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="feed_tokens",
    )
    purpose = models.CharField(_("purpose"), max_length=20, default="calendar")
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["member", "purpose"],
                condition=Q(revoked_at__isnull=True),
                name="sched_feed_one_live_token",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.purpose}"
