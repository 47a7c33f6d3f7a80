"""Expanding django-scheduler events into dated occurrences, for a window only.

``Event.get_occurrences`` costs two queries per event and compares every occurrence with every
other (quadratic over long windows). Here the caller fetches the events with their rules and
the persisted occurrences of the window in two queries in all, and expansion is linear.

Expansion happens in Europe/Berlin wall-clock time, as django-scheduler does when given a
Berlin window: a rule "Tuesdays 16:00" stays 16:00 local across the change to and from
daylight saving time.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.conf import settings
from django.db.models import Q, QuerySet
from schedule.models import Event, Occurrence

from core.timeutil import as_utc


@dataclass(frozen=True)
class Dated:
    """One occurrence of an event: where it is now, and where the rule put it."""

    event_id: int
    start: datetime
    end: datetime
    original_start: datetime
    cancelled: bool = False
    persisted_id: int | None = None


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _localise(naive: datetime, zone: ZoneInfo) -> datetime:
    """Attach the zone the way django-scheduler's pytz ``localize`` (is_dst=False) does, so
    that our dates and its persisted Occurrences agree on ``original_start``: a wall-clock time
    in the spring gap moves forward, as clocks do; one in the repeated autumn hour is the
    second, standard-time one."""
    first = naive.replace(tzinfo=zone)
    later = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == later.utcoffset():
        return first
    moved = first.astimezone(ZoneInfo("UTC")).astimezone(zone)
    if moved.replace(tzinfo=None) != naive:
        return moved
    return later


def events_for_calendars(calendar_ids: Sequence[int]) -> QuerySet[Event]:
    events: QuerySet[Event] = Event.objects.filter(calendar_id__in=calendar_ids)
    return events.select_related("rule")


def persisted_in_window(
    event_ids: Sequence[int], start: datetime, end: datetime
) -> QuerySet[Occurrence]:
    """Persisted (moved or cancelled) occurrences that were or are in the window."""
    occurrences: QuerySet[Occurrence] = Occurrence.objects.filter(event_id__in=event_ids)
    return occurrences.filter(
        Q(start__lt=end, end__gt=start) | Q(original_start__lt=end, original_end__gt=start)
    )


# Periods after which a rule without COUNT repeats itself exactly, by frequency.
_PERIOD = {"DAILY": timedelta(days=1), "WEEKLY": timedelta(weeks=1)}


def _fast_forward(event: Event, zone: ZoneInfo, before: datetime) -> rrule.rrule:
    """The event's rule with DTSTART moved forward by whole periods to just before ``before``.

    dateutil iterates from DTSTART, so an event created years ago would make every window pay
    for all the years in between. For DAILY and WEEKLY rules without COUNT, shifting DTSTART
    by whole multiples of (interval × period) in wall-clock time yields the same occurrences.
    """
    rule: rrule.rrule = event.get_rrule_object(zone)
    params = event.rule.get_params()
    period = _PERIOD.get(event.rule.frequency)
    dtstart = event.start.astimezone(zone).replace(tzinfo=None)
    if period is None or "count" in params or before <= dtstart:
        return rule
    interval = params.get("interval", 1)
    step = period * (interval[0] if isinstance(interval, list) else int(interval))
    periods = (before - dtstart) // step - 1
    if periods <= 0:
        return rule
    return rule.replace(dtstart=dtstart + step * periods)


def _rule_starts(event: Event, start: datetime, end: datetime, zone: ZoneInfo) -> list[datetime]:
    duration = event.end - event.start
    if event.rule is None:
        return [as_utc(event.start)] if event.start < end and event.end > start else []
    # Naive local wall-clock times, as django-scheduler's rrule works in.
    local_from = (start - duration).astimezone(zone).replace(tzinfo=None)
    local_to = end.astimezone(zone).replace(tzinfo=None)
    rule = _fast_forward(event, zone, local_from)
    starts = []
    for naive in rule.between(local_from, local_to, inc=True):
        moment = as_utc(_localise(naive, zone))
        if moment < end and moment + duration > start:
            starts.append(moment)
    return starts


def expand(
    events: Iterable[Event],
    persisted: Iterable[Occurrence],
    start: datetime,
    end: datetime,
) -> list[Dated]:
    """All occurrences of ``events`` overlapping [start, end), sorted by start."""
    zone = local_zone()
    replaced: dict[tuple[int, datetime], Occurrence] = {
        (occ.event_id, occ.original_start): occ for occ in persisted
    }
    result: list[Dated] = []
    seen: set[tuple[int, datetime]] = set()
    for event in events:
        duration = event.end - event.start
        for moment in _rule_starts(event, start, end, zone):
            key = (event.pk, moment)
            seen.add(key)
            occ = replaced.get(key)
            if occ is None:
                result.append(Dated(event.pk, moment, moment + duration, moment))
            elif occ.start < end and occ.end > start:
                result.append(Dated(event.pk, occ.start, occ.end, moment, occ.cancelled, occ.pk))
    # Persisted occurrences moved into the window from outside it.
    for key, occ in replaced.items():
        if key not in seen and occ.start < end and occ.end > start:
            result.append(
                Dated(occ.event_id, occ.start, occ.end, occ.original_start, occ.cancelled, occ.pk)
            )
    result.sort(key=lambda d: (d.start, d.event_id))
    return result


def day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """Local midnight to midnight around ``moment`` (23 or 25 hours on DST days), in UTC."""
    zone = local_zone()
    local = moment.astimezone(zone)
    first = _localise(local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None), zone)
    next_day = (local.replace(tzinfo=None) + timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return as_utc(first), as_utc(_localise(next_day, zone))
