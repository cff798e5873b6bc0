"""Grow the database to a given number of cases, for measuring Casework at scale."""

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from casework.models import Case
from workflows.scale import seeding


class Command(BaseCommand):
    help = (
        "Add N cases copied from the demonstration cases, spread over years, schools, people "
        "and every stage, with their workflow, audit events, letters and hearings. Runs only "
        "with DEBUG on unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, required=True, help="How many cases to add.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same cases.")
        parser.add_argument("--years", type=int, default=10, help="Over how many years.")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, cases, seed, years, batch_size, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_scale fills the database with made-up cases: DEBUG only.")
        if cases < 1:
            raise CommandError("--cases must be at least 1.")
        if not Case.objects.exists():
            call_command("seed_demo", force=force, stdout=self.stdout)
        started = time.monotonic()
        report = seeding.seed(
            cases=cases,
            seed=seed,
            years=years,
            batch_size=batch_size,
            progress=lambda message: self.stdout.write(message),
        )
        rows = sum(report.rows.values())
        self.stdout.write(
            f"Added {report.cases} cases, {report.people} people and {rows} rows in "
            f"{time.monotonic() - started:.1f} s ({Case.objects.count()} cases in all)."
        )
