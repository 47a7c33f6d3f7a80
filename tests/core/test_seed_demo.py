import pytest
from django.apps import apps
from django.core.management import call_command
from rest_framework.test import APIClient

from accounts.models import User

DEMO_USERNAMES = {"coordinator", "resident", "resident2", "volunteer", "honorary"}


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "scheduling", "werkhaus", "garden", "schedule"}
    }


@pytest.mark.django_db
def test_it_creates_the_demo_accounts_with_their_roles_and_password_demo(api: APIClient) -> None:
    # One seed for both checks: seeding the whole demo takes seconds.
    call_command("seed_demo", stdout=None)

    members = {m.username: m for m in User.objects.filter(username__in=DEMO_USERNAMES)}
    assert set(members) == DEMO_USERNAMES
    assert members["coordinator"].is_coordinator
    assert members["coordinator"].is_staff
    assert members["volunteer"].is_volunteer
    assert members["honorary"].is_honorary_worker
    assert User.objects.filter(username=None).exists(), "a walk-in member without login"
    response = api.post("/api/v1/auth/token/", {"username": "resident", "password": "demo"})
    assert response.status_code == 201


@pytest.mark.django_db
def test_running_it_twice_adds_nothing() -> None:
    call_command("seed_demo")
    first = _row_counts()

    call_command("seed_demo")

    assert _row_counts() == first


@pytest.mark.django_db
def test_the_news_of_the_demos_past_weeks_is_filed_as_history_not_mailed() -> None:
    from datetime import timedelta

    from django.utils import timezone

    from scheduling.models import Notification
    from scheduling.services.outbox import outbox_claim

    call_command("seed_demo")

    past = Notification.objects.filter(created_at__lt=timezone.now() - timedelta(hours=1))
    assert past.exists()
    assert not past.filter(skipped_at__isnull=True, sent_at__isnull=True).exists()
    claimed = Notification.objects.filter(pk__in=outbox_claim(now=timezone.now(), limit=10_000))
    assert not claimed.filter(created_at__lt=timezone.now() - timedelta(hours=1)).exists()
