"""Run the daily jobs once; safe when every server runs it at the same time."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from casework import jobs


class Command(BaseCommand):
    help = (
        "Close lapsed appeal windows, verify the audit trail, apply the retention schedule "
        "and prune orphaned files. Each job runs on one server at a time (an advisory lock); "
        "a server that finds a job already running leaves it to the other."
    )

    def handle(self, *args, **options):
        failed = []
        for name, job_options in jobs.DAILY_JOBS:
            with jobs.held_alone(name) as alone:
                if not alone:
                    self.stdout.write(f"{name}: already running on another server; left to it.")
                    continue
                self.stdout.write(f"{name}:")
                try:
                    call_command(name, stdout=self.stdout, stderr=self.stderr, **job_options)
                except CommandError as error:
                    # The others still run (a broken trail is reported, not hidden).
                    self.stderr.write(f"{name} failed: {error}")
                    failed.append(name)
        if failed:
            raise CommandError(f"Daily job(s) failed: {', '.join(failed)}.")
