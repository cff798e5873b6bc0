"""Proposed flags and plain-English summaries for imported clauses: keyword rules that HR
confirms or corrects on the review page before a version is adopted."""

from __future__ import annotations

import re

SUMMARY_MAX = 300

_CHILD = r"(?:child(?:ren)?|pupils?|students?|young\s+(?:people|person))"
_CONTACT = r"(?:communicat\w*|contact\w*|friend\w*|follow\w*|messag\w*|chat\w*|meet\w*)"
_GATHERING = r"(?:information\s+about|gain\w*\s+information|search\w*\s+for|look\w*\s+up)"
_CHILD_OR_FAMILY = r"(?:child(?:ren)?|pupils?|students?|famil(?:y|ies)|parents?)"
# Contact with children, or gathering information about a child or family (KCSIE Part 4).
_SAFEGUARDING = re.compile(
    rf"\b{_CONTACT}\b(?:\W+\w+){{0,6}}?\W+{_CHILD}\b"
    rf"|\b{_CHILD}\b(?:\W+\w+){{0,3}}?\W+{_CONTACT}\b"
    rf"|\b{_GATHERING}\s+(?:(?:a|an|the|any|their)\s+)?{_CHILD_OR_FAMILY}\b"
    r"|\bgroom\w*|\bsafeguarding\b",
    re.IGNORECASE,
)
# Confidential information and images of other people: possible personal data breaches.
_DATA_PROTECTION = re.compile(
    r"\bdata\s+protection\b|\bconfidential\b|\bpersonal\s+data\b|\bGDPR\b"
    r"|\b(?:images?|photo(?:graph)?s?|pictures?|videos?|recordings?)\s+of\s+"
    r"(?:colleagues|pupils|children|students|staff|others|other\s+people)\b",
    re.IGNORECASE,
)


def proposed_safeguarding(text: str) -> bool:
    """A breach may put a child at risk: contact with children or gathering information
    about a child or family."""
    return bool(_SAFEGUARDING.search(text))


def proposed_data_protection(text: str) -> bool:
    """A breach may be a personal data breach: confidential information, images of others."""
    return bool(_DATA_PROTECTION.search(text))


_EXPECTATION = re.compile(
    r"\b(?:should|must|shall|(?:are|is)\s+expected\s+to|expected\s+to|(?:are|is)\s+required\s+to|"
    r"needs?\s+to|(?:are|is)\s+asked\s+to|remember\s+that|(?:is|are)\s+subject\s+to\s+the\s+same|"
    r"ha(?:s|ve)\s+a\s+duty|(?:are|is)\s+responsible\s+for|(?:is|are)\s+not\s+(?:considered\s+)?"
    r"(?:appropriate|acceptable|permitted|allowed))\b",
    re.IGNORECASE,
)
_WHO = (
    r"(?:members\s+of\s+(?:the\s+)?(?:\w+\s+){0,3}(?:workforce|staff)|all\s+staff|staff"
    r"(?:\s+and\s+volunteers)?|employees|you|the\s+workforce)"
)
_NEGATIVE_LEAD = re.compile(rf"^{_WHO}\s+(?:should|must|shall)\s+not\s+", re.IGNORECASE)
_POSITIVE_LEAD = re.compile(
    rf"^(?:please\s+)?(?:{_WHO}\s+(?:should|must|shall|are\s+expected\s+to|are\s+asked\s+to)\s+"
    r"|remember\s+that\s+)",
    re.IGNORECASE,
)


def sets_an_expectation(text: str) -> bool:
    return bool(_EXPECTATION.search(text))


def _sentences(text: str) -> list[str]:
    # A full stop ends a sentence unless it closes an abbreviation such as "e.g." or "etc.".
    parts = re.split(r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<=[.!?])\s+(?=[A-Z(])", text)
    return [part.strip() for part in parts if part.strip()]


def _shortened(text: str) -> str:
    text = re.sub(r"[\s;:,.]+(?:and|or)?$", "", text.strip()).strip()
    text = re.sub(r"^\((.*)\)$", r"\1", text)
    if len(text) <= SUMMARY_MAX - 1:
        return text
    cut = text[: SUMMARY_MAX - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def proposed_summary(kind: str, text: str) -> str:
    """A short plain-English version of the clause: its main sentence, put as an
    instruction ("Do not …" for the DO NOT list)."""
    sentences = _sentences(text) or [text]
    if kind == "GEN":
        main = next((s for s in sentences if sets_an_expectation(s)), sentences[0])
        main = re.sub(r"^(?:however|also|therefore),\s+", "", main, flags=re.IGNORECASE)
        if _NEGATIVE_LEAD.match(main):
            main = "Do not " + _NEGATIVE_LEAD.sub("", main)
        else:
            main = _POSITIVE_LEAD.sub("", main)
    else:
        main = re.split(r"\s+[\u2013\u2014]\s+|;\s+", sentences[0], maxsplit=1)[0]
        if kind == "DONT":
            first, _, rest = main.partition(" ")
            main = f"Do not {first.lower() if first[1:].islower() else first} {rest}".strip()
    summary = _sentence_case(_shortened(main))
    if not summary.endswith(("…", "?", "!")):
        summary += "."
    return summary
