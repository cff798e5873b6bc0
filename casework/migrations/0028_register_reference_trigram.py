# The register's search matches part of a case reference ("0042" finds SM-2026-0042). On
# PostgreSQL a trigram index on the reference, as the search compares it (upper case), finds
# those cases directly instead of reading the register through; elsewhere nothing changes.

from django.db import migrations

INDEX = "case_reference_trigram"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension: the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON casework_case "
        "USING gin ((UPPER(reference::text)) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0027_mail_of_a_trust"),
    ]

    operations = [migrations.RunPython(create, drop)]
