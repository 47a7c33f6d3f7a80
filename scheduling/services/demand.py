"""Recording demand the engine could not serve.

A refused booking or sign-up runs in a transaction that rolls back, so its refusal cannot be
written there. ``refused`` wraps the service: the service's own transaction ends (rolled back)
before the exception reaches the wrapper, which then writes the refusal in a transaction of its
own and re-raises. No lock of the refused attempt is held while the refusal is written, so the
concurrency guarantees of the services are untouched.

Called inside a caller's transaction (e.g. a room booking that adds its own rows), the refusal
is written in a savepoint of that transaction and goes when the caller rolls back; such a
caller wraps itself in ``refused`` too, so that the refusal is written once its transaction has
ended (``room_book``, ``loan_walk_in``).
"""

import functools
import logging
from collections.abc import Callable
from datetime import datetime
from typing import ParamSpec, TypeVar

from django.db import DatabaseError, transaction

from accounts.models import User
from core.timeutil import as_utc
from scheduling.models import Activity, Refusal, RefusalCode, Resource

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


def refusal_record(
    *,
    code: RefusalCode,
    now: datetime,
    start: datetime,
    end: datetime,
    member: User | None,
    resource: Resource | None = None,
    activity: Activity | None = None,
) -> Refusal | None:
    """Write one refusal in its own (sub)transaction; never let a failure here hide the refusal
    itself from the member (it is logged and None returned)."""
    try:
        with transaction.atomic():
            return Refusal.objects.create(
                at=now,
                code=code,
                resource=resource,
                activity=activity,
                start=as_utc(start),
                end=as_utc(end),
                member=member,
            )
    except DatabaseError:
        log.exception("could not record a refusal (%s)", code)
        return None


def refused(
    exception: type[Exception], record: Callable[P, object]
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a transactional service: when it raises ``exception``, call ``record`` with the
    same arguments after its transaction has ended, then re-raise."""

    def decorate(service: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(service)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return service(*args, **kwargs)
            except exception:
                record(*args, **kwargs)
                raise

        return wrapper

    return decorate
