from celery import shared_task
from django.utils import timezone

from core.services import heartbeat_record

HEARTBEAT_NAME = "beat"


@shared_task(name="core.tasks.record_heartbeat")
def record_heartbeat() -> None:
    heartbeat_record(name=HEARTBEAT_NAME, now=timezone.now())
