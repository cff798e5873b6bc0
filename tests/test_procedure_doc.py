"""docs/procedure.md cannot fall behind: every test it names exists, and every section of
the domain brief that states rules has its lines there, each naming a test."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "procedure.md"
# The domain brief lives beside the repository (shared/DOMAIN.md).
BRIEF = ROOT.parent / "shared" / "DOMAIN.md"

# The brief's structure as this checklist follows it, used where the brief itself is not
# beside the repository; where it is, the brief is read instead.
KNOWN_SECTIONS = {
    "1": "The policy (data, not code)",
    "2": "People and roles",
    "3": "The school's normal disciplinary procedure (after the Acas Code of Practice)",
    "4": "Safeguarding overlay (Keeping Children Safe in Education, Part 4)",
    "5": 'Letters (PDF, trust letterhead, "Private and confidential", case reference)',
    "6": "Data protection (UK GDPR, Data Protection Act 2018)",
}
KNOWN_STEPS = {
    "1": "Intake",
    "2": "Triage",
    "3": "Suspension",
    "4": "Investigation",
    "5": "Hearing",
    "6": "Decision",
    "7": "Headteacher sign-off",
    "8": "Appeal",
    "9": "Close",
}
KNOWN_LETTERS = [
    "Investigation meeting invitation",
    "Suspension",
    "Hearing invitation",
    "Outcome",
    "Dismissal (with notice / summary)",
    "Appeal invitation; appeal outcome (final); no further action",
]

TEST_REFERENCE = re.compile(r"tests/(test_\w+\.py)::(test_\w+)")
LINK = re.compile(r"\[(tests/[^\]]+)\]\(([^)]+)\)")


def brief_sections() -> tuple[dict[str, str], dict[str, str], list[str]]:
    """The brief's numbered sections, the procedure's numbered steps (section 3) and the
    letter kinds (section 5)."""
    if not BRIEF.exists():
        return KNOWN_SECTIONS, KNOWN_STEPS, KNOWN_LETTERS
    text = BRIEF.read_text()
    sections = dict(re.findall(r"^## (\d+)\. (.+)$", text, flags=re.MULTILINE))
    procedure = _section(text, "3")
    steps = dict(re.findall(r"^(\d+)\. \*\*(.+?)\*\*", procedure, flags=re.MULTILINE))
    letters = [
        line[2:].split(":")[0].rstrip(".").strip()
        for line in _section(text, "5").splitlines()
        if line.startswith("- ")
    ]
    return sections, steps, letters


def _section(text: str, number: str, *, level: str = "##") -> str:
    match = re.search(
        rf"^{level} {re.escape(number)}[. ].*?$(.*?)(?=^{level} |\Z)",
        text,
        flags=re.MULTILINE | re.DOTALL,
    )
    return match.group(1) if match else ""


def doc() -> str:
    return DOC.read_text()


@cache
def collectable_tests(file_name: str) -> frozenset[str]:
    """The test functions pytest collects from a file: top-level ``def test_...``."""
    tree = ast.parse((ROOT / "tests" / file_name).read_text())
    return frozenset(
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    )


def references(text: str) -> list[tuple[str, str]]:
    return TEST_REFERENCE.findall(text)


def test_every_test_the_checklist_names_exists():
    named = references(doc())
    assert len(named) > 100
    missing = [
        f"tests/{file}::{name}"
        for file, name in named
        if not (ROOT / "tests" / file).exists() or name not in collectable_tests(file)
    ]
    assert missing == []


def test_every_link_leads_to_the_file_it_names():
    for shown, target in LINK.findall(doc()):
        file = shown.split("::")[0]
        assert target == f"../{file}", shown
        assert (DOC.parent / target).resolve().is_file(), target


def test_every_rule_line_names_a_test_and_where_it_is_enforced():
    for line in doc().splitlines():
        if line.startswith("- ["):
            assert references(line), line
            assert line.startswith(("- [x] **", "- [ ] **")), line


def test_every_section_of_the_brief_has_its_rules_here():
    sections, _, _ = brief_sections()
    assert set(sections) >= {"1", "2", "3", "4", "5", "6"}
    for number, title in sections.items():
        body = _section(doc(), number)
        assert re.search(rf"^## {number}\. ", doc(), flags=re.MULTILINE), (number, title)
        assert references(body), f"section {number} ({title}) has no rule with its test"


def test_every_step_of_the_procedure_has_its_rules_here():
    _, steps, _ = brief_sections()
    assert len(steps) == 9
    procedure = _section(doc(), "3")
    for number, name in steps.items():
        heading = re.search(rf"^### 3\.{number} (.+)$", procedure, flags=re.MULTILINE)
        assert heading and heading.group(1) == name, (number, name)
        assert references(_section(procedure, f"3.{number}", level="###")), name


def test_every_letter_of_the_brief_has_its_line_here():
    _, _, letters = brief_sections()
    assert len(letters) >= 6
    section = _section(doc(), "5").lower()
    for kind in letters:
        assert f"**{kind.lower()}" in section, kind


def test_the_settings_section_names_a_test_for_the_brief_s_settings():
    settings_section = doc().split("\n## Settings\n", 1)[1]
    assert references(settings_section)


def test_the_readme_links_to_the_checklist():
    assert "docs/procedure.md" in (ROOT / "README.md").read_text()
