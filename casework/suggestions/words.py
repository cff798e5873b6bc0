"""Words of a description, reduced to rough stems, and the cue terms matched against them.

The stemmer is deliberately crude (plurals, -ing, -ed, a final e): a cue and a description
go through the same function, so "messaged", "messages" and "messaging" meet at one stem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

APOSTROPHE = "\u2019"  # the curly one word processors and phones type
WORD = re.compile(r"[a-z0-9@#]+(?:['\u2019][a-z]+)?")
IRREGULAR = {
    "children": "child",
    "kids": "kid",
    "people": "person",
    "women": "woman",
    "men": "man",
    "news": "news",
    "was": "was",
    "has": "has",
    "his": "his",
    "this": "this",
    "does": "does",
    "always": "always",
    "status": "status",
}
KEEP_DOUBLE = ("ll", "ss", "ff", "zz")
NUMBER = "#"


@dataclass(frozen=True)
class Word:
    stem: str
    text: str  # as written
    start: int
    end: int


def stem(word: str) -> str:
    word = word.lower().replace(APOSTROPHE, "'")
    if word.endswith("'s"):
        word = word[:-2]
    word = word.strip("'")
    if word.isdigit():
        return NUMBER
    if word in IRREGULAR:
        return IRREGULAR[word]
    cut = False
    if len(word) > 4 and word.endswith(("ies", "ied")):
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif len(word) >= 6 and word.endswith("ing"):
        word, cut = word[:-3], True
    elif len(word) >= 5 and word.endswith("ed"):
        word, cut = word[:-2], True
    elif len(word) >= 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if cut and len(word) > 2 and word[-1] == word[-2] and word[-2:] not in KEEP_DOUBLE:
        word = word[:-1]
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def words_of(text: str) -> list[Word]:
    lowered = text.lower()
    return [
        Word(
            stem=stem(match.group()),
            text=text[match.start() : match.end()],
            start=match.start(),
            end=match.end(),
        )
        for match in WORD.finditer(lowered)
    ]


@dataclass(frozen=True)
class Term:
    """One cue: a word or a phrase; a trailing * on a word matches any word it begins."""

    parts: tuple[str, ...]
    prefix: tuple[bool, ...]

    @classmethod
    def parse(cls, phrase: str) -> Term:
        raw = phrase.split()
        return cls(
            parts=tuple(p[:-1].lower() if p.endswith("*") else stem(p) for p in raw),
            prefix=tuple(p.endswith("*") for p in raw),
        )

    def matches_at(self, words: list[Word], i: int) -> bool:
        if i + len(self.parts) > len(words):
            return False
        for offset, (part, is_prefix) in enumerate(zip(self.parts, self.prefix, strict=True)):
            word = words[i + offset]
            if is_prefix:
                if not word.text.lower().startswith(part):
                    return False
            elif word.stem != part:
                return False
        return True
