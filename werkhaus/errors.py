"""Refusals at the Werkhaus counter, with machine codes and texts in the user's language."""

from django.utils.translation import gettext_lazy as _

from core.errors import DomainError, InvalidInput


class NotATool(InvalidInput):
    code = "not_a_tool"
    default_message = _("This is not a tool to borrow.")


class NotARoom(InvalidInput):
    code = "not_a_room"
    default_message = _("This is not a room.")


class UnitNotUsable(DomainError):
    code = "unit_not_usable"
    status = 409
    default_message = _("This unit is damaged or out of service and cannot be lent.")


class NotReadyForCheckOut(DomainError):
    code = "not_ready_for_check_out"
    status = 409
    default_message = _("This reservation cannot be checked out now.")


class NotCheckedOut(DomainError):
    code = "not_checked_out"
    status = 409
    default_message = _("This loan is not checked out.")


class DepositTooHigh(InvalidInput):
    code = "deposit_too_high"
    default_message = _("More deposit kept than was taken.")


class DamageReportRequired(InvalidInput):
    code = "damage_report_required"
    default_message = _("Please describe the damage.")


class TooManyPeople(InvalidInput):
    code = "too_many_people"
    default_message = _("The room does not hold that many people.")


class UnknownInventoryNumber(InvalidInput):
    code = "unknown_inventory_number"
    default_message = _("There is no unit with this inventory number.")
