from celery import shared_task
from django.utils import timezone

from werkhaus.services.loans import loans_flag_overdue, units_block_due_inspections


@shared_task(name="werkhaus.tasks.flag_overdue_loans")
def flag_overdue_loans() -> int:
    return loans_flag_overdue(now=timezone.now())


@shared_task(name="werkhaus.tasks.block_due_inspections")
def block_due_inspections() -> int:
    return units_block_due_inspections(now=timezone.now())
