"""The hours log: attended shifts become entries on their own, volunteers log other work, and
coordinators approve or correct. Approved paid hours × the rate valid on that day make the
monthly honorarium; amounts are Decimal, each entry rounded to the cent, half up."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from garden import errors
from garden.models import HourlyRate, HoursEntry, HoursSource, HoursStatus
from scheduling.models import ActivityKind, SignUp, SignUpStatus
from scheduling.services.access import require_coordinator, require_self_or_coordinator
from scheduling.services.records import audit

CENT = Decimal("0.01")


@transaction.atomic
def hours_collect(*, now: datetime) -> int:
    """Create an entry for every attended shift that has none yet (idempotent: the sign-up is
    unique on the entry). Runs periodically, so attendance marked anywhere is counted."""
    attended = (
        SignUp.objects.select_related("slot", "slot__activity__event", "role", "member")
        .filter(
            status=SignUpStatus.ATTENDED,
            slot__activity__kind=ActivityKind.SHIFT,
            hours_entry__isnull=True,
        )
        .order_by("pk")
    )
    created = 0
    for signup in attended:
        slot = signup.slot
        minutes = int((slot.end - slot.start).total_seconds() // 60)
        title = str(slot.activity.event.title)
        HoursEntry.objects.create(
            member=signup.member,
            day=timezone.localtime(slot.start).date(),
            minutes=minutes,
            activity=f"{title} ({signup.role.name})" if signup.role.name else title,
            source=HoursSource.SHIFT,
            signup=signup,
            paid=slot.activity.paid,
            created_at=now,
        )
        created += 1
    return created


@transaction.atomic
def hours_log(
    *,
    member: User,
    day: date,
    minutes: int,
    activity: str,
    actor: User,
    now: datetime,
    note: str = "",
) -> HoursEntry:
    """A volunteer or honorary worker logs work done outside a shift; it waits for approval.
    An honorary worker's entry counts as paid (coordinators can reject what was not)."""
    require_self_or_coordinator(actor, member.pk)
    if not (member.is_volunteer or member.is_honorary_worker):
        raise errors.NotAHelper()
    if day > timezone.localtime(now).date():
        raise errors.HoursInFuture()
    entry = HoursEntry.objects.create(
        member=member,
        day=day,
        minutes=minutes,
        activity=activity,
        source=HoursSource.OTHER,
        paid=member.is_honorary_worker,
        note=note,
        created_at=now,
    )
    audit(at=now, actor=actor, action="hours_logged", hours=entry.pk, minutes=minutes)
    return entry


@transaction.atomic
def hours_decide(
    *,
    entry: HoursEntry,
    actor: User,
    now: datetime,
    approve: bool,
    minutes: int | None = None,
    reason: str = "",
) -> HoursEntry:
    """Approve (optionally correcting the minutes) or reject an entry; ``reason``, which the
    member reads beside the entry, says why it was rejected or corrected."""
    require_coordinator(actor)
    entry = HoursEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != HoursStatus.PENDING:
        raise errors.HoursNotEditable()
    before = entry.minutes
    if minutes is not None:
        entry.minutes = minutes
    entry.status = HoursStatus.APPROVED if approve else HoursStatus.REJECTED
    entry.decided_by = actor
    entry.decided_at = now
    entry.decision_reason = reason.strip()
    entry.save(update_fields=["minutes", "status", "decided_by", "decided_at", "decision_reason"])
    audit(
        at=now,
        actor=actor,
        action=f"hours_{entry.status}",
        hours=entry.pk,
        minutes_before=before,
        minutes=entry.minutes,
        reason=entry.decision_reason,
    )
    return entry


@transaction.atomic
def rate_set(
    *, member: User, valid_from: date, euros: Decimal, actor: User, now: datetime
) -> HourlyRate:
    require_coordinator(actor)
    rate, _created = HourlyRate.objects.update_or_create(
        member=member, valid_from=valid_from, defaults={"euros": euros}
    )
    audit(
        at=now,
        actor=actor,
        action="rate_set",
        member=member.pk,
        euros=str(euros),
        valid_from=valid_from.isoformat(),
    )
    return rate


def month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class HonorariumLine:
    day: date
    activity: str
    minutes: int
    rate: Decimal
    amount: Decimal


@dataclass
class HonorariumPerson:
    member: User
    lines: list[HonorariumLine] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return sum(line.minutes for line in self.lines)

    @property
    def amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))


@dataclass
class HonorariumReport:
    year: int
    month: int
    people: list[HonorariumPerson]
    missing_rates: list[tuple[User, date]]

    @property
    def total(self) -> Decimal:
        return sum((person.amount for person in self.people), Decimal("0.00"))

    @property
    def minutes(self) -> int:
        return sum(person.minutes for person in self.people)


def rate_on(rates: list[HourlyRate], day: date) -> Decimal | None:
    """The rate valid on ``day``: the latest one that began on or before it."""
    valid = [r for r in rates if r.valid_from <= day]
    return max(valid, key=lambda r: r.valid_from).euros if valid else None


def honorarium_report(*, year: int, month: int) -> HonorariumReport:
    """Approved paid hours of the month per honorary worker, with the rate of each day.
    Two queries whatever the number of people or entries."""
    first, last = month_span(year, month)
    entries = list(
        HoursEntry.objects.select_related("member")
        .filter(paid=True, status=HoursStatus.APPROVED, day__gte=first, day__lte=last)
        .order_by("member__display_name", "member_id", "day", "pk")
    )
    rates: dict[int, list[HourlyRate]] = defaultdict(list)
    for known in HourlyRate.objects.filter(member_id__in={e.member_id for e in entries}):
        rates[known.member_id].append(known)
    people: dict[int, HonorariumPerson] = {}
    missing: list[tuple[User, date]] = []
    for entry in entries:
        rate = rate_on(rates[entry.member_id], entry.day)
        if rate is None:
            missing.append((entry.member, entry.day))
            continue
        amount = (Decimal(entry.minutes) * rate / Decimal(60)).quantize(CENT, ROUND_HALF_UP)
        person = people.setdefault(entry.member_id, HonorariumPerson(member=entry.member))
        person.lines.append(HonorariumLine(entry.day, entry.activity, entry.minutes, rate, amount))
    return HonorariumReport(year, month, list(people.values()), missing)


@dataclass(frozen=True)
class VolunteerRow:
    member: User
    month: str
    activity: str
    minutes: int


def volunteer_hours(*, first: date, last: date) -> list[VolunteerRow]:
    """Approved voluntary hours per person, month and activity (for funding reports)."""
    totals: dict[tuple[int, str, str], int] = defaultdict(int)
    members: dict[int, User] = {}
    for entry in HoursEntry.objects.select_related("member").filter(
        paid=False, status=HoursStatus.APPROVED, day__gte=first, day__lte=last
    ):
        members[entry.member_id] = entry.member
        totals[(entry.member_id, entry.day.strftime("%Y-%m"), entry.activity)] += entry.minutes
    return [
        VolunteerRow(members[member_id], month, activity, minutes)
        for (member_id, month, activity), minutes in sorted(
            totals.items(), key=lambda item: (members[item[0][0]].display_name, item[0][1:])
        )
    ]
