"""Check the audit trail's hash chain; name the first event that does not check out."""

from django.core.management.base import BaseCommand, CommandError

from casework.audit import find_broken_links
from casework.models import AuditEvent


class Command(BaseCommand):
    help = "Verify that no audit event was changed, removed or inserted behind Casework's back."

    def handle(self, *args, **options):
        broken = find_broken_links()
        first = next(broken, None)
        if first is None:
            count = AuditEvent.objects.count()
            self.stdout.write(f"The audit trail is intact: {count} events, every link checks out.")
            return
        others = sum(1 for _ in broken)
        if first.event_id:
            message = f"The audit trail is broken: audit event {first.event_id} {first.problem}."
        else:
            message = f"The audit trail is broken: {first.problem}."
        if others:
            message += f" ({others} further link(s) also fail to check out.)"
        raise CommandError(message)
