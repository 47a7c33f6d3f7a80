"""Demand the engine could not serve: a booking refused for want of a free unit, a sign-up
refused because every place was taken. Written by ``services.demand`` in a transaction of its
own, after the refused one rolled back, and read only in aggregate (statistics never show who).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from scheduling.models.activities import Activity
from scheduling.models.resources import Resource


class RefusalCode(models.TextChoices):
    CONFLICT = "conflict", _("no unit free")
    FULL = "full", _("all places taken")


class Refusal(models.Model):
    at = models.DateTimeField(_("at"))
    code = models.CharField(_("reason"), max_length=20, choices=RefusalCode.choices)
    resource = models.ForeignKey(
        Resource,
        verbose_name=_("resource"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="refusals",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="refusals",
    )
    start = models.DateTimeField(_("wanted start"))
    end = models.DateTimeField(_("wanted end"))
    # Only for aggregates (how many different members were turned away); kept when the
    # member's account is deleted, without the member.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("refusal")
        verbose_name_plural = _("refusals")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["at", "code"], name="sched_refusal_at_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="sched_refusal_positive"),
            models.CheckConstraint(
                condition=(
                    Q(resource__isnull=False, activity__isnull=True)
                    | Q(resource__isnull=True, activity__isnull=False)
                ),
                name="sched_refusal_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.code}"
