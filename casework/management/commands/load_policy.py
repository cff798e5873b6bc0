"""Load a policy version from a fixture, refusing to alter a version already held."""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casework.models import Clause, Policy, Trust

DEFAULT_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "social_media_policy.json"
COMPARED_FIELDS = {
    Trust: ["name"],
    Policy: [
        "title",
        "mission_statement",
        "adopted_by",
        "adopted_on",
        "reviewed_by",
        "reviewed_on",
        "next_review_by",
        "next_review_due",
        "consequence",
        "figures",
    ],
    Clause: ["kind", "order", "text", "summary", "safeguarding", "data_protection"],
}


class Command(BaseCommand):
    help = (
        "Load the trust's social media policy (a new version, or check the one held). "
        "A version already held is never changed: cases cite it."
    )

    def add_arguments(self, parser):
        parser.add_argument("fixture", nargs="?", default=str(DEFAULT_FIXTURE))

    @transaction.atomic
    def handle(self, *args, fixture, **options):
        path = Path(fixture)
        if not path.exists():
            raise CommandError(f"No policy fixture at {path}.")
        created = unchanged = 0
        with path.open(encoding="utf-8") as stream:
            for deserialized in serializers.deserialize("json", stream):
                incoming = deserialized.object
                model = type(incoming)
                existing = model.objects.filter(pk=incoming.pk).first() if incoming.pk else None
                if existing is None:
                    if model is Policy and incoming.is_current:
                        # The new version supersedes the current one; old cases still cite theirs.
                        Policy.objects.filter(trust=incoming.trust, is_current=True).update(
                            is_current=False
                        )
                    deserialized.save()
                    created += 1
                    continue
                changed = [
                    field
                    for field in COMPARED_FIELDS[model]
                    if getattr(existing, field) != getattr(incoming, field)
                ]
                if changed and model is not Trust:
                    raise CommandError(
                        f"{existing} is already held and differs in {', '.join(changed)}. "
                        "A policy version is never edited; load the change as a new version."
                    )
                unchanged += 1
        self.stdout.write(f"Policy loaded: {created} new record(s), {unchanged} already held.")
