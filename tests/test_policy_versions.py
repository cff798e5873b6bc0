"""Versions of the policy: a new version becomes current, every case keeps citing the
version it was raised under, its letters keep quoting that version's words, and the
policy page shows what changed from one version to the next."""

from __future__ import annotations

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from casework import demo_cases
from casework.forms import AllegationForm
from casework.letters import demo
from casework.models import Case, LetterKind, Policy, Status, Trust
from casework.policies import importing
from casework.policies.changes import compare_clauses, word_changes
from casework.policies.figures import figure_of
from casework.policies.parsing import parse
from casework.policies.reading import _text_lines
from casework.services import letters

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_media")]

ST_CLARE = "St Clare Catholic Multi Academy Trust"
ST_CLARE_TEXT = (Path(settings.BASE_DIR) / "fixtures" / "social-media-policy.txt").read_text(
    encoding="utf-8"
)
OLD_DONT_3 = "Discuss work related issues via social media;"
NEW_DONT_3 = "Discuss pupils, parents or colleagues online;"


def adopt(version: str = "2026.1", *, adopted: str = "March 2026", **replacements) -> Policy:
    """A new version of St Clare's policy, its text changed by ``replacements``."""
    text = ST_CLARE_TEXT.replace("June 2022", adopted).replace("July 2025", "July 2029")
    for old, new in replacements.get("words", {}).items():
        text = text.replace(old, new)
    trust = Trust.objects.get(name=ST_CLARE)
    proposal = parse(_text_lines(text), trust_name=ST_CLARE)
    return importing.adopt_policy_version(
        trust=trust,
        version=version,
        proposal=proposal,
        source=importing.Source("policy.txt", "0" * 64, "text/plain"),
        by=demo_cases.hr(),
        confirmed_figures=replacements.get("figures"),
    )


def letter_text(letter) -> str:
    reader = PdfReader(default_storage.open(letter.file.name))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def hearing_invitation(case: Case) -> str:
    letter = letters.issue_letter(
        case=demo.fresh(case), by=demo_cases.hr(), kind=LetterKind.HEARING_INVITATION, inputs={}
    )
    return letter_text(letter)


# --- Cases keep their version -------------------------------------------------------------


def test_an_old_cases_letter_issued_after_a_new_version_still_quotes_the_old_text():
    old_case = demo_cases.case_at(Status.HEARING_SCHEDULED)  # alleged breach of DONT-3
    assert old_case.policy.version == "2022.1"
    adopt(words={OLD_DONT_3: NEW_DONT_3})

    text = hearing_invitation(old_case)
    assert OLD_DONT_3 in text and "version 2022.1" in text
    assert NEW_DONT_3 not in text

    new_case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    assert new_case.policy.version == "2026.1"
    text = hearing_invitation(new_case)
    assert NEW_DONT_3 in text and "version 2026.1" in text
    assert OLD_DONT_3 not in text


def test_an_old_case_is_still_framed_against_the_version_it_cites(sign_in):
    old_case = demo_cases.case_at(Status.INVESTIGATION)
    new = adopt(words={OLD_DONT_3: NEW_DONT_3})
    offered = AllegationForm(case=demo.fresh(old_case)).fields["clause"].queryset
    assert {clause.policy.version for clause in offered} == {"2022.1"}

    client = sign_in("Hannah", "Reid")
    url = reverse("casework:add_allegation", args=[old_case.reference])
    response = client.post(
        url, {"clause": new.clauses.get(code="DONT-3").pk, "particulars": "A post about pupils."}
    )
    assert response.status_code == 200  # refused: not a clause of the version cited
    assert not old_case.allegations.filter(clause__policy=new).exists()


def test_a_concern_raised_after_a_new_version_cites_it():
    before = demo_cases.raise_concern()
    adopt()
    after = demo_cases.raise_concern()
    assert before.policy.version == "2022.1" and after.policy.version == "2026.1"
    before.refresh_from_db()
    assert before.policy.version == "2022.1"


# --- The policy's own numbers -------------------------------------------------------------


def left_before_seen(years: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=2) - relativedelta(years=years)


def test_a_case_is_routed_by_the_former_pupil_window_its_own_version_states():
    left = left_before_seen(4)
    under_three_years = demo_cases.raise_concern(pupils_involved="former", pupil_left_on=left)
    adopt(
        words={"within three years": "within five years"},
        figures={"FORMER_PUPIL_CONTACT_YEARS": 5},
    )
    under_five_years = demo_cases.raise_concern(pupils_involved="former", pupil_left_on=left)
    assert not under_three_years.safeguarding and under_three_years.status == Status.RECEIVED
    assert under_five_years.safeguarding
    assert under_five_years.status == Status.SAFEGUARDING_REVIEW


def concern_form(**changes) -> dict:
    subject = demo_cases.person("Daniel", "Shaw")
    return {
        "subject": subject.pk,
        "school": subject.school_id,
        "seen_on": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "platform": "facebook",
        "account_kind": "personal",
        "what_was_seen": "A message to a former pupil.",
        "links": "",
        "pupils_involved": "former",
        "pupil_left_on": left_before_seen(4).isoformat(),
        **changes,
    }


def test_over_the_form_the_window_follows_the_current_version(sign_in):
    client = sign_in("Priya", "Patel")
    client.post(reverse("casework:report_concern"), concern_form())
    assert not Case.objects.latest("pk").safeguarding
    adopt(
        words={"within three years": "within five years"},
        figures={"FORMER_PUPIL_CONTACT_YEARS": 5},
    )
    # Another message, so that it is not taken for the first concern sent again.
    client.post(
        reverse("casework:report_concern"),
        concern_form(what_was_seen="Another message to a former pupil."),
    )
    case = Case.objects.latest("pk")
    assert case.policy.version == "2026.1" and case.safeguarding


