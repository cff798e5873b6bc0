"""What changed between two versions of a policy: clauses added, removed and reworded.

Clauses are matched by their words, not their codes: a new item at the top of the DO list
renumbers every item below it, and those are shown as renumbered, not as rewritten.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from .figures import FIGURES_BY_NAME

# Two clauses of the same kind are one clause reworded when at least this share of their
# words is common to both; below it, one was removed and another added.
REWORDED_SIMILARITY = 0.5


class ClauseLike(Protocol):
    code: str
    kind: str
    text: str


@dataclass(frozen=True)
class WordChange:
    change: str  # "same", "removed" or "added"
    words: str


@dataclass(frozen=True)
class Reworded:
    before: ClauseLike
    after: ClauseLike
    words: list[WordChange]


@dataclass(frozen=True)
class FigureChange:
    name: str
    before: int | None
    after: int | None

    @property
    def label(self) -> str:
        return FIGURES_BY_NAME[self.name].label

    @property
    def unit(self) -> str:
        return FIGURES_BY_NAME[self.name].unit


@dataclass
class Changes:
    added: list[ClauseLike] = field(default_factory=list)
    removed: list[ClauseLike] = field(default_factory=list)
    reworded: list[Reworded] = field(default_factory=list)
    renumbered: list[tuple[ClauseLike, ClauseLike]] = field(default_factory=list)
    figures: list[FigureChange] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.added or self.removed or self.reworded or self.renumbered or self.figures)

    def as_codes(self) -> dict:
        """The changes by clause code, for the audit trail."""
        return {
            "added": [c.code for c in self.added],
            "removed": [c.code for c in self.removed],
            "reworded": [f"{r.before.code}→{r.after.code}" for r in self.reworded],
            "renumbered": [f"{before.code}→{after.code}" for before, after in self.renumbered],
            "figures": {f.name: [f.before, f.after] for f in self.figures},
        }


def word_changes(before: str, after: str) -> list[WordChange]:
    """The words of ``before`` and ``after``, marked as kept, removed or added."""
    old, new = before.split(), after.split()
    changes: list[WordChange] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            changes.append(WordChange("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            changes.append(WordChange("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            changes.append(WordChange("added", " ".join(new[j1:j2])))
    return changes


def _similarity(before: str, after: str) -> float:
    return difflib.SequenceMatcher(None, before.split(), after.split(), autojunk=False).ratio()


def compare_clauses(
    before: Sequence[ClauseLike], after: Sequence[ClauseLike], changes: Changes | None = None
) -> Changes:
    changes = changes or Changes()
    for kind in ("GEN", "DO", "DONT"):
        old = [c for c in before if c.kind == kind]
        new = [c for c in after if c.kind == kind]
        matcher = difflib.SequenceMatcher(
            None, [c.text for c in old], [c.text for c in new], autojunk=False
        )
        for operation, i1, i2, j1, j2 in matcher.get_opcodes():
            if operation == "equal":
                for was, now in zip(old[i1:i2], new[j1:j2], strict=True):
                    if was.code != now.code:
                        changes.renumbered.append((was, now))
                continue
            _pair(old[i1:i2], new[j1:j2], changes)
    return changes


def _pair(old: list, new: list, changes: Changes) -> None:
    """Within a run of differing clauses, pair each old one with the new one that took its
    place. As many new as old: each in turn is the one before it reworded. Otherwise each
    old one is paired with the most similar new one after the last pair, if they share
    enough words to be the same clause reworded."""
    if len(old) == len(new):
        for was, now in zip(old, new, strict=True):
            changes.reworded.append(Reworded(was, now, word_changes(was.text, now.text)))
        return
    start = 0
    for was in old:
        best, best_score = None, REWORDED_SIMILARITY
        for index in range(start, len(new)):
            score = _similarity(was.text, new[index].text)
            if score >= best_score:
                best, best_score = index, score
        if best is None:
            changes.removed.append(was)
            continue
        changes.added.extend(new[start:best])
        now = new[best]
        changes.reworded.append(Reworded(was, now, word_changes(was.text, now.text)))
        start = best + 1
    changes.added.extend(new[start:])


def compare_figures(before: dict, after: dict, changes: Changes) -> Changes:
    for name in FIGURES_BY_NAME:
        if before.get(name) != after.get(name):
            changes.figures.append(FigureChange(name, before.get(name), after.get(name)))
    return changes


def changes_between(before, after) -> Changes:
    """What changed from one version to the next (``Policy`` objects, clauses prefetched)."""
    changes = compare_clauses(list(before.clauses.all()), list(after.clauses.all()))
    return compare_figures(before.figures or {}, after.figures or {}, changes)
