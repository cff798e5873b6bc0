"""Numbers of the procedure that a policy states in its own words.

DONT-4 of St Clare's policy forbids contact with former pupils "within three years of
their leaving school": the same three years decide whether a concern about a former pupil
goes to the designated safeguarding lead. A version records each such number as it states
it (``Policy.figures``, keyed by the procedure setting's name), and a case is routed by
the number its own version states, so adopting a version that says five years changes
nothing for cases raised under the one that said three. A version that states no number
falls back to the procedure setting of the same name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casework.models import Policy
from casework.workdays import procedure

_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_NUMBER = r"(?P<number>\d{1,2}|" + "|".join(_NUMBER_WORDS) + r")"


@dataclass(frozen=True)
class PolicyFigure:
    """A number the procedure takes from the policy, and how to find it in clause text."""

    name: str  # the procedure setting it stands in for, e.g. FORMER_PUPIL_CONTACT_YEARS
    label: str
    description: str
    unit: str
    patterns: tuple[re.Pattern, ...]

    def find(self, text: str) -> int | None:
        for pattern in self.patterns:
            match = pattern.search(text)
            if match:
                number = match.group("number").lower()
                return _NUMBER_WORDS.get(number) or int(number)
        return None


FORMER_PUPIL_CONTACT_YEARS = PolicyFigure(
    name="FORMER_PUPIL_CONTACT_YEARS",
    label="Former-pupil window",
    description=(
        "contact with a former pupil within this many years of their leaving is a "
        "safeguarding matter"
    ),
    unit="years",
    patterns=(
        # "former pupils within three years of their leaving school"
        re.compile(
            rf"\bformer\s+(?:pupils?|students?)\b[^.;]{{0,120}}?"
            rf"\b(?:within|for|less\s+than|under)\s+{_NUMBER}\s+years?\b",
            re.IGNORECASE,
        ),
        # "pupils who left in the last two years"
        re.compile(
            rf"\b(?:pupils?|students?)\s+who\s+(?:have\s+)?left\b[^.;]{{0,60}}?"
            rf"\b(?:in|within)\s+the\s+(?:last|past)\s+{_NUMBER}\s+years?\b",
            re.IGNORECASE,
        ),
    ),
)

FIGURES: tuple[PolicyFigure, ...] = (FORMER_PUPIL_CONTACT_YEARS,)
FIGURES_BY_NAME = {figure.name: figure for figure in FIGURES}


@dataclass(frozen=True)
class FoundFigure:
    name: str
    value: int
    code: str  # the clause that states it

    @property
    def figure(self) -> PolicyFigure:
        return FIGURES_BY_NAME[self.name]


def figures_in(clauses) -> list[FoundFigure]:
    """Each number the clauses state, from the first clause that states it.

    ``clauses`` are anything with ``code`` and ``text``, in the policy's order.
    """
    found = []
    for figure in FIGURES:
        for clause in clauses:
            value = figure.find(clause.text)
            if value is not None:
                found.append(FoundFigure(figure.name, value, clause.code))
                break
    return found


def figure_of(policy: Policy, name: str) -> int:
    """The number ``name`` as this version of the policy states it; the procedure setting
    of that name where the version states none."""
    value = (policy.figures or {}).get(name)
    return int(value) if value is not None else procedure(name, trust=policy.trust_id)


def figure_of_trust(current: Policy | None, name: str, *, trust: int) -> int:
    """The number the trust uses today: its current version's, or its setting."""
    return figure_of(current, name) if current is not None else procedure(name, trust=trust)
