"""Volunteers in a real browser: sign up for a garden shift and find it in "my dates", offer it for
a swap, log hours; every page visited passes the checks."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD, MemberFactory, activity_create

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("on_a_monday")]


def test_a_volunteer_signs_up_for_a_shift_offers_a_swap_and_logs_hours(
    page, check_page, transactional_db
) -> None:
    MemberFactory(username="vera", display_name="Vera Vogel", volunteer=True)
    activity_create(
        title="Gießdienst",
        kind="shift",
        calendar_slug="garten",
        first_start="2026-05-16T10:00",
        hours=2,
        places={"Gießen": 2, "Kompost": 1},
        eligibility="volunteers",
    )
    log_in(page, "vera", PASSWORD)

    # by address: the word comes with the next translation run
    page.get_by_role("navigation", name="Hauptnavigation").locator("a[href='/schichten/']").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, "shifts")
    page.locator(".card").first.locator("button[value=signup]").first.click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator(".card").first.locator("button[value=cancel]")).to_be_visible()

    page.get_by_role("link", name="Gießdienst").first.click()
    check_page(page, "shift")

    page.goto("/meine/termine/")
    expect(page.locator("main")).to_contain_text("Gießdienst")
    page.locator("main button[value=swap]").click()
    expect(page).to_have_url(f"{page.url.split('/meine/')[0]}/meine/termine/")
    expect(page.locator(".messages")).to_be_visible()
    check_page(page, "my-dates-shift")

    page.goto("/garten/stunden/")
    page.locator("[name=day]").fill("2026-05-09")
    page.locator("[name=hours]").fill("1,5")
    page.locator("[name=activity]").fill("Beete jäten")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main table")).to_contain_text("Beete jäten")
    expect(page.locator("main table")).to_contain_text("1:30")
    check_page(page, "hours")
