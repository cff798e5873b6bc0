"""Suggest clauses for incident descriptions, or measure how well suggestions do.

Without options: one description per line on standard input, one JSON object per line on
standard output, ``{"text": ..., "suggestions": [{"code", "score", "why"}, ...]}``, best
first. With ``--evaluate FILE``: a JSON-lines file of ``{"text": ..., "clauses": [...]}``
(optionally ``"split"``), and the top-1 and top-3 accuracy per split, with the misses. A
description counts as a hit at k when any of its labelled clauses is among the first k.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError

from casework import selectors
from casework.management.trust_option import add_trust_argument, trust_from
from casework.suggestions import SuggestionsUnavailable, suggest

REPORTED_SPLIT = "holdout"


@dataclass
class Tally:
    name: str
    total: int = 0
    first: int = 0
    top_three: int = 0
    missed: list[tuple[dict, list[str]]] = field(default_factory=list)
    not_first: list[tuple[dict, list[str]]] = field(default_factory=list)

    def add(self, row: dict, codes: list[str]) -> None:
        labelled = set(row["clauses"])
        self.total += 1
        if codes[:1] and codes[0] in labelled:
            self.first += 1
        elif labelled & set(codes[:3]):
            self.not_first.append((row, codes))
        if labelled & set(codes[:3]):
            self.top_three += 1
        else:
            self.missed.append((row, codes))


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}% ({part}/{whole})" if whole else "n/a"


class Command(BaseCommand):
    help = (
        "Suggest policy clauses for descriptions read from standard input (JSON lines out), "
        "or with --evaluate FILE print top-1 and top-3 accuracy and the misses."
    )

    def add_arguments(self, parser):
        add_trust_argument(parser)
        parser.add_argument("--evaluate", metavar="FILE", help="JSON lines of text and clauses.")
        parser.add_argument("--split", help="With --evaluate: only rows of this split.")
        parser.add_argument(
            "--without-decisions",
            action="store_true",
            help="Leave out what the trust has decided so far (the cue words and model alone).",
        )
        parser.add_argument(
            "--top", type=int, default=5, help="Suggestions per description (at least 3)."
        )

    def handle(self, *args, evaluate=None, split=None, top=5, without_decisions=False, **options):
        if top < 3:
            raise CommandError("--top must be at least 3.")
        policy = selectors.current_policy(trust=trust_from(options.get("trust")))
        if policy is None:
            raise CommandError("No policy is loaded: run manage.py load_policy first.")
        codes = set(policy.clauses.values_list("code", flat=True))
        try:
            suggest("", policy=policy)  # load the model now, so a failure is said once
        except SuggestionsUnavailable as error:
            raise CommandError(f"Suggestions are unavailable: {error}") from None
        self.learned = not without_decisions
        if evaluate:
            self.evaluate(evaluate, policy=policy, codes=codes, split=split)
        else:
            self.suggest_lines(policy=policy, top=top)

    def suggest_lines(self, *, policy, top: int) -> None:
        for line in sys.stdin:
            text = line.strip()
            if not text:
                continue
            ranked = suggest(text, policy=policy, limit=top, learned=self.learned)
            self.stdout.write(
                json.dumps(
                    {"text": text, "suggestions": [s.as_dict() for s in ranked]},
                    ensure_ascii=False,
                )
            )

    def evaluate(self, path: str, *, policy, codes: set[str], split: str | None) -> None:
        rows = read_labelled(path, codes=codes)
        if split:
            rows = [row for row in rows if row.get("split") == split]
            if not rows:
                raise CommandError(f"No rows of split {split!r} in {path}.")
        tallies: dict[str, Tally] = {}
        for row in rows:
            name = row.get("split") or "all"
            ranked = suggest(row["text"], policy=policy, limit=3, learned=self.learned)
            tallies.setdefault(name, Tally(name)).add(row, [s.code for s in ranked])
        order = sorted(tallies, key=lambda n: (n != REPORTED_SPLIT, n))
        for name in order:
            self.report(tallies[name], reported=name == REPORTED_SPLIT)

    def report(self, tally: Tally, *, reported: bool) -> None:
        write = self.stdout.write
        label = f"Split {tally.name!r}" if tally.name != "all" else "All rows"
        write(f"{label}{' (held out: the figure to report)' if reported else ''}")
        write(f"  incidents:      {tally.total}")
        write(f"  top-1 accuracy: {percent(tally.first, tally.total)}")
        write(f"  top-3 accuracy: {percent(tally.top_three, tally.total)}")
        for title, rows in (
            ("  Misses (no labelled clause in the top 3):", tally.missed),
            ("  In the top 3 but not first:", tally.not_first),
        ):
            if rows:
                write(title)
                for row, got in rows:
                    write(f"    labelled {', '.join(row['clauses'])}; got {', '.join(got)}")
                    write(f"      {row['text']}")
        write("")


def read_labelled(path: str, *, codes: set[str]) -> list[dict]:
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.readlines()
    except OSError as error:
        raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
    rows = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            raise CommandError(f"{path}, line {number}: not a JSON object.") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise CommandError(f'{path}, line {number}: needs "text" and "clauses".')
        clauses = row.get("clauses")
        if not isinstance(clauses, list) or not clauses:
            raise CommandError(f'{path}, line {number}: "clauses" must be a list of codes.')
        unknown = [c for c in clauses if c not in codes]
        if unknown:
            raise CommandError(
                f"{path}, line {number}: {', '.join(map(str, unknown))} is not a clause of the "
                "policy in force."
            )
        rows.append(row)
    if not rows:
        raise CommandError(f"{path} has no incidents.")
    return rows
