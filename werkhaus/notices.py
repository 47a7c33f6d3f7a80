"""What the Werkhaus adds to the engine's notifications: the reminder that a loan is due
tomorrow, the overdue notice's wording, and the overdue loans in the coordinators' digest."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from core.timeutil import as_utc
from scheduling.digest import Items, Section, item, register_section
from scheduling.messages import MY_BOOKINGS, Message, register_message
from scheduling.models import Notification
from scheduling.reminders import ReminderKind, lead, register, stamp, wanted
from werkhaus.models import Loan, LoanStatus


def _due_tomorrow(now: datetime) -> Iterable[Notification]:
    ahead = lead()
    loans = (
        Loan.objects.filter(
            status=LoanStatus.CHECKED_OUT,
            booking__end__gt=now,
            booking__end__lte=now + ahead,
            # Lent for a day or less: the counter said when it is due.
            checked_out_at__lt=F("booking__end") - ahead,
            booking__member__is_active=True,
        )
        .filter(~wanted("loan_due_reminder", member="booking__member"))
        .select_related("booking__resource")
    )
    for loan in loans:
        booking = loan.booking
        yield Notification(
            member_id=booking.member_id,
            kind="loan_due_reminder",
            key=f"loan_due_reminder:{loan.pk}:{stamp(booking.end)}",
            booking=booking,
            due_at=booking.end - ahead,
            payload={
                "loan": loan.pk,
                "title": str(booking.resource.name),
                "due": as_utc(booking.end).isoformat(),
            },
        )


def _still_out(notification: Notification) -> bool:
    booking = notification.booking
    if booking is None:
        return False
    return Loan.objects.filter(
        booking=booking, status=LoanStatus.CHECKED_OUT, booking__end=booking.end
    ).exists() and as_utc(booking.end).isoformat() == notification.payload.get("due")


def _overdue(now: datetime) -> tuple[int, Items]:
    loans = (
        Loan.objects.filter(status=LoanStatus.CHECKED_OUT, booking__end__lt=now)
        .select_related("booking__resource", "booking__unit", "booking__member")
        .order_by("booking__end")
    )
    rows = list(loans[:25])
    return loans.count() if len(rows) == 25 else len(rows), [
        item(
            f"{loan.booking.resource.name} ({loan.booking.unit.label}) · "
            f"{loan.booking.member.get_full_name()}",
            loan.booking.end,
        )
        for loan in rows
    ]


register(
    ReminderKind(
        kind="loan_due_reminder",
        label=_("Reminder the day before a loan is due back"),
        produce=_due_tomorrow,
        applies=_still_out,
    )
)
register_message("loan_due_reminder", Message(_("Please bring it back tomorrow"), MY_BOOKINGS))
register_message("loan_overdue", Message(_("Please bring back what you borrowed"), MY_BOOKINGS))
register_section(Section("overdue_loans", _("Overdue loans"), _overdue))
