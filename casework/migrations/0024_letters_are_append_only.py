"""On PostgreSQL, the database itself refuses to change an issued letter, to delete one
except when the retention schedule erases its case, and to TRUNCATE the letter table."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION casework_letter_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('casework.erasure', true) = 'retention' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'casework_letter is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER casework_letter_append_only
    BEFORE UPDATE OR DELETE ON casework_letter
    FOR EACH ROW EXECUTE FUNCTION casework_letter_append_only();
CREATE TRIGGER casework_letter_no_truncate
    BEFORE TRUNCATE ON casework_letter
    FOR EACH STATEMENT EXECUTE FUNCTION casework_refuse_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS casework_letter_no_truncate ON casework_letter;
DROP TRIGGER IF EXISTS casework_letter_append_only ON casework_letter;
DROP FUNCTION IF EXISTS casework_letter_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # the function body has a literal %


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("casework", "0023_audit_chain_constraints")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
