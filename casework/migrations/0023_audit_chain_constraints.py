"""Each chain numbered without repeats, one head per chain; TRUNCATE refused on PostgreSQL."""

from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION casework_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: TRUNCATE refused', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER casework_auditevent_no_truncate
    BEFORE TRUNCATE ON casework_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION casework_refuse_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS casework_auditevent_no_truncate ON casework_auditevent;
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # the function body has a literal %


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("casework", "0022_audit_events_rechained")]

    operations = [
        migrations.AlterField(
            model_name="auditchainhead",
            name="chain",
            field=models.CharField(max_length=40, unique=True),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("chain", "sequence"), name="audit_event_chain_link"
            ),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
