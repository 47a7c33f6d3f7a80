"""Set-up and checks of the load and fault runs, run inside the stack's environment:
``python -m bench.world <command>`` (bench/server.py's ``Stack.script``); prints JSON.

- ``residents N``: N residents with e-mail, an API token and a calendar-feed token each, and
  the resources the load books (tools of one unit: few, so that clients collide).
- ``notifications N``: N members with e-mail and one due notification each (the outbox).
- ``dispatch``: queue one dispatch run (``scheduling.tasks.dispatch_notifications``) on the broker.
- ``outbox IDS``: the state of those notifications (sent, claimed, unsent).
- ``double-bookings``: pairs of occupying bookings of one unit whose times overlap.
"""

import json
import sys
from typing import Any

import django

django.setup()

from django.db import connection, transaction  # noqa: E402 - after django.setup()
from django.utils import timezone  # noqa: E402

from accounts.services import Roles, api_token_issue, member_create  # noqa: E402
from scheduling.models import OCCUPYING_STATUSES, Notification, Resource  # noqa: E402
from scheduling.services.feeds import feed_token_issue  # noqa: E402

LOAD_RESOURCES = 4  # single-unit tools, daily slots: conflicts are frequent


@transaction.atomic
def residents(count: int) -> dict[str, Any]:
    now = timezone.now()
    found = []
    for n in range(count):
        member = member_create(
            display_name=f"Last {n}",
            username=f"load{n}",
            email=f"load{n}@example.org",
            roles=Roles(),
        )
        _, key = api_token_issue(user=member, now=now)
        feed = feed_token_issue(member=member, actor=member, now=now)
        found.append({"id": member.pk, "token": key, "feed": feed})
    tools = (
        Resource.objects.filter(
            kind="tool", is_active=True, requires_approval=False, members_may_book=True
        )
        .filter(required_qualification__isnull=True)
        .order_by("pk")
    )
    single = [r.pk for r in tools if r.units.filter(is_active=True).count() == 1]
    return {
        "residents": found,
        "resources": single[:LOAD_RESOURCES],
        "browse": [r.pk for r in tools[:20]],
    }


@transaction.atomic
def notifications(count: int) -> dict[str, Any]:
    now = timezone.now()
    ids = []
    for n in range(count):
        member = member_create(
            display_name=f"Post {n}", username=f"post{n}", email=f"post{n}@example.org"
        )
        note = Notification.objects.create(
            member=member, kind="bench_notice", created_at=now, payload={"n": n}
        )
        ids.append(note.pk)
    return {"ids": ids}


def dispatch() -> dict[str, Any]:
    from scheduling.tasks import dispatch_notifications

    result = dispatch_notifications.delay()
    return {"task": result.id}


def outbox(ids: list[int]) -> dict[str, Any]:
    rows = Notification.objects.filter(pk__in=ids)
    return {
        "sent": rows.filter(sent_at__isnull=False).count(),
        "claimed": rows.filter(sent_at__isnull=True, claimed_at__isnull=False).count(),
        "unsent": rows.filter(sent_at__isnull=True).count(),
        "failed": rows.filter(failed_at__isnull=False).count(),
        "skipped": rows.filter(skipped_at__isnull=False).count(),
    }


def double_bookings() -> dict[str, Any]:
    """Checked in SQL, beside the exclusion constraint that should make it impossible."""
    statuses = [str(s) for s in OCCUPYING_STATUSES]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT a.id, b.id, a.unit_id
            FROM scheduling_booking a
            JOIN scheduling_booking b
              ON a.unit_id = b.unit_id AND a.id < b.id
             AND a.start < b.blocked_until AND b.start < a.blocked_until
            WHERE a.status = ANY(%s) AND b.status = ANY(%s)
            """,
            [statuses, statuses],
        )
        pairs = cursor.fetchall()
        cursor.execute(
            "SELECT status, count(*) FROM scheduling_booking GROUP BY status ORDER BY status"
        )
        by_status = dict(cursor.fetchall())
    return {"overlapping_pairs": [list(p) for p in pairs], "bookings_by_status": by_status}


def main(argv: list[str]) -> int:
    command, *rest = argv
    if command == "residents":
        out = residents(int(rest[0]))
    elif command == "notifications":
        out = notifications(int(rest[0]))
    elif command == "dispatch":
        out = dispatch()
    elif command == "outbox":
        out = outbox([int(i) for i in rest[0].split(",")])
    elif command == "double-bookings":
        out = double_bookings()
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
