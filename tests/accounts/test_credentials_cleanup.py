from datetime import datetime, timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from accounts.models import ApiToken, User
from accounts.services import api_token_issue, credentials_clear_expired


@pytest.mark.django_db
def test_it_removes_expired_tokens_and_sessions_only(resident: User, now: datetime) -> None:
    api_token_issue(user=resident, now=now - timedelta(days=40))
    fresh, _key = api_token_issue(user=resident, now=now)
    old_session = SessionStore()
    old_session.create()
    Session.objects.filter(pk=old_session.session_key).update(expire_date=now - timedelta(days=1))
    live_session = SessionStore()
    live_session.create()
    Session.objects.filter(pk=live_session.session_key).update(expire_date=now + timedelta(days=1))

    cleared = credentials_clear_expired(now=now)

    assert (cleared.sessions, cleared.tokens) == (1, 1)
    assert list(ApiToken.objects.all()) == [fresh]
    assert list(Session.objects.values_list("pk", flat=True)) == [live_session.session_key]
