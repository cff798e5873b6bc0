"""Restore a backup made by ``manage.py backup`` into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from casework.records import backups


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty database (just created), the media folder "
        "and the seal folder; then run verify_audit and verify_letters."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        if not archive.is_file():
            raise CommandError(f"No backup archive at {archive}.")
        try:
            written = backups.restore(archive_path=archive)
        except backups.BackupFailed as failure:
            raise CommandError(str(failure)) from None
        self.stdout.write(
            f"Restored {archive} ({written.files} stored files, {written.seals} audit seals). "
            "Now run: manage.py verify_audit && manage.py verify_letters"
        )
