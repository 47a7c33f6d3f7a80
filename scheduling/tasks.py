from celery import shared_task
from django.utils import timezone

from scheduling.services.waitlist import waitlist_expire


@shared_task(name="scheduling.tasks.expire_waitlist_offers")
def expire_waitlist_offers() -> int:
    return waitlist_expire(now=timezone.now())
