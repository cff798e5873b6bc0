# The trusts are filled in (0025); from here every case and closure day names one.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0025_trusts_apart"),
    ]

    operations = [
        migrations.AlterField(
            model_name="case",
            name="trust",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="casework.trust",
            ),
        ),
        migrations.AlterField(
            model_name="closureday",
            name="trust",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="closure_days",
                to="casework.trust",
            ),
        ),
    ]
