"""The monthly report's written summary, from key figures given by hand, in English and German
(plural forms, more/fewer/about as many, and a first month without a month before), and the
charts drawn as SVG."""

from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext

from core.charts import Bar, bar_chart, heat_colour, heat_map, nice_ticks
from core.dashboard.period import Period
from core.dashboard.report import MonthFigures, summary

OCTOBER, SEPTEMBER = Period.month(2026, 10), Period.month(2026, 9)
NOTHING = MonthFigures(
    loans=0,
    members=0,
    new_members=0,
    garden_hours=Decimal(0),
    dates=0,
    fill_rate=None,
    refusals=0,
    utilisation=None,
)


def month(**figures: object) -> MonthFigures:
    return MonthFigures(**{**NOTHING.__dict__, **figures})


def written(current: MonthFigures, previous: MonthFigures, language: str = "en") -> str:
    with translation.override(language):
        return " ".join(summary(current, previous, month=OCTOBER, before=SEPTEMBER))


def test_more_loans_than_the_month_before_are_a_rounded_percentage() -> None:
    # (212 - 186) ÷ 186 = 13.98 % → 14 %
    text = written(month(loans=212), month(loans=186))

    assert "In October, 212 tools were lent. That is 14% more than in September." in text


def test_fewer_loans_than_the_month_before_say_fewer() -> None:
    # (90 - 100) ÷ 100 = -10 %
    assert "That is 10% fewer than in September." in written(month(loans=90), month(loans=100))


def test_one_loan_is_singular() -> None:
    assert "In October, 1 tool was lent." in written(month(loans=1), month(loans=1))


def test_a_first_month_has_no_comparison() -> None:
    text = written(month(loans=5, members=3, new_members=3), NOTHING)

    assert "In October, 5 tools were lent. 3 members used" in text
    assert "than in" not in text
    assert "as many as" not in text


def test_a_change_under_half_a_percent_is_about_as_many() -> None:
    # (1001 - 1000) ÷ 1000 = 0.1 % → 0 %
    text = written(month(members=1001, new_members=1), month(members=1000))

    assert (
        "1,001 members used the Werkhaus or the garden, 1 of them for the first time. "
        "That is about as many as in September."
    ) in text


def test_utilisation_changes_in_percentage_points_singular_and_plural() -> None:
    one = written(month(utilisation=0.42), month(utilisation=0.41))
    twelve = written(month(utilisation=0.30), month(utilisation=0.42))

    assert (
        "Resources were booked for 42% of their open hours. "
        "That is 1 percentage point more than in September." in one
    )
    assert "That is 12 percentage points less than in September." in twelve


def test_garden_hours_are_less_not_fewer_and_one_hour_is_singular() -> None:
    text = written(month(garden_hours=Decimal(1)), month(garden_hours=Decimal(4)))

    assert (
        "Volunteers and honorary workers gave 1 hour in the garden. "
        "That is 75% less than in September." in text
    )


def test_no_refusals_in_either_month_are_not_mentioned() -> None:
    assert "could not be served" not in written(month(loans=3), month(loans=2))


def _german(msgid: str) -> bool:
    with translation.override("de"):
        return gettext(msgid) != msgid


needs_german = pytest.mark.skipif(
    not _german("That is %(change)s more than in %(month)s."),
    reason="the German of the report's sentences comes with the next translation run",
)


@needs_german
def test_the_summary_in_german() -> None:
    text = written(month(loans=1212), month(loans=1000), "de")

    # (1212 - 1000) ÷ 1000 = 21.2 % → 21 %; German thousands with a dot, percent with a space
    assert (
        "Im Oktober wurden 1.212 Werkzeuge verliehen. Das sind 21\u00a0% mehr als im September."
        in text
    )


@needs_german
def test_the_summary_in_german_singular_and_fewer() -> None:
    text = written(month(loans=1, members=2, new_members=1), month(loans=2, members=4), "de")

    assert (
        "Im Oktober wurde 1 Werkzeug verliehen. Das sind 50\u00a0% weniger als im September."
        in text
    )


def test_german_numbers_are_formatted_for_the_locale_whatever_the_catalogue() -> None:
    text = written(month(loans=1212), month(loans=1000), "de")

    assert "1.212" in text


# --- charts ------------------------------------------------------------------------------------


def test_the_axis_steps_are_round() -> None:
    assert nice_ticks(1.0) == [0.0, 0.5, 1.0]  # 1, 2 or 5 times a power of ten
    assert nice_ticks(37) == [0, 10, 20, 30, 40]


def test_a_bar_chart_is_a_named_image_with_its_text_escaped() -> None:
    svg = bar_chart(
        key="t",
        title="Tools <most>",
        description="Loans",
        bars=[Bar("Säge & Co", 3, "3"), Bar("Spaten", 1, "1")],
    )

    assert svg.startswith(
        '<svg class="chart" id="chart-t" role="img" aria-labelledby="chart-t-title chart-t-desc"'
    )
    assert '<title id="chart-t-title">Tools &lt;most&gt;</title>' in svg
    assert "Säge &amp; Co" in svg
    assert svg.count('class="bar"') == 2


def test_a_heat_map_has_a_cell_for_every_row_and_column() -> None:
    svg = heat_map(
        key="h",
        title="Heat",
        description="Share",
        rows=["Mo", "Tu"],
        columns=["16", "17", "18"],
        values=[[0.0, 0.5, None], [1.0, 2.0, 0.25]],
        texts=[["0%", "50%", "–"], ["100%", "200%", "25%"]],
    )

    assert svg.count('class="cell"') == 6
    assert heat_colour(None) == "#ffffff"
    assert heat_colour(2.0) == heat_colour(1.0) == "#1f4f2b"
