from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from accounts.models import User
from scheduling.models import Booking, Resource, ResourceKind
from scheduling.services.bookings import BookingRequest, booking_create
from werkhaus import errors
from werkhaus.models import Room, RoomBooking


@dataclass(frozen=True)
class RoomRequest:
    resource: Resource
    member: User
    start: datetime
    end: datetime
    purpose: str
    expected_people: int
    organisation: str = ""
    note: str = ""


@transaction.atomic
def room_book(*, request: RoomRequest, actor: User, now: datetime) -> Booking:
    """Book a room for a purpose and a number of people; the engine's rules decide the rest
    (a room that requires approval leaves the booking ``requested``)."""
    if request.resource.kind != ResourceKind.ROOM:
        raise errors.NotARoom()
    room = Room.objects.filter(resource=request.resource).first()
    if room is not None and request.expected_people > room.max_people:
        raise errors.TooManyPeople(fields={"max_people": room.max_people})
    booking = booking_create(
        request=BookingRequest(
            resource=request.resource,
            member=request.member,
            start=request.start,
            end=request.end,
            note=request.note,
        ),
        actor=actor,
        now=now,
    )
    RoomBooking.objects.create(
        booking=booking,
        purpose=request.purpose,
        organisation=request.organisation,
        expected_people=request.expected_people,
    )
    return booking
