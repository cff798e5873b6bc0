import re

from django.db import migrations, models

# The policy's own words decide the former-pupil window of the cases that cite it. Versions
# already held record the number their clauses state (St Clare's DONT-4: three years), so
# nothing changes for their cases; a version that states none follows the setting.
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10}
_FORMER_PUPILS = re.compile(
    r"\bformer\s+(?:pupils?|students?)\b[^.;]{0,120}?\b(?:within|for|less\s+than|under)\s+"
    r"(\d{1,2}|" + "|".join(_WORDS) + r")\s+years?\b",
    re.IGNORECASE,
)


def record_stated_figures(apps, schema_editor):
    Policy = apps.get_model("casework", "Policy")
    Clause = apps.get_model("casework", "Clause")
    for policy in Policy.objects.all():
        for text in Clause.objects.filter(policy=policy).order_by("order").values_list(
            "text", flat=True
        ):
            match = _FORMER_PUPILS.search(text)
            if match:
                number = match.group(1).lower()
                policy.figures = {
                    "FORMER_PUPIL_CONTACT_YEARS": _WORDS.get(number) or int(number)
                }
                policy.save(update_fields=["figures"])
                break


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0008_concern_submission_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="policy",
            name="figures",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text=(
                    "Numbers of the procedure this version states, by setting name, e.g. "
                    '{"FORMER_PUPIL_CONTACT_YEARS": 3}: cases raised under it follow them.'
                ),
            ),
        ),
        migrations.RunPython(record_stated_figures, migrations.RunPython.noop),
    ]
