# A safeguarding lead's register: their schools' safeguarding cases, by date, found directly.

from django.db import migrations, models


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
    ]
