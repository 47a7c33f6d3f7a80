"""Recurring sessions and shifts with places that people sign up for.

The recurrence is django-scheduler's (Calendar, Event, Rule); ``Activity`` sits beside an Event
and says how many places it has and who may take them.

Which row a sign-up attaches to: our own ``Slot``, keyed on (activity, original start) — the
start the rule gave the occurrence. We do not persist django-scheduler's Occurrence for every
sign-up: its identity is the same (event, original_start) pair, but keying our own row on it
lets the database enforce uniqueness, keeps places and counters beside it, and survives a
move — a moved occurrence keeps its original start, so its sign-ups travel with it. A cancelled
or moved occurrence is still recorded in django-scheduler (its persisted Occurrence), which the
services keep in step with the Slot.

The invariant "never more places taken than there are", for the whole occurrence and for each
role, lives in the database: ``SlotRole.taken`` is raised by a conditional UPDATE
(``taken < places``) under the row lock of that UPDATE, and a CHECK constraint refuses
``taken > places`` whatever writes it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from schedule.models import Event

from scheduling.models.resources import Qualification


class ActivityKind(models.TextChoices):
    WORKSHOP = "workshop", _("workshop session")
    SHIFT = "shift", _("shift")


class Eligibility(models.TextChoices):
    EVERYONE = "everyone", _("everyone")
    VOLUNTEERS = "volunteers", _("volunteers and honorary workers")
    HONORARY = "honorary", _("honorary workers")
    QUALIFIED = "qualified", _("members with the qualification")


class WaitlistMode(models.TextChoices):
    AUTOMATIC = "automatic", _("a freed place goes to the next in line at once")
    OFFER = "offer", _("a freed place is offered to the next in line for a while")


class Activity(models.Model):
    event = models.OneToOneField(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="activity"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    location = models.CharField(_("location"), max_length=200, blank=True)
    eligibility = models.CharField(
        _("who may sign up"),
        max_length=20,
        choices=Eligibility.choices,
        default=Eligibility.EVERYONE,
    )
    required_qualification = models.ForeignKey(
        Qualification,
        verbose_name=_("required qualification"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    signup_cutoff_minutes = models.PositiveIntegerField(
        _("sign-up and cancellation close minutes before start"), default=0
    )
    min_staffing = models.PositiveIntegerField(
        _("minimum staffing"), default=0, help_text=_("Below this the occurrence is understaffed.")
    )
    paid = models.BooleanField(
        _("paid (honorary)"), default=False, help_text=_("Paid honorary work, not voluntary.")
    )
    waitlist_mode = models.CharField(
        _("waitlist"), max_length=20, choices=WaitlistMode.choices, default=WaitlistMode.AUTOMATIC
    )
    offer_hours = models.PositiveIntegerField(_("an offer holds for hours"), default=12)
    grants_qualification = models.ForeignKey(
        Qualification,
        verbose_name=_("attendance grants"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="granted_by_activities",
        help_text=_("E.g. a briefing session: whoever attended holds the qualification."),
    )

    # Changes made in the admin reach the calendar feeds at once (their fingerprints read it).
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return str(self.event.title)


class ActivityRole(models.Model):
    """Places of an activity by role ("watering", "compost"); one general role if none."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="roles"
    )
    name = models.CharField(_("role"), max_length=100, blank=True)
    places = models.PositiveIntegerField(_("places"))
    min_staffing = models.PositiveIntegerField(_("minimum staffing"), default=0)

    # Changes made in the admin reach the calendar feeds at once (their fingerprints read it).
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["activity", "name"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "name"], name="sched_role_name_unique"),
            models.CheckConstraint(
                condition=Q(min_staffing__lte=F("places")), name="sched_role_min_le_places"
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(_("general"))


class Slot(models.Model):
    """One dated occurrence of an activity that someone has signed up for (or that was
    cancelled or moved). Identified by the start its rule gave it."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="slots"
    )
    original_start = models.DateTimeField(_("original start"))
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    cancelled = models.BooleanField(_("cancelled"), default=False)
    understaffed_alerted_at = models.DateTimeField(
        _("understaffing alerted at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("dated occurrence")
        verbose_name_plural = _("dated occurrences")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["end", "start"], name="sched_slot_span_idx"),
            # The programme statistics select dates by when they start.
            models.Index(fields=["start"], name="sched_slot_start_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "original_start"], name="sched_slot_once_per_start"
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="sched_slot_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.start:%Y-%m-%d %H:%M}"


class SlotRole(models.Model):
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="roles")
    role = models.ForeignKey(ActivityRole, on_delete=models.CASCADE, related_name="+")
    places = models.PositiveIntegerField(_("places"))
    taken = models.PositiveIntegerField(_("taken"), default=0)

    class Meta:
        verbose_name = _("places of a role")
        verbose_name_plural = _("places of roles")
        constraints = [
            models.UniqueConstraint(fields=["slot", "role"], name="sched_slotrole_unique"),
            models.CheckConstraint(
                condition=Q(taken__lte=F("places")),
                name="sched_slotrole_never_overbooked",
                violation_error_message=_("More places taken than there are."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.role}: {self.taken}/{self.places}"


class SignUpStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    OFFERED = "offered", _("offered a freed place")
    WAITLISTED = "waitlisted", _("on the waitlist")
    CANCELLED = "cancelled", _("cancelled")
    ATTENDED = "attended", _("attended")
    NO_SHOW = "no_show", _("no-show")


# These hold a place (count in SlotRole.taken).
PLACE_STATUSES = (
    SignUpStatus.CONFIRMED,
    SignUpStatus.OFFERED,
    SignUpStatus.ATTENDED,
    SignUpStatus.NO_SHOW,
)
# One member has at most one of these per occurrence.
LIVE_SIGNUP_STATUSES = (*PLACE_STATUSES, SignUpStatus.WAITLISTED)


class SignUp(models.Model):
    slot = models.ForeignKey(
        Slot, verbose_name=_("occurrence"), on_delete=models.CASCADE, related_name="signups"
    )
    role = models.ForeignKey(
        ActivityRole, verbose_name=_("role"), on_delete=models.CASCADE, related_name="signups"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="signups",
    )
    status = models.CharField(_("status"), max_length=20, choices=SignUpStatus.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    offer_expires_at = models.DateTimeField(_("offer expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["member", "status"], name="sched_signup_member_idx"),
            models.Index(fields=["status", "offer_expires_at"], name="sched_signup_offer_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "member"],
                condition=Q(
                    status__in=["confirmed", "offered", "attended", "no_show", "waitlisted"]
                ),
                name="sched_signup_one_per_member",
                violation_error_message=_("Already signed up for this occurrence."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.slot}"


class SwapStatus(models.TextChoices):
    OPEN = "open", _("open")
    TAKEN = "taken", _("taken over")
    WITHDRAWN = "withdrawn", _("withdrawn")


class SwapOffer(models.Model):
    """A volunteer offers their place; another eligible member takes it over in one step."""

    signup = models.ForeignKey(
        SignUp, verbose_name=_("sign-up"), on_delete=models.CASCADE, related_name="swap_offers"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SwapStatus.choices, default=SwapStatus.OPEN
    )
    created_at = models.DateTimeField(_("created at"))
    taken_by = models.ForeignKey(
        SignUp,
        verbose_name=_("taken over as"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("swap offer")
        verbose_name_plural = _("swap offers")
        constraints = [
            models.UniqueConstraint(
                fields=["signup"], condition=Q(status="open"), name="sched_swap_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"{self.signup} ({self.status})"
