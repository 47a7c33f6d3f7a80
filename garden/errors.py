"""Refusals of the garden, with machine codes and texts in the user's language."""

from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, DomainError, InvalidInput


class ApplicationsClosed(InvalidInput):
    code = "applications_closed"
    default_message = _("Applications for this season are closed.")


class AlreadyApplied(Conflict):
    code = "already_applied"
    default_message = _("You have already applied for this season.")


class PlotLimitReached(DomainError):
    code = "plot_limit_reached"
    status = 409
    default_message = _("You already hold as many plots as allowed this season.")


class PlotTaken(Conflict):
    code = "plot_taken"
    default_message = _("This plot is already allocated for the season.")


class NotOffered(DomainError):
    code = "not_offered"
    status = 409
    default_message = _("There is no open offer to accept.")


class RenewalClosed(InvalidInput):
    code = "renewal_closed"
    default_message = _("The time to renew has passed.")


class NotAHolder(DomainError):
    code = "not_a_holder"
    status = 403
    default_message = _("Only last season's holder may renew this plot.")


class HoursNotEditable(DomainError):
    code = "hours_not_editable"
    status = 409
    default_message = _("These hours have been decided and cannot change.")


class HoursInFuture(InvalidInput):
    code = "hours_in_future"
    default_message = _("Hours can only be logged for days that have begun.")


class KeptForRenewal(Conflict):
    code = "kept_for_renewal"
    default_message = _("Last season's holder may still renew this plot.")


class NotAHelper(DomainError):
    code = "not_a_helper"
    status = 403
    default_message = _("Only volunteers and honorary workers log hours.")
