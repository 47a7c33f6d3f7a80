from celery import shared_task
from django.utils import timezone

from scheduling.services.outbox import outbox_dispatch
from scheduling.services.reminders import reminders_create
from scheduling.services.signups import signups_expire_offers
from scheduling.services.staffing import understaffing_alert
from scheduling.services.waitlist import waitlist_expire


@shared_task(name="scheduling.tasks.expire_waitlist_offers")
def expire_waitlist_offers() -> int:
    return waitlist_expire(now=timezone.now())


@shared_task(name="scheduling.tasks.expire_signup_offers")
def expire_signup_offers() -> int:
    return signups_expire_offers(now=timezone.now())


@shared_task(name="scheduling.tasks.alert_understaffed")
def alert_understaffed() -> int:
    return understaffing_alert(now=timezone.now())


@shared_task(name="scheduling.tasks.dispatch_notifications")
def dispatch_notifications() -> dict[str, int]:
    """Every minute: write the reminders that fell due (once each), then send what is due."""
    now = timezone.now()
    created = reminders_create(now=now)
    return {"reminders": created, **outbox_dispatch(now=now)}
