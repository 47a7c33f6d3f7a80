"""A coordinator in a real browser: from today's view to the counter, a tool checked out and in,
a room request approved, a member found to book for; every page passes the checks."""

from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MONDAY, log_in
from tests.conftest import BERLIN
from tests.factories import PASSWORD, MemberFactory, resource_create
from tests.scheduling.conftest import book
from werkhaus.models import ToolCategory, ToolType

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("on_a_monday")]

NOW = MONDAY
TODAY = datetime(2026, 5, 11, tzinfo=BERLIN)


@pytest.fixture
def day(transactional_db: None) -> None:
    """A reserved drill to hand out today and a room request waiting for approval."""
    MemberFactory(username="kim", display_name="Kim Koordination", coordinator=True)
    rana = MemberFactory(username="rana", display_name="Rana Haddad")
    drill = resource_create(
        name="Bohrhammer", kind="tool", slot_minutes=1440, min_minutes=1440, max_minutes=4320
    )
    ToolType.objects.create(resource=drill, category=ToolCategory.POWER_TOOLS)
    book(drill, rana, TODAY, TODAY + timedelta(days=2), now=NOW - timedelta(days=3))
    hall = resource_create(name="Saal", kind="room", requires_approval=True)
    book(hall, rana, NOW + timedelta(days=2), NOW + timedelta(days=2, hours=2), now=NOW)


def test_a_coordinator_checks_a_tool_out_and_in_and_approves_a_room(page, check_page, day) -> None:
    page.goto("/accounts/password_reset/")
    check_page(page, "password-reset")
    log_in(page, "kim", PASSWORD)

    page.locator('header nav a[href="/koordination/"]').click()
    expect(page.locator("#pick-ups + ul")).to_contain_text("Rana Haddad")
    check_page(page, "coordination-today")

    page.locator("#pick-ups + ul").get_by_role("link").first.click()
    expect(page.locator("main button[value=check_out]")).to_be_visible()
    check_page(page, "coordination-counter")
    page.locator("main button[value=check_out]").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("main button[value=check_in]")).to_be_visible()
    page.locator("main button[value=check_in]").click()
    expect(page.locator("main button[value=walk_in]")).to_be_visible()
    check_page(page, "coordination-counter-returned")

    page.goto("/koordination/freigaben/")
    check_page(page, "coordination-approvals")
    page.locator("main button[value=approve]").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page.locator("#rooms + p")).to_be_visible()  # the list is empty now

    page.goto("/koordination/buchen/?q=haddad")
    page.get_by_role("link", name="Rana Haddad").click()
    expect(page.locator("main form select[name=resource]")).to_be_visible()
    check_page(page, "coordination-book")
