"""Check every audit chain, and the chains against the latest seal; name what does not
check out."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from casework import audit
from casework.models import AuditChainHead, AuditEvent


class Command(BaseCommand):
    help = (
        "Verify that no audit event was changed, removed or inserted behind Casework's back: "
        "every chain's keyed links and heads, and the latest seal written by seal_audit."
    )

    def handle(self, *args, **options):
        # One snapshot of every chain and head, while requests go on writing.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            self.verify()

    def verify(self) -> None:
        problems: list[str] = []
        latest = audit.latest_seal()
        sealed = None
        if latest is not None:
            path, seal = latest
            if audit.seal_checks_out(seal):
                sealed = seal["chains"]
            else:
                problems.append(
                    f"the latest seal ({path.name}) does not check out under the audit key"
                )
        for link in audit.find_broken_links(sealed=sealed):
            if link.event_id:
                problems.append(f"audit event {link.event_id} {link.problem}")
            else:
                problems.append(link.problem)
        if problems:
            message = f"The audit trail is broken: {problems[0]}."
            if len(problems) > 1:
                message += f" ({len(problems) - 1} further problem(s) also found.)"
            for problem in problems[1:21]:
                self.stderr.write(f"Also: {problem}.")
            raise CommandError(message)
        count = AuditEvent.objects.count()
        chains = AuditChainHead.objects.count()
        self.stdout.write(
            f"The audit trail is intact: {count} events in {chains} chains, every link checks out."
        )
        if latest is None:
            self.stdout.write(
                "No seal has been written yet (manage.py seal_audit): a removed tail or a "
                "truncation could not be told from a shorter trail."
            )
        else:
            path, seal = latest
            self.stdout.write(
                f"The latest seal ({path.name}, {seal['sealed_at']}, {seal['events']} events) "
                "checks out: every chain still holds what was sealed."
            )
