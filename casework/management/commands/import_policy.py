"""Import a policy document (plain text, .docx or a text PDF) as a new version of a
trust's policy: its clauses found, coded and adopted as the trust's current version."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casework.errors import RuleBroken
from casework.models import Trust
from casework.policies import importing
from casework.policies.figures import FIGURES_BY_NAME
from casework.policies.parsing import KINDS


class _DryRun(Exception):
    """Rolls back a dry run once every check has passed."""


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date: give it as YYYY-MM-DD.") from None


def _figure(value: str) -> tuple[str, int]:
    name, _, number = value.partition("=")
    if name not in FIGURES_BY_NAME or not number.isdigit():
        raise CommandError(
            f"{value!r}: give a confirmed figure as NAME=NUMBER, where NAME is one of "
            f"{', '.join(FIGURES_BY_NAME)}."
        )
    return name, int(number)


class Command(BaseCommand):
    help = (
        "Import a policy document as a new version of a trust's policy. Its DO and DO NOT "
        "lists and general standards become clauses (GEN-n, DO-n, DONT-n); the version "
        "becomes the trust's current one, and cases raised before keep citing theirs."
    )

    def add_base_argument(self, parser, *args, **kwargs):
        if "--version" in args:
            return  # here --version names the policy's version, not the program's
        super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("path", help="The policy: plain text, a .docx, or a PDF with text.")
        parser.add_argument("--trust", required=True, help="The trust's name, as held.")
        parser.add_argument("--version", required=True, help="The version's number, e.g. 2026.1.")
        parser.add_argument(
            "--adopted-on", type=_date, help="YYYY-MM-DD, where the document gives no date."
        )
        parser.add_argument("--adopted-by", help="Where the document does not say who adopted it.")
        parser.add_argument(
            "--next-review-due", type=_date, help="YYYY-MM-DD, where the document gives none."
        )
        parser.add_argument(
            "--confirm-figure",
            type=_figure,
            action="append",
            default=[],
            metavar="NAME=NUMBER",
            help="Confirm a number the policy states that differs from the one used today, "
            "e.g. FORMER_PUPIL_CONTACT_YEARS=5.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Check and show; store nothing.")
        parser.add_argument(
            "--json", action="store_true", help="Print the title and clauses as JSON."
        )

    def handle(self, *args, path, trust, version, dry_run, **options):
        held = Trust.objects.filter(name=trust).first()
        if held is None:
            names = ", ".join(Trust.objects.order_by("name").values_list("name", flat=True))
            raise CommandError(f"No trust named {trust!r} is held. Trusts: {names or 'none'}.")
        try:
            checked = importing.check_policy_file(Path(path))
            proposal = importing.read_policy(checked=checked, trust=held)
            for name, option in (
                ("adopted_on", "adopted_on"),
                ("adopted_by", "adopted_by"),
                ("next_review_due", "next_review_due"),
            ):
                if options[option]:
                    setattr(proposal, name, options[option])
            try:
                with transaction.atomic():
                    policy = importing.adopt_policy_version(
                        trust=held,
                        version=version,
                        proposal=proposal,
                        source=importing.Source.of(checked),
                        by=None,
                        confirmed_figures=dict(options["confirm_figure"]),
                    )
                    if dry_run:
                        raise _DryRun
            except _DryRun:
                policy = None
        except RuleBroken as refusal:
            raise CommandError(refusal.message) from None

        clauses = proposal.adopted()
        if options["json"]:
            self.stdout.write(_as_json(proposal.title, clauses))
        else:
            counts = {kind: sum(1 for c in clauses if c.kind == kind) for kind in KINDS}
            self.stdout.write(
                f"{proposal.title}: {counts['GEN']} general standards, {counts['DO']} DO and "
                f"{counts['DONT']} DO NOT items."
            )
            for clause in clauses:
                flags = [f for f in ("safeguarding", "data_protection") if getattr(clause, f)]
                marks = f"  [{', '.join(flags)}]" if flags else ""
                self.stdout.write(f"  {clause.code}: {clause.text}{marks}")
        for note in proposal.notes:
            self.stderr.write(f"Note: {note}")
        if policy is None:
            self.stderr.write(f"Dry run: version {version} was checked; nothing was stored.")
        else:
            self.stderr.write(
                f"Version {policy.version} of {held.name}'s policy is now current. Cases raised "
                "before keep citing the version they were raised under."
            )


def _as_json(title: str, clauses) -> str:
    return json.dumps(
        {
            "title": title,
            "clauses": [{"code": c.code, "kind": c.kind, "text": c.text} for c in clauses],
        },
        ensure_ascii=False,
        indent=2,
    )
