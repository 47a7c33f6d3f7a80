"""Threads with their own connections race to sign up for, and to cancel, places of one dated
occurrence: the conditional UPDATE of the role's counter lets exactly the free places through,
every loser gets a clean refusal or a place on the waitlist, and the counter always equals the
sign-ups that hold a place. The last test does the same over HTTP against gunicorn."""

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any, TypeVar

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from accounts.services import api_token_issue
from scheduling import errors
from scheduling.models import (
    LIVE_SIGNUP_STATUSES,
    PLACE_STATUSES,
    Activity,
    SignUp,
    SignUpStatus,
    Slot,
    SlotRole,
)
from scheduling.recurrence import expand
from scheduling.services.signups import SignupRequest, signup_cancel, signup_create
from tests.conftest import BERLIN
from tests.factories import MemberFactory, activity_create
from tests.scheduling import test_booking_concurrency_http as over_http
from tests.scheduling.test_booking_concurrency_http import REQUEST_SECONDS, Answer, Server

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 24
PLACES = 10
ALREADY_TAKEN = 7
# Long enough for lock waits and the deadlock detector (1 s by default), short enough to fail
# a hanging run instead of blocking the suite.
BARRIER_SECONDS = 30
JOIN_SECONDS = 60

T = TypeVar("T")


def _race(attempts: Sequence[Callable[[], T]]) -> list[T | Exception]:
    """Run each attempt in its own thread, all released at once; return what each got."""
    barrier = threading.Barrier(len(attempts), timeout=BARRIER_SECONDS)
    outcomes: list[T | Exception | None] = [None] * len(attempts)

    def run(index: int, attempt: Callable[[], T]) -> None:
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
    for thread in threads:
        thread.join(timeout=JOIN_SECONDS)
    assert not any(t.is_alive() for t in threads), "a racing thread did not finish in time"
    assert all(o is not None for o in outcomes)
    return [o for o in outcomes if o is not None]


