"""The coordinators' dashboard and monthly report in a real browser, in German and English: no
console errors, no serious or critical axe-core violations, no sideways scrolling on a phone,
and the charts drawn (bars and heat-map cells with a size). Screenshots in var/screenshots."""

from datetime import datetime, timedelta

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import log_in
from tests.conftest import BERLIN
from tests.factories import PASSWORD, MemberFactory, activity_create
from tests.werkhaus.conftest import lend, tool_type_create
from werkhaus.services.loans import CheckIn, loan_check_in

pytestmark = pytest.mark.browser

OCTOBER = {"period": "custom", "start": "2026-10-01", "end": "2026-10-31"}


@pytest.fixture
def coordinator(transactional_db: None) -> User:
    return MemberFactory(username="kim", display_name="Kim Koordination", coordinator=True)


@pytest.fixture
def october(coordinator: User) -> None:
    """Loans of two tool types and a workshop series in October 2026 (and one in September)."""
    drill, spade = tool_type_create("Akkuschrauber"), tool_type_create("Spaten", category="garden")
    member = MemberFactory()
    for tool, month, day in ((drill, 9, 7), (drill, 10, 5), (spade, 10, 12), (drill, 10, 19)):
        start = datetime(2026, month, day, 10, tzinfo=BERLIN)
        loan = lend(tool, member, start=start, days=1, coordinator=coordinator)
        back = start + timedelta(days=1)
        loan_check_in(loan=loan, actor=coordinator, now=back, check=CheckIn())
    activity_create(title="Repair-Café", first_start="2026-10-03T14:00", places=8)


def assert_charts_drawn(page) -> None:
    charts = page.locator("svg.chart[role=img]")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 6
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart rect.bar, svg.chart rect.cell')]
            .map(r => r.getBoundingClientRect()).map(b => b.width * b.height)"""
    )
    assert sum(1 for size in sizes if size > 0) >= 10


def in_language(language: str, text: str) -> str:
    """The text as the page shows it in that language (new texts are German after the next
    translation run)."""
    with translation.override(language):
        return gettext(text)


@pytest.mark.parametrize("locale", ["de-DE", "en-GB"])
def test_the_dashboard_draws_its_charts(page, check_page, october, locale) -> None:
    log_in(page, "kim", PASSWORD)
    page.goto("/koordination/statistik/?" + "&".join(f"{k}={v}" for k, v in OCTOBER.items()))

    expect(page.locator("html")).to_have_attribute("lang", locale[:2])
    expect(page.get_by_role("heading", level=1)).to_have_text(in_language(locale[:2], "Statistics"))
    assert_charts_drawn(page)
    expect(page.locator("svg#chart-heatmap rect.cell")).not_to_have_count(0)
    check_page(page, f"stats-dashboard-{locale[:2]}")


@pytest.mark.parametrize(
    ("locale", "summary"),
    [("de-DE", "Oktober"), ("en-GB", "In October, 3 tools were lent. That is 200% more")],
)
def test_the_monthly_report_draws_its_charts(page, check_page, october, locale, summary) -> None:
    log_in(page, "kim", PASSWORD)
    page.goto("/koordination/bericht/2026/10/")

    expect(page.locator(".report .summary")).to_contain_text(summary)
    assert_charts_drawn(page)
    check_page(page, f"stats-report-{locale[:2]}")
