"""The start page, the login form and the language switch, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def member(transactional_db: None) -> User:
    return MemberFactory(username="rana", display_name="Rana Haddad")


@pytest.mark.parametrize(
    ("locale", "welcome"),
    [("de-DE", "Willkommen im Werkhaus & Garten"), ("en-US", "Welcome to the Werkhaus & Garden")],
)
def test_the_start_page_welcomes_a_visitor_in_the_browsers_language(
    page, check_page, locale, welcome
) -> None:
    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_have_text(welcome)
    expect(page.locator("html")).to_have_attribute("lang", locale[:2])
    check_page(page, f"start-visitor-{locale[:2]}")


def test_the_start_page_greets_a_logged_in_member_by_name(page, check_page, member) -> None:
    log_in(page, "rana", PASSWORD)

    expect(page.get_by_text("Hallo, Rana Haddad!")).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()
    check_page(page, "start-member")


def test_a_wrong_password_is_answered_in_the_login_page(page, check_page, member) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Benutzername").fill("rana")
    page.get_by_label("Passwort").fill("not the password")
    page.locator("main").get_by_role("button", name="Anmelden").click()

    expect(page.get_by_role("alert")).to_contain_text("Passwort eingeben")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_label("Benutzername")).to_have_value("rana")
    check_page(page, "login-wrong-password")


def test_the_right_password_logs_in_and_leads_to_the_start_page(page, check_page, member) -> None:
    page.goto("/accounts/login/")
    check_page(page, "login")
    page.get_by_label("Benutzername").fill("rana")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Anmelden").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def test_the_language_switch_changes_the_page_to_english_and_back(page, check_page) -> None:
    page.goto("/")

    page.get_by_label("Sprache").select_option("en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to the Werkhaus & Garden")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_page(page, "start-switched-to-en")

    page.get_by_label("Language").select_option("de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Willkommen im Werkhaus & Garten")
    expect(page.locator("html")).to_have_attribute("lang", "de")
