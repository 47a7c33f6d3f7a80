"""Demo garden: 24 plots on a map, last season allocated and the coming one open for
applications (renewals, a priority, an offer, a waiting list); a season of volunteer and
honorary shifts for each, the last one worked and its hours logged (most approved, some still
to approve), the coming one with sign-ups (some dates understaffed). Everything goes through
the services, each step at its own past ``now``, as it would have happened."""

import random
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from accounts.demo import WALK_IN_NAME
from accounts.models import User
from accounts.services import Roles, member_create
from garden import demo_data as data
from garden.models import (
    ApplicationStatus,
    HoursEntry,
    HoursSource,
    HoursStatus,
    Plot,
    PlotApplication,
    Season,
)
from garden.services.hours import hours_collect, hours_decide, hours_log, rate_set
from garden.services.plots import (
    application_prioritise,
    plot_allocate,
    plot_offer,
    plot_offer_decline,
    plot_renew,
    season_apply,
)
from scheduling import demo_tools
from scheduling.demo_tools import BERLIN
from scheduling.models import (
    Activity,
    ActivityRole,
    Eligibility,
    HoursPolicy,
    Resource,
    ResourceGroup,
    ResourceKind,
    SignUp,
    Unit,
)
from scheduling.selectors.occurrences import OccurrenceView, occurrences_in_window
from scheduling.services.signups import SignupRequest, signup_create, signup_mark_attendance

CALENDAR_SLUG = "garten-schichten"
GROUP_SLUG = "garten"
DEMO_ACCOUNTS = ("resident", "resident2", "volunteer", "honorary")


def _shift_season(year: int) -> tuple[date, date]:
    return date(year, 5, 1), date(year, 9, 30)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), BERLIN)


# --- people -------------------------------------------------------------------------------


def _people(coordinator: User) -> dict[str, User]:
    """The demo accounts by username, the walk-in and the gardeners by name (created once)."""
    people = {u.username or "": u for u in User.objects.filter(username__in=DEMO_ACCOUNTS)}
    names = [g.name for g in data.GARDENERS] + [WALK_IN_NAME]
    people |= {
        u.display_name: u for u in User.objects.filter(username=None, display_name__in=names)
    }
    for gardener in data.GARDENERS:
        if gardener.name not in people:
            people[gardener.name] = member_create(
                display_name=gardener.name,
                email=gardener.email,
                phone=gardener.phone,
                preferred_language=gardener.language,
                roles=Roles(volunteer=gardener.volunteer),
                managed_by=coordinator,
            )
    return people


def _actor(member: User, coordinator: User) -> User:
    """Members with a login act themselves; for the others the coordination does."""
    return member if member.has_login else coordinator


# --- plots and seasons --------------------------------------------------------------------


def _plots() -> dict[int, Plot]:
    group = ResourceGroup.objects.create(name="Garten", slug=GROUP_SLUG)
    plots: dict[int, Plot] = {}
    for spec in data.PLOTS:
        # Plots are given by the garden's services for a whole season, never booked directly.
        resource = Resource.objects.create(
            kind=ResourceKind.PLOT,
            name=f"Beet {spec.number}",
            description=spec.note,
            location="Gemeinschaftsgarten",
            group=group,
            hours_policy=HoursPolicy.NONE,
            slot_minutes=24 * 60,
            min_minutes=24 * 60,
            max_minutes=366 * 24 * 60,
            horizon_days=365,
            members_may_book=False,
        )
        labels = (
            [f"Beet {spec.number}"]
            if spec.households == 1
            else [f"Beet {spec.number}{chr(ord('a') + n)}" for n in range(spec.households)]
        )
        Unit.objects.bulk_create(Unit(resource=resource, label=label) for label in labels)
        plots[spec.number] = Plot.objects.create(
            resource=resource,
            number=spec.number,
            size_m2=Decimal(spec.size_m2),
            sun=spec.sun,
            water_access=spec.water,
            raised_bed=spec.raised,
            x=spec.x,
            y=spec.y,
            width=spec.width,
            height=1,
        )
    return plots


def _season(year: int, **fields: object) -> Season:
    return Season.objects.create(
        name=f"Gartensaison {year}",
        starts_on=date(year, 4, 1),
        ends_on=date(year, 10, 31),
        offer_days=7,
        **fields,
    )


def _apply(
    season: Season, member: User, coordinator: User, at: datetime, wishes: str = ""
) -> PlotApplication:
    return season_apply(
        season=season, member=member, actor=_actor(member, coordinator), now=at, wishes=wishes
    )


