"""The Werkhaus's part of a member's data: loans and room bookings (the bookings themselves are
the engine's).

A member with a tool still out is not anonymised: the counter must know whom to ask for it.
A returned loan stays for the statistics (length, overdue and damage rates) with its damage
report, from which the member's name, e-mail, phone and username are removed; the condition
and the deposits stay. A room booking's purpose is the member's own words and is removed; the
group it was for stays (groups are not people).
"""

from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.errors import Conflict
from core.privacy import (
    REMOVED,
    Contribution,
    contribution,
    identifiers,
    ids,
    label,
    row,
    scrub_text,
    stored,
)
from werkhaus.models import Loan, LoanStatus, RoomBooking

LOAN_FIELDS = (
    "booking_id",
    "status",
    "checked_out_at",
    "condition_out",
    "deposit_taken",
    "checked_in_at",
    "condition_in",
    "damage_report",
    "deposit_returned",
    "deposit_kept",
)


class ToolsStillOut(Conflict):
    code = "tools_still_out"
    default_message = _(
        "Tools borrowed are still out. Once they are back, the account can be deleted."
    )


def export(member: User) -> Contribution:
    part = contribution()
    loans = Loan.objects.filter(booking__member=member).select_related(
        "booking__resource", "booking__unit"
    )
    part["records"][label(Loan)] = [
        row(
            loan,
            LOAN_FIELDS,
            tool=str(loan.booking.resource.name),
            inventory_number=str(loan.booking.unit.label),
            due=loan.booking.end,
        )
        for loan in loans
    ]
    part["records"][label(RoomBooking)] = [
        row(r, ("booking_id", "purpose", "organisation", "expected_people"))
        for r in RoomBooking.objects.filter(booking__member=member)
    ]
    part["actions"][label(Loan)] = ids(
        Loan.objects.filter(Q(checked_out_by=member) | Q(checked_in_by=member)).exclude(
            booking__member=member
        )
    )
    return part


def check(member: User) -> None:
    if Loan.objects.filter(booking__member=member, status=LoanStatus.CHECKED_OUT).exists():
        raise ToolsStillOut()


def anonymise(member: User, *, actor: User, now: datetime) -> None:
    identifying = identifiers(member)
    for loan in Loan.objects.filter(booking__member=member).exclude(damage_report=""):
        report = scrub_text(loan.damage_report, identifying)
        if report != loan.damage_report:
            Loan.objects.filter(pk=loan.pk).update(damage_report=report)
    RoomBooking.objects.filter(booking__member=member).update(purpose=stored(REMOVED))
    for room in RoomBooking.objects.filter(booking__member=member).exclude(organisation=""):
        organisation = scrub_text(room.organisation, identifying)
        if organisation != room.organisation:
            RoomBooking.objects.filter(pk=room.pk).update(organisation=organisation)


def active_since(since: datetime) -> Q:
    loans = Loan.objects.filter(booking__member=OuterRef("pk")).filter(
        Q(checked_out_at__gte=since) | Q(checked_in_at__gte=since)
    )
    return Q(Exists(loans))


def kept() -> Q:
    """Whoever has a tool out."""
    out = Loan.objects.filter(booking__member=OuterRef("pk"), status=LoanStatus.CHECKED_OUT)
    return Q(Exists(out))
