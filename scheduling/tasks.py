from celery import shared_task
from django.utils import timezone

from scheduling.services.outbox import outbox_dispatch
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
    return outbox_dispatch(now=timezone.now())
