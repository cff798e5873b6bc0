"""Answer a logged subject access request from the command line: a zip of everything held
about one person.

    python manage.py export_subject_data tom.brennan@stclare.example
    python manage.py export_subject_data 42 --output /secure/share/sar-42.zip

The request must first be logged in Casework (Subject access requests, "Log a request"),
so that its deadline is tracked; the export is produced from it, kept with it and recorded
in the audit trail, exactly as the "Produce the export" button does. Third parties are
redacted (see casework/records/subject_access.py). Check the files the zip's README lists before
sending it: pictures and PDFs cannot be redacted automatically.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework.errors import CaseworkError
from casework.records import subject_access
from casework.services.subject_access import produce_subject_access_export, stored_export


class Command(BaseCommand):
    help = "Produce the export answering a person's logged subject access request."

    def add_arguments(self, parser):
        parser.add_argument("person", help="Their e-mail address or workforce record number.")
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write a copy of the zip (default: var/subject-access/ under Casework).",
        )

    def handle(self, *args, person: str, output: Path | None, **options):
        found = subject_access.find_person(person)
        if found is None:
            raise CommandError(
                f"Nobody in the workforce has the e-mail address or record number “{person}”."
            )
        request = found.subject_access_requests.unanswered().order_by("received_on").first()
        if request is None:
            raise CommandError(
                f"No unanswered subject access request is logged for {found.full_name}. Log it "
                "in Casework first (Subject access requests, “Log a request”), so that its "
                "deadline is tracked, then run this again."
            )
        try:
            request = produce_subject_access_export(request=request, by=None)
        except CaseworkError as refusal:
            raise CommandError(refusal.message) from None
        if output is None:
            output = (
                Path(settings.VAR_DIR)
                / "subject-access"
                / f"subject-access-{found.pk}-{timezone.localdate():%Y-%m-%d}.zip"
            )
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(stored_export(request))
        output.chmod(0o600)
        self.stdout.write(f"Written: {output}")
        self.stdout.write(
            "Check the README inside before sending: it lists files to review by hand. "
            f"Answer by {request.due_on:%A %-d %B %Y}, then record the answer in Casework."
        )
