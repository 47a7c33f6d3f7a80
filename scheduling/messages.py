"""What a notification says, by kind, in the member's language (plain text)."""

from typing import Any

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from scheduling.models import Notification

SUBJECTS: dict[str, Any] = {
    "booking_created_for_you": _("A booking was made for you"),
    "booking_cancelled": _("Your booking was cancelled"),
    "booking_approved": _("Your booking is confirmed"),
    "booking_unit_unavailable": _("Your reserved item is not available"),
    "waitlist_offer": _("A place you waited for is free"),
    "waitlist_offer_expired": _("Your offer has expired"),
    "signup_created_for_you": _("You were signed up"),
    "signup_cancelled": _("Your sign-up was cancelled"),
    "signup_promoted": _("You have a place now"),
    "signup_offer": _("A place is free for you"),
    "signup_offer_expired": _("Your offer has expired"),
    "occurrence_cancelled": _("A date was cancelled"),
    "occurrence_moved": _("A date was moved"),
    "occurrence_understaffed": _("A shift is short of people"),
    "shift_needs_you": _("A shift needs you"),
    "swap_taken": _("Someone took over your shift"),
    "loan_overdue": _("Please bring back what you borrowed"),
    "plot_allocated": _("You have a garden plot"),
    "plot_offer": _("A garden plot is offered to you"),
    "plot_offer_expired": _("Your plot offer has expired"),
}


def _when(value: Any) -> str:
    moment = parse_datetime(str(value)) if value else None
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def render(notification: Notification) -> tuple[str, str]:
    """Subject and body; call inside ``translation.override`` of the member's language."""
    subject = str(SUBJECTS.get(notification.kind, _("News from the Werkhaus & Garden")))
    payload = notification.payload
    lines = [
        str(_("Hello %(name)s,")) % {"name": notification.member.get_short_name()},
        "",
        subject,
    ]
    title = payload.get("title")
    if title:
        lines.append(str(title))
    if payload.get("start"):
        lines.append(str(_("When: %(when)s")) % {"when": _when(payload["start"])})
    if payload.get("expires_at"):
        lines.append(str(_("Please answer by: %(when)s")) % {"when": _when(payload["expires_at"])})
    if payload.get("reason"):
        lines.append(str(_("Reason: %(reason)s")) % {"reason": payload["reason"]})
    lines += ["", str(_("Your Werkhaus & Garden team"))]
    return subject, "\n".join(lines)
