from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0005_letters"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ladoreferral",
            name="due_on",
            field=models.DateField(
                help_text="The LADO referral deadline (a procedure setting, in working days) "
                "after the concern reached the DSL."
            ),
        ),
    ]
