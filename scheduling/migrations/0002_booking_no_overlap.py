"""No two active bookings of a unit overlap, buffers included: enforced by PostgreSQL.

An exclusion constraint over (unit, [start, blocked_until)) for the active states. It lives in
this migration, not in Booking.Meta, because SQLite has no such constraint (there, the booking
service checks and inserts in one BEGIN IMMEDIATE transaction); keep the list of states in step
with the occupying states of scheduling.models (a test pins it; 0005 added 'completed').
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

CREATE = """
ALTER TABLE scheduling_booking ADD CONSTRAINT sched_booking_no_overlap
EXCLUDE USING gist (unit_id WITH =, tstzrange(start, blocked_until, '[)') WITH &&)
WHERE (status IN ('requested', 'held', 'confirmed'))
"""
DROP = "ALTER TABLE scheduling_booking DROP CONSTRAINT IF EXISTS sched_booking_no_overlap"


def _on_postgres(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(_on_postgres(CREATE), _on_postgres(DROP)),
    ]
