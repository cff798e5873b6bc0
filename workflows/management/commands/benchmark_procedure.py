"""Time one case through the whole procedure, step by step, and leave the database as it was."""

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from casework.models import StaffMember
from workflows.scale import procedure


class Command(BaseCommand):
    help = (
        "Walk a case from the concern to the appeal decided through the services, in a "
        "transaction rolled back after each run: the median time and the queries of each step."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5, help="Runs counted (after one warm-up).")

    def handle(self, *args, runs=5, **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        if not StaffMember.objects.exists():
            raise CommandError("Load the demo data first: manage.py seed_demo.")
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            figures = procedure.measure(runs=runs)
        self.stdout.write(f"{'step':28} {'median_ms':>9} {'queries':>7}")
        for step in figures.steps:
            self.stdout.write(f"{step.step:28} {step.median_ms:9.1f} {step.queries:7d}")
        self.stdout.write(
            f"{'whole procedure':28} {figures.total_median_ms:9.1f} {figures.total_queries:7d}"
            f"   (median of {figures.runs} runs)"
        )
