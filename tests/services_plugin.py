"""Chooses the database and Redis for the test run, before Django's settings load.

Loaded with ``-p tests.services_plugin`` (see pyproject.toml), so it runs before pytest-django
imports the settings.

- ``TEST_DATABASE_URL`` names the database (default: the local PostgreSQL,
  ``postgres://postgres@127.0.0.1:5432/werkhaus_test``; ``sqlite://`` for SQLite).
  Django drops and recreates that database: never point it at data you keep.
- ``TEST_REDIS_URL`` names the Redis database the run may flush (default: db 9 of the local
  server; ``none`` for no Redis). With pytest-xdist (``-n 2``), worker ``gw<n>`` uses the
  database ``<name>_gw<n>`` (pytest-django's suffix) and Redis db ``<db>+n``.
- A service that does not answer: its tests skip with the reason, and without PostgreSQL the
  whole suite runs on SQLite. With ``REQUIRE_SERVICES=1`` nothing falls back: a missing
  service fails the run instead.
"""

import os
import socket
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/werkhaus_test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") == "1"
_reasons: dict[str, str] = {}


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), 1.0):
            return True
    except OSError:
        return False


def _worker_index() -> int:
    """0 without pytest-xdist; n for its worker ``gw<n>``."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(worker.removeprefix("gw")) if worker.startswith("gw") else 0


def _per_worker_redis(url: str) -> str:
    """Each xdist worker flushes a Redis database of its own: the named one plus its index.
    (pytest-django gives each worker its own test database the same way, ``<name>_gw<n>``.)"""
    index = _worker_index()
    if not index or url.lower() == "none":
        return url
    parts = urlsplit(url)
    db = int(parts.path.lstrip("/") or 0) + index
    if db > 15:
        raise pytest.UsageError(f"TEST_REDIS_URL {url}: no Redis database {db} for worker {index}")
    return parts._replace(path=f"/{db}").geturl()


def _choose() -> None:
    var_dir = Path(tempfile.mkdtemp(prefix="werkhaus-test-"))
    (var_dir / "static").mkdir()  # whitenoise warns about a missing STATIC_ROOT
    os.environ["VAR_DIR"] = str(var_dir)
    os.environ.setdefault("SECRET_KEY", "tests-only-not-secret")
    os.environ["DEBUG"] = "0"

    db_url = os.environ.get("TEST_DATABASE_URL", "")
    if not db_url:
        db_url = DEFAULT_PG
        if not REQUIRE_SERVICES and not _reachable(db_url):
            _reasons["postgres"] = f"PostgreSQL does not answer at {DEFAULT_PG}"
            db_url = "sqlite://"
    if db_url.startswith("sqlite"):
        _reasons.setdefault("postgres", "the suite runs on SQLite (TEST_DATABASE_URL)")
        os.environ["DATABASE_URL"] = f"sqlite:///{var_dir / 'db.sqlite3'}"
        # A file, not :memory:, so that a Celery worker in another process sees the data.
        os.environ["TEST_DATABASE_NAME"] = str(var_dir / "test.sqlite3")
    else:
        os.environ["DATABASE_URL"] = db_url
        # Use the named database itself as the test database (not test_<name>).
        os.environ["TEST_DATABASE_NAME"] = urlsplit(db_url).path.lstrip("/")

    redis_url = _per_worker_redis(os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS))
    if redis_url.lower() == "none":
        _reasons["redis"] = "TEST_REDIS_URL=none"
        os.environ.pop("REDIS_URL", None)
    elif REQUIRE_SERVICES or _reachable(redis_url):
        os.environ["REDIS_URL"] = redis_url
    else:
        _reasons["redis"] = f"Redis does not answer at {redis_url}"
        os.environ.pop("REDIS_URL", None)
    os.environ["CELERY_DATA_DIR"] = str(var_dir / "celery")


_choose()


def pytest_report_header(config: pytest.Config) -> list[str]:
    db = os.environ["DATABASE_URL"]
    lines = [
        f"database: {'SQLite' if db.startswith('sqlite') else db}",
        f"redis: {os.environ.get('REDIS_URL') or 'none (filesystem broker, file cache)'}",
        f"REQUIRE_SERVICES={'1' if REQUIRE_SERVICES else '0'}",
    ]
    lines += [f"skipping {name} tests: {reason}" for name, reason in _reasons.items()]
    return lines


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        for service in ("postgres", "redis"):
            if item.get_closest_marker(service) and service in _reasons:
                item.add_marker(pytest.mark.skip(reason=f"needs {service}: {_reasons[service]}"))
