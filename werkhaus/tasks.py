from celery import shared_task
from django.utils import timezone

from werkhaus.services.loans import loans_flag_overdue


@shared_task(name="werkhaus.tasks.flag_overdue_loans")
def flag_overdue_loans() -> int:
    return loans_flag_overdue(now=timezone.now())
