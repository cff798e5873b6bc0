"""Close every case whose appeal window has passed with no appeal (run daily)."""

from django.core.management.base import BaseCommand

from casework.services.outcomes import (
    close_lapsed_appeal_windows,
    lapsed_but_waiting_for_referrals,
)


class Command(BaseCommand):
    help = "Close cases whose appeal window has passed with no appeal lodged: the outcome is final."

    def handle(self, *args, **options):
        closed = close_lapsed_appeal_windows()
        if closed:
            self.stdout.write(f"Closed {len(closed)} case(s): {', '.join(closed)}.")
        waiting = lapsed_but_waiting_for_referrals()
        if waiting:
            self.stdout.write(
                f"Left open until HR records their referral decisions: {', '.join(waiting)}."
            )
        if not closed and not waiting:
            self.stdout.write("No appeal window has lapsed.")
