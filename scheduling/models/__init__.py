"""The engine's data. It knows resources, units, time and places, not drills or tomatoes."""

from scheduling.models.bookings import (
    ACTIVE_STATUSES,
    Booking,
    BookingStatus,
    WaitlistEntry,
    WaitlistStatus,
)
from scheduling.models.records import AuditEntry, Notification
from scheduling.models.resources import (
    Closure,
    HoursPolicy,
    MemberQualification,
    Qualification,
    Resource,
    ResourceGroup,
    ResourceKind,
    Unit,
)

__all__ = [
    "ACTIVE_STATUSES",
    "AuditEntry",
    "Booking",
    "BookingStatus",
    "Closure",
    "HoursPolicy",
    "MemberQualification",
    "Notification",
    "Qualification",
    "Resource",
    "ResourceGroup",
    "ResourceKind",
    "Unit",
    "WaitlistEntry",
    "WaitlistStatus",
]
