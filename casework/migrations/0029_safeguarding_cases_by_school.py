# A safeguarding lead's register: their schools' safeguarding cases, by date, found directly.
# On PostgreSQL, statistics over the safeguarding flag and the school together tell the
# planner how few of a school's cases are safeguarding ones (it otherwise multiplies the two
# as if unrelated, expects tens of thousands, and reads the whole table instead).

from django.db import migrations, models

STATISTICS = "case_safeguarding_school"


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} (mcv) "
            "ON safeguarding, school_id FROM casework_case"
        )


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0028_register_reference_trigram"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                condition=models.Q(("safeguarding", True)),
                fields=["school", "-raised_at", "-id"],
                name="case_safeguarding_by_school",
            ),
        ),
        migrations.RunPython(create_statistics, drop_statistics),
    ]
