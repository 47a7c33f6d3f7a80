from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories import MemberFactory

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="session", autouse=True)
def _static_files() -> None:
    """Collect static files once, as production does, so pages render with hashed names."""
    call_command("collectstatic", "--noinput", verbosity=0)


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
