"""Demo garden: a season of volunteer and honorary shifts (the coming one, open for sign-up)
and the last one, with its shifts taken and attendance recorded."""

from datetime import date, datetime, time, timedelta

from accounts.models import User
from scheduling import demo_tools
from scheduling.demo_tools import BERLIN
from scheduling.models import Activity, Eligibility

CALENDAR_SLUG = "garten-schichten"


def _season(year: int) -> tuple[date, date]:
    return date(year, 5, 1), date(year, 9, 30)


def _shifts(year: int) -> list[Activity]:
    cal = demo_tools.calendar(CALENDAR_SLUG, "Gartenschichten")
    first, last = _season(year)
    common = {"calendar": cal, "first_day": first, "until": last, "kind": "shift"}
    return [
        demo_tools.recurring_activity(
            **common,
            title="Gießen",
            description="Abends die Beete und Hochbeete gießen.",
            starts=time(18),
            hours=1,
            frequency="DAILY",
            params="",
            places={"Gießen": 2},
            min_staffing={"Gießen": 1},
            eligibility=Eligibility.VOLUNTEERS,
        ),
        demo_tools.recurring_activity(
            **common,
            title="Gartentag",
            description="Kompost umsetzen, Beete pflegen, gemeinsam Pause machen.",
            starts=time(10),
            hours=3,
            frequency="WEEKLY",
            params="byweekday:SA",
            places={"Kompost": 2, "Beetpflege": 4},
            min_staffing={"Kompost": 1, "Beetpflege": 2},
            eligibility=Eligibility.VOLUNTEERS,
        ),
        demo_tools.recurring_activity(
            **common,
            title="Gartenbetreuung (Honorar)",
            description="Anleitung der Ehrenamtlichen, Werkzeug und Wasser.",
            starts=time(15),
            hours=4,
            frequency="WEEKLY",
            params="byweekday:WE",
            places={"Betreuung": 1},
            min_staffing={"Betreuung": 1},
            eligibility=Eligibility.HONORARY,
            paid=True,
        ),
    ]


def seed(*, now: datetime) -> list[str]:
    if demo_tools.calendar(CALENDAR_SLUG, "Gartenschichten").event_set.exists():
        return []
    today = now.astimezone(BERLIN).date()
    coming = today.year if today < _season(today.year)[0] else today.year + 1
    last = coming - 1
    coordinator = User.objects.get(username="coordinator")
    past = _shifts(last)
    first, end = _season(last)
    season = {
        "start": datetime.combine(first, time(0), BERLIN),
        "end": datetime.combine(end + timedelta(days=1), time(0), BERLIN),
    }
    by_title = {a.event.title: a for a in past}
    volunteers = list(User.objects.filter(username__in=["volunteer", "honorary"]))
    honorary = list(User.objects.filter(username="honorary"))
    taken = demo_tools.fill_activities(
        [by_title["Gartentag"]], volunteers, coordinator, now, **season
    ) + demo_tools.fill_activities(
        [by_title["Gartenbetreuung (Honorar)"]], honorary, coordinator, now, **season
    )
    upcoming = _shifts(coming)
    return [
        f"season {last}: {len(past)} shifts, {taken} taken",
        f"season {coming}: {len(upcoming)} shifts",
    ]
