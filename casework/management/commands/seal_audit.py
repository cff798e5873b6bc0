"""Seal the audit trail: a keyed checkpoint of every chain's head, outside the database.

Run it on a schedule (the README gives the cron line). verify_audit then reports any chain
that no longer reaches what was sealed: a removed tail, a truncation, a rewritten chain.
"""

from django.core.management.base import BaseCommand

from casework import audit


class Command(BaseCommand):
    help = "Write a keyed checkpoint of every audit chain's head under CASEWORK_AUDIT_SEAL_DIR."

    def handle(self, *args, **options):
        path, seal = audit.write_seal()
        self.stdout.write(
            f"Sealed {seal['events']} audit events in {len(seal['chains'])} chains: {path}"
        )
