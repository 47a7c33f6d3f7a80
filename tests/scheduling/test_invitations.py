"""Confirmation and cancellation mails: plain text plus HTML, a link back, and a calendar
invitation (iTIP) with the same UID as the member's feed."""

from email.mime.base import MIMEBase

import pytest
from django.core import mail
from icalendar import Calendar

from accounts.models import User
from scheduling.models import Resource
from scheduling.services.bookings import booking_cancel
from scheduling.services.outbox import outbox_dispatch
from tests.scheduling.conftest import TUESDAY, at, book

pytestmark = pytest.mark.django_db


def sent_invitation(message: mail.EmailMultiAlternatives) -> Calendar:
    [part] = [a for a in message.attachments if isinstance(a, MIMEBase)]
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") in ("REQUEST", "CANCEL")
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Calendar.from_ical(payload)


def dispatch() -> list[mail.EmailMultiAlternatives]:
    mail.outbox.clear()
    outbox_dispatch(now=TUESDAY.replace(hour=10))
    sent = [m for m in mail.outbox if isinstance(m, mail.EmailMultiAlternatives)]
    assert len(sent) == len(mail.outbox)
    return sent


def test_a_confirmation_carries_a_calendar_request_with_the_feeds_uid(
    bench: Resource, resident: User
) -> None:
    booking = book(bench, resident, at(16), at(18))

    [message] = dispatch()

    assert message.subject == "Deine Buchung ist bestätigt"
    calendar = sent_invitation(message)
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"booking-{booking.pk}@werkhaus-garten"
    assert event.decoded("DTSTART") == at(16)
    assert str(event["ATTENDEE"]) == f"mailto:{resident.email}"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert str(event["URL"]).endswith(f"/buchungen/{booking.pk}/")


def test_a_cancellation_carries_a_calendar_cancel_with_a_higher_sequence(
    bench: Resource, resident: User
) -> None:
    booking = book(bench, resident, at(16), at(18))
    [confirmation] = dispatch()
    booking_cancel(booking=booking, actor=resident, now=TUESDAY.replace(hour=10))

    [cancellation] = dispatch()

    request = sent_invitation(confirmation).walk("VEVENT")[0]
    cancel_calendar = sent_invitation(cancellation)
    [cancel] = cancel_calendar.walk("VEVENT")
    assert cancel_calendar["METHOD"] == "CANCEL"
    assert cancel["UID"] == request["UID"]
    assert cancel["STATUS"] == "CANCELLED"
    assert cancel.decoded("SEQUENCE") > request.decoded("SEQUENCE")


def test_a_mail_has_a_plain_text_and_an_html_body_with_a_link_back(
    bench: Resource, resident: User
) -> None:
    bench.name = "Hobelbank <Eiche> & Co"
    bench.save()
    booking = book(bench, resident, at(16), at(18))

    [message] = dispatch()

    assert "Was: Hobelbank <Eiche> & Co" in message.body
    assert f"http://127.0.0.1:8000/buchungen/{booking.pk}/" in message.body
    [(html, mimetype)] = message.alternatives
    assert isinstance(html, str)
    assert mimetype == "text/html"
    assert "Hobelbank &lt;Eiche&gt; &amp; Co" in html
    assert f'href="http://127.0.0.1:8000/buchungen/{booking.pk}/"' in html
    assert '<html lang="de"' in html


def test_a_mail_speaks_the_members_language(bench: Resource, resident: User) -> None:
    resident.preferred_language = "en"
    resident.save()
    book(bench, resident, at(16), at(18))

    [message] = dispatch()

    assert message.subject == "Your booking is confirmed"
    assert "When: " in message.body
    assert '<html lang="en"' in str(message.alternatives[0][0])
