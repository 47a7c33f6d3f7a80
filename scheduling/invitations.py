"""Calendar invitations in e-mails (iTIP, RFC 5546): a confirmed booking or sign-up carries a
``METHOD:REQUEST``, a cancelled one a ``METHOD:CANCEL``, with the same UID as in the member's
feed so that the calendar app keeps one entry and updates it.
"""

from datetime import datetime
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from email.utils import parseaddr

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from scheduling.feeds import (
    _event,
    booking_path,
    booking_sequence,
    occurrence_changes,
    occurrence_path,
    page_url,
    serialise,
    signup_sequence,
)
from scheduling.models import AuditEntry, BookingStatus, Notification, SignUpStatus

REQUEST_KINDS = frozenset(
    {
        "booking_confirmed",
        "booking_created_for_you",
        "booking_approved",
        "signup_confirmed",
        "signup_created_for_you",
        "signup_promoted",
        "occurrence_moved",
    }
)
CANCEL_KINDS = frozenset({"booking_cancelled", "signup_cancelled", "occurrence_cancelled"})


def _cancelled(notification: Notification) -> bool:
    if notification.booking is not None:
        return notification.booking.status == BookingStatus.CANCELLED
    if notification.signup is not None:
        signup = notification.signup
        return signup.status == SignUpStatus.CANCELLED or signup.slot.cancelled
    return False


def superseded(notification: Notification) -> bool:
    """A confirmation whose booking or sign-up has been cancelled before it was sent: the
    cancellation tells the member, the confirmation would only confuse."""
    return notification.kind in REQUEST_KINDS and _cancelled(notification)


def _booking_event(notification: Notification, *, cancel: bool, now: datetime) -> Event | None:
    booking = notification.booking
    if booking is None:
        return None
    changes = AuditEntry.objects.filter(booking=booking).count()
    return _event(
        uid=f"booking-{booking.pk}",
        start=booking.start,
        end=booking.end,
        summary=str(booking.resource.name),
        stamp=now,
        sequence=booking_sequence(changes),
        cancelled=cancel,
        location=booking.resource.location,
        url=page_url(booking_path(booking.pk)),
    )


def _signup_event(notification: Notification, *, cancel: bool, now: datetime) -> Event | None:
    signup = notification.signup
    if signup is None:
        return None
    slot = signup.slot
    title = str(slot.activity.event.title)
    changes = AuditEntry.objects.filter(signup=signup).count()
    slot_changes, _last = occurrence_changes([slot.pk]).get(slot.pk, (0, now))
    return _event(
        uid=f"signup-{signup.pk}",
        start=slot.start,
        end=slot.end,
        summary=f"{title} ({signup.role.name})" if signup.role.name else title,
        stamp=now,
        sequence=signup_sequence(
            changes=changes, slot_changes=slot_changes, moved=slot.start != slot.original_start
        ),
        cancelled=cancel,
        location=slot.activity.location,
        url=page_url(
            occurrence_path(
                kind=slot.activity.kind,
                event_id=slot.activity.event_id,
                original_start=slot.original_start,
            )
        ),
    )


def invitation(notification: Notification, *, now: datetime) -> tuple[str, bytes] | None:
    """(method, the iCalendar bytes) for a notification that changes a calendar entry."""
    if notification.kind in CANCEL_KINDS:
        method = "CANCEL"
    elif notification.kind in REQUEST_KINDS:
        method = "REQUEST"
    else:
        return None
    cancel = method == "CANCEL"
    event = _booking_event(notification, cancel=cancel, now=now) or _signup_event(
        notification, cancel=cancel, now=now
    )
    if event is None:
        return None
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name or address)
    event.add("organizer", organizer)
    member = notification.member
    attendee = vCalAddress(f"mailto:{member.email}")
    attendee.params["cn"] = vText(member.get_full_name())
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("DECLINED" if cancel else "ACCEPTED")
    event.add("attendee", attendee)
    cal = Calendar()
    cal.add("prodid", "-//Werkhaus & Garten//Terminplanung//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(event)
    return method, serialise(cal)


def invitation_part(method: str, body: bytes) -> MIMEBase:
    part = MIMEText(body.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invitation.ics")
    return part