def _last_season(
    year: int, plots: dict[int, Plot], people: dict[str, User], coordinator: User
) -> int:
    """Applied in winter, allocated in March; one offer of the shady plot was declined."""
    season = _season(year, applications_open=True)
    applications: list[tuple[PlotApplication, int]] = []
    first = _at(date(year, 1, 8), 10)
    for index, (number, holders) in enumerate(
        (n, h) for n, names in data.LAST_HOLDERS.items() for h in names
    ):
        at = first + timedelta(days=2 * index, hours=index % 5, minutes=7 * index)
        applications.append((_apply(season, people[holders], coordinator, at), number))
    name, shady = data.LAST_DECLINED
    declined = _apply(season, people[name], coordinator, _at(date(year, 2, 25), 19, 30))
    allocate_at = _at(date(year, 3, 10), 9)
    for index, (application, number) in enumerate(applications):
        plot_allocate(
            application=application,
            plot=plots[number],
            actor=coordinator,
            now=allocate_at + timedelta(minutes=3 * index),
        )
    plot_offer(
        application=declined, plot=plots[shady], actor=coordinator, now=_at(date(year, 3, 12), 10)
    )
    plot_offer_decline(
        application=declined,
        actor=_actor(declined.member, coordinator),
        now=_at(date(year, 3, 14), 18),
    )
    season.applications_open = False
    season.save(update_fields=["applications_open"])
    return len(applications)


def _coming_season(
    year: int, plots: dict[int, Plot], people: dict[str, User], coordinator: User, now: datetime
) -> dict[str, int]:
    """Applications opened a month ago; renewal runs until the end of January (or three weeks
    from now, when that is later); the new plots are being given out."""
    deadline = max(_at(date(year, 1, 31), 23, 59), now + timedelta(days=21))
    season = _season(year, applications_open=True, renewal_until=deadline)
    opened = now - timedelta(days=30)
    plot_of = {name: n for n, names in data.LAST_HOLDERS.items() for name in names}
    renewed = 0
    for index, name in enumerate(data.RENEWED_AFTER_APPLYING):
        member = people[name]
        at = opened + timedelta(days=1 + index, hours=3 * index)
        _apply(season, member, coordinator, at, wishes=f"Ich möchte Beet {plot_of[name]} behalten.")
        plot_renew(
            plot=plots[plot_of[name]],
            season=season,
            member=member,
            actor=_actor(member, coordinator),
            now=at + timedelta(days=1),
        )
        renewed += 1
    for index, name in enumerate(data.RENEWED):
        member = people[name]
        plot_renew(
            plot=plots[plot_of[name]],
            season=season,
            member=member,
            actor=_actor(member, coordinator),
            now=opened + timedelta(days=2 + index, hours=index % 4),
        )
        renewed += 1
    applications: dict[str, PlotApplication] = {}
    for name, wishes, days in data.NEW_APPLICANTS:
        at = opened + timedelta(days=days, hours=days % 6 + 1)
        applications[name] = _apply(season, people[name], coordinator, at, wishes)
    name, number = data.ALLOCATED_NEW
    plot_allocate(
        application=applications[name],
        plot=plots[number],
        actor=coordinator,
        now=opened + timedelta(days=12),
    )
    name, number = data.OFFERED_NEW
    plot_offer(
        application=applications[name],
        plot=plots[number],
        actor=coordinator,
        now=now - timedelta(days=2),
    )
    name, priority, reason = data.PRIORITY
    application_prioritise(
        application=applications[name],
        priority=priority,
        reason=reason,
        actor=coordinator,
        now=opened + timedelta(days=21),
    )
    return {
        "renewed": renewed,
        "applications": PlotApplication.objects.filter(season=season).count(),
        "waiting": PlotApplication.objects.filter(
            season=season, status=ApplicationStatus.WAITING
        ).count(),
    }


def _garden(
    last: int, coming: int, people: dict[str, User], coordinator: User, now: datetime
) -> list[str]:
    plots = _plots()
    held = _last_season(last, plots, people, coordinator)
    counts = _coming_season(coming, plots, people, coordinator, now)
    households = sum(spec.households for spec in data.PLOTS)
    return [
        f"{len(plots)} plots for {households} households",
        f"plot season {last}: {held} allocated",
        f"plot season {coming}: {counts['applications']} applications, "
        f"{counts['renewed']} renewed, 1 offer open, {counts['waiting']} waiting",
    ]


# --- shifts and hours ---------------------------------------------------------------------


def _shifts(year: int) -> list[Activity]:
    cal = demo_tools.calendar(CALENDAR_SLUG, "Gartenschichten")
    first, last = _shift_season(year)
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
            places={"": 2},
            min_staffing={"": 1},
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
            places={"": 1},
            min_staffing={"": 1},
            eligibility=Eligibility.HONORARY,
            paid=True,
        ),
    ]


def _occurrences(activities: list[Activity], first: date, last: date) -> list[OccurrenceView]:
    return occurrences_in_window(
        start=_at(first, 0),
        end=_at(last + timedelta(days=1), 0),
        activity_ids=[a.pk for a in activities],
    )


