"""The seed policy as data: 21 clauses in the policy's own words."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from casework.models import Clause, Policy

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
POLICY_TEXT = (FIXTURES / "social-media-policy.txt").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def policy_lines():
    return [line for line in POLICY_TEXT.splitlines() if line.strip()]


def clauses():
    return list(Policy.objects.get(is_current=True).clauses.order_by("order"))


def test_the_policy_has_twenty_one_clauses_coded_in_order():
    expected = (
        [f"GEN-{n}" for n in range(1, 6)]
        + [f"DO-{n}" for n in range(1, 9)]
        + [f"DONT-{n}" for n in range(1, 9)]
    )
    assert [c.code for c in clauses()] == expected
    assert [c.order for c in clauses()] == list(range(1, 22))
    kinds = {c.code: c.kind for c in clauses()}
    assert {code for code, kind in kinds.items() if kind == "GEN"} == set(expected[:5])
    assert {code for code, kind in kinds.items() if kind == "DO"} == set(expected[5:13])
    assert {code for code, kind in kinds.items() if kind == "DONT"} == set(expected[13:])


def test_do_and_do_not_clauses_are_the_policy_lines_word_for_word_in_order():
    lines = policy_lines()
    do_items = lines[lines.index("DO:") + 1 : lines.index("DO NOT:")]
    dont_items = lines[lines.index("DO NOT:") + 1 : lines.index("DO NOT:") + 9]
    assert [c.text for c in clauses() if c.kind == "DO"] == do_items
    assert [c.text for c in clauses() if c.kind == "DONT"] == dont_items


def test_general_standards_are_the_policy_paragraphs_word_for_word():
    lines = policy_lines()
    general = [c.text for c in clauses() if c.kind == "GEN"]
    opening = lines.index(
        "St Clare Catholic Multi Academy Trust Workforce (Staff and Volunteers) Social Media Policy"
    )
    # GEN-1..4 are the four paragraphs after the title; GEN-5 is the closing line. The
    # paragraph between them (breaches go to the disciplinary procedure) is not a clause.
    assert general[:4] == lines[opening + 1 : opening + 5]
    assert general[4] == lines[-1]
    assert "normal disciplinary procedure" not in " ".join(general)
    assert Policy.objects.get(is_current=True).consequence == lines[opening + 5]


def test_every_clause_text_appears_verbatim_in_the_policy():
    for clause in clauses():
        assert clause.text in POLICY_TEXT, clause.code


def test_safeguarding_and_data_protection_flags():
    flags = {c.code: (c.safeguarding, c.data_protection) for c in clauses()}
    assert {code for code, (sg, _) in flags.items() if sg} == {"GEN-4", "DONT-4"}
    assert {code for code, (_, dp) in flags.items() if dp} == {"GEN-2", "DO-5", "DONT-5"}


def test_every_clause_has_a_plain_english_summary_of_its_own():
    for clause in clauses():
        assert clause.summary and clause.summary != clause.text


def test_policy_facts_match_the_policy_header():
    policy = Policy.objects.get(is_current=True)
    assert policy.trust.name == "St Clare Catholic Multi Academy Trust"
    assert policy.adopted_by == "St Clare Trust Board"
    assert (policy.adopted_on.year, policy.adopted_on.month) == (2022, 6)
    assert policy.reviewed_by == "Local Academy Committee"
    assert policy.reviewed_on.isoformat() == "2022-09-28"
    assert (policy.next_review_due.year, policy.next_review_due.month) == (2025, 7)


def test_loading_the_policy_again_changes_nothing():
    before = list(Clause.objects.values_list("pk", "text"))
    call_command("load_policy", verbosity=0)
    assert list(Clause.objects.values_list("pk", "text")) == before


def test_a_held_version_is_never_rewritten(tmp_path):
    fixture = json.loads((FIXTURES / "social_media_policy.json").read_text(encoding="utf-8"))
    for item in fixture:
        if item["model"] == "casework.clause" and item["fields"]["code"] == "DO-1":
            item["fields"]["text"] = "Use work accounts however you like;"
    altered = tmp_path / "altered.json"
    altered.write_text(json.dumps(fixture), encoding="utf-8")
    with pytest.raises(CommandError, match="never edited"):
        call_command("load_policy", str(altered), verbosity=0)
    assert Clause.objects.get(code="DO-1").text.startswith("Restrict the use")


def test_a_new_version_becomes_current_and_the_old_one_is_kept(tmp_path):
    fixture = json.loads((FIXTURES / "social_media_policy.json").read_text(encoding="utf-8"))
    for item in fixture:
        if item["model"] == "casework.policy":
            item["fields"]["version"] = "2026.1"
            item["fields"]["next_review_due"] = "2029-07-31"
        elif item["model"] == "casework.clause":
            item["fields"]["policy"][1] = "2026.1"
    new_version = tmp_path / "v2026.json"
    new_version.write_text(json.dumps(fixture), encoding="utf-8")
    call_command("load_policy", str(new_version), verbosity=0)
    assert Policy.objects.get(is_current=True).version == "2026.1"
    assert Policy.objects.get(version="2022.1").clauses.count() == 21
