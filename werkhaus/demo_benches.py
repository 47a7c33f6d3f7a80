"""Workbenches and machines booked by the hour over the demo's months, with no-shows and
cancellations, and the demo residents' next bookings."""

import random
from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime, timedelta

from accounts.models import User
from core.errors import DomainError
from scheduling.models import Booking, BookingStatus, MemberQualification, Resource
from scheduling.services.bookings import (
    BookingRequest,
    booking_cancel,
    booking_create,
    booking_mark,
)
from werkhaus.demo_history import BERLIN, local, opening


def _bench_sessions(
    rng: random.Random, day: date, lengths: list[int]
) -> list[tuple[datetime, datetime]]:
    """Bookings of one unit on one opening day; the 15-minute buffer rounds up to 30."""
    hours = opening(day)
    if hours is None:
        return []
    moment, close = hours
    sessions = []
    while moment + timedelta(hours=1) <= close:
        if rng.random() < 0.65:
            moment += timedelta(hours=1)
            continue
        end = min(moment + timedelta(minutes=rng.choice(lengths)), close)
        sessions.append((moment, end))
        moment = end + timedelta(minutes=30)
    return sessions


def bench_history(
    *,
    benches: list[Resource],
    members: list[User],
    coordinator: User,
    now: datetime,
    rng: random.Random,
    days: list[date],
    skip_future: set[int],
) -> Counter[str]:
    """Workbenches and machines booked by the hour, with no-shows and cancellations; the
    coming days hold what was booked for them by now."""
    stats: Counter[str] = Counter()
    today = now.astimezone(BERLIN).date()
    units = {r.pk: r.units.count() for r in benches}
    briefed = {r.pk: _briefed(r) for r in benches}
    for day in days:
        for resource in benches:
            if day > today and resource.pk in skip_future:
                continue
            lengths = [120, 180, 240, 360] if resource.max_minutes > 240 else [60, 90, 120, 180]
            for _unit in range(units[resource.pk]):
                for start, end in _bench_sessions(rng, day, lengths):
                    made = start - timedelta(hours=rng.randint(3, 144))
                    since = briefed[resource.pk]
                    # Only who has had the briefing by then asks for a machine that needs it.
                    who = [m for m in members if since is None or since.get(m.pk, end) < start]
                    if made >= now or not who:
                        continue
                    booking = _book_bench(resource, who, coordinator, start, end, made, rng)
                    if booking is None:
                        stats["refused"] += 1
                        continue
                    stats["bookings"] += 1
                    _bench_outcome(booking, coordinator, made, now, rng, stats)
    return stats


def _briefed(resource: Resource) -> dict[int, datetime] | None:
    """Since when each member may book the resource; None: everyone may."""
    if resource.required_qualification_id is None:
        return None
    grants = MemberQualification.objects.filter(
        qualification_id=resource.required_qualification_id, revoked_at=None
    ).order_by("-granted_at")
    return dict(grants.values_list("member_id", "granted_at"))


def _book_bench(
    resource: Resource,
    members: list[User],
    coordinator: User,
    start: datetime,
    end: datetime,
    made: datetime,
    rng: random.Random,
) -> Booking | None:
    # Whoever wants it and may: the briefing and the weekly hours decide.
    for member in rng.sample(members, len(members)):
        try:
            return booking_create(
                request=BookingRequest(resource=resource, member=member, start=start, end=end),
                actor=member if member.has_login else coordinator,
                now=made,
            )
        except DomainError:
            continue
    return None


def _bench_outcome(
    booking: Booking,
    coordinator: User,
    made: datetime,
    now: datetime,
    rng: random.Random,
    stats: Counter[str],
) -> None:
    roll = rng.random()
    if roll < 0.05:
        at = made + (booking.start - made) * rng.uniform(0.3, 0.9)
        if at < now:
            member = booking.member
            actor = member if member.has_login else coordinator
            booking_cancel(booking=booking, actor=actor, now=at)
            stats["cancelled"] += 1
        return
    if booking.end >= now:
        return
    outcome = BookingStatus.NO_SHOW if roll < 0.13 else BookingStatus.COMPLETED
    booking_mark(booking=booking, actor=coordinator, now=booking.end, outcome=outcome)
    stats["no-shows" if outcome == BookingStatus.NO_SHOW else "completed"] += 1


BenchPlan = tuple[Resource, User, datetime, datetime]


def upcoming_bench_plans(
    benches: list[Resource], members: Mapping[str, User], days: list[date], now: datetime
) -> list[BenchPlan]:
    """Rana has the planing bench next Tuesday and the lathe next Saturday."""
    today = now.astimezone(BERLIN).date()
    by_name = {r.name: r for r in benches}
    tuesday = next(d for d in days if d > today and d.weekday() == 1)
    saturday = next(d for d in days if d > today and d.weekday() == 5)
    rana = members["resident"]
    return [
        (by_name["Hobelbank"], rana, local(tuesday, 16), local(tuesday, 18)),
        (by_name["Drechselbank"], rana, local(saturday, 10), local(saturday, 12)),
    ]


def book_upcoming(plans: list[BenchPlan], now: datetime) -> int:
    booked = 0
    for resource, member, start, end in plans:
        for week in range(4):  # a week later if that one is closed or her hours are used up
            shift = timedelta(weeks=week)
            try:
                booking_create(
                    request=BookingRequest(
                        resource=resource, member=member, start=start + shift, end=end + shift
                    ),
                    actor=member,
                    now=now,
                )
            except DomainError:
                continue
            booked += 1
            break
    return booked
