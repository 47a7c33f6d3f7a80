import pytest
from django.test import Client


@pytest.mark.django_db
def test_pages_are_german_by_default(client: Client) -> None:
    response = client.get("/")

    assert response["Content-Language"] == "de"
    assert 'lang="de"' in response.content.decode()


@pytest.mark.django_db
def test_pages_follow_the_browser_language(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")

    assert response["Content-Language"] == "en"
    assert "Welcome to the Werkhaus" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_overrides_the_browser(client: Client) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")

    assert response["Content-Language"] == "en"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/"])
def test_every_page_offers_the_language_switch(client: Client, path: str) -> None:
    content = client.get(path).content.decode()

    assert 'action="/i18n/setlang/"' in content
    assert 'value="en"' in content
    assert 'value="de"' in content


@pytest.mark.django_db
def test_the_login_page_has_username_and_password_fields(client: Client) -> None:
    content = client.get("/accounts/login/").content.decode()

    assert 'name="username"' in content
    assert 'name="password"' in content
