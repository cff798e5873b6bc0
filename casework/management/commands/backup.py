"""Back up Casework: the database, the stored files and the audit seals, in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casework.records import backups


class Command(BaseCommand):
    help = (
        "Seal the audit trail, then write the database (pg_dump, or a consistent SQLite "
        "copy), every stored file and the audit seals into one .tar.gz archive."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="Default: var/backups/casework-<time>.tar.gz"
        )

    def handle(self, *args, output=None, **options):
        try:
            written = backups.back_up(output=output)
        except backups.BackupFailed as failure:
            raise CommandError(str(failure)) from None
        self.stdout.write(
            f"Backup written: {written.path} ({written.files} stored files, "
            f"{written.seals} audit seals)."
        )
