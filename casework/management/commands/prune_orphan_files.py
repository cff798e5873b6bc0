"""Remove stored files that no record refers to (run daily).

A file is written before the row that records it; if the process dies between the two the
file is left behind with nothing pointing at it. Files under evidence/, letters/,
subject-access/ and trust-logos/ (a logo replaced) older than a day that no row names are
reported, and with --apply deleted through the storage API. Younger files are left alone:
their row may still be on its way.
"""

import datetime
import posixpath

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from casework import audit
from casework.records.storage import file_fields

FOLDERS = ("evidence", "letters", "subject-access", "trust-logos")
MINIMUM_AGE = datetime.timedelta(days=1)


def stored_files(folder: str):
    if not default_storage.exists(folder):
        return
    directories, files = default_storage.listdir(folder)
    for name in files:
        yield posixpath.join(folder, name)
    for directory in directories:
        yield from stored_files(posixpath.join(folder, directory))


def referenced_files() -> set[str]:
    """Every file name held in any file field of any model."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in file_fields(model):
            names.update(
                str(value)
                for value in model._default_manager.exclude(**{field.name: ""})
                .values_list(field.name, flat=True)
                .iterator()
                if value
            )
    return names


class Command(BaseCommand):
    help = "Report (and with --apply, delete) stored files that no record refers to."

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Delete them. Without it, nothing changes."
        )

    def handle(self, *args, apply: bool, **options):
        cutoff = timezone.now() - MINIMUM_AGE
        referenced = referenced_files()
        orphans = [
            name
            for folder in FOLDERS
            for name in stored_files(folder)
            if name not in referenced and default_storage.get_modified_time(name) < cutoff
        ]
        if not orphans:
            self.stdout.write("No orphaned files.")
            return
        for name in orphans:
            self.stdout.write(f"  {name}")
        if not apply:
            self.stdout.write(
                f"Dry run: {len(orphans)} orphaned file(s) found; run with --apply to delete them."
            )
            return
        for name in orphans:
            default_storage.delete(name)
        audit.record(
            action="files.pruned",
            actor=None,
            summary=f"{len(orphans)} orphaned file(s) deleted",
            details={"files": orphans[:500]},
        )
        self.stdout.write(f"Deleted {len(orphans)} orphaned file(s).")
