"""Real-browser tests: Playwright for Python driving Debian's chromium against a live server.

- One browser for all browser tests; every test gets a fresh context (cookies, storage) with the
  ``locale`` and ``viewport`` fixtures, which a test overrides with ``parametrize``.
- ``page`` fails the test on any console error or uncaught page error, on every page it visits.
- ``assert_accessible(page)`` runs axe-core (``node_modules/axe-core``, from ``npm ci``) in the
  page and fails on serious or critical violations.
- ``take_screenshots(page, name)`` writes ``var/screenshots/<name>-phone.png`` and
  ``-desktop.png``; ``check_page(page, name)`` does all of the above and checks that the page
  fits a phone's width.
- ``log_in(page, username, password)`` logs in through the real login form.
- Without chromium, axe-core or the playwright package the tests skip with the reason; with
  ``REQUIRE_SERVICES=1`` they fail instead (as PostgreSQL and Redis do, tests/services_plugin.py).
- Static files are served by whitenoise from the collected, hashed files, as in production.
"""

import os
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.test.testcases import LiveServerThread
from pytest_django.live_server_helper import LiveServer

from tests.conftest import BERLIN

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 10_000  # auto-waiting gives up after this; a page here answers in well under 1 s
BLOCKING_IMPACTS = ("serious", "critical")

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") == "1"


def _missing() -> str:
    """Why the browser tests cannot run here, or "" when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make test installs it)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing (scripts/browser_deps.sh installs Debian's chromium)"
    if not AXE.is_file():
        return f"{AXE.relative_to(ROOT)} is missing (npm ci --no-audit --no-fund)"
    return ""


MISSING = _missing()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not MISSING or REQUIRE_SERVICES:
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=f"needs the browser: {MISSING}"))


# --- the server ---------------------------------------------------------------------------------


class _AppServesStatic(StaticFilesHandler):
    """No test handler in front: whitenoise answers /static/ from the collected hashed files, as
    in production (pytest-django's handler looks in the app folders, which have no hashed names)."""

    def _should_handle(self, path: str) -> bool:
        return False


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    server = LiveServer("localhost", start=False)
    server.thread = LiveServerThread(
        "localhost",
        static_handler=_AppServesStatic,
        connections_override=server.thread.connections_override,
    )
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Hashing a password for real takes half a second each time, twice per logged-in test; the
    real hasher has its tests elsewhere."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- the browser --------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One browser for all the browser tests (this package, sub-packages included).

    Playwright's sync API keeps an asyncio loop set on the main thread while it is open, and
    Django then refuses database access from that thread: allowed here, for the browser tests
    only, and the browser closes when they are done (hence the package scope).
    """
    if MISSING:
        pytest.fail(f"REQUIRE_SERVICES=1 and the browser tests cannot run: {MISSING}")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield instance
        instance.close()


@pytest.fixture
def locale() -> str:
    """The browser's language (Accept-Language); override with parametrize."""
    return "de-DE"


@pytest.fixture
def viewport() -> dict[str, int]:
    return DESKTOP


class PageErrors:
    """Console errors and uncaught exceptions of every page in one browser context."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def console(self, message: Any) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            self.seen.append(
                f"console error on {message.page.url if message.page else where}: "
                f"{message.text} ({where})"
            )

    def web_error(self, error: Any) -> None:
        self.seen.append(f"page error on {error.page.url if error.page else '?'}: {error.error}")

    def assert_none(self) -> None:
        if self.seen:
            errors, self.seen = self.seen, []
            pytest.fail("the browser reported errors:\n" + "\n".join(errors), pytrace=False)


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


def _open_context(browser: Any, page_errors: PageErrors, **options: Any) -> Any:
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    context.on("console", page_errors.console)
    context.on("weberror", page_errors.web_error)
    return context


@pytest.fixture
def context(
    browser: Any,
    live_server: LiveServer,
    locale: str,
    viewport: dict[str, int],
    page_errors: PageErrors,
) -> Iterator[Any]:
    """A fresh context on the live server (so: a transactional database, flushed after)."""
    context = _open_context(
        browser, page_errors, base_url=live_server.url, locale=locale, viewport=viewport
    )
    yield context
    context.close()


@pytest.fixture
def page(context: Any, page_errors: PageErrors) -> Iterator[Any]:
    """A page in a fresh context; the test fails on any console or page error it saw."""
    page = context.new_page()
    yield page
    page_errors.assert_none()


@pytest.fixture
def blank_page(browser: Any, page_errors: PageErrors) -> Iterator[Any]:
    """A page without the server and the database, for content set by the test itself."""
    context = _open_context(browser, page_errors, viewport=DESKTOP)
    yield context.new_page()
    context.close()


# --- helpers ------------------------------------------------------------------------------------

_axe_source: list[str] = []


def assert_accessible(page: Any) -> None:
    """axe-core on the page as it is now; fails on every serious or critical violation."""
    if not _axe_source:
        _axe_source.append(AXE.read_text(encoding="utf-8"))
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=_axe_source[0])
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    blocking = [v for v in result["violations"] if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        lines = [f"axe-core: {len(blocking)} serious or critical violation(s) on {page.url}"]
        for violation in blocking:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.append(f"  {violation['helpUrl']}")
            for node in violation["nodes"]:
                lines.append(f"  at {' '.join(map(str, node['target']))}: {node['html'][:200]}")
                if node.get("failureSummary"):
                    lines.append("    " + node["failureSummary"].replace("\n", "\n    "))
        pytest.fail("\n".join(lines), pytrace=False)


def take_screenshots(page: Any, name: str) -> list[Path]:
    """Full-page PNGs at phone and desktop width; the page's own viewport is restored after."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    paths = []
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        path = SCREENSHOTS / f"{name}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(original)
    return paths


def assert_fits_a_phone(page: Any) -> None:
    """At phone width nothing makes the whole page scroll sideways (WCAG 1.4.10, reflow)."""
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    page.set_viewport_size(original)
    if width > PHONE["width"]:
        pytest.fail(
            f"{page.url} is {width}px wide at phone width ({PHONE['width']}px): "
            "it scrolls sideways",
            pytrace=False,
        )


@pytest.fixture
def check_page(page_errors: PageErrors) -> Callable[[Any, str], None]:
    """The checks every visited page gets: no browser errors so far, no serious or critical
    axe-core violation, no sideways scrolling on a phone, and screenshots at phone and desktop
    width under ``name``."""

    def check(page: Any, name: str) -> None:
        page_errors.assert_none()
        assert_accessible(page)
        take_screenshots(page, name)
        assert_fits_a_phone(page)
        page_errors.assert_none()

    return check


def log_in(page: Any, username: str, password: str) -> None:
    """Through the real login form, as a person would; waits until it has left the form."""
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    form = page.locator("main form")
    form.locator("[name=username]").fill(username)
    form.locator("[name=password]").fill(password)
    form.locator("[type=submit]").click()
    expect(page).not_to_have_url(f"{page.url.split('/accounts/')[0]}/accounts/login/")


# The server runs in a thread of this process: time_machine moves its clock too.
MONDAY = datetime(2026, 5, 11, 9, 0, tzinfo=BERLIN)


@pytest.fixture
def on_a_monday() -> Iterator[None]:
    """The clock at ``MONDAY`` morning, ticking, for the test and the live server alike."""
    with time_machine.travel(MONDAY, tick=True):
        yield
