from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from accounts.models import User
from scheduling import errors as engine_errors
from scheduling.models import Booking, Resource, ResourceKind
from scheduling.services.bookings import BookingRequest, booking_conflict_record, booking_create
from scheduling.services.demand import refused
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


def _booking_request(request: RoomRequest) -> BookingRequest:
    return BookingRequest(
        resource=request.resource,
        member=request.member,
        start=request.start,
        end=request.end,
        note=request.note,
    )


def _record_conflict(*, request: RoomRequest, actor: User, now: datetime) -> None:
    booking_conflict_record(request=_booking_request(request), now=now)


# booking_create's own record of a taken room goes with this transaction: record it after.
@refused(engine_errors.SlotTaken, _record_conflict)
@transaction.atomic
def room_book(*, request: RoomRequest, actor: User, now: datetime) -> Booking:
    """Book a room for a purpose and a number of people; the engine's rules decide the rest
    (a room that requires approval leaves the booking ``requested``)."""
    if request.resource.kind != ResourceKind.ROOM:
        raise errors.NotARoom()
    room = Room.objects.filter(resource=request.resource).first()
    if room is not None and request.expected_people > room.max_people:
        raise errors.TooManyPeople(fields={"max_people": room.max_people})
    booking = booking_create(request=_booking_request(request), actor=actor, now=now)
    RoomBooking.objects.create(
        booking=booking,
        purpose=request.purpose,
        organisation=request.organisation,
        expected_people=request.expected_people,
    )
    return booking
