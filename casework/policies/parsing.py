"""Finding a policy's clauses in its lines.

What is found, and how:

- **Paragraphs.** Lines are joined into paragraphs. A blank line, a list marker (a bullet,
  a number such as ``1.`` or ``(a)``, a dash) or a Word list paragraph starts a new one;
  so does a heading, and a line after one that ends a sentence or an item (``.``, ``;``)
  when that line stops short of the page's width. A line that starts in lower case, or
  that is indented under a list item, continues it: items may wrap over several lines.
- **The lists.** A heading such as "DO:" / "DO NOT:", "Staff must:" / "Staff must not:",
  "You should" / "You should not", "What staff must not do" or "Never" opens a list. A
  marked list runs to its last marked item. An unmarked list whose items end with ``;``
  ends at the first item that ends otherwise (the full stop of the last item); one whose
  items end with full stops runs to the next heading.
- **Item text** is kept exactly as written, its closing punctuation included (``;``,
  ``; and``, ``.``), as St Clare's clauses are: only the list marker, and the line breaks
  of wrapping, are taken away.
- **General standards.** Every other paragraph that sets an expectation of conduct
  ("should", "must", "are expected to", "remember that" …) is proposed as a GEN clause;
  the other paragraphs are offered to HR too, not proposed. The paragraph that says
  breaches go to the disciplinary procedure is the consequence, not a clause; the one
  under a "Mission statement" heading is the mission statement.
- **Facts.** The title is the first short line that names a policy (the trust's name
  taken off its front); "Adopted by … ; June 2022", "Reviewed by … ; 28 September
  2022", "Next review by … ; July 2025" and their like give the bodies and dates. A date
  given as a month is stored as its first day, or for the next review as its last.

Codes run GEN-n, DO-n and DONT-n, each in the document's order.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import asdict, dataclass, field

from casework.errors import RuleBroken

from . import proposals
from .reading import Line

KINDS = ("GEN", "DO", "DONT")
MAX_CLAUSES = 200
MAX_CLAUSE_CHARACTERS = 5000

WHAT_IS_LOOKED_FOR = (
    "a heading that opens a list of things to do or not to do, such as “DO:” and “DO "
    "NOT:”, “Staff must:” and “Staff must not:”, or “You should” and “You should not”, "
    "followed by its items one to a line or paragraph, bulleted, numbered or dashed"
)

# --- Lines into paragraphs --------------------------------------------------------------

_MARKER = re.compile(
    r"^(?P<marker>[•●○◦▪▫■□‣∙·\u2043\uf0b7\uf0a7\uf0d8\uf076*]"
    r"|[-\u2013\u2014](?=\s)"
    r"|\(?\d{1,2}[.)](?=\s)"
    r"|\([a-z]\)(?=\s)|[a-z][.)](?=\s)"
    r"|\((?:i{1,3}|iv|vi{0,3}|ix|x)\)(?=\s)|(?:i{1,3}|iv|vi{0,3}|ix|x)[.)](?=\s))\s*"
)
_ENDS_ITEM = re.compile(r"(?:[.;!?:]|;\s*(?:and|or))[\"'\u201d\u2019)\]]*$")
_ENDS_WITH_SEMICOLON = re.compile(r";(?:\s*(?:and|or))?[\"'\u201d\u2019)\]]*$")
_ENDS_SENTENCE = re.compile(r"[.;!?][\"'\u201d\u2019)\]]*$")


@dataclass
class Paragraph:
    lines: list[str]
    indent: int = 0
    listed: bool = False

    @property
    def text(self) -> str:
        joined = self.lines[0]
        for line in self.lines[1:]:
            if re.search(r"[A-Za-z]-$", joined) and line[:1].islower():
                joined += line  # a word broken at its hyphen: "two-" + "way"
            else:
                joined += " " + line
        return re.sub(r"[ \t\u00a0]+", " ", joined).strip()

    @property
    def last_line(self) -> str:
        return self.lines[-1]


def _wrap_width(lines: list[Line]) -> int:
    lengths = sorted(len(line.text) for line in lines if not line.blank)
    if not lengths:
        return 0
    return lengths[min(len(lengths) - 1, int(len(lengths) * 0.95))]


def paragraphs_of(lines: list[Line]) -> list[Paragraph]:
    width = _wrap_width(lines)
    found: list[Paragraph] = []
    current: Paragraph | None = None

    def close():
        nonlocal current
        if current is not None:
            found.append(current)
            current = None

    for line in lines:
        if line.blank:
            close()
            continue
        text = re.sub(r"[ \t\u00a0]+", " ", line.text).strip()
        marker = _MARKER.match(text)
        if marker and not text[marker.end() :].strip():
            continue  # a marker left on its own, e.g. beside an empty list item
        if marker or line.listed:
            close()
            body = text[marker.end() :] if marker else text
            current = Paragraph([body], indent=line.indent, listed=True)
            continue
        if current is not None and _continues(current, text, line.indent, width):
            current.lines.append(text)
            continue
        close()
        current = Paragraph([text], indent=line.indent)
    close()
    return found


def _continues(current: Paragraph, text: str, indent: int, width: int) -> bool:
    """Does this line carry on the paragraph above, as wrapping does?"""
    previous = current.last_line
    if len(current.lines) == 1 and list_heading(previous):
        return False
    if list_heading(text):
        return False
    if current.listed and indent > current.indent:
        return True  # indented under its marker
    if _ENDS_WITH_SEMICOLON.search(previous) or previous.endswith(":"):
        return False  # the end of an item, or of a lead-in
    if text[:1].islower():
        return True
    if _ENDS_ITEM.search(previous):
        return len(previous) >= 0.75 * width  # a full line can end a sentence mid-paragraph
    if len(previous) < 0.6 * width:
        # A short line with no full stop is a heading or a title, unless the next short
        # line finishes it (a title set over two lines).
        return len(text) < 0.6 * width and not _ENDS_ITEM.search(text)
    return True


# --- Headings ---------------------------------------------------------------------------

_WHO = (
    r"(?:all\s+)?(?:you|we|staff|employees|workers|colleagues|volunteers|everyone|"
    r"members\s+of\s+(?:the\s+)?(?:\w+\s+){0,3}(?:staff|workforce)|"
    r"(?:the\s+)?(?:school\s+|trust\s+)?workforce|staff\s+(?:and|&)\s+volunteers)"
)
_DONT = re.compile(
    r"(?:do\s+not|don'?t|don'?ts|do\s+nots|must\s+not|mustn'?t|should\s+not|shouldn'?t|"
    r"shall\s+not|will\s+not|won'?t|never|are\s+not\s+to|not\s+to)(?:\s+do)?"
)
_DO = re.compile(
    r"(?:do'?s|do|must|should|shall|will|always|are\s+to|are\s+expected\s+to|to)(?:\s+do)?"
)


def list_heading(text: str) -> str | None:
    """ "DO" or "DONT" if this paragraph opens a list of things to do or not to do."""
    words = text.split()
    if not words or len(words) > 14 or (len(words) > 7 and not text.endswith(":")):
        return None
    s = text.lower().replace("\u2019", "'").strip()
    s = re.sub(r"^(?:section\s+)?\d+(?:\.\d+)*[.)]?\s+", "", s)
    s = re.sub(r"[\s:.\-\u2013\u2014]+$", "", s)
    s = re.sub(r"^(?:when|while|if|in|on|at|whenever)\b[^,]*,\s*", "", s)
    s = re.sub(r"^(?:the\s+)?(?:things|what)\s+", "", s)
    s = re.sub(rf"^{_WHO}\s+", "", s)
    s = re.sub(r"\s+(?:when|while|on|at|in|online)\b.*$", "", s)
    s = re.sub(r"\s+the\s+following$", "", s)
    if _DONT.fullmatch(s):
        return "DONT"
    if _DO.fullmatch(s):
        return "DO"
    return None


def _looks_like_a_heading(text: str) -> bool:
    return len(text.split()) <= 8 and not _ENDS_ITEM.search(text)


# --- Facts: the title, who adopted it and when -----------------------------------------

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): n for n, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATES = (
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})\b", re.I
    ),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b", re.I),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
    re.compile(r"\b(?P<day>\d{1,2})[/.](?P<month>\d{1,2})[/.](?P<year>\d{4})\b"),
    re.compile(rf"\b{_MONTH}\s+(?P<year>\d{{4}})\b", re.I),
)
_FACT = re.compile(
    r"^(?:this\s+policy\s+(?:was|is|will\s+be)\s+)?(?:date\s+(?:of\s+)?)?"
    r"(?P<fact>next\s+review(?:\s+due)?|review\s+date|to\s+be\s+reviewed|due\s+for\s+review|"
    r"reviewed|last\s+reviewed|adopted|adoption|approved|approval|ratified|agreed)\b"
    r"(?:\s+date)?",
    re.IGNORECASE,
)
_FACT_KINDS = {
    "next": "next_review",
    "review": "next_review",
    "to": "next_review",
    "due": "next_review",
    "reviewed": "reviewed",
    "last": "reviewed",
}


@dataclass(frozen=True)
class _Date:
    day: datetime.date
    month_only: bool
    start: int


def _find_date(text: str) -> _Date | None:
    for pattern in _DATES:
        match = pattern.search(text)
        if not match:
            continue
        month = match.group("month")
        month = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
        parts = match.groupdict()
        try:
            day = datetime.date(int(parts["year"]), month, int(parts.get("day") or 1))
        except ValueError:
            continue
        return _Date(day, month_only=parts.get("day") is None, start=match.start())
    return None


def _facts_in(text: str) -> dict[str, tuple[str, datetime.date | None, bool]]:
    """Adopted / reviewed / next review facts in a paragraph: kind → (body, date, month
    only)."""
    facts = {}
    for segment in re.split(r"(?<=\.)\s+(?=[A-Z])|\s+\|\s+", text):
        match = _FACT.match(segment.strip())
        if not match:
            continue
        first = match.group("fact").split()[0].lower()
        kind = _FACT_KINDS.get(first, "adopted")
        if first == "reviewed" and "next" in match.group(0).lower():
            kind = "next_review"
        rest = segment.strip()[match.end() :]
        date = _find_date(rest)
        body = ""
        by = re.search(r"\bby\b\s*:?\s*", rest, re.IGNORECASE)
        if by:
            end = date.start if date and date.start > by.end() else len(rest)
            body = rest[by.end() : end]
            if date and date.start <= by.start():
                body = rest[by.end() :]
            body = re.sub(
                r"(?:[\s;:,.\u2013\u2014-]|\b(?:on|in|by|dated|from)\b)+$", "", body
            ).strip()
        facts.setdefault(kind, (body, date.day if date else None, bool(date and date.month_only)))
    return facts


_POLICY_WORD = re.compile(r"\b(?:policy|code|guidance|protocol)\b", re.IGNORECASE)
_MISSION_HEADING = re.compile(r"^(?:our\s+)?(?:mission|vision)(?:\s+statement)?:?$", re.I)
_CONSEQUENCE = re.compile(
    r"\b(?:breach\w*|fail\w*\s+to\s+(?:comply|follow)|contraven\w*)\b.*"
    r"\b(?:disciplinary|dismissal|sanction\w*)\b",
    re.IGNORECASE,
)


# --- The proposal ---------------------------------------------------------------------


@dataclass
class ProposedClause:
    kind: str
    text: str
    summary: str
    safeguarding: bool = False
    data_protection: bool = False
    proposed: bool = True  # a paragraph offered to HR but not proposed has False
    code: str = ""


@dataclass
class Proposal:
    title: str = ""
    adopted_by: str = ""
    adopted_on: datetime.date | None = None
    reviewed_by: str = ""
    reviewed_on: datetime.date | None = None
    next_review_by: str = ""
    next_review_due: datetime.date | None = None
    mission_statement: str = ""
    consequence: str = ""
    clauses: list[ProposedClause] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def adopted(self) -> list[ProposedClause]:
        """The clauses the version would hold, coded, GEN first, then DO, then DONT."""
        return [c for kind in KINDS for c in self.clauses if c.kind == kind and c.proposed]

    def as_dict(self) -> dict:
        data = asdict(self)
        for name in ("adopted_on", "reviewed_on", "next_review_due"):
            data[name] = data[name].isoformat() if data[name] else None
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Proposal:
        values = dict(data)
        for name in ("adopted_on", "reviewed_on", "next_review_due"):
            values[name] = datetime.date.fromisoformat(values[name]) if values[name] else None
        values["clauses"] = [ProposedClause(**clause) for clause in values["clauses"]]
        return cls(**values)


def numbered(clauses: list[ProposedClause]) -> list[ProposedClause]:
    """Give the proposed clauses their codes, each kind counted in document order."""
    counts = dict.fromkeys(KINDS, 0)
    for clause in clauses:
        if clause.proposed:
            counts[clause.kind] += 1
            clause.code = f"{clause.kind}-{counts[clause.kind]}"
        else:
            clause.code = ""
    return clauses


def _clause(kind: str, text: str, *, proposed: bool = True) -> ProposedClause:
    if len(text) > MAX_CLAUSE_CHARACTERS:
        raise RuleBroken(
            f"A paragraph of the document is longer than {MAX_CLAUSE_CHARACTERS} characters "
            f"(it begins “{text[:60]}…”): a clause is a paragraph or a list item. Check the "
            "document's paragraphs and try again. Nothing was stored."
        )
    return ProposedClause(
        kind=kind,
        text=text,
        summary=proposals.proposed_summary(kind, text),
        safeguarding=proposals.proposed_safeguarding(text),
        data_protection=proposals.proposed_data_protection(text),
        proposed=proposed,
    )


def _strip_trust_name(title: str, trust_name: str) -> str:
    """ "St Clare … Trust Workforce … Policy" is the trust's "Workforce … Policy"."""
    if trust_name and title.lower().startswith(trust_name.lower()):
        rest = title[len(trust_name) :]
        if rest[:1] in (" ", ":", ",", "\u2013", "\u2014", "-"):
            return rest.lstrip(" :,-\u2013\u2014") or title
    return title


