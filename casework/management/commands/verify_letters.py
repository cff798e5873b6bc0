"""Check every issued letter: its stored file against its SHA-256, and its SHA-256 against
the one its audit event recorded when it was issued (the keyed trail, which a changed
column cannot match). Names each letter that does not check out; exits non-zero if any."""

from django.core.management.base import BaseCommand, CommandError

from casework.models import AuditEvent, Case, Letter
from casework.records.storage import StoredFileChanged, read_verified


class Command(BaseCommand):
    help = "Verify every issued letter's stored file against its hash and its audit event."

    def handle(self, *args, **options):
        issued = {
            int(event.object_id): event
            for event in AuditEvent.objects.filter(
                action="letter.issued", object_type="casework.letter"
            ).only("object_id", "details", "case_id")
        }
        problems: list[str] = []
        count = 0
        for letter in Letter._base_manager.select_related("case").order_by("pk").iterator():
            count += 1
            name = f"letter {letter.pk} ({letter.case.reference}, {letter.get_kind_display()})"
            event = issued.pop(letter.pk, None)
            if event is None:
                problems.append(f"{name} has no issuing event in the audit trail")
            elif event.details.get("sha256") != letter.sha256:
                problems.append(f"{name}: its recorded SHA-256 is not the one it was issued with")
            try:
                read_verified(letter.file.name, letter.sha256)
            except StoredFileChanged:
                problems.append(f"{name}: the stored file {letter.file.name} does not match")
            except OSError:
                problems.append(f"{name}: the stored file {letter.file.name} is missing")
        # A letter whose case still exists is removed only with its case.
        existing = set(
            Case.objects.filter(pk__in={e.case_id for e in issued.values()}).values_list(
                "pk", flat=True
            )
        )
        for letter_id, event in sorted(issued.items()):
            if event.case_id in existing:
                problems.append(f"letter {letter_id} was issued but is no longer stored")
        for problem in problems:
            self.stderr.write(f"Mismatch: {problem}.")
        if problems:
            raise CommandError(f"{len(problems)} of the issued letters do not check out.")
        self.stdout.write(f"Every issued letter checks out: {count} letters.")
