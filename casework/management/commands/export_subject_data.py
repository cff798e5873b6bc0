"""Answer a subject access request: a zip of everything held about one person.

    python manage.py export_subject_data tom.brennan@stclare.example
    python manage.py export_subject_data 42 --output /secure/share/sar-42.zip

Third parties are redacted (see casework/subject_access.py). The export is recorded in the
audit trail. Check the files the zip's README lists before sending it: pictures and PDFs
cannot be redacted automatically.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casework import subject_access


class Command(BaseCommand):
    help = "Write a zip of everything Casework holds about one person, third parties redacted."

    def add_arguments(self, parser):
        parser.add_argument("person", help="Their e-mail address or workforce record number.")
        parser.add_argument(
            "--output",
            type=Path,
            help="Where to write the zip (default: var/subject-access/ under Casework).",
        )

    def handle(self, *args, person: str, output: Path | None, **options):
        found = subject_access.find_person(person)
        if found is None:
            raise CommandError(
                f"Nobody in the workforce has the e-mail address or record number “{person}”."
            )
        if output is None:
            output = subject_access.default_path(
                found, folder=Path(settings.VAR_DIR) / "subject-access"
            )
        path = subject_access.export(found, to=output)
        path.chmod(0o600)
        self.stdout.write(f"Written: {path}")
        self.stdout.write(
            "Check the README inside before sending: it lists files to review by hand. "
            "Answer within one month of the request."
        )
