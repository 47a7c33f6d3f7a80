"""Residents in a real browser: book a tool and see it in "my bookings", find a taken slot, the
programme, settings and garden pages, and the language switch on a resident's page."""

import pytest
from playwright.sync_api import expect

from accounts.models import User
from scheduling.models import Resource
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, MemberFactory, activity_create, resource_create
from werkhaus.models import ToolCategory, ToolType

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("on_a_monday")]


@pytest.fixture
def drill(transactional_db: None) -> Resource:
    resource = resource_create(
        name="Akkuschrauber", kind="tool", slot_minutes=1440, min_minutes=1440, max_minutes=4320
    )
    ToolType.objects.create(resource=resource, category=ToolCategory.POWER_TOOLS)
    return resource


@pytest.fixture
def residents(transactional_db: None) -> tuple[User, User]:
    return (
        MemberFactory(username="rana", display_name="Rana Haddad"),
        MemberFactory(username="oleh", display_name="Oleh Kovalenko"),
    )


def test_a_resident_books_a_tool_and_a_second_finds_the_slot_taken(
    page, check_page, drill, residents
) -> None:
    log_in(page, "rana", PASSWORD)
    page.goto("/werkzeuge/")
    expect(page.get_by_role("heading", level=2, name="Akkuschrauber")).to_be_visible()
    check_page(page, "tools")

    page.get_by_role("link", name="Akkuschrauber", exact=True).click()
    check_page(page, "resource-week")
    page.locator(".day").nth(2).locator("a.slot.free").click()  # Wednesday
    expect(page.locator("#confirm-heading")).to_be_visible()
    check_page(page, "resource-confirm")
    page.locator(".confirm button[value=book]").click()

    expect(page.locator(".messages")).to_be_visible()
    check_page(page, "booking")
    page.locator('header nav a[href="/meine/buchungen/"]').click()
    expect(page.locator("main")).to_contain_text("Akkuschrauber")
    check_page(page, "my-bookings")

    page.locator("header").get_by_role("button").last.click()  # log out
    log_in(page, "oleh", PASSWORD)
    page.goto(f"/ressourcen/{drill.pk}/")
    page.locator(".day").nth(2).locator("a.slot").click()
    expect(page.locator(".confirm button[value=wait]")).to_be_visible()
    check_page(page, "resource-taken")


def test_the_programme_and_a_sign_up(page, check_page, residents) -> None:
    activity_create(title="Repair-Café", first_start="2026-05-16T14:00", places=8)
    log_in(page, "rana", PASSWORD)

    page.goto("/programm/")
    check_page(page, "programme")
    page.locator(".card .actions a").first.click()
    page.locator("main button[value=signup]").click()

    expect(page.locator("main button[value=cancel]")).to_be_visible()
    check_page(page, "programme-date")
    page.goto("/meine/termine/")
    expect(page.locator("main")).to_contain_text("Repair-Café")
    check_page(page, "my-dates")


def test_settings_and_garden_pages_pass_the_checks(page, check_page, residents) -> None:
    log_in(page, "rana", PASSWORD)

    page.goto("/meine/einstellungen/")
    page.locator("main button[value=feed_new]").click()
    expect(page.locator("#feed-url")).to_be_visible()
    assert "/ical/u/" in page.locator("#feed-url").input_value()
    check_page(page, "settings")

    page.goto("/garten/")
    check_page(page, "garden")
    page.goto("/")
    check_page(page, "start-resident")


@pytest.mark.parametrize("locale", ["de-DE"])
def test_the_language_switch_turns_a_residents_page_english(page, check_page, drill) -> None:
    page.goto("/werkzeuge/")
    expect(page.locator("html")).to_have_attribute("lang", "de")

    page.locator("#language-select").select_option("en")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{page.url.split('/werkzeuge/')[0]}/werkzeuge/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Borrow tools")
    check_page(page, "tools-en")


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}])
def test_the_resource_week_fits_a_phone(page, check_page, residents) -> None:
    bench = resource_create(name="Hobelbank", slot_minutes=30, min_minutes=60, max_minutes=240)
    log_in(page, "rana", PASSWORD)

    page.goto(f"/ressourcen/{bench.pk}/?woche=2026-05-11")
    first_free = page.locator("a.slot.free").first
    box = first_free.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    check_page(page, "resource-week-phone")