def _next_week(places: int = PLACES) -> tuple[Activity, datetime]:
    """A weekly activity whose event starts in a week (real clock), and its second date."""
    first = (datetime.now(BERLIN) + timedelta(days=7)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    activity = activity_create(first_start=first.strftime("%Y-%m-%dT%H:%M"), places=places)
    (second,) = expand([activity.event], [], first + timedelta(days=1), first + timedelta(days=8))
    return activity, second.start


def _sign_up(
    activity: Activity, start: datetime, member: User, *, now: datetime, waitlist: bool = False
) -> SignUp:
    request = SignupRequest(activity=activity, start=start, member=member, waitlist=waitlist)
    return signup_create(request=request, actor=member, now=now)


def _signup_attempt(
    activity_id: int, start: datetime, member_id: int, *, now: datetime, waitlist: bool = False
) -> Callable[[], SignUp]:
    def attempt() -> SignUp:
        # Each thread reads its own copies, as a request would.
        activity = Activity.objects.select_related("event").get(pk=activity_id)
        member = User.objects.get(pk=member_id)
        return _sign_up(activity, start, member, now=now, waitlist=waitlist)

    return attempt


def _cancel_attempt(signup_id: int, *, now: datetime) -> Callable[[], SignUp]:
    def attempt() -> SignUp:
        signup = SignUp.objects.select_related("member").get(pk=signup_id)
        return signup_cancel(signup=signup, actor=signup.member, now=now)

    return attempt


def _members(count: int) -> list[User]:
    return [MemberFactory(password=None) for _ in range(count)]


def _fill(activity: Activity, start: datetime, count: int, *, now: datetime) -> list[SignUp]:
    """``count`` sign-ups made one after the other through the service."""
    return [_sign_up(activity, start, m, now=now, waitlist=True) for m in _members(count)]


def _slot_role(activity: Activity, start: datetime) -> SlotRole:
    return SlotRole.objects.get(slot__activity=activity, slot__original_start=start)


def _holding_places(activity: Activity, start: datetime) -> int:
    return SignUp.objects.filter(
        slot__activity=activity, slot__original_start=start, status__in=PLACE_STATUSES
    ).count()


def _assert_counter_consistent(activity: Activity, start: datetime, *, taken: int) -> None:
    slot_role = _slot_role(activity, start)
    assert (slot_role.taken, _holding_places(activity, start)) == (taken, taken)
    assert slot_role.taken <= slot_role.places


def _status_of(signups: Sequence[SignUp]) -> list[str]:
    stored = dict(SignUp.objects.filter(pk__in=[s.pk for s in signups]).values_list("pk", "status"))
    return [stored[s.pk] for s in signups]


def _unexpected(outcomes: Sequence[object], *allowed: type[Exception]) -> list[object]:
    return [o for o in outcomes if not isinstance(o, (SignUp, *allowed))]


def _race_for_the_last_places(*, waitlist: bool) -> tuple[Activity, datetime, list[Any]]:
    activity, start = _next_week()
    now = timezone.now()
    _fill(activity, start, ALREADY_TAKEN, now=now)
    members = _members(THREADS)

    outcomes = _race(
        [_signup_attempt(activity.pk, start, m.pk, now=now, waitlist=waitlist) for m in members]
    )
    return activity, start, outcomes


def test_twenty_four_threads_racing_for_three_places_get_three_and_full_for_the_rest() -> None:
    activity, start, outcomes = _race_for_the_last_places(waitlist=False)

    assert _unexpected(outcomes, errors.Full) == []
    won = [o for o in outcomes if isinstance(o, SignUp)]
    assert [w.status for w in won] == [SignUpStatus.CONFIRMED] * 3
    assert sum(isinstance(o, errors.Full) for o in outcomes) == THREADS - 3
    _assert_counter_consistent(activity, start, taken=PLACES)
    assert SignUp.objects.filter(slot__activity=activity).count() == PLACES


def test_twenty_four_threads_racing_with_waitlist_get_three_places_and_wait_for_the_rest() -> None:
    activity, start, outcomes = _race_for_the_last_places(waitlist=True)

    assert _unexpected(outcomes) == []
    statuses = sorted(o.status for o in outcomes if isinstance(o, SignUp))
    assert statuses == sorted(
        [SignUpStatus.CONFIRMED] * 3 + [SignUpStatus.WAITLISTED] * (THREADS - 3)
    )
    _assert_counter_consistent(activity, start, taken=PLACES)
    waiting = SignUp.objects.filter(slot__activity=activity, status=SignUpStatus.WAITLISTED)
    assert waiting.count() == THREADS - 3


def test_a_fresh_occurrence_raced_for_gets_one_slot_and_exactly_its_places() -> None:
    activity, start = _next_week(places=3)
    members = _members(THREADS)

    outcomes = _race(
        [_signup_attempt(activity.pk, start, m.pk, now=timezone.now()) for m in members]
    )

    assert _unexpected(outcomes, errors.Full) == []
    assert sum(isinstance(o, SignUp) for o in outcomes) == 3
    assert Slot.objects.filter(activity=activity).count() == 1
    _assert_counter_consistent(activity, start, taken=3)


def test_cancellations_racing_sign_ups_give_every_freed_place_to_the_head_of_the_waitlist() -> None:
    places, cancelling, waiting_before, newcomers = 6, 4, 5, 12
    activity, start = _next_week(places=places)
    now = timezone.now()
    confirmed = _fill(activity, start, places, now=now)
    # Distinct, increasing creation times: the order of the waitlist is not a matter of pks.
    waiting = [
        _sign_up(activity, start, m, now=now + timedelta(seconds=n + 1), waitlist=True)
        for n, m in enumerate(_members(waiting_before))
    ]
    assert {s.status for s in waiting} == {SignUpStatus.WAITLISTED}
    later = now + timedelta(minutes=1)

    outcomes = _race(
        [_cancel_attempt(s.pk, now=later) for s in confirmed[:cancelling]]
        + [
            _signup_attempt(activity.pk, start, m.pk, now=later, waitlist=True)
            for m in _members(newcomers)
        ]
    )

    assert _unexpected(outcomes) == []
    cancelled, joined = outcomes[:cancelling], outcomes[cancelling:]
    assert {o.status for o in cancelled if isinstance(o, SignUp)} == {SignUpStatus.CANCELLED}
    # The occurrence stayed full for the newcomers: every freed place went to one who waited.
    assert {o.status for o in joined if isinstance(o, SignUp)} == {SignUpStatus.WAITLISTED}
    assert _status_of(waiting) == [SignUpStatus.CONFIRMED] * cancelling + [
        SignUpStatus.WAITLISTED
    ] * (waiting_before - cancelling)
    assert _status_of(confirmed[cancelling:]) == [SignUpStatus.CONFIRMED] * (places - cancelling)
    _assert_counter_consistent(activity, start, taken=places)
    live = SignUp.objects.filter(slot__activity=activity, status__in=LIVE_SIGNUP_STATUSES)
    members = list(live.values_list("member_id", flat=True))
    assert len(members) == len(set(members)) == places + waiting_before - cancelling + newcomers


def test_a_cancellation_waits_for_a_waitlist_sign_up_in_flight_and_promotes_it() -> None:
    """Pins one interleaving: the occurrence is full with nobody waiting; a sign-up with
    ``waitlist=True`` has found it full and not yet committed its WAITLISTED row when a
    cancellation frees a place. The cancellation must wait for that sign-up (it holds the
    role's row) and then give it the place; otherwise the place stayed free while the member
    waited (found by this test before the sign-up locked the row)."""
    activity, start = _next_week(places=2)
    now = timezone.now()
    leaving, _staying = _fill(activity, start, 2, now=now)
    newcomer = MemberFactory(password=None)
    on_waitlist, release = threading.Event(), threading.Event()
    joined: list[SignUp | Exception] = []
    cancelled: list[SignUp | Exception] = []

    def sign_up_and_commit_late() -> None:
        try:
            with transaction.atomic():
                join = _signup_attempt(activity.pk, start, newcomer.pk, now=now, waitlist=True)
                joined.append(join())
                on_waitlist.set()
                release.wait(timeout=JOIN_SECONDS)
        except Exception as exc:
            joined.append(exc)
        finally:
            on_waitlist.set()
            connection.close()

    def cancel() -> None:
        try:
            cancelled.append(_cancel_attempt(leaving.pk, now=now)())
        except Exception as exc:
            cancelled.append(exc)
        finally:
            connection.close()

    joiner = threading.Thread(target=sign_up_and_commit_late, daemon=True)
    canceller = threading.Thread(target=cancel, daemon=True)
    joiner.start()
    try:
        assert on_waitlist.wait(timeout=BARRIER_SECONDS)
        canceller.start()
        canceller.join(timeout=1.0)
        assert canceller.is_alive(), "the cancellation should wait for the sign-up in flight"
    finally:
        release.set()
        joiner.join(timeout=JOIN_SECONDS)
        canceller.join(timeout=JOIN_SECONDS)

    assert [type(o) for o in joined] == [SignUp]
    assert [type(o) for o in cancelled] == [SignUp]
    assert isinstance(joined[0], SignUp)
    assert joined[0].status == SignUpStatus.WAITLISTED  # it found the occurrence full
    # The invariant: no place stays free while somebody waits for one.
    assert _status_of([joined[0]]) == [SignUpStatus.CONFIRMED]
    _assert_counter_consistent(activity, start, taken=2)


def test_one_member_racing_ten_threads_for_one_occurrence_gets_one_sign_up() -> None:
    activity, start = _next_week()
    now = timezone.now()
    _fill(activity, start, ALREADY_TAKEN, now=now)
    member = MemberFactory(password=None)

    outcomes = _race([_signup_attempt(activity.pk, start, member.pk, now=now) for _ in range(10)])

    assert _unexpected(outcomes, errors.AlreadySignedUp) == []
    assert sum(isinstance(o, SignUp) for o in outcomes) == 1
    assert sum(isinstance(o, errors.AlreadySignedUp) for o in outcomes) == 9
    assert SignUp.objects.filter(slot__activity=activity, member=member).count() == 1
    _assert_counter_consistent(activity, start, taken=ALREADY_TAKEN + 1)


# --- over HTTP, against several gunicorn workers ----------------------------------------------

# The module-scoped gunicorn fixture of the booking race, started once for this module too.
server = over_http.server


def _post_signup(url: str, token: str, payload: dict[str, Any]) -> Answer:
    request = urllib.request.Request(  # noqa: S310 - a local http URL built by the test
        f"{url}/api/v1/signups/",
        data=json.dumps(payload).encode(),
        method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=REQUEST_SECONDS) as response:  # noqa: S310
            return Answer(response.status, json.loads(response.read() or b"{}"))
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            return Answer(error.code, json.loads(raw or b"{}"))
        except ValueError:
            return Answer(error.code, {"raw": raw[:500].decode(errors="replace")})


def test_concurrent_posts_for_the_last_three_places_get_three_201_and_409_full(
    server: Server,
) -> None:
    activity, start = _next_week()
    now = timezone.now()
    _fill(activity, start, ALREADY_TAKEN, now=now)
    tokens = [api_token_issue(user=m, now=now)[1] for m in _members(THREADS)]
    payload = {"event": activity.event_id, "start": start.isoformat(), "waitlist": False}

    answers = _race([partial(_post_signup, server.url, token, payload) for token in tokens])

    failures = [a for a in answers if not isinstance(a, Answer) or a.status >= 500]
    assert failures == [], f"errors or 5xx answers; server log:\n{server.log_tail()}"
    statuses = sorted(a.status for a in answers if isinstance(a, Answer))
    assert statuses == [201] * 3 + [409] * (THREADS - 3)
    refusals = [a.body for a in answers if isinstance(a, Answer) and a.status == 409]
    assert {body.get("code") for body in refusals} == {"full"}
    created = [a.body for a in answers if isinstance(a, Answer) and a.status == 201]
    assert {body["status"] for body in created} == {SignUpStatus.CONFIRMED}
    _assert_counter_consistent(activity, start, taken=PLACES)
