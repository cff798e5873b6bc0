"""Importing a policy document as the trust's new current version.

Reading and parsing store nothing: a proposal is only a proposal until HR confirms it.
Adopting a confirmed proposal is one transaction: the new version, its clauses, the
previous version stepping down and the audit event are written together or not at all.
Cases keep the version they cite (``Case.policy``), so their allegations and letters go
on quoting the words they were raised under.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from casework import audit
from casework.errors import RuleBroken
from casework.evidence import CheckedFile, check_upload
from casework.models import Clause, Policy, Trust, User

from .changes import Changes, compare_clauses, compare_figures
from .figures import FoundFigure, figure_of_trust, figures_in
from .parsing import Proposal, numbered, parse
from .proposals import SUMMARY_MAX
from .reading import READABLE_DESCRIPTION, READABLE_TYPES, read_lines

VERSION_FORMAT = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$")


@dataclass(frozen=True)
class Source:
    """The document a version was imported from, as the audit trail records it."""

    name: str
    sha256: str
    content_type: str

    @classmethod
    def of(cls, checked: CheckedFile) -> Source:
        return cls(checked.original_name, checked.sha256, checked.content_type)


def max_bytes() -> int:
    return settings.CASEWORK_POLICY_MAX_BYTES


def check_policy_upload(upload: UploadedFile) -> CheckedFile:
    """The upload, checked as evidence is (its kind by content; no programs, macros or
    script), no larger than a policy document need be, and of a kind Casework reads."""
    name = Path(upload.name or "file").name[:255]
    limit = max_bytes()
    if upload.size is not None and upload.size > limit:
        raise RuleBroken(
            f"“{name}” is {filesizeformat(upload.size)}; the largest policy document "
            f"accepted is {filesizeformat(limit)}. Nothing was stored."
        )
    checked = check_upload(upload)
    if len(checked.content) > limit:
        raise RuleBroken(
            f"“{name}” is larger than {filesizeformat(limit)}, the largest policy document "
            "accepted. Nothing was stored."
        )
    if checked.content_type not in READABLE_TYPES:
        raise RuleBroken(
            f"“{checked.original_name}” cannot be imported as a policy. Casework reads "
            f"{READABLE_DESCRIPTION}; save the policy in one of those forms and try again. "
            "Nothing was stored."
        )
    return checked


def check_policy_file(path: Path) -> CheckedFile:
    """A document on disk, checked exactly as an upload is."""
    try:
        with path.open("rb") as stream:
            content = stream.read(max_bytes() + 1)
    except OSError as error:
        raise RuleBroken(f"{path} cannot be read: {error.strerror or error}.") from None
    return check_policy_upload(SimpleUploadedFile(path.name, content))


def read_policy(*, checked: CheckedFile, trust: Trust) -> Proposal:
    """The proposal for a checked document: its clauses, codes, flags, summaries and facts."""
    return parse(read_lines(checked), trust_name=trust.name, name=checked.original_name)


# --- The numbers the procedure takes from the policy --------------------------------------


@dataclass(frozen=True)
class FigureCheck:
    """A number the document states, beside the number the trust uses today."""

    found: FoundFigure
    current: int

    @property
    def changed(self) -> bool:
        return self.found.value != self.current

    def confirmation(self) -> str:
        return f"{self.found.name}={self.found.value}"


def figure_checks(*, trust: Trust, proposal: Proposal) -> list[FigureCheck]:
    current = Policy.objects.filter(trust=trust, is_current=True).first()
    return [
        FigureCheck(found, figure_of_trust(current, found.name, trust=trust.pk))
        for found in figures_in(proposal.adopted())
    ]


# --- Adopting a version ---------------------------------------------------------------


def check_version(*, trust: Trust, version: str) -> None:
    """A new version needs a number of its own, fit to be cited and put in an address."""
    if not VERSION_FORMAT.match(version):
        raise RuleBroken(
            "Give the version as up to 20 letters, digits, dots or dashes, such as 2026.1. "
            "Nothing was stored."
        )
    if Policy.objects.filter(trust=trust, version=version).exists():
        raise RuleBroken(
            f"Version {version} of {trust.name}'s policy is already held, and cases may cite "
            "it: a held version is never changed. Give the new version its own number. "
            "Nothing was stored."
        )


def _check_facts(*, trust: Trust, version: str, proposal: Proposal) -> None:
    check_version(trust=trust, version=version)
    missing = [
        label
        for label, value in (
            ("the title", proposal.title),
            ("who adopted it", proposal.adopted_by),
            ("the date it was adopted", proposal.adopted_on),
            ("the date of its next review", proposal.next_review_due),
        )
        if not value
    ]
    if missing:
        raise RuleBroken(
            f"The document does not say {', '.join(missing)}: give them before the version "
            "is adopted. Nothing was stored."
        )
    for label, value, limit in (
        ("The title", proposal.title, 300),
        ("The adopting body", proposal.adopted_by, 200),
        ("The reviewing body", proposal.reviewed_by, 200),
        ("The body that next reviews it", proposal.next_review_by, 200),
    ):
        if len(value) > limit:
            raise RuleBroken(f"{label} is longer than {limit} characters. Nothing was stored.")
    if proposal.next_review_due <= proposal.adopted_on:
        raise RuleBroken(
            f"The next review ({proposal.next_review_due:%-d %B %Y}) must come after the "
            f"policy was adopted ({proposal.adopted_on:%-d %B %Y}). Nothing was stored."
        )
    current = Policy.objects.filter(trust=trust, is_current=True).first()
    if current is not None and proposal.adopted_on < current.adopted_on:
        raise RuleBroken(
            f"This version was adopted on {proposal.adopted_on:%-d %B %Y}, before the current "
            f"version {current.version} ({current.adopted_on:%B %Y}): only a newer version "
            "can become current. Nothing was stored."
        )


def _check_clauses(proposal: Proposal) -> None:
    clauses = proposal.adopted()
    if not any(c.kind in ("DO", "DONT") for c in clauses):
        raise RuleBroken(
            "A version needs at least one item to do or not to do. Nothing was stored."
        )
    for clause in clauses:
        if not clause.text.strip():
            raise RuleBroken(f"{clause.code} has no text. Nothing was stored.")
        if not clause.summary.strip():
            raise RuleBroken(f"Give {clause.code} a plain-English summary. Nothing was stored.")
        if len(clause.summary) > SUMMARY_MAX:
            raise RuleBroken(
                f"The summary of {clause.code} is longer than {SUMMARY_MAX} characters. "
                "Nothing was stored."
            )


def _check_figures(checks: list[FigureCheck], confirmed: Mapping[str, int]) -> None:
    for check in checks:
        if check.changed and confirmed.get(check.found.name) != check.found.value:
            figure = check.found.figure
            raise RuleBroken(
                f"{check.found.code} says {check.found.value} {figure.unit} for the "
                f"{figure.label.lower()} where Casework uses {check.current} {figure.unit} "
                f"today ({figure.description}). Confirm {check.found.value} {figure.unit} for "
                f"cases raised under this version ({check.confirmation()}), or correct the "
                "document. Nothing was stored."
            )


@transaction.atomic
def adopt_policy_version(
    *,
    trust: Trust,
    version: str,
    proposal: Proposal,
    source: Source,
    by: User | None,
    confirmed_figures: Mapping[str, int] | None = None,
) -> Policy:
    """Adopt a confirmed proposal as the trust's current version of its policy.

    The version before it stays, unchanged, for the cases that cite it. A number the
    procedure takes from the policy (the former-pupil window of DONT-4) that differs from
    the one the trust uses today must be confirmed, and the version then carries it.
    """
    Trust.objects.select_for_update().get(pk=trust.pk)  # one adoption per trust at a time
    version = version.strip()
    numbered(proposal.clauses)
    _check_facts(trust=trust, version=version, proposal=proposal)
    _check_clauses(proposal)
    checks = figure_checks(trust=trust, proposal=proposal)
    _check_figures(checks, confirmed_figures or {})

    previous = (
        Policy.objects.filter(trust=trust, is_current=True).prefetch_related("clauses").first()
    )
    if previous is not None:
        Policy.objects.filter(pk=previous.pk).update(is_current=False)
    policy = Policy.objects.create(
        trust=trust,
        title=proposal.title,
        version=version,
        mission_statement=proposal.mission_statement,
        adopted_by=proposal.adopted_by,
        adopted_on=proposal.adopted_on,
        reviewed_by=proposal.reviewed_by,
        reviewed_on=proposal.reviewed_on,
        next_review_by=proposal.next_review_by,
        next_review_due=proposal.next_review_due,
        consequence=proposal.consequence,
        is_current=True,
        figures={check.found.name: check.found.value for check in checks},
    )
    clauses = Clause.objects.bulk_create(
        Clause(
            policy=policy,
            code=clause.code,
            kind=clause.kind,
            order=order,
            text=clause.text,
            summary=clause.summary.strip(),
            safeguarding=clause.safeguarding,
            data_protection=clause.data_protection,
        )
        for order, clause in enumerate(proposal.adopted(), start=1)
    )
    changes = Changes()
    if previous is not None:
        compare_clauses(list(previous.clauses.all()), clauses, changes)
        compare_figures(previous.figures or {}, policy.figures, changes)
    audit.record(
        action="policy.version_adopted",
        actor=by,
        target=policy,
        trust_id=trust.pk,  # the trust's trail, though a command (no one) adopted it
        summary=(
            f"Policy version {version} adopted for {trust.name} ({len(clauses)} clauses)"
            + (f", replacing version {previous.version}" if previous else "")
        ),
        details={
            "trust": trust.name,
            "version": version,
            "previous_version": previous.version if previous else None,
            "source": {"name": source.name, "sha256": source.sha256, "type": source.content_type},
            "clauses": [c.code for c in clauses],
            "flags": {
                "safeguarding": [c.code for c in clauses if c.safeguarding],
                "data_protection": [c.code for c in clauses if c.data_protection],
            },
            "figures": policy.figures,
            "changes": changes.as_codes(),
        },
    )
    return policy
