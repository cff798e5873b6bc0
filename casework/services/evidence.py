"""Evidence files on a case."""

from __future__ import annotations

from casework import permissions
from casework.errors import NotAllowed, RuleBroken
from casework.evidence import CheckedFile
from casework.models import Case, EvidenceFile, User
from casework.records.storage import FileSaver, files_removed_on_failure

from .cases import locked_case, note
from .limits import ensure_evidence_allowed_today

EVIDENCE_REFUSAL = (
    "Only the case manager, or the investigating officer during the investigation, may add "
    "evidence."
)


def attach_evidence(
    *, case: Case, checked: CheckedFile, by: User, saver: FileSaver, description: str = ""
) -> EvidenceFile:
    """Store one checked file against a case, inside the caller's transaction."""
    name = saver.save("evidence", checked.content, checked.extension)
    evidence = EvidenceFile.objects.create(
        case=case,
        file=name,
        original_name=checked.original_name,
        content_type=checked.content_type,
        size=len(checked.content),
        sha256=checked.sha256,
        description=description[:300],
        uploaded_by=by,
    )
    note(
        case,
        by=by,
        action="evidence.added",
        summary=f"Evidence added: {checked.original_name}",
        target=evidence,
        details={
            "sha256": checked.sha256,
            "bytes": len(checked.content),
            # A picture is kept re-encoded without its metadata: the hash of what was sent
            # is kept too, so the file can be matched to the one the person holds.
            "sha256_as_received": checked.received_sha256 or checked.sha256,
            "metadata_removed": checked.received_sha256 not in ("", checked.sha256),
        },
    )
    return evidence


def add_evidence(
    *, case: Case, checked: CheckedFile, by: User, description: str = ""
) -> EvidenceFile:
    """HR adds evidence while the case is open; the investigating officer, during the
    investigation."""
    with files_removed_on_failure() as saver, locked_case(case) as case:
        if not case.is_open:
            raise RuleBroken("This case is closed; its evidence can no longer change.")
        if not permissions.may_add_evidence(case, by):
            raise NotAllowed(EVIDENCE_REFUSAL)
        ensure_evidence_allowed_today(user=by, adding=1)
        return attach_evidence(
            case=case, checked=checked, by=by, saver=saver, description=description
        )
