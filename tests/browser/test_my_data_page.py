"""A resident in a real browser downloads their data and deletes their account from my data;
the page passes the checks. (A refusal answers 400, which the browser reports as a console
error: the view tests cover those.)"""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("on_a_monday")]


@pytest.fixture
def rana(transactional_db: None) -> User:
    return MemberFactory(username="rana", display_name="Rana Haddad")


def test_a_resident_downloads_their_data_and_deletes_their_account(
    page, check_page, live_server, rana
) -> None:
    log_in(page, "rana", PASSWORD)
    page.goto("/meine/einstellungen/")
    page.locator('main a[href="/meine/daten/"]').click()
    expect(page.locator("#delete-heading")).to_be_visible()
    check_page(page, "my-data")

    with page.expect_download() as downloading:
        page.locator('main a[href="/meine/daten/export/"]').click()
    download = downloading.value
    assert download.suggested_filename == "meine-daten-2026-05-11.json"
    exported = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert exported["member"] == rana.pk
    assert exported["records"]["accounts.user"][0]["display_name"] == "Rana Haddad"

    page.locator("#id_confirm").check()
    page.locator("main button.danger").click()
    expect(page.locator(".messages")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("header a.button")).to_be_visible()  # logged out: the login button
    rana.refresh_from_db()
    assert rana.username is None
    assert rana.display_name != "Rana Haddad"
