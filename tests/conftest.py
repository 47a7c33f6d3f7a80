from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import MemberFactory

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="session", autouse=True)
def _static_files() -> None:
    """Collect static files once, as production does, so pages render with hashed names."""
    call_command("collectstatic", "--noinput", verbosity=0)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    """Every member the factories create gets a password; Django's PBKDF2 (a million rounds,
    about half a second each on this machine) made that the suite's largest single cost. Tests
    of logging in still check the password; only its hashing is cheaper."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clean_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 5, 12, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def resident(db: None) -> User:
    return MemberFactory(username="rana", display_name="Rana Haddad")


@pytest.fixture
def coordinator(db: None) -> User:
    return MemberFactory(username="kim", display_name="Kim Koordination", coordinator=True)


@pytest.fixture
def resident_api(api: APIClient, resident: User) -> APIClient:
    api.force_authenticate(resident)
    return api


@pytest.fixture
def unreachable_database() -> Iterator[None]:
    """Point the connection at a database that cannot be reached, then restore it."""
    original = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-folder/db.sqlite3"
    else:
        connection.settings_dict["PORT"] = "1"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
