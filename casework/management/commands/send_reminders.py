"""E-mail reminders of deadlines due next, due today and overdue (run daily)."""

from django.core.management.base import BaseCommand

from casework.reminders.sending import send_reminders


class Command(BaseCommand):
    help = (
        "Remind whoever must act of tasks, suspension reviews, LADO referrals, the DPO's "
        "decisions and subject access requests due on the next working day, due today or "
        "overdue; tell HR's lead of those long overdue. Each reminder is sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        reminders = send_reminders(dry_run=dry_run)
        verb = "Would send" if dry_run else "Sent"
        for reminder in reminders:
            self.stdout.write(f"{verb} {reminder.describe()}")
        self.stdout.write(f"{verb} {len(reminders)} reminder(s).")
