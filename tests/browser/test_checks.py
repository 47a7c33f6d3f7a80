"""The checks that every browser test relies on do catch what they are for."""

import pytest

from tests.browser.conftest import PageErrors, assert_accessible, assert_fits_a_phone

pytestmark = pytest.mark.browser


def test_a_console_error_fails_the_page(blank_page, page_errors: PageErrors) -> None:
    blank_page.set_content("<!DOCTYPE html><title>t</title><p>x</p>")
    with blank_page.expect_console_message():
        blank_page.evaluate("() => console.error('something broke')")

    with pytest.raises(pytest.fail.Exception, match="something broke"):
        page_errors.assert_none()


def test_an_uncaught_exception_fails_the_page(blank_page, page_errors: PageErrors) -> None:
    blank_page.set_content("<!DOCTYPE html><title>t</title><p>x</p>")
    with blank_page.context.expect_event("weberror"):
        blank_page.evaluate("() => { setTimeout(() => { throw new Error('uncaught here'); }); }")

    with pytest.raises(pytest.fail.Exception, match="uncaught here"):
        page_errors.assert_none()


def test_a_button_without_a_name_fails_the_accessibility_check(blank_page) -> None:
    blank_page.set_content(
        '<!DOCTYPE html><html lang="en"><title>t</title><main><button></button></main></html>'
    )

    with pytest.raises(pytest.fail.Exception, match="button-name"):
        assert_accessible(blank_page)


def test_a_page_wider_than_a_phone_fails_the_phone_check(blank_page) -> None:
    blank_page.set_content('<!DOCTYPE html><title>t</title><div style="width: 600px">wide</div>')

    with pytest.raises(pytest.fail.Exception, match="scrolls sideways"):
        assert_fits_a_phone(blank_page)
