"""What a notification says, by kind, in the member's language: a subject, a plain-text body and
an HTML body from the same context, with a link back to the page where the member can act.

Apps add their own kinds with ``register_message`` (the Werkhaus: a loan due tomorrow).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from scheduling.models import Notification

MY_BOOKINGS = "/meine/buchungen/"
MY_SHIFTS = "/meine/termine/"
MY_SETTINGS = "/meine/einstellungen/"
COORDINATION = "/admin/"


@dataclass(frozen=True)
class Message:
    subject: Promise
    path: str = "/"


MESSAGES: dict[str, Message] = {
    "booking_confirmed": Message(_("Your booking is confirmed"), MY_BOOKINGS),
    "booking_created_for_you": Message(_("A booking was made for you"), MY_BOOKINGS),
    "booking_cancelled": Message(_("Your booking was cancelled"), MY_BOOKINGS),
    "booking_approved": Message(_("Your booking is confirmed"), MY_BOOKINGS),
    "booking_unit_unavailable": Message(_("Your reserved item is not available"), MY_BOOKINGS),
    "booking_reminder": Message(_("Reminder: your booking"), MY_BOOKINGS),
    "waitlist_offer": Message(_("A place you waited for is free"), MY_BOOKINGS),
    "waitlist_offer_expired": Message(_("Your offer has expired"), MY_BOOKINGS),
    "signup_confirmed": Message(_("You are signed up"), MY_SHIFTS),
    "signup_created_for_you": Message(_("You were signed up"), MY_SHIFTS),
    "signup_cancelled": Message(_("Your sign-up was cancelled"), MY_SHIFTS),
    "signup_promoted": Message(_("You have a place now"), MY_SHIFTS),
    "signup_offer": Message(_("A place is free for you"), MY_SHIFTS),
    "signup_offer_expired": Message(_("Your offer has expired"), MY_SHIFTS),
    "signup_reminder": Message(_("Reminder: you are expected tomorrow"), MY_SHIFTS),
    "signup_reminder_soon": Message(_("Reminder: you are expected soon"), MY_SHIFTS),
    "occurrence_cancelled": Message(_("A date was cancelled"), MY_SHIFTS),
    "occurrence_moved": Message(_("A date was moved"), MY_SHIFTS),
    "occurrence_understaffed": Message(_("A shift is short of people"), COORDINATION),
    "shift_needs_you": Message(_("A shift needs you"), "/schichten/"),
    "swap_taken": Message(_("Someone took over your shift"), MY_SHIFTS),
    "weekly_digest": Message(_("The week ahead at the Werkhaus & Garden"), COORDINATION),
}
DEFAULT = Message(_("News from the Werkhaus & Garden"))


def register_message(kind: str, message: Message) -> None:
    MESSAGES[kind] = message


def subject_for(kind: str) -> str:
    return str(MESSAGES.get(kind, DEFAULT).subject)


def link(path: str) -> str:
    return settings.SITE_URL + path


def when(value: Any) -> str:
    moment = parse_datetime(str(value)) if value else None
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _details(payload: dict[str, Any]) -> list[tuple[Promise, str]]:
    rows: list[tuple[Promise, str]] = []
    if payload.get("title"):
        rows.append((_("What"), str(payload["title"])))
    if payload.get("old_start") and payload.get("new_start"):
        rows.append((_("Was"), when(payload["old_start"])))
        rows.append((_("Now"), when(payload["new_start"])))
    elif payload.get("start"):
        rows.append((_("When"), when(payload["start"])))
    if payload.get("due"):
        rows.append((_("Due back"), when(payload["due"])))
    if payload.get("location"):
        rows.append((_("Where"), str(payload["location"])))
    if payload.get("expires_at"):
        rows.append((_("Please answer by"), when(payload["expires_at"])))
    if payload.get("reason"):
        rows.append((_("Reason"), str(payload["reason"])))
    return rows


def _sections(notification: Notification, now: datetime) -> list[dict[str, Any]]:
    from scheduling.digest import digest_sections, section_title

    if notification.kind != "weekly_digest":
        return []
    found = []
    for section in digest_sections(now):
        title = section_title(section["key"])
        if title is None:
            continue
        items = [
            f"{entry['text']} — {when(entry['when'])}" if entry.get("when") else entry["text"]
            for entry in section["items"]
        ]
        found.append({"title": str(title), "count": section["count"], "items": items})
    return found


def _page(notification: Notification, message: Message) -> str:
    """The page of the booking or date the notification is about, else the kind's page."""
    from scheduling.feeds import booking_path, occurrence_path

    if notification.booking_id is not None:
        return booking_path(notification.booking_id)
    if notification.signup is not None:
        slot = notification.signup.slot
        return occurrence_path(
            kind=slot.activity.kind,
            event_id=slot.activity.event_id,
            original_start=slot.original_start,
        )
    return message.path


def render(notification: Notification, *, now: datetime) -> tuple[str, str, str]:
    """Subject, plain text and HTML; call inside ``translation.override`` of the language."""
    message = MESSAGES.get(notification.kind, DEFAULT)
    subject = str(message.subject)
    context = {
        "name": notification.member.get_short_name(),
        "subject": subject,
        "details": [(str(label), value) for label, value in _details(notification.payload)],
        "sections": _sections(notification, now),
        "url": link(_page(notification, message)),
        "settings_url": link(MY_SETTINGS),
    }
    text = render_to_string("scheduling/email/notification.txt", context)
    html = render_to_string("scheduling/email/notification.html", context)
    return subject, text.strip() + "\n", str(html)
