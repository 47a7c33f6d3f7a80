"""The period a statistics page shows, and its filters, from the address (``?period=…``).

Periods are whole local days: this month (the default), last month, this quarter, this year,
or from–to (both days included). A period runs from local midnight of its first day to local
midnight after its last, so a month in which the clocks change is 743 or 745 hours long.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from scheduling.models import ResourceGroup, ResourceKind
from scheduling.recurrence import local_zone
from scheduling.selectors.stats import ResourceFilter

MAX_DAYS = 3660  # the API's limit: ten years
FIRST_YEAR, LAST_YEAR = 2000, 2100

PERIODS = [
    ("month", _("This month")),
    ("last_month", _("Last month")),
    ("quarter", _("This quarter")),
    ("year", _("This year")),
    ("custom", _("From – to")),
]


def local_midnight(day: date) -> datetime:
    """Midnight exists on every day in Berlin (the clocks change at night, not at midnight)."""
    return datetime.combine(day, time(0), local_zone())


def month_start(year: int, month: int, shift: int = 0) -> date:
    index = year * 12 + month - 1 + shift
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # included

    @property
    def start(self) -> datetime:
        return local_midnight(self.first)

    @property
    def end(self) -> datetime:
        return local_midnight(self.last + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        first = date(year, month, 1)
        return cls(first, month_start(year, month, 1) - timedelta(days=1))

    def previous_month(self) -> "Period":
        first = month_start(self.first.year, self.first.month, -1)
        return Period.month(first.year, first.month)


def named_period(name: str, today: date) -> Period:
    if name == "last_month":
        first = month_start(today.year, today.month, -1)
        return Period.month(first.year, first.month)
    if name == "quarter":
        first_month = (today.month - 1) // 3 * 3 + 1
        first = date(today.year, first_month, 1)
        return Period(first, month_start(today.year, first_month, 3) - timedelta(days=1))
    if name == "year":
        return Period(date(today.year, 1, 1), date(today.year, 12, 31))
    return Period.month(today.year, today.month)


@dataclass(frozen=True)
class Query:
    """What a statistics page shows: the period, the filters of utilisation, and ``now`` (for a
    loan still out)."""

    period: Period
    now: datetime
    area: str = ""  # a resource group's slug
    kind: str = ""  # a resource kind

    @property
    def where(self) -> ResourceFilter:
        return ResourceFilter(kind=self.kind or None, group=self.area or None)

    def params(self) -> str:
        """The address's query for the same period and filters (for the download links)."""
        values = {
            "period": "custom",
            "start": self.period.first.isoformat(),
            "end": self.period.last.isoformat(),
        }
        if self.area:
            values["area"] = self.area
        if self.kind:
            values["kind"] = self.kind
        return urlencode(values)


DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIODS, required=False)
    start = forms.DateField(
        label=_("From"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("To (included)"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    area = forms.ChoiceField(label=_("Area"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of resource"),
        required=False,
        choices=[("", _("All kinds")), *ResourceKind.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = ResourceGroup.objects.order_by("name").values_list("slug", "name")
        area = self.fields["area"]
        assert isinstance(area, forms.ChoiceField)  # noqa: S101  (declared just above)
        area.choices = [("", _("All areas")), *groups]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if data.get("period") == "custom" or (not data.get("period") and (start or end)):
            data["period"] = "custom"
            if start is None and "start" not in self.errors:
                self.add_error("start", _("Please give the first day."))
            if end is None and "end" not in self.errors:
                self.add_error("end", _("Please give the last day."))
            if start and end:
                if end < start:
                    self.add_error("end", _("The last day must not lie before the first."))
                elif (end - start).days + 1 > MAX_DAYS:
                    self.add_error("end", _("A period can span at most ten years."))
                elif not (start.year >= FIRST_YEAR and end.year <= LAST_YEAR):
                    self.add_error("start", _("Please choose days between 2000 and 2100."))
        return data

    def query(self, *, today: date, now: datetime) -> Query:
        """The query of a valid form."""
        data = self.cleaned_data
        name = data.get("period") or "month"
        if name == "custom":
            period = Period(data["start"], data["end"])
        else:
            period = named_period(name, today)
        return Query(period=period, now=now, area=data.get("area", ""), kind=data.get("kind", ""))


def period_form(params: Any) -> PeriodForm:
    """Bound to the address's query; without one, this month."""
    data = {key: params.get(key) for key in ("period", "start", "end", "area", "kind")}
    if not any(data.values()):
        data["period"] = "month"
    return PeriodForm({k: v for k, v in data.items() if v is not None})
