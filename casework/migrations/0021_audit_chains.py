"""Audit events in chains (one per case, one for the rest), linked by keyed hashes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("casework", "0020_timestamps_from_the_casework_clock")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="chain",
            field=models.CharField(max_length=40, null=True),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="length",
            field=models.PositiveBigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="mac",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
    ]
