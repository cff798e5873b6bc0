"""On PostgreSQL, the database itself refuses to change or delete audit events."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION casework_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'casework_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER casework_auditevent_append_only
    BEFORE UPDATE OR DELETE ON casework_auditevent
    FOR EACH ROW EXECUTE FUNCTION casework_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS casework_auditevent_append_only ON casework_auditevent;
DROP FUNCTION IF EXISTS casework_audit_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # the function body has literal %s


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_cases")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
