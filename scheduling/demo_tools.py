"""Helpers for the demo data of the apps above: recurring activities on django-scheduler."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from schedule.models import Calendar, Event, Rule

from accounts.models import User
from scheduling.models import Activity, ActivityRole

BERLIN = ZoneInfo("Europe/Berlin")


def calendar(slug: str, name: str) -> Calendar:
    found, _created = Calendar.objects.get_or_create(slug=slug, defaults={"name": name})
    return found


def recurring_activity(
    *,
    calendar: Calendar,
    title: str,
    description: str,
    first_day: date,
    starts: time,
    hours: float,
    frequency: str,
    params: str,
    places: dict[str, int],
    until: date | None = None,
    min_staffing: dict[str, int] | None = None,
    **settings: Any,
) -> Activity:
    rule, _created = Rule.objects.get_or_create(
        name=f"{frequency} {params}".strip(),
        defaults={"description": "", "frequency": frequency, "params": params},
    )
    start = datetime.combine(first_day, starts, BERLIN)
    event = Event.objects.create(
        calendar=calendar,
        title=title,
        description=description,
        start=start,
        end=start + timedelta(hours=hours),
        rule=rule,
        end_recurring_period=datetime.combine(until, time(23, 59), BERLIN) if until else None,
    )
    activity = Activity.objects.create(event=event, **settings)
    for name, count in places.items():
        ActivityRole.objects.create(
            activity=activity,
            name=name,
            places=count,
            min_staffing=(min_staffing or {}).get(name, 0),
        )
    return activity


def fill_activities(
    activities: list[Activity],
    members: list[User],
    coordinator: User,
    now: datetime,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
) -> int:
    """Sign members up for the dates in [start, end) (default: the last four and the next five
    weeks) as it would have happened: each sign-up at its own past ``now``, and attendance
    marked for the dates that are over."""
    from scheduling.selectors.occurrences import occurrences_in_window
    from scheduling.services.signups import (
        SignupRequest,
        signup_create,
        signup_mark_attendance,
    )

    count = 0
    for activity in activities:
        window = occurrences_in_window(
            start=start or now - timedelta(days=28),
            end=end or now + timedelta(days=35),
            activity_ids=[activity.pk],
        )
        closes = timedelta(minutes=activity.signup_cutoff_minutes)
        for index, occurrence in enumerate(window):
            at = min(occurrence.start - timedelta(days=2), now)
            if at >= occurrence.start - closes:
                continue  # sign-up for this date has closed already
            for member in members[: 1 + index % 3]:
                signup = signup_create(
                    request=SignupRequest(activity=activity, start=occurrence.start, member=member),
                    actor=member if member.has_login else coordinator,
                    now=at,
                )
                count += 1
                if occurrence.end < now:
                    signup_mark_attendance(
                        signup=signup,
                        actor=coordinator,
                        now=occurrence.end,
                        attended=index % 4 != 0,
                    )
    return count
