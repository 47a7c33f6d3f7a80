"""Checks behind GET /healthz. Each returns "ok" or a short reason; none raises."""

import logging
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection

from core.models import Heartbeat

log = logging.getLogger(__name__)

# A heartbeat older than this says that beat or the worker is not running.
HEARTBEAT_LATE_AFTER = timedelta(minutes=5)


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        log.warning("health: database unavailable: %s", exc)
        return "unavailable"
    return "ok"


def check_broker() -> str:
    url = settings.CELERY_BROKER_URL
    try:
        if url.startswith("filesystem://"):
            for key in ("data_folder_in", "data_folder_out"):
                folder = Path(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key])
                folder.mkdir(parents=True, exist_ok=True)
                probe = folder / ".healthz"
                probe.write_text("ok")
                probe.unlink()
        else:
            import redis

            client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
            try:
                client.ping()
            finally:
                client.close()
    except Exception as exc:
        log.warning("health: broker unavailable: %s", exc)
        return "unavailable"
    return "ok"


def check_jobs(*, now: datetime) -> str:
    """Informational: whether the periodic heartbeat ran recently (never fails the check)."""
    try:
        beat = Heartbeat.objects.filter(name="beat").first()
    except Exception:
        return "unknown"
    if beat is None:
        return "waiting"
    return "ok" if now - beat.last_seen <= HEARTBEAT_LATE_AFTER else "late"
