"""Thin Celery entry points of the garden; the schedule lives in the settings (beat)."""

from celery import shared_task
from django.utils import timezone

from garden.services.hours import hours_collect
from garden.services.plots import plot_offers_expire


@shared_task(name="garden.tasks.collect_hours")
def collect_hours() -> int:
    """Attended shifts become hours entries (idempotent)."""
    return hours_collect(now=timezone.now())


@shared_task(name="garden.tasks.expire_plot_offers")
def expire_plot_offers() -> int:
    """Plot offers not accepted in time lapse; the applicants are told."""
    return plot_offers_expire(now=timezone.now())
