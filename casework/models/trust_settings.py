"""What each trust sets for itself: its letterhead and the numbers of its procedure.

One installation serves several trusts, and each runs its procedure to its own figures
(DOMAIN.md's "(setting)"s) and writes on its own paper. A trust that has never saved its
settings uses the environment's values (``CASEWORK_PROCEDURE``, ``CASEWORK_RETENTION``,
``CASEWORK_LETTERHEAD``); once saved, every figure is the trust's own, and a figure added
to Casework later still starts at the environment's value.
"""

from django.db import models

from .people import Trust


class TrustSettings(models.Model):
    trust = models.OneToOneField(Trust, on_delete=models.CASCADE, related_name="configuration")
    letterhead_name = models.CharField("name on the letterhead", max_length=200)
    address = models.TextField(blank=True, help_text="Parts separated by commas.")
    telephone = models.CharField(max_length=40, blank=True)
    email = models.EmailField("contact e-mail address", blank=True)
    # A PNG or JPEG kept in the file store; letters embed it, never fetch it from outside.
    logo = models.FileField(upload_to="trust-logos/", blank=True)
    # Procedure figures by name (the keys of settings.CASEWORK_PROCEDURE), and retention
    # periods by name (the keys of settings.CASEWORK_RETENTION).
    procedure = models.JSONField(default=dict, blank=True)
    retention = models.JSONField(default=dict, blank=True)
    reminder_escalation_working_days = models.PositiveSmallIntegerField(null=True, blank=True)
    hr_lead_email = models.EmailField("HR lead's e-mail address", blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "trust settings"
        verbose_name_plural = "trust settings"

    def __str__(self) -> str:
        return f"Settings of {self.trust}"
