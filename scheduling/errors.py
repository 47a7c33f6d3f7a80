"""Every refusal of the engine, with its machine code and a text in the user's language."""

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError, InvalidInput, NotAllowed
from core.errors import InvalidRange as InvalidRange  # the engine's refusals in one place


class SlotTaken(Conflict):
    code = "conflict"
    default_message = _("This time is already booked; no unit is free.")


class OutsideOpeningHours(InvalidInput):
    code = "outside_opening_hours"
    default_message = _("The booking must lie within the opening hours.")


class Closed(InvalidInput):
    code = "closed"
    default_message = _("It is closed at that time.")


class TooLong(InvalidInput):
    code = "too_long"
    default_message = _("The booking is longer than allowed.")


class TooShort(InvalidInput):
    code = "too_short"
    default_message = _("The booking is shorter than allowed.")


class NotAligned(InvalidInput):
    code = "not_aligned"
    default_message = _("Start and end must fit the booking slots.")


class TooFarAhead(InvalidInput):
    code = "too_far_ahead"
    default_message = _("This is too far in the future to book yet.")


class TooShortNotice(InvalidInput):
    code = "too_short_notice"
    default_message = _("This is too soon; it needs more notice.")


class InPast(InvalidInput):
    code = "in_past"
    default_message = _("This time has already begun.")


class QuotaExceeded(InvalidInput):
    code = "quota_exceeded"
    default_message = _("You have reached your limit of bookings for this resource.")


class QualificationRequired(DomainError):
    code = "qualification_required"
    status = 403
    default_message = _("This needs a qualification (for example a safety briefing) first.")


class NotBookable(InvalidInput):
    code = "not_bookable"
    default_message = _("This cannot be booked at the moment.")


class NotCancellable(DomainError):
    code = "not_cancellable"
    status = 409
    default_message = _("This booking can no longer be cancelled.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    status = 409
    default_message = _("The booking is not in a state that allows this.")


class NotYourBooking(NotAllowed):
    code = "permission_denied"
    default_message = _("Only coordinators may do this.")


class SlotFree(InvalidInput):
    code = "slot_free"
    default_message = _("This time is free: book it instead of waiting.")


class AlreadyWaiting(Conflict):
    code = "already_waiting"
    default_message = _("You are already on the waitlist for this time.")


class OfferExpired(DomainError):
    code = "offer_expired"
    status = 409
    default_message = _("This offer has expired.")


class WindowTooLong(InvalidInput):
    code = "window_too_long"
    default_message = _("Please ask for a shorter period.")


# --- sessions and shifts ------------------------------------------------------------------------


class Full(Conflict):
    code = "full"
    default_message = _("All places are taken.")


class AlreadySignedUp(Conflict):
    code = "already_signed_up"
    default_message = _("You are already signed up for this.")


class SignupClosed(InvalidInput):
    code = "signup_closed"
    default_message = _("Sign-up and cancellation for this have closed.")


class NotEligible(DomainError):
    code = "not_eligible"
    status = 403
    default_message = _("You cannot sign up for this.")


class NoSuchOccurrence(InvalidInput):
    code = "no_such_occurrence"
    default_message = _("There is no such date for this event.")


class OccurrenceCancelled(InvalidInput):
    code = "occurrence_cancelled"
    default_message = _("This date has been cancelled.")


class UnknownRole(InvalidInput):
    code = "unknown_role"
    default_message = _("This role does not belong to the event.")


class SwapNotOpen(Conflict):
    code = "swap_not_open"
    default_message = _("This swap is no longer open.")


class UnknownReminder(InvalidInput):
    code = "unknown_reminder"
    default_message = _("There is no such reminder to choose.")