def parse(lines: list[Line], *, trust_name: str, name: str = "the document") -> Proposal:
    """The proposal for a policy document's lines, or a refusal saying what was looked for."""
    proposal = Proposal()
    titles: list[str] = []
    facts: dict[str, tuple[str, datetime.date | None, bool]] = {}
    after_mission_heading = False
    list_kind: str | None = None
    list_marked: bool | None = None
    list_semicolons: bool | None = None
    list_over = False
    headings = {"DO": 0, "DONT": 0}

    for paragraph in paragraphs_of(lines):
        text = paragraph.text
        heading = list_heading(text)
        if heading:
            list_kind, list_marked, list_semicolons, list_over = heading, None, None, False
            headings[heading] += 1
            continue
        if list_kind and not list_over:
            if list_marked is None:
                list_marked = paragraph.listed
            if _heading_after_items(text, proposal, list_kind):
                list_over = True  # a section heading after the last item
            elif list_marked:
                if paragraph.listed:
                    proposal.clauses.append(_clause(list_kind, text))
                    continue
                list_over = True  # the first paragraph without a marker
            else:
                if list_semicolons is None:
                    list_semicolons = bool(_ENDS_WITH_SEMICOLON.search(text))
                proposal.clauses.append(_clause(list_kind, text))
                if list_semicolons and not _ENDS_WITH_SEMICOLON.search(text):
                    list_over = True  # the last item of a list whose items end with ";"
                continue

        # Prose: the facts, the title, the mission statement, the consequence, standards.
        found = _facts_in(text)
        if found:
            for kind, (body, day, month_only) in found.items():
                # "Adopted by: the Board" and "Date of adoption: 1 May 2025" may be two lines.
                held_body, held_day, held_month_only = facts.get(kind, ("", None, False))
                facts[kind] = (
                    held_body or body,
                    held_day or day,
                    held_month_only if held_day else month_only,
                )
            continue
        if _MISSION_HEADING.match(text):
            after_mission_heading = True
            continue
        if after_mission_heading:
            after_mission_heading = False
            if not proposal.mission_statement and not _looks_like_a_heading(text):
                proposal.mission_statement = text
                continue
        if (
            not any(c.kind != "GEN" for c in proposal.clauses)
            and len(text.split()) <= 25
            and not _ENDS_SENTENCE.search(text)
            and _POLICY_WORD.search(text)
        ):
            titles.append(text)
            continue
        if _looks_like_a_heading(text):
            continue
        if not proposal.consequence and _CONSEQUENCE.search(text):
            proposal.consequence = text
            continue
        proposal.clauses.append(_clause("GEN", text, proposed=proposals.sets_an_expectation(text)))

    if not any(c.kind in ("DO", "DONT") for c in proposal.clauses):
        raise RuleBroken(
            f"No list of things to do or not to do was found in “{name}”. Casework looks for "
            f"{WHAT_IS_LOOKED_FOR}. Nothing was stored."
        )
    if len(proposal.clauses) > MAX_CLAUSES:
        raise RuleBroken(
            f"“{name}” has more than {MAX_CLAUSES} paragraphs and items; Casework imports a "
            "policy, not a handbook. Nothing was stored."
        )

    preferred = [t for t in titles if _strip_trust_name(t, trust_name) != t]
    if titles:
        proposal.title = _strip_trust_name((preferred or titles)[0], trust_name)
    for kind, attribute in (
        ("adopted", "adopted"),
        ("reviewed", "reviewed"),
        ("next_review", "next_review"),
    ):
        if kind not in facts:
            continue
        body, day, month_only = facts[kind]
        if day and month_only and kind == "next_review":
            day = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        if kind == "next_review":
            proposal.next_review_by, proposal.next_review_due = body, day
        else:
            setattr(proposal, f"{attribute}_by", body)
            setattr(proposal, f"{attribute}_on", day)

    for kind, label in (("DO", "things to do"), ("DONT", "things not to do")):
        if not any(c.kind == kind for c in proposal.clauses):
            proposal.notes.append(f"No list of {label} was found.")
    for kind, missing in (
        ("title", "No title was found."),
        ("adopted_by", "The body that adopted the policy was not found."),
        ("adopted_on", "The date the policy was adopted was not found."),
        ("next_review_due", "The date of the next review was not found."),
    ):
        if not getattr(proposal, kind):
            proposal.notes.append(missing)
    numbered(proposal.clauses)
    return proposal


def _heading_after_items(text: str, proposal: Proposal, kind: str) -> bool:
    """A short line without punctuation after items that all end with punctuation is the
    next section's heading, not another item."""
    items = [c for c in proposal.clauses if c.kind == kind]
    return (
        bool(items)
        and _looks_like_a_heading(text)
        and all(_ENDS_ITEM.search(c.text) for c in items)
    )