def test_the_setting_applies_only_to_a_version_that_states_no_figure(settings):
    settings.CASEWORK_PROCEDURE = {**settings.CASEWORK_PROCEDURE, "FORMER_PUPIL_CONTACT_YEARS": 7}
    held = Policy.objects.get(version="2022.1")
    assert figure_of(held, "FORMER_PUPIL_CONTACT_YEARS") == 3  # DONT-4's three years
    held.figures = {}
    assert figure_of(held, "FORMER_PUPIL_CONTACT_YEARS") == 7


def test_a_version_that_states_no_window_follows_the_setting():
    policy = adopt(
        words={
            "Accept friend requests or use social media to communicate with current pupils, "
            "or former pupils within three years of their leaving school;": (
                "Accept friend requests from current pupils;"
            )
        }
    )
    assert policy.figures == {}
    assert figure_of(policy, "FORMER_PUPIL_CONTACT_YEARS") == 3  # the setting's default


# --- The policy page: versions and what changed -------------------------------------------


def test_the_policy_page_shows_every_version_and_what_changed(sign_in):
    adopt(
        words={
            OLD_DONT_3: NEW_DONT_3,
            "within three years": "within five years",
            "Set privacy levels on work social media accounts related to work to prevent "
            "replies and comments;\n\n": "",
        },
        figures={"FORMER_PUPIL_CONTACT_YEARS": 5},
    )
    page = sign_in("Tom", "Brennan").get(reverse("casework:policy")).content.decode()
    assert "Versions of the policy" in page
    assert "Version 2026.1</a> (current)" in page and "Version 2022.1</a>" in page
    assert "What changed from version 2022.1:" in page
    assert "<strong>Removed DO-7:</strong>" in page
    assert "<strong>Renumbered:</strong> DO-8 is now DO-7, its words unchanged." in page
    assert "<strong>Reworded DONT-3:</strong>" in page
    assert "<del>work related issues via social media;</del>" in page
    assert "<ins>pupils, parents or colleagues online;</ins>" in page
    assert "within <del>three</del> <ins>five</ins> years" in page
    assert "<strong>Former-pupil window:</strong> 3 years, now 5 years." in page
    assert NEW_DONT_3 in page  # the current version's text


def test_a_past_version_can_be_read_as_its_cases_cite_it(sign_in):
    adopt(words={OLD_DONT_3: NEW_DONT_3})
    client = sign_in("Tom", "Brennan")
    page = client.get(reverse("casework:policy_version", args=["2022.1"])).content.decode()
    assert "Version 2022.1 is not the current version of the policy." in page
    assert OLD_DONT_3 in page and NEW_DONT_3 not in page
    assert client.get(reverse("casework:policy_version", args=["1999.9"])).status_code == 404


def test_a_past_version_is_not_said_to_be_overdue_for_review(sign_in):
    adopt()
    client = sign_in("Hannah", "Reid")
    old = client.get(reverse("casework:policy_version", args=["2022.1"])).content.decode()
    assert "overdue for review" not in old


def test_the_policy_pages_query_count_does_not_grow_with_the_versions(sign_in):
    client = sign_in("Tom", "Brennan")
    adopt("2026.1", adopted="March 2026")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("casework:policy")).status_code == 200
        return len(captured)

    with_two = queries()
    adopt("2027.1", adopted="March 2027", words={OLD_DONT_3: NEW_DONT_3})
    adopt("2028.1", adopted="March 2028")
    assert queries() == with_two


# --- Comparing versions -------------------------------------------------------------------


def clauses(*items: tuple[str, str]) -> list:
    return [SimpleNamespace(code=code, kind=code.split("-")[0], text=text) for code, text in items]


def test_clauses_are_matched_by_their_words_not_their_codes():
    before = clauses(("DO-1", "Keep accounts private;"), ("DO-2", "Name work accounts."))
    after = clauses(
        ("DO-1", "Think before you post;"),
        ("DO-2", "Keep accounts private;"),
        ("DO-3", "Name work accounts."),
    )
    changes = compare_clauses(before, after)
    assert [c.code for c in changes.added] == ["DO-1"]
    assert [(b.code, a.code) for b, a in changes.renumbered] == [("DO-1", "DO-2"), ("DO-2", "DO-3")]
    assert not changes.removed and not changes.reworded


def test_a_removed_clause_and_a_reworded_one_are_told_apart():
    before = clauses(
        ("DONT-1", "Post images of pupils on personal accounts;"),
        ("DONT-2", "Use work accounts for two-way conversation;"),
        ("DONT-3", "Bring the school into disrepute."),
    )
    after = clauses(
        ("DONT-1", "Post images of pupils or colleagues on personal accounts;"),
        ("DONT-2", "Bring the school into disrepute."),
    )
    changes = compare_clauses(before, after)
    assert [c.code for c in changes.removed] == ["DONT-2"]
    (reworded,) = changes.reworded
    assert (reworded.before.code, reworded.after.code) == ("DONT-1", "DONT-1")
    assert [(w.change, w.words) for w in reworded.words] == [
        ("same", "Post images of pupils"),
        ("added", "or colleagues"),
        ("same", "on personal accounts;"),
    ]


def test_word_changes_mark_what_was_removed_and_added():
    assert [
        (w.change, w.words) for w in word_changes("within three years", "within five years")
    ] == [
        ("same", "within"),
        ("removed", "three"),
        ("added", "five"),
        ("same", "years"),
    ]
