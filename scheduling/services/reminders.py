"""Writing the reminders that are due now, each exactly once, and members' choices of them."""

from datetime import datetime

from django.db import transaction

from accounts.models import User
from scheduling import errors
from scheduling.models import Notification, NotificationOptOut
from scheduling.reminders import reminder_kind, reminder_kinds


def reminders_create(*, now: datetime) -> int:
    """Ask every reminder kind for what is due and write what is new; returns how many rows.

    Safe to run from two workers at once: the unique key lets only one insert win, the other's
    row is dropped by ``ignore_conflicts``. Each kind commits on its own, so one failing kind
    does not hold back the others.
    """
    created = 0
    for kind in reminder_kinds():
        with transaction.atomic():
            rows = list(kind.produce(now))
            if not rows:
                continue
            known = set(
                Notification.objects.filter(key__in=[row.key for row in rows]).values_list(
                    "key", flat=True
                )
            )
            fresh = [row for row in rows if row.key not in known]
            for row in fresh:
                row.created_at = now
            Notification.objects.bulk_create(fresh, ignore_conflicts=True)
            created += len(fresh)
    return created


def reminder_choices(*, member: User) -> list[tuple[str, str, bool]]:
    """(kind, label, wanted) for every kind offered to the member."""
    off = set(NotificationOptOut.objects.filter(member=member).values_list("kind", flat=True))
    return [
        (kind.kind, str(kind.label), kind.kind not in off)
        for kind in reminder_kinds()
        if kind.offered_to(member)
    ]


@transaction.atomic
def reminder_choices_set(*, member: User, choices: dict[str, bool], now: datetime) -> None:
    """Switch reminder kinds on or off; an unknown kind, or one not offered, is refused."""
    unknown = sorted(
        name
        for name in choices
        if (kind := reminder_kind(name)) is None or not kind.offered_to(member)
    )
    if unknown:
        message = errors.UnknownReminder.default_message
        raise errors.UnknownReminder(fields={name: [str(message)] for name in unknown})
    off = [name for name, want in choices.items() if not want]
    on = [name for name, want in choices.items() if want]
    NotificationOptOut.objects.filter(member=member, kind__in=on).delete()
    NotificationOptOut.objects.bulk_create(
        [NotificationOptOut(member=member, kind=name, created_at=now) for name in off],
        ignore_conflicts=True,
    )
