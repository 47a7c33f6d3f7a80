"""The garden in the administration: decisions and priorities go through the services, and
rates stay with coordinators."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import User
from garden.models import HourlyRate, HoursStatus, Plot, PlotApplication, Season
from garden.services.hours import hours_log
from garden.services.plots import season_apply
from scheduling.models import AuditEntry
from tests.conftest import BERLIN
from tests.factories import MemberFactory, resource_create

pytestmark = pytest.mark.django_db

JUNE = datetime(2026, 6, 1, 9, 0, tzinfo=BERLIN)


@pytest.fixture
def admin_client(coordinator: User) -> Client:
    client = Client()
    client.force_login(coordinator)
    return client


@pytest.fixture
def season() -> Season:
    return Season.objects.create(
        name="Saison 2026", starts_on=date(2026, 3, 1), ends_on=date(2026, 10, 31)
    )


def test_a_coordinator_approves_hours_in_the_admin(admin_client: Client, coordinator: User) -> None:
    volunteer = MemberFactory(volunteer=True)
    entry = hours_log(
        member=volunteer,
        day=date(2026, 5, 30),
        minutes=60,
        activity="Jäten",
        actor=volunteer,
        now=JUNE,
    )

    response = admin_client.post(
        "/admin/garden/hoursentry/", {"action": "approve", "_selected_action": [entry.pk]}
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.decided_by) == (HoursStatus.APPROVED, coordinator)
    assert AuditEntry.objects.filter(action="hours_approved").exists()


def test_a_coordinator_rejects_hours_in_the_admin(admin_client: Client) -> None:
    volunteer = MemberFactory(volunteer=True)
    entry = hours_log(
        member=volunteer,
        day=date(2026, 5, 30),
        minutes=60,
        activity="Jäten",
        actor=volunteer,
        now=JUNE,
    )

    admin_client.post(
        "/admin/garden/hoursentry/", {"action": "reject", "_selected_action": [entry.pk]}
    )

    entry.refresh_from_db()
    assert entry.status == HoursStatus.REJECTED


def test_a_priority_set_in_the_admin_is_recorded(
    admin_client: Client, coordinator: User, season: Season
) -> None:
    member = MemberFactory()
    application = season_apply(season=season, member=member, actor=member, now=JUNE)

    response = admin_client.post(
        f"/admin/garden/plotapplication/{application.pk}/change/",
        {"priority": 5, "priority_reason": "Familie ohne Garten"},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.priority, application.priority_reason) == (5, "Familie ohne Garten")
    assert AuditEntry.objects.filter(action="plot_priority", actor=coordinator).exists()


def test_an_application_added_in_the_admin_goes_through_the_rules(
    admin_client: Client, season: Season
) -> None:
    season.applications_open = False
    season.save()

    response = admin_client.post(
        "/admin/garden/plotapplication/add/",
        {"season": season.pk, "member": MemberFactory().pk, "wishes": ""},
    )

    assert response.status_code == 200  # the form again, with the refusal
    assert not PlotApplication.objects.exists()


def test_a_coordinator_applies_for_a_walk_in_resident_in_the_admin(
    admin_client: Client, coordinator: User, season: Season
) -> None:
    walk_in = MemberFactory(username=None)

    response = admin_client.post(
        "/admin/garden/plotapplication/add/",
        {"season": season.pk, "member": walk_in.pk, "wishes": "Nahe am Wasser"},
    )

    assert response.status_code == 302
    application = PlotApplication.objects.get()
    assert (application.member, application.wishes) == (walk_in, "Nahe am Wasser")
    assert (
        admin_client.get(f"/admin/garden/plotapplication/{application.pk}/change/").status_code
        == 200
    )


def test_a_rate_set_in_the_admin_is_recorded(admin_client: Client) -> None:
    hakan = MemberFactory(honorary_worker=True)

    response = admin_client.post(
        "/admin/garden/hourlyrate/add/",
        {"member": hakan.pk, "valid_from": "2026-06-01", "euros": "15.25"},
    )

    assert response.status_code == 302
    assert HourlyRate.objects.get().euros == Decimal("15.25")
    assert AuditEntry.objects.filter(action="rate_set").exists()


def test_rates_stay_hidden_from_staff_who_are_not_coordinators(db: None) -> None:
    from django.contrib.auth.models import Permission

    helper = User.objects.create_user(username="helfer", display_name="Helfer", is_staff=True)
    helper.user_permissions.set(Permission.objects.filter(content_type__app_label="garden"))
    client = Client()
    client.force_login(helper)

    assert client.get("/admin/garden/hoursentry/").status_code == 200
    assert client.get("/admin/garden/hourlyrate/").status_code == 403


def test_the_garden_lists_render(admin_client: Client, season: Season) -> None:
    resource = resource_create(name="Beet 1", kind="plot")
    Plot.objects.create(resource=resource, number=1, size_m2=12, x=1, y=1)

    for model in ("plot", "season", "plotapplication", "hoursentry", "hourlyrate"):
        assert admin_client.get(f"/admin/garden/{model}/").status_code == 200
    assert admin_client.get("/admin/garden/plot/add/").status_code == 200
