"""Browsers a person has signed in from: they pass the lockouts that strangers set off."""

from django.db import models

from casework import clock

from .people import User


class RecognisedBrowser(models.Model):
    """A browser that signed in as ``user``, known by a random token in a cookie of its own
    (only the token's SHA-256 is kept). ``failures`` counts wrong passwords given from it
    since; past the limit it is no longer recognised."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token_sha256 = models.CharField(max_length=64, unique=True)
    signed_in_at = models.DateTimeField(default=clock.now)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["user", "signed_in_at"])]

    def __str__(self) -> str:
        return f"Browser of {self.user} since {self.signed_in_at:%Y-%m-%d}"
