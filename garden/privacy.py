"""The garden's part of a member's data: plot applications, plots held, hours and rates.

Anonymising withdraws open applications (a declined offer frees the plot for the next in
line), gives up plots held when the actor may do so (a coordinator; a member past the engine's
cut-off keeps the season's plot, without name), and empties the member's own words (wishes,
the reason for a priority, notes on hours and the reasons given for their decision). Hours
entries, their minutes, activity and approval stay for the funding report; hourly rates stay
for the honorarium of past months.
"""

from contextlib import suppress
from datetime import datetime

from django.db.models import Exists, OuterRef, Q

from accounts.models import User
from core.errors import DomainError
from core.privacy import (
    Contribution,
    contribution,
    identifiers,
    ids,
    label,
    row,
    scrub_text,
)
from garden.models import ApplicationStatus, HourlyRate, HoursEntry, Plot, PlotApplication
from garden.services.plots import plot_give_up, plot_offer_decline
from scheduling.models import ACTIVE_STATUSES, Booking
from scheduling.services.records import audit

HOURS_FIELDS = (
    "day",
    "minutes",
    "activity",
    "source",
    "signup_id",
    "paid",
    "status",
    "note",
    "decision_reason",
    "created_at",
    "decided_by_id",
    "decided_at",
)


def export(member: User) -> Contribution:
    part = contribution()
    records = part["records"]
    applications = PlotApplication.objects.filter(member=member).select_related(
        "season", "offered_plot"
    )
    records[label(PlotApplication)] = [
        row(
            a,
            ("wishes", "priority", "priority_reason", "status", "created_at", "offer_expires_at"),
            season=a.season.name,
            offered_plot=a.offered_plot.number if a.offered_plot else None,
            allocation_id=a.allocation_id,
        )
        for a in applications
    ]
    held = Booking.objects.filter(member=member, resource__plot__isnull=False).select_related(
        "resource__plot"
    )
    records[label(Plot)] = [
        {
            "id": b.resource.plot.pk,
            "number": b.resource.plot.number,
            "booking_id": b.pk,
            "start": b.start.isoformat(),
            "end": b.end.isoformat(),
            "status": b.status,
        }
        for b in held
    ]
    records[label(HoursEntry)] = [
        row(h, HOURS_FIELDS) for h in HoursEntry.objects.filter(member=member)
    ]
    records[label(HourlyRate)] = [
        row(r, ("valid_from", "euros")) for r in HourlyRate.objects.filter(member=member)
    ]
    part["actions"][label(HoursEntry)] = ids(
        HoursEntry.objects.filter(decided_by=member).exclude(member=member)
    )
    return part


def anonymise(member: User, *, actor: User, now: datetime) -> None:
    for application in PlotApplication.objects.filter(
        member=member, status=ApplicationStatus.OFFERED
    ):
        with suppress(DomainError):
            plot_offer_decline(application=application, actor=actor, now=now)
    for application in PlotApplication.objects.filter(
        member=member, status=ApplicationStatus.WAITING
    ):
        # No service withdraws an application yet; this is the one place that does.
        application.status = ApplicationStatus.WITHDRAWN
        application.save(update_fields=["status"])
        audit(at=now, actor=actor, action="plot_withdrawn", application=application.pk)
    for booking in Booking.objects.filter(
        member=member, resource__plot__isnull=False, status__in=ACTIVE_STATUSES, end__gt=now
    ):
        # Past the cut-off a member may not give it up: the plot stays held, without a name.
        with suppress(DomainError):
            plot_give_up(booking=booking, actor=actor, now=now)
    PlotApplication.objects.filter(member=member).update(wishes="", priority_reason="")
    identifying = identifiers(member)
    for entry in HoursEntry.objects.filter(member=member):
        activity = scrub_text(entry.activity, identifying)
        if entry.note or entry.decision_reason or activity != entry.activity:
            HoursEntry.objects.filter(pk=entry.pk).update(
                note="", decision_reason="", activity=activity
            )


def active_since(since: datetime) -> Q:
    hours = HoursEntry.objects.filter(member=OuterRef("pk")).filter(
        Q(created_at__gte=since) | Q(day__gte=since.date())
    )
    applications = PlotApplication.objects.filter(member=OuterRef("pk"), created_at__gte=since)
    return Q(Exists(hours)) | Q(Exists(applications))
