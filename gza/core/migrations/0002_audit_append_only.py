"""Make the audit tables append-only in the database itself, below the ORM.

PostgreSQL refuses UPDATE and DELETE on both tables. SQLite refuses UPDATE only: its flush
(used by test tear-down and `manage.py flush`) deletes row by row, while PostgreSQL's uses
TRUNCATE, which row triggers do not see. See docs/decisions/0004-append-only-audit.md.
"""

from django.db import migrations

TABLES = ["core_auditevent", "core_accesslogentry"]


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            """
            CREATE OR REPLACE FUNCTION gza_audit_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit records cannot be changed or deleted (%)', TG_TABLE_NAME;
            END;
            $$ LANGUAGE plpgsql;
            """,
            # No parameters: psycopg must not read the % in RAISE as a placeholder.
            params=None,
        )
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION gza_audit_append_only();"
            )
    elif vendor == "sqlite":
        for table in TABLES:
            schema_editor.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'audit records cannot be changed'); END;"
            )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only;")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS gza_audit_append_only();")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
