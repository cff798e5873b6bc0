"""manage.py import_policy: a document in, a trust's new current version out, or a refusal
that stores nothing."""

from __future__ import annotations

import datetime
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from casework.models import AuditEvent, Clause, Policy, Trust
from tests import policy_documents as documents

pytestmark = pytest.mark.django_db

ST_CLARE = "St Clare Catholic Multi Academy Trust"
ST_CLARE_TEXT = Path(settings.BASE_DIR) / "fixtures" / "social-media-policy.txt"


def run(*args, **options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_policy", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def held() -> tuple[int, int, int]:
    return Policy.objects.count(), Clause.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def oakfield(tmp_path) -> tuple[Trust, Path]:
    path = tmp_path / "oakfield.txt"
    path.write_bytes(documents.oakfield_text())
    return Trust.objects.create(name=documents.OAKFIELD_TRUST), path


def test_json_prints_the_title_and_every_clause_code_kind_and_text():
    before = held()
    out, _ = run(str(ST_CLARE_TEXT), trust=ST_CLARE, version="2026.1", json=True, dry_run=True)
    printed = json.loads(out)
    current = Policy.objects.get(trust__name=ST_CLARE, is_current=True)
    assert printed == {
        "title": current.title,
        "clauses": [
            {"code": c.code, "kind": c.kind, "text": c.text}
            for c in current.clauses.order_by("order")
        ],
    }
    assert held() == before


def test_a_dry_run_checks_everything_and_stores_nothing(oakfield):
    trust, path = oakfield
    before = held()
    out, err = run(
        str(path),
        trust=trust.name,
        version="2026.1",
        dry_run=True,
        confirm_figure=[("FORMER_PUPIL_CONTACT_YEARS", 5)],
    )
    assert "DONT-1: accept or send friend requests" in out
    assert "Dry run" in err and "nothing was stored" in err
    assert held() == before
    assert not trust.policies.exists()


def test_an_import_becomes_the_trusts_current_version_and_is_audited(oakfield):
    trust, path = oakfield
    run(
        str(path),
        trust=trust.name,
        version="2026.1",
        confirm_figure=[("FORMER_PUPIL_CONTACT_YEARS", 5)],
    )
    policy = Policy.objects.get(trust=trust, is_current=True)
    assert policy.version == "2026.1" and policy.title == "Staff Online Conduct Policy"
    assert [(c.code, c.text) for c in policy.clauses.order_by("order")] == [
        (code, text)
        for code, text in sorted(
            documents.OAKFIELD_CLAUSES,
            key=lambda c: (("GEN", "DO", "DONT").index(c[0].split("-")[0]), c[0]),
        )
    ]
    assert policy.figures == {"FORMER_PUPIL_CONTACT_YEARS": 5}
    event = AuditEvent.objects.get(action="policy.version_adopted")
    assert event.object_id == str(policy.pk)
    assert event.details["source"]["name"] == "oakfield.txt"
    assert event.details["clauses"][0] == "GEN-1"
    # Another trust's current version is untouched.
    assert Policy.objects.get(trust__name=ST_CLARE, is_current=True).version == "2022.1"


def test_a_figure_the_policy_states_differently_must_be_confirmed(oakfield):
    trust, path = oakfield
    before = held()
    with pytest.raises(CommandError) as refusal:
        run(str(path), trust=trust.name, version="2026.1")
    message = str(refusal.value)
    assert "DONT-1 says 5 years" in message and "uses 3 years today" in message
    assert "FORMER_PUPIL_CONTACT_YEARS=5" in message
    assert held() == before
    with pytest.raises(CommandError, match="says 5 years"):  # confirming another figure
        run(
            str(path),
            trust=trust.name,
            version="2026.1",
            confirm_figure=[("FORMER_PUPIL_CONTACT_YEARS", 4)],
        )
    assert held() == before


def test_a_document_without_lists_is_refused_and_nothing_is_stored(tmp_path):
    path = tmp_path / "letter.txt"
    path.write_text("Dear colleagues,\n\nPlease read the attached policy.\n", encoding="utf-8")
    before = held()
    with pytest.raises(CommandError, match="No list of things to do or not to do was found"):
        run(str(path), trust=ST_CLARE, version="2026.1")
    assert held() == before


def test_an_unknown_trust_and_a_held_version_are_refused():
    with pytest.raises(CommandError, match="No trust named 'Nowhere Trust'"):
        run(str(ST_CLARE_TEXT), trust="Nowhere Trust", version="2026.1")
    with pytest.raises(CommandError, match=r"Version 2022\.1 .* is already held"):
        run(str(ST_CLARE_TEXT), trust=ST_CLARE, version="2022.1")
    with pytest.raises(CommandError, match="cannot be read"):
        run("/no/such/policy.txt", trust=ST_CLARE, version="2026.1")


def test_a_new_version_replaces_the_current_one_which_is_kept_unchanged(tmp_path):
    old = Policy.objects.get(trust__name=ST_CLARE, version="2022.1")
    old_clauses = list(old.clauses.values_list("code", "text"))
    path = tmp_path / "2026.txt"
    path.write_text(
        ST_CLARE_TEXT.read_text(encoding="utf-8")
        .replace("June 2022", "March 2026")
        .replace("July 2025", "July 2029")
        .replace("Discuss work related issues via social media;", "Discuss pupils online;"),
        encoding="utf-8",
    )
    run(str(path), trust=ST_CLARE, version="2026.1")
    new = Policy.objects.get(trust__name=ST_CLARE, is_current=True)
    assert (
        new.version == "2026.1" and new.clauses.get(code="DONT-3").text == "Discuss pupils online;"
    )
    old.refresh_from_db()
    assert not old.is_current
    assert list(old.clauses.values_list("code", "text")) == old_clauses
    event = AuditEvent.objects.get(action="policy.version_adopted")
    assert event.details["previous_version"] == "2022.1"
    assert event.details["changes"]["reworded"] == ["DONT-3→DONT-3"]


def test_dates_the_document_does_not_give_can_be_given(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text(
        "Social Media Policy\n\nStaff must not:\n- Post as the school.\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="does not say who adopted it, the date it was"):
        run(str(path), trust=ST_CLARE, version="2026.1")
    run(
        str(path),
        trust=ST_CLARE,
        version="2026.1",
        adopted_on=datetime.date(2026, 3, 1),
        adopted_by="The Trust Board",
        next_review_due=datetime.date(2028, 3, 1),
    )
    policy = Policy.objects.get(trust__name=ST_CLARE, is_current=True)
    assert (policy.adopted_by, policy.adopted_on.isoformat()) == ("The Trust Board", "2026-03-01")


def test_a_version_older_than_the_current_one_cannot_become_current(tmp_path):
    path = tmp_path / "2019.txt"
    path.write_text(
        ST_CLARE_TEXT.read_text(encoding="utf-8").replace("June 2022", "June 2019"),
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="only a newer version can become current"):
        run(str(path), trust=ST_CLARE, version="2019.1")


def test_a_failure_while_adopting_leaves_nothing_half_created(tmp_path, monkeypatch):
    from casework.policies import importing

    path = tmp_path / "2026.txt"
    path.write_text(
        ST_CLARE_TEXT.read_text(encoding="utf-8")
        .replace("June 2022", "March 2026")
        .replace("July 2025", "July 2029"),
        encoding="utf-8",
    )

    def failing_record(**kwargs):
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(importing.audit, "record", failing_record)
    before = held()
    with pytest.raises(RuntimeError):
        run(str(path), trust=ST_CLARE, version="2026.1")
    assert held() == before
    assert Policy.objects.get(trust__name=ST_CLARE, is_current=True).version == "2022.1"


def test_the_command_line_parses_dates_and_figures():
    with pytest.raises(CommandError, match="is not a date"):
        call_command(
            "import_policy",
            str(ST_CLARE_TEXT),
            "--trust",
            ST_CLARE,
            "--version",
            "2026.1",
            "--adopted-on",
            "June 2026",
        )
    with pytest.raises(CommandError, match="NAME=NUMBER"):
        call_command(
            "import_policy",
            str(ST_CLARE_TEXT),
            "--trust",
            ST_CLARE,
            "--version",
            "2026.1",
            "--confirm-figure",
            "YEARS=five",
        )
