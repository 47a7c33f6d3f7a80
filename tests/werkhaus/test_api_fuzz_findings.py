"""Findings of the authorization matrix (tests/core/test_authorization_matrix.py), pinned."""

from datetime import timedelta

from rest_framework.test import APIClient

from accounts.models import User
from scheduling.services.bookings import BookingRequest, booking_create
from tests.factories import MemberFactory, resource_create


def test_check_out_of_another_members_booking_is_refused_403_for_a_non_coordinator(
    resident_api: APIClient, now
) -> None:
    other: User = MemberFactory(username="olga")
    drill = resource_create(name="Bohrer", kind="tool")
    booking = booking_create(
        request=BookingRequest(
            resource=drill, member=other, start=now + timedelta(days=1), end=now + timedelta(days=2)
        ),
        actor=other,
        now=now,
    )
    response = resident_api.post("/api/v1/loans/check-out/", {"booking": booking.pk})
    assert (response.status_code, response.json()["code"]) == (403, "permission_denied")
