"""A completed booking keeps occupying its unit until the end of its buffer (a returned tool is
checked before the next loan): the exclusion constraint now covers 'completed' too."""

from django.db import migrations

DROP = "ALTER TABLE scheduling_booking DROP CONSTRAINT IF EXISTS sched_booking_no_overlap"
CREATE = """
ALTER TABLE scheduling_booking ADD CONSTRAINT sched_booking_no_overlap
EXCLUDE USING gist (unit_id WITH =, tstzrange(start, blocked_until, '[)') WITH &&)
WHERE (status IN ('requested', 'held', 'confirmed', 'completed'))
"""
OLD = CREATE.replace(", 'completed'", "")


def _on_postgres(*statements: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0004_sessions_and_shifts")]

    operations = [
        migrations.RunPython(_on_postgres(DROP, CREATE), _on_postgres(DROP, OLD)),
    ]
