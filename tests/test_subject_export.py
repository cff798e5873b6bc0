"""Subject access: everything held about a person, with third parties' names redacted."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from casework import demo_cases
from casework.demo_cases import case_at, hr, person
from casework.evidence import check_upload
from casework.models import AuditEvent, Case, Status, SubjectAccessRequest
from casework.records.subject_access import find_person
from casework.services import evidence, investigation, subject_access

pytestmark = pytest.mark.django_db

THIRD_PARTIES = [
    "Priya",  # raised the concern
    "Patel",
    "Ben Taylor",  # a witness
    "Fiona",  # named in the witness's statement
    "MacLeod",
    "Chris Evans",  # at an investigation meeting
    "Joan Fitzgerald",  # named in an evidence file
    "Jo Marsh",  # the companion at the hearing
]


@pytest.fixture
def case(own_media, hold_hearing) -> Case:
    """A case about Daniel Shaw, raised by Priya Patel, taken to a first written warning."""
    case = case_at(Status.INVESTIGATION)
    officer = case.investigating_officer.user
    investigation.record_statement(
        case=case,
        by=officer,
        taken_on=timezone.localdate(),
        statement="I saw the post. Fiona MacLeod showed it to me in the staffroom.",
        witness=person("Ben", "Taylor"),
    )
    investigation.record_meeting(
        case=case,
        by=officer,
        held_at=timezone.now() - datetime.timedelta(hours=3),
        location="IT office",
        with_whom="Chris Evans",
        notes="Chris Evans confirmed the account belongs to Daniel Shaw.",
    )
    evidence.add_evidence(
        case=case,
        checked=check_upload(
            SimpleUploadedFile(
                "screenshot-notes.txt",
                b"Sent by Priya Patel. Joan Fitzgerald also saw it. Posted by Daniel Shaw.",
            )
        ),
        by=hr(),
    )
    for step in (demo_cases.report, demo_cases.refer_to_hearing, demo_cases.schedule):
        step(Case.objects.get(pk=case.pk))
    hold_hearing(case)
    for step in (demo_cases.decide, demo_cases.approve, demo_cases.issue):
        step(Case.objects.get(pk=case.pk))
    return Case.objects.get(pk=case.pk)


def export(identifier: str, tmp_path) -> dict[str, str]:
    """The export answering a request logged for the person, produced from the command."""
    subject_access.log_subject_access_request(
        person=find_person(identifier),
        received_on=timezone.localdate(),
        received_via="email",
        by=hr(),
    )
    target = tmp_path / f"export-{identifier}.zip"
    out = io.StringIO()
    call_command("export_subject_data", identifier, "--output", str(target), stdout=out)
    assert f"Written: {target}" in out.getvalue()
    with zipfile.ZipFile(target) as archive:
        return {
            name: archive.read(name).decode("utf-8", errors="replace")
            for name in archive.namelist()
        }


def test_the_subject_gets_their_case_with_no_third_party_named(case, tmp_path):
    files = export(person("Daniel", "Shaw").email, tmp_path)
    everything = "\n".join(files.values())
    for name in THIRD_PARTIES:
        assert name not in everything, name

    record = json.loads(files["your-record.json"])
    assert record["name"] == "Daniel Shaw"
    exported = json.loads(files[f"cases-about-you/{case.reference}/case.json"])
    assert exported["outcome"]["sanction"] == "First written warning"
    assert exported["allegations"][0]["clause"] == "DONT-3"
    assert exported["allegations"][0]["clause_text"] == case.allegations.get().clause.text
    assert exported["people_acting_for_the_trust"]["case manager"] == "Hannah Reid"
    assert exported["people_acting_for_the_trust"]["investigating officer"] == "Emma Wright"
    assert exported["witness_statements"][0] == {
        "taken_on": case.statements.get().taken_on.isoformat(),
        "witness": "[redacted: third party]",
        "statement": "I saw the post. [redacted: third party] showed it to me in the staffroom.",
    }
    assert exported["investigation_meetings"][0]["notes"] == (
        "[redacted: third party] confirmed the account belongs to Daniel Shaw."
    )
    notes = files[f"cases-about-you/{case.reference}/evidence/screenshot-notes.txt"]
    assert notes == (
        "Sent by [redacted: third party]. [redacted: third party] also saw it. "
        "Posted by Daniel Shaw."
    )
    assert "audit-events.json" in files and "README.txt" in files


def test_the_reporter_sees_what_they_gave_and_not_the_outcome(case, tmp_path):
    files = export("priya.patel@stclare.example", tmp_path)
    everything = "\n".join(files.values())
    raised = json.loads(files[f"concerns-you-raised/{case.reference}.json"])
    assert raised["status"] == "Being looked at"
    assert raised["what_you_saw"] == case.what_was_seen
    for hidden in ["Daniel", "Shaw", "warning", "Ben Taylor", "Jo Marsh", "hearing"]:
        assert hidden not in everything, hidden
    assert not any(name.startswith("cases-about-you/") for name in files)


def test_a_witness_gets_their_own_statement_with_others_redacted(case, tmp_path):
    files = export(str(person("Ben", "Taylor").pk), tmp_path)
    (statement,) = [name for name in files if name.startswith("statements-you-gave/")]
    assert json.loads(files[statement])["statement"] == (
        "I saw the post. [redacted: third party] showed it to me in the staffroom."
    )
    assert "Daniel" not in "\n".join(files.values())


def test_the_export_is_recorded_and_an_unknown_person_gets_a_clear_message(case, tmp_path):
    export(person("Daniel", "Shaw").email, tmp_path)
    event = AuditEvent.objects.get(action="exported.subject_data")
    request = SubjectAccessRequest.objects.get(person=person("Daniel", "Shaw"))
    assert event.object_id == str(request.pk)
    assert event.details["person"] == person("Daniel", "Shaw").pk
    with pytest.raises(CommandError, match="Nobody in the workforce"):
        call_command("export_subject_data", "nobody@example.org", stdout=io.StringIO())