def _roles(activity: Activity) -> dict[str, ActivityRole]:
    return {role.name: role for role in activity.roles.all()}


class _Crew:
    """Signs people up as they would have: some days ahead, at most at ``now``."""

    def __init__(self, people: dict[str, User], coordinator: User, now: datetime) -> None:
        self.people, self.coordinator, self.now = people, coordinator, now
        self.count = 0

    def sign(
        self,
        occurrence: OccurrenceView,
        names: Iterable[str],
        role: ActivityRole | None,
        days_ahead: int,
    ) -> list[SignUp]:
        at = min(occurrence.start - timedelta(days=days_ahead), self.now - timedelta(hours=1))
        closes = timedelta(minutes=occurrence.activity.signup_cutoff_minutes)
        if at >= occurrence.start - closes:
            return []
        signups = []
        for index, name in enumerate(names):
            member = self.people[name]
            signups.append(
                signup_create(
                    request=SignupRequest(
                        activity=occurrence.activity,
                        start=occurrence.start,
                        member=member,
                        role=role,
                    ),
                    actor=_actor(member, self.coordinator),
                    now=at + timedelta(minutes=13 * index),
                )
            )
        self.count += len(signups)
        return signups


def _who(occurrence: OccurrenceView, rng: random.Random) -> dict[str, list[str]]:
    """The people of one date of last season, by role: the watering rota with gaps in the
    summer holidays, a changing crew on garden days, the honorary worker on Wednesdays."""
    day = occurrence.start.astimezone(BERLIN).date()
    holidays = date(day.year, 7, 13) <= day <= date(day.year, 8, 21)
    title = occurrence.activity.event.title
    if title == "Gießen":
        names = []
        if rng.random() > (0.3 if holidays else 0.08):
            names.append(data.WATERING_ROTA[day.weekday()])
        if rng.random() < (0.45 if not names else 0.15):
            names.append(data.STAND_IN)
        return {"": names}
    if title == "Gartentag":
        crew = rng.sample(data.GARDEN_DAY_CREW, rng.choice([2, 3, 3, 4, 4, 5]))
        return {"Kompost": crew[:1], "Beetpflege": crew[1:]}
    on_leave = date(day.year, 8, 10) <= day <= date(day.year, 8, 23)
    return {"": [] if on_leave else ["honorary"]}


def _last_shifts(year: int, people: dict[str, User], coordinator: User, now: datetime) -> int:
    """Sign-ups and attendance of the last shift season, its hours collected monthly."""
    rng = random.Random(year)  # noqa: S311 - demo data, not security
    activities = _shifts(year)
    first, last = _shift_season(year)
    crew = _Crew(people, coordinator, now)
    by_month: dict[int, list[OccurrenceView]] = {}
    for occurrence in _occurrences(activities, first, last):
        by_month.setdefault(occurrence.start.astimezone(BERLIN).month, []).append(occurrence)
    for month, occurrences in sorted(by_month.items()):
        for occurrence in occurrences:
            roles = _roles(occurrence.activity)
            for role_name, names in _who(occurrence, rng).items():
                signups = crew.sign(occurrence, names, roles[role_name], rng.randint(2, 20))
                if occurrence.end >= now:
                    continue
                for signup in signups:
                    signup_mark_attendance(
                        signup=signup,
                        actor=coordinator,
                        now=min(occurrence.end + timedelta(minutes=10), now),
                        attended=rng.random() > 0.06,
                    )
        # The collection runs in the night after the month's end.
        next_month = (date(year, month, 28) + timedelta(days=4)).replace(day=1)
        hours_collect(now=min(_at(next_month, 3), now))
    return crew.count


def _other_work(year: int, people: dict[str, User], coordinator: User, now: datetime) -> None:
    for name, month, day, minutes, activity, note, decision in data.OTHER_WORK:
        logged_at = _at(date(year, month, day), 20)
        if logged_at >= now:
            continue
        member = people[name]
        entry = hours_log(
            member=member,
            day=date(year, month, day),
            minutes=minutes,
            activity=activity,
            note=note,
            actor=_actor(member, coordinator),
            now=logged_at,
        )
        decided_at = logged_at + timedelta(days=6)
        if decision and decided_at < now:
            hours_decide(
                entry=entry, actor=coordinator, now=decided_at, approve=decision == "approve"
            )


