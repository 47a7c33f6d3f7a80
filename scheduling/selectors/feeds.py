"""What a calendar feed depends on, read in one query: its fingerprint.

The digest of the fingerprint is the feed's ETag and the cache key of its serialised body (see
``scheduling.ical_views``); any change of what the feed shows changes the fingerprint. The window
is whole local days, so the date is part of it too.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Aggregate, Count, F, Max, Q, QuerySet, Sum, Value
from django.utils import translation
from django.utils.dateparse import parse_datetime
from schedule.models import Occurrence

from core.timeutil import as_utc
from scheduling.feeds import FORMAT, feed_window, member_bookings, member_signups, resource_bookings
from scheduling.models import Activity, ActivityRole, AuditEntry, Resource, Slot, SlotRole
from scheduling.recurrence import day_bounds

# --- fingerprints: what a feed depends on, in one query -------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    digest: str  # the cache key of the serialised feed
    last_modified: datetime

    @property
    def etag(self) -> str:
        return f'"{self.digest[:32]}"'


def _agg(queryset: QuerySet[Any], aggregate: Aggregate) -> QuerySet[Any]:
    """One aggregate over the queryset, as a one-row, one-column query (a scalar subquery)."""
    grouped: QuerySet[Any] = queryset.order_by().annotate(_one=Value(1)).values("_one")
    scalar: QuerySet[Any] = grouped.annotate(v=aggregate).values("v")
    return scalar


def _rows(queryset: QuerySet[Any]) -> list[QuerySet[Any]]:
    """Which rows: a row that comes or goes changes the count or the sum of the keys."""
    return [_agg(queryset, Count("pk")), _agg(queryset, Sum("pk"))]


def _moment(value: object) -> datetime | None:
    """A timestamp as the database driver returns it (SQLite: text in UTC)."""
    moment = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else as_utc(moment)


def _fingerprint(
    *, scope: str, now: datetime, parts: Sequence[QuerySet[Any]], latest: Sequence[QuerySet[Any]]
) -> Fingerprint:
    """``SELECT (part 1), (part 2), …`` — all the feed depends on in one round trip; the
    window (whole days) and the language are part of it too."""
    queries = [query.query.sql_with_params() for query in (*parts, *latest)]
    sql = "SELECT " + ", ".join(f"({text})" for text, _params in queries)
    params = [param for _text, values in queries for param in values]
    with connection.cursor() as cursor:
        # The SQL is the ORM's, the values are parameters.
        cursor.execute(sql, params)
        row = tuple(cursor.fetchone() or ())
    start, end = feed_window(now)
    language = translation.get_language() or settings.LANGUAGE_CODE
    text = repr((FORMAT, scope, language, start.isoformat(), end.isoformat(), row))
    moments = [_moment(value) for value in row[len(parts) :]]
    # The window moves at local midnight: the feed may have changed then, whatever the data.
    changed = max([m for m in moments if m is not None] + [day_bounds(now)[0]])
    return Fingerprint(
        digest=hashlib.sha256(text.encode()).hexdigest(),
        last_modified=changed.replace(microsecond=0),
    )


def programme_fingerprint(*, kind: str, now: datetime, open_only: bool = False) -> Fingerprint:
    """The activities of the kind with their events, roles, moved or cancelled dates
    (django-scheduler's Occurrence and our Slot) and the places taken."""
    start, end = feed_window(now)
    activities = Activity.objects.filter(kind=kind)
    roles = ActivityRole.objects.filter(activity__kind=kind)
    persisted = Occurrence.objects.filter(event__activity__kind=kind).filter(
        Q(start__lt=end, end__gt=start) | Q(original_start__lt=end, original_end__gt=start)
    )
    slots = Slot.objects.filter(activity__kind=kind).filter(
        Q(start__lt=end, end__gt=start) | Q(original_start__lt=end, original_start__gte=start)
    )
    places = SlotRole.objects.filter(slot__in=slots.values("pk"))
    return _fingerprint(
        scope=f"programme:{kind}:{int(open_only)}",
        now=now,
        parts=[
            *_rows(activities),
            *_rows(roles),
            _agg(roles, Sum("places")),
            *_rows(persisted),
            *_rows(slots),
            _agg(slots, Count("pk", filter=Q(cancelled=True))),
            _agg(slots, Sum(F("start") - F("original_start"))),
            _agg(places, Sum("places")),
            _agg(places, Sum("taken")),
            _agg(places, Sum(F("taken") * F("slot_id"))),
        ],
        latest=[
            _agg(activities, Max("event__updated_on")),
            _agg(activities, Max("updated_at")),
            _agg(roles, Max("updated_at")),
            _agg(persisted, Max("updated_on")),
        ],
    )


def resource_fingerprint(*, resource: Resource, now: datetime) -> Fingerprint:
    """The resource's bookings in the window and their changes (and its name, already read)."""
    start, end = feed_window(now)
    bookings = resource_bookings(resource.pk, start, end)
    return _fingerprint(
        scope=f"resource:{resource.pk}:{resource.name}:{resource.updated_at.isoformat()}",
        now=now,
        parts=[
            *_rows(bookings),
            _agg(AuditEntry.objects.filter(booking__in=bookings.values("pk")), Count("pk")),
        ],
        latest=[_agg(bookings, Max("updated_at"))],
    )


def member_fingerprint(*, member_id: int, now: datetime) -> Fingerprint:
    """The member's bookings and sign-ups in the window, their changes, and the moves and
    cancellations of the dates signed up for."""
    start, end = feed_window(now)
    bookings = member_bookings(member_id, start, end)
    signups = member_signups(member_id, start, end)
    persisted = Occurrence.objects.filter(
        event_id__in=signups.values("slot__activity__event_id")
    ).filter(Q(start__lt=end, end__gt=start) | Q(original_start__lt=end, original_end__gt=start))
    return _fingerprint(
        scope=f"member:{member_id}",
        now=now,
        parts=[
            *_rows(bookings),
            _agg(AuditEntry.objects.filter(booking__in=bookings.values("pk")), Count("pk")),
            *_rows(signups),
            _agg(AuditEntry.objects.filter(signup__in=signups.values("pk")), Count("pk")),
            _agg(signups, Count("pk", filter=Q(slot__cancelled=True))),
            _agg(signups, Sum(F("slot__start") - F("slot__original_start"))),
            *_rows(persisted),
        ],
        latest=[
            _agg(bookings, Max("updated_at")),
            _agg(bookings, Max("resource__updated_at")),
            _agg(bookings, Max("unit__updated_at")),
            _agg(signups, Max("updated_at")),
            _agg(signups, Max("slot__activity__event__updated_on")),
            _agg(signups, Max("slot__activity__updated_at")),
            _agg(signups, Max("role__updated_at")),
            _agg(persisted, Max("updated_on")),
        ],
    )
