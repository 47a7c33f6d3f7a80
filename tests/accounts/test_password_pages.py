"""Passwords: reset by e-mail through Django's views in the site's frame (the mail in the member's
language), and a coordinator setting one for a member without e-mail (member_set_password)."""

import re
from datetime import datetime

import pytest
from django.core import mail
from django.test import Client

from accounts.models import ApiToken, User
from accounts.services import api_token_issue, member_create, member_set_password
from core.errors import Conflict, InvalidInput, NotAllowed
from tests.factories import PASSWORD, MemberFactory

pytestmark = pytest.mark.django_db
NEW = "Gartenbank-2026!"


@pytest.fixture(autouse=True)
def _fast_passwords(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture
def client() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


# --- reset by e-mail ----------------------------------------------------------------------------


def test_the_login_page_links_to_the_password_reset(client: Client) -> None:
    assert 'href="/accounts/password_reset/"' in client.get("/accounts/login/").content.decode()


def test_the_reset_form_is_in_the_sites_frame(client: Client) -> None:
    page = client.get("/accounts/password_reset/").content.decode()

    assert 'class="site-header"' in page
    assert 'name="email"' in page


def test_a_bad_e_mail_address_is_answered_in_the_page(client: Client) -> None:
    response = client.post("/accounts/password_reset/", {"email": "not an address"})

    assert response.status_code == 200  # Django's view answers an invalid form with 200
    assert "Enter a valid email address." in response.content.decode()
    assert mail.outbox == []


def test_an_unknown_address_sends_nothing_and_says_the_same(client: Client) -> None:
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})

    assert response["Location"] == "/accounts/password_reset/done/"
    assert mail.outbox == []


def test_the_reset_mail_is_in_the_members_language(client: Client, resident: User) -> None:
    client.post("/accounts/password_reset/", {"email": resident.email})

    assert resident.preferred_language == "de"
    assert "Werkhaus & Garten" in mail.outbox[0].body


def test_the_reset_link_sets_a_new_password(client: Client, resident: User) -> None:
    client.post("/accounts/password_reset/", {"email": resident.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", str(mail.outbox[0].body))
    assert link is not None

    form = client.get(link.group(1), follow=True)
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True
    )

    assert "Password saved" in done.content.decode()
    assert Client().login(username=resident.username, password=NEW)


def test_a_used_reset_link_says_so(client: Client) -> None:
    page = client.get("/accounts/reset/MQ/set-password/").content.decode()

    assert "This link does not work any more" in page


# --- a coordinator sets a password --------------------------------------------------------------


def test_a_walk_in_gets_a_username_and_a_password(coordinator: User) -> None:
    walk_in = member_create(display_name="Amina Yusuf", managed_by=coordinator)

    member_set_password(member=walk_in, actor=coordinator, password=NEW, username="amina")

    walk_in.refresh_from_db()
    assert walk_in.username == "amina"
    assert walk_in.check_password(NEW)


def test_a_walk_in_without_a_username_given_is_refused(coordinator: User) -> None:
    walk_in = member_create(display_name="Amina Yusuf", managed_by=coordinator)

    with pytest.raises(InvalidInput) as refused:
        member_set_password(member=walk_in, actor=coordinator, password=NEW)

    assert "username" in refused.value.fields


def test_a_username_taken_already_is_a_conflict(coordinator: User, resident: User) -> None:
    walk_in = member_create(display_name="Amina Yusuf", managed_by=coordinator)

    with pytest.raises(Conflict):
        member_set_password(
            member=walk_in, actor=coordinator, password=NEW, username=resident.username
        )


def test_only_coordinators_set_a_password_for_someone(coordinator: User) -> None:
    walk_in = member_create(display_name="Amina Yusuf", managed_by=coordinator)

    with pytest.raises(NotAllowed):
        member_set_password(member=walk_in, actor=MemberFactory(), password=NEW, username="amina")


def test_a_member_with_e_mail_is_sent_to_the_reset(coordinator: User, resident: User) -> None:
    with pytest.raises(InvalidInput):
        member_set_password(member=resident, actor=coordinator, password=NEW)

    resident.refresh_from_db()
    assert resident.check_password(PASSWORD)


def test_no_coordinator_sets_another_coordinators_password(coordinator: User) -> None:
    other = MemberFactory(coordinator=True, email="")

    with pytest.raises(NotAllowed):
        member_set_password(member=other, actor=coordinator, password=NEW)


def test_a_new_password_ends_the_members_api_tokens(coordinator: User) -> None:
    member = MemberFactory(email="")
    api_token_issue(user=member, now=datetime.now().astimezone())

    member_set_password(member=member, actor=coordinator, password=NEW)

    assert not ApiToken.objects.filter(user=member).exists()
