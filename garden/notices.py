"""What the garden adds to the engine's notifications: the wording of plot offers and
allocations, and the hours waiting for approval in the coordinators' digest."""

from datetime import datetime

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from garden.models import HoursEntry, HoursStatus
from scheduling.digest import Items, Section, item, register_section
from scheduling.messages import Message, register_message

MY_PLOT = "/garten/"


def _hours_to_approve(now: datetime) -> tuple[int, Items]:
    by_member = (
        HoursEntry.objects.filter(status=HoursStatus.PENDING)
        .values("member__display_name")
        .annotate(entries=Count("pk"), minutes=Sum("minutes"))
        .order_by("member__display_name")
    )
    rows = list(by_member)
    return sum(row["entries"] for row in rows), [
        item(
            _("%(name)s: %(entries)d entries, %(hours).1f h")
            % {
                "name": row["member__display_name"],
                "entries": row["entries"],
                "hours": row["minutes"] / 60,
            }
        )
        for row in rows
    ]


register_message("plot_allocated", Message(_("You have a garden plot"), MY_PLOT))
register_message("plot_offer", Message(_("A garden plot is offered to you"), MY_PLOT))
register_message("plot_offer_expired", Message(_("Your plot offer has expired"), MY_PLOT))
register_section(Section("hours_to_approve", _("Hours waiting for approval"), _hours_to_approve))
