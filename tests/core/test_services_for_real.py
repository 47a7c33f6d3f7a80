"""The suite talks to the real PostgreSQL and Redis when they are there."""

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_15_or_newer() -> None:
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        (version,) = cursor.fetchone()
    assert int(version) >= 150000


@pytest.mark.redis
def test_the_cache_writes_into_redis() -> None:
    cache.set("probe", "value", 30)

    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = client.keys("*probe*")
    assert keys, "the cached value should be visible in Redis"
    assert cache.get("probe") == "value"


@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_with_immediate_transactions() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite-specific; this run is on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        (mode,) = cursor.fetchone()
    assert mode == "wal"
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
