from datetime import datetime

from core.models import Heartbeat


def heartbeat_record(*, name: str, now: datetime) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"last_seen": now})
