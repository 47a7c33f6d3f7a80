"""Threads with their own connections race for one slot: PostgreSQL lets exactly the right
number of bookings through, and every loser gets a clean refusal, never a server error."""

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.db import connection, transaction

from accounts.models import User
from scheduling import errors
from scheduling.models import Booking, Resource
from scheduling.services.bookings import BookingRequest, booking_create
from tests.factories import MemberFactory, resource_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20
# Long enough for lock waits and the deadlock detector (1 s by default), short enough to fail
# a hanging run instead of blocking the suite.
BARRIER_SECONDS = 30
JOIN_SECONDS = 60

Outcome = Booking | Exception


def _race(
    attempts: list[Callable[[], Booking]], *, meanwhile: Callable[[], None] | None = None
) -> list[Outcome]:
    """Run each attempt in its own thread, all released at once; return what each got.

    ``meanwhile`` runs in the calling thread while the attempts are under way.
    """
    barrier = threading.Barrier(len(attempts), timeout=BARRIER_SECONDS)
    outcomes: list[Outcome | None] = [None] * len(attempts)

    def run(index: int, attempt: Callable[[], Booking]) -> None:
        try:
            barrier.wait()
            outcomes[index] = attempt()
        except Exception as exc:
            outcomes[index] = exc
        finally:
            connection.close()  # this thread's own connection

    threads = [
        threading.Thread(target=run, args=(i, attempt), daemon=True)
        for i, attempt in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    if meanwhile is not None:
        meanwhile()
    for thread in threads:
        thread.join(timeout=JOIN_SECONDS)
    assert not any(t.is_alive() for t in threads), "a booking thread did not finish in time"
    assert all(o is not None for o in outcomes)
    return [o for o in outcomes if o is not None]


def _booking_attempt(
    resource_id: int, member: User, start: datetime, end: datetime, now: datetime
) -> Callable[[], Booking]:
    def attempt() -> Booking:
        # Each thread reads its own copies, as a request would; the barrier comes after.
        resource = Resource.objects.get(pk=resource_id)
        own = User.objects.get(pk=member.pk)
        request = BookingRequest(resource=resource, member=own, start=start, end=end)
        return booking_create(request=request, actor=own, now=now)

    return attempt


def _slot(now: datetime, *, hours_later: int = 0) -> tuple[datetime, datetime]:
    start = (now + timedelta(days=2, hours=hours_later)).replace(minute=0, second=0, microsecond=0)
    return start, start + timedelta(hours=1)


def _race_for_one_slot(resource: Resource, now: datetime, *, threads: int) -> list[Outcome]:
    start, end = _slot(now)
    members = [MemberFactory(password=None) for _ in range(threads)]
    return _race([_booking_attempt(resource.pk, m, start, end, now) for m in members])


def _unexpected(outcomes: list[Outcome], *allowed: type[Exception]) -> list[Outcome]:
    return [o for o in outcomes if not isinstance(o, (Booking, *allowed))]


def test_twenty_threads_racing_for_one_unit_get_exactly_one_booking(now: datetime) -> None:
    resource = resource_create(units=1)

    outcomes = _race_for_one_slot(resource, now, threads=THREADS)

    assert _unexpected(outcomes, errors.SlotTaken) == []
    won = [o for o in outcomes if isinstance(o, Booking)]
    assert len(won) == 1
    assert sum(isinstance(o, errors.SlotTaken) for o in outcomes) == THREADS - 1
    assert list(Booking.objects.filter(resource=resource).values_list("pk", flat=True)) == [
        won[0].pk
    ]


def test_twenty_threads_racing_for_three_units_get_three_bookings_on_distinct_units(
    now: datetime,
) -> None:
    resource = resource_create(units=3)

    outcomes = _race_for_one_slot(resource, now, threads=THREADS)

    assert _unexpected(outcomes, errors.SlotTaken) == []
    assert sum(isinstance(o, Booking) for o in outcomes) == 3
    assert sum(isinstance(o, errors.SlotTaken) for o in outcomes) == THREADS - 3
    stored = Booking.objects.filter(resource=resource)
    assert stored.count() == 3
    assert set(stored.values_list("unit_id", flat=True)) == set(
        resource.units.values_list("pk", flat=True)
    )


def test_one_member_racing_for_twenty_slots_gets_no_more_than_the_quota(now: datetime) -> None:
    resource = resource_create(units=1, max_active_bookings=1)
    member = MemberFactory(password=None)
    slots = [_slot(now, hours_later=2 * n) for n in range(THREADS)]

    outcomes = _race([_booking_attempt(resource.pk, member, s, e, now) for s, e in slots])

    assert _unexpected(outcomes, errors.QuotaExceeded) == []
    assert sum(isinstance(o, Booking) for o in outcomes) == 1
    assert sum(isinstance(o, errors.QuotaExceeded) for o in outcomes) == THREADS - 1
    assert Booking.objects.filter(resource=resource, member=member).count() == 1


# --- a lost race that PostgreSQL reports as a deadlock ----------------------------------------
#
# An exclusion constraint is checked by a scan after the new row is in the index. Two inserts
# of the same unit that are both in the index before either scan see each other's row, each
# waits for the other, and the deadlock detector aborts one of them (SQLSTATE 40P01). The
# random races above hit this now and then; here it is made certain: both racers insert while
# a third transaction holds an uncommitted booking of the unit, and that one then rolls back
# (as a savepoint does after a failed try in ``place``), so both wake up to each other's row.


def _hold_booking_then_roll_back(
    unit_id: int, member: User, start: datetime, end: datetime, now: datetime
) -> tuple[threading.Thread, threading.Event, threading.Event]:
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                Booking.objects.create(
                    unit_id=unit_id,
                    resource_id=Resource.objects.get(units=unit_id).pk,
                    member=member,
                    start=start,
                    end=end,
                    blocked_until=end,
                    created_at=now,
                    updated_at=now,
                )
                held.set()
                release.wait(timeout=JOIN_SECONDS)
                transaction.set_rollback(True)
        finally:
            connection.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    return thread, held, release


def _wait_for_lock_waiters(count: int, *, seconds: float = 10) -> None:
    """Until ``count`` backends of this database wait for a lock (bounded; never raises)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            (waiting,) = cursor.fetchone() or (0,)
        if waiting >= count:
            return
        time.sleep(0.02)


def test_racers_woken_together_by_a_rolled_back_booking_get_one_booking_and_one_refusal(
    now: datetime,
) -> None:
    resource = resource_create(units=1)
    unit_id = resource.units.get().pk
    start, end = _slot(now)
    members = [MemberFactory(password=None) for _ in range(3)]
    holder, held, release = _hold_booking_then_roll_back(unit_id, members[0], start, end, now)

    def roll_back_once_both_wait() -> None:
        try:
            _wait_for_lock_waiters(2)
        finally:
            release.set()

    try:
        assert held.wait(timeout=BARRIER_SECONDS)
        outcomes = _race(
            [_booking_attempt(resource.pk, m, start, end, now) for m in members[1:]],
            meanwhile=roll_back_once_both_wait,
        )
    finally:
        release.set()
        holder.join(timeout=JOIN_SECONDS)

    assert _unexpected(outcomes, errors.SlotTaken) == []
    assert sum(isinstance(o, Booking) for o in outcomes) == 1
    assert Booking.objects.filter(resource=resource).count() == 1
