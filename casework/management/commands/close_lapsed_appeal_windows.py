"""Close every case whose appeal window has passed with no appeal (run daily)."""

from django.core.management.base import BaseCommand

from casework.services.outcomes import close_lapsed_appeal_windows


class Command(BaseCommand):
    help = "Close cases whose appeal window has passed with no appeal lodged: the outcome is final."

    def handle(self, *args, **options):
        closed = close_lapsed_appeal_windows()
        if closed:
            self.stdout.write(f"Closed {len(closed)} case(s): {', '.join(closed)}.")
        else:
            self.stdout.write("No appeal window has lapsed.")
