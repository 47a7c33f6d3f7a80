"""Factories build through the services, so that tests get what production gets."""

from typing import Any

import factory

from accounts.models import User
from accounts.services import Roles, member_create

PASSWORD = "correct horse battery"


class MemberFactory(factory.Factory):  # type: ignore[misc]
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"member{n}")
    display_name = factory.Faker("name", locale="de_DE")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org" if o.username else "")
    phone = ""
    preferred_language = "de"
    password = PASSWORD
    coordinator = False
    volunteer = False
    honorary_worker = False

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        roles = Roles(
            resident=not kwargs.get("coordinator", False),
            volunteer=kwargs.pop("volunteer"),
            honorary_worker=kwargs.pop("honorary_worker"),
            coordinator=kwargs.pop("coordinator"),
        )
        return member_create(roles=roles, **kwargs)


# --- scheduling -------------------------------------------------------------------------------


def resource_create(
    *,
    name: str = "Hobelbank",
    kind: str = "workbench",
    units: int = 1,
    hours: Any = None,
    group: Any = None,
    **rules: Any,
) -> Any:
    """A resource with ``units`` units; rules default to 'no opening hours apply'."""
    from scheduling.models import HoursPolicy, Resource, Unit

    rules.setdefault("hours_policy", HoursPolicy.NONE if hours is None else HoursPolicy.WITHIN)
    rules.setdefault("max_minutes", 24 * 60)
    rules.setdefault("horizon_days", 365)
    resource = Resource.objects.create(
        name=name, kind=kind, hours_calendar=hours, group=group, **rules
    )
    Unit.objects.bulk_create(
        Unit(resource=resource, label=f"{name[:3].upper()}-{n + 1:02d}") for n in range(units)
    )
    return resource


def opening_hours(
    *,
    slug: str = "werkhaus",
    weekdays: str = "TU,TH",
    start: str = "16:00",
    end: str = "20:00",
    first_day: str = "2026-01-06",
) -> Any:
    """A calendar open weekly on ``weekdays`` (RRULE BYDAY) from ``start`` to ``end`` local."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from schedule.models import Calendar, Event, Rule

    zone = ZoneInfo("Europe/Berlin")
    calendar, _created = Calendar.objects.get_or_create(slug=slug, defaults={"name": slug})
    rule = Rule.objects.create(
        name=f"weekly {weekdays}",
        description="",
        frequency="WEEKLY",
        params=f"byweekday:{weekdays}",
    )
    day = datetime.fromisoformat(first_day).date()
    Event.objects.create(
        calendar=calendar,
        title="Opening",
        start=datetime.combine(day, time.fromisoformat(start), zone),
        end=datetime.combine(day, time.fromisoformat(end), zone),
        rule=rule,
    )
    return calendar


def activity_create(
    *,
    title: str = "Repair-Café",
    kind: str = "workshop",
    frequency: str = "WEEKLY",
    params: str = "",
    first_start: str = "2026-05-02T14:00",
    hours: float = 3,
    places: int | dict[str, int] = 10,
    calendar_slug: str = "programm",
    end_recurring: str | None = None,
    **settings: Any,
) -> Any:
    """An activity on a recurring django-scheduler event; ``places`` per role if a dict."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from schedule.models import Calendar, Event, Rule

    from scheduling.models import Activity, ActivityRole

    zone = ZoneInfo("Europe/Berlin")
    calendar, _created = Calendar.objects.get_or_create(
        slug=calendar_slug, defaults={"name": calendar_slug}
    )
    rule = None
    if frequency:
        rule = Rule.objects.create(
            name=f"{frequency} {params}", description="", frequency=frequency, params=params
        )
    start = datetime.fromisoformat(first_start).replace(tzinfo=zone)
    event = Event.objects.create(
        calendar=calendar,
        title=title,
        start=start,
        end=start + timedelta(hours=hours),
        rule=rule,
        end_recurring_period=(
            datetime.fromisoformat(end_recurring).replace(tzinfo=zone) if end_recurring else None
        ),
    )
    activity = Activity.objects.create(event=event, kind=kind, **settings)
    roles = places if isinstance(places, dict) else {"": places}
    for name, count in roles.items():
        ActivityRole.objects.create(activity=activity, name=name, places=count)
    return activity
