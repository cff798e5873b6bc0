"""Apply the retention schedule: report what is due; change nothing without --apply.

Run daily (e.g. from cron). Without --apply it lists each case due to have its warning
marked spent, to be anonymised or to be erased, and each that needs a person to look at
it; with --apply it does so, one case at a time, each step recorded in the audit trail.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from casework import audit
from casework.records import retention

LABELS = {
    retention.SPEND: "mark spent",
    retention.ANONYMISE: "anonymise",
    retention.ERASE: "erase",
    retention.REVIEW: "review",
}


class Command(BaseCommand):
    help = "Report (and with --apply, carry out) what the retention schedule calls for."

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Carry it out. Without it, nothing changes."
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help="Report as if it were this day (YYYY-MM-DD). Never later than today with --apply.",
        )

    def handle(self, *args, apply: bool, today: datetime.date | None, **options):
        real_today = timezone.localdate()
        if apply and today is not None and today > real_today:
            raise CommandError(
                "Records are erased only when they are due: --apply cannot take a day after "
                "today. Leave out --apply to see what a later day will bring."
            )
        today = today or real_today
        steps = retention.plan(today=today)
        due = [step for step in steps if step.action != retention.REVIEW]
        review = [step for step in steps if step.action == retention.REVIEW]
        self.stdout.write(f"Retention schedule on {today:%d %B %Y}:")
        if not steps:
            self.stdout.write("  Nothing is due.")
        for step in due:
            self.stdout.write(
                f"  {step.reference:<14} {LABELS[step.action]:<10} due {step.due_on:%d %b %Y}  "
                f"{step.rule}"
            )
        for step in review:
            self.stdout.write(f"  {step.reference:<14} {LABELS[step.action]:<10} {step.rule}")
        if not apply:
            if due:
                self.stdout.write(
                    f"Dry run: nothing was changed. {len(due)} step(s) due; run with --apply "
                    "to carry them out."
                )
            return
        outcome = retention.carry_out(due)
        audit.record(
            action="retention.applied",
            actor=None,
            summary=(
                f"Retention schedule applied: {len(outcome.done)} done, "
                f"{len(outcome.failed)} failed"
            ),
            details={
                "done": [[s.reference, s.action] for s in outcome.done],
                "failed": [[s.reference, s.action, why] for s, why in outcome.failed],
            },
        )
        for step in outcome.done:
            self.stdout.write(f"Done: {step.reference} {LABELS[step.action]}")
        for step, why in outcome.failed:
            self.stderr.write(f"Not done: {step.reference} {LABELS[step.action]}: {why}")
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} step(s) could not be carried out.")
