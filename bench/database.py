"""The benchmark's own PostgreSQL database: configured, created if missing, emptied.

The script empties tables, so it refuses any database whose name does not contain "bench":
a mistyped BENCH_DATABASE_URL must not wipe a development or test database.
"""

import os
import platform
from typing import Any

import dj_database_url
import psycopg
from psycopg import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/werkhaus_bench"


class UnsafeDatabaseError(RuntimeError):
    pass


def bench_database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def _checked(url: str) -> dict[str, Any]:
    config = dict(dj_database_url.parse(url))
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise UnsafeDatabaseError(f"The benchmarks need PostgreSQL, got {config['ENGINE']}.")
    if "bench" not in str(config["NAME"]):
        raise UnsafeDatabaseError(
            f"Refusing database {config['NAME']!r}: the benchmarks empty their database, so its "
            "name must contain 'bench'."
        )
    return config


def configure_environment(url: str) -> None:
    """Point Django's settings at the benchmark database; call before ``django.setup()``."""
    _checked(url)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"  # no query log: it would grow and slow every query down
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    # Nothing here needs Redis; keep away from the one the test suites share.
    os.environ.pop("REDIS_URL", None)


def ensure_database(url: str) -> bool:
    """Create the database if it does not exist; True if it was created."""
    config = _checked(url)
    with psycopg.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=str(config["PORT"]) if config["PORT"] else None,
        autocommit=True,
    ) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if found:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
        return True


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


# Emptied before every run; CASCADE reaches the tables that refer to these (tokens, sign-ups,
# audit entries), all inside the benchmark database.
_TABLES = (
    "scheduling_booking",
    "scheduling_closure",
    "scheduling_unit",
    "scheduling_resource",
    "scheduling_resourcegroup",
    "scheduling_memberqualification",
    "scheduling_qualification",
    "schedule_occurrence",
    "schedule_event",
    "schedule_rule",
    "schedule_calendar",
    "accounts_user",
)


def reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(_TABLES)} RESTART IDENTITY CASCADE")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
    return {
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "psycopg": psycopg.__version__,
        "postgresql": row[0] if row else "unknown",
    }