def _approve(year: int, coordinator: User, now: datetime) -> tuple[int, int]:
    """Shift hours are approved early in the month after; the last two weeks of the season
    still wait. One garden day went on longer and is approved with the longer time."""
    first, last = _shift_season(year)
    waiting_from = min(last, now.astimezone(BERLIN).date()) - timedelta(days=14)
    entries = HoursEntry.objects.filter(
        source=HoursSource.SHIFT,
        status=HoursStatus.PENDING,
        day__gte=first,
        day__lte=last,
    ).order_by("day", "pk")
    approved = 0
    longer = True
    for entry in entries:
        month_after = date(entry.day.year, entry.day.month, 28) + timedelta(days=8)
        decided_at = _at(month_after.replace(day=5), 10) + timedelta(minutes=entry.pk % 90)
        if entry.day >= waiting_from or decided_at >= now:
            continue
        minutes = None
        if longer and entry.activity.startswith("Gartentag") and entry.day.month == 6:
            minutes, longer = entry.minutes + 30, False
        hours_decide(entry=entry, actor=coordinator, now=decided_at, approve=True, minutes=minutes)
        approved += 1
    pending = HoursEntry.objects.filter(
        status=HoursStatus.PENDING, day__gte=first, day__lte=last
    ).count()
    return approved, pending


def _rates(last: int, coming: int, honorary: User, coordinator: User, now: datetime) -> int:
    """15 € from the start of last season, 16.50 € from mid-July (so July shows both rates),
    17 € for the coming season."""
    changes = [
        (date(last, 5, 1), "15.00", _at(date(last, 4, 20), 10)),
        (date(last, 7, 15), "16.50", _at(date(last, 7, 6), 10)),
        (date(coming, 5, 1), "17.00", now - timedelta(days=3)),
    ]
    count = 0
    for valid_from, euros, at in changes:
        if at < now:
            rate_set(
                member=honorary,
                valid_from=valid_from,
                euros=Decimal(euros),
                actor=coordinator,
                now=at,
            )
            count += 1
    return count


def _coming_shifts(year: int, people: dict[str, User], coordinator: User, now: datetime) -> int:
    """Sign-ups for the first weeks: watering mostly covered, some garden days at their
    minimum, some below it, the honorary worker on the first six Wednesdays."""
    rng = random.Random(year)  # noqa: S311 - demo data, not security
    activities = _shifts(year)
    first, _last = _shift_season(year)
    crew = _Crew(people, coordinator, now)
    # (Kompost, Beetpflege) per garden day; the minimum is 1 and 2.
    garden_days = iter([(1, 3), (1, 2), (0, 2), (1, 2), (0, 1), (1, 1)])
    wednesdays = 0
    for occurrence in _occurrences(activities, first, first + timedelta(days=41)):
        day = occurrence.start.astimezone(BERLIN).date()
        roles = _roles(occurrence.activity)
        title = occurrence.activity.event.title
        ahead = rng.randint(2, 25) + (day - now.astimezone(BERLIN).date()).days
        if title == "Gießen" and day < first + timedelta(days=21) and rng.random() < 0.75:
            crew.sign(occurrence, [data.WATERING_ROTA[day.weekday()]], roles[""], ahead)
        elif title == "Gartentag":
            compost, beds = next(garden_days, (0, 0))
            people_of_day = rng.sample(data.GARDEN_DAY_CREW, compost + beds)
            crew.sign(occurrence, people_of_day[:compost], roles["Kompost"], ahead)
            crew.sign(occurrence, people_of_day[compost:], roles["Beetpflege"], ahead)
        elif title.startswith("Gartenbetreuung") and wednesdays < 6:
            crew.sign(occurrence, ["honorary"], roles[""], ahead)
            wednesdays += 1
    return crew.count


def _shift_seasons(
    last: int, coming: int, people: dict[str, User], coordinator: User, now: datetime
) -> list[str]:
    taken = _last_shifts(last, people, coordinator, now)
    _other_work(last, people, coordinator, now)
    approved, pending = _approve(last, coordinator, now)
    rates = _rates(last, coming, people["honorary"], coordinator, now)
    upcoming = _coming_shifts(coming, people, coordinator, now)
    return [
        f"shift season {last}: 3 shifts, {taken} sign-ups",
        f"hours {last}: {approved} approved, {pending} to approve; {rates} hourly rates",
        f"shift season {coming}: 3 shifts, {upcoming} sign-ups",
    ]


def seed(*, now: datetime) -> list[str]:
    """Each part once: the plots (marked by their resource group) and the shifts (by their
    calendar's events), so a database seeded before either part gets only the missing one."""
    has_plots = ResourceGroup.objects.filter(slug=GROUP_SLUG).exists()
    has_shifts = demo_tools.calendar(CALENDAR_SLUG, "Gartenschichten").event_set.exists()
    if has_plots and has_shifts:
        return []
    today = now.astimezone(BERLIN).date()
    coming = today.year if today < _shift_season(today.year)[0] else today.year + 1
    last = coming - 1
    coordinator = User.objects.get(username="coordinator")
    people = _people(coordinator)
    created: list[str] = []
    if not has_plots:
        created += _garden(last, coming, people, coordinator, now)
    if not has_shifts:
        created += _shift_seasons(last, coming, people, coordinator, now)
    return created
