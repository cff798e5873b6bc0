"""Every kind of letter, for an employee and a volunteer, read back from the issued PDF.

Each test issues the letter through the real service, extracts the PDF's text and checks
what DOMAIN.md §5 asks that letter to say, including every allegation's clause quoted
exactly from the policy version the case cites.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from casework import demo_cases
from casework.errors import RuleBroken
from casework.letters import demo
from casework.models import VOLUNTEER_OUTCOMES, Letter, LetterKind, Sanction, Status
from casework.services import investigation, letters, suspensions
from casework.services.hearings import current_hearing
from casework.vocabulary import appeal_outcome_label
from casework.workdays import Calendar, procedure
from tests.trusts import demo_trust_id

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_media")]

TRUST = "St Clare Catholic Multi Academy Trust"
VOLUNTEER = {"subject": ("Patricia", "Doyle"), "reporter": ("Grace", "O'Neill")}
EMPLOYEE = {"subject": ("Daniel", "Shaw"), "reporter": ("Priya", "Patel")}


def setting(name: str) -> int:
    """A procedure figure of the demo trust, whose cases these letters are about."""
    return procedure(name, trust=demo_trust_id())


def flat(text: str) -> str:
    return " ".join(text.split())


def day(date) -> str:
    return f"{date:%A} {date.day} {date:%B %Y}"


def short(date) -> str:
    return f"{date.day} {date:%B %Y}"


class Read:
    """An issued letter read back from storage: its pages' text, page furniture removed."""

    def __init__(self, letter: Letter):
        self.letter = letter
        content = default_storage.open(letter.file.name).read()
        self.pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
        self.reference = letter.case.reference
        furniture = re.compile(
            rf"^(Private and confidential Case reference {self.reference}"
            rf"|{TRUST} Page \d+ of \d+)\s*$",
            re.MULTILINE,
        )
        self.text = flat(" ".join(furniture.sub("", page) for page in self.pages))

    def __contains__(self, words: str) -> bool:
        return flat(words) in self.text

    def missing(self, *phrases: str) -> list[str]:
        return [phrase for phrase in phrases if phrase not in self]


def issue(case, kind, **inputs) -> Read:
    letter = letters.issue_letter(
        case=demo.fresh(case), by=demo_cases.hr(), kind=kind, inputs=inputs
    )
    return Read(Letter.objects.get(pk=letter.pk))


def assert_every_letter_element(read: Read) -> None:
    """What DOMAIN.md §5 asks of every letter, and the look the issue asks for."""
    case = demo.fresh(read.letter.case)
    total = len(read.pages)
    for number, page in enumerate(read.pages, start=1):
        assert "Private and confidential" in page, number
        assert f"Case reference {case.reference}" in page, number
        assert f"Page {number} of {total}" in page, number
    assert not read.missing(
        TRUST,
        "St Clare House",
        "PRIVATE AND CONFIDENTIAL",
        f"Our reference: {case.reference}",
        f"School: {case.school.name}",
        f"Dear {case.subject.full_name}",
        "Hannah Reid",  # the author, who is also the named contact
        "Authority:",
        "Your contact about this letter is Hannah Reid, HR Case Manager, at "
        "hannah.reid@stclare.example",
        "Support available to you",
        "Reasonable adjustments",
        "UK GDPR and the Data Protection Act 2018",
    )


def assert_allegations_quoted(read: Read) -> None:
    case = read.letter.case
    allegations = list(case.allegations.select_related("clause"))
    assert allegations
    assert f"{case.policy.title}, version {case.policy.version}" in read
    for allegation in allegations:
        assert allegation.clause.policy_id == case.policy_id
        assert f"Allegation {allegation.number}: clause {allegation.clause.code}" in read
        assert allegation.clause.text in read, allegation.clause.code


# Words a volunteer's letters never use: they are not employees, so their letters speak of a
# meeting about the volunteering arrangement, never of the disciplinary procedure or of
# employment sanctions.
EMPLOYMENT_WORDS = (
    "the trust's disciplinary procedure",
    "disciplinary hearing",
    "disciplinary sanction",
    "dismissal",
    "dismissed",
    "warning",
    "full pay",
    "Employment Relations Act",
    "employee assistance",
)


def assert_says_nothing_of_employment(read: Read) -> None:
    """A volunteer's letters concern the volunteering arrangement, never employment."""
    text = read.text.lower()
    for employment_words in EMPLOYMENT_WORDS:
        assert employment_words.lower() not in text, employment_words


AUDIENCES = pytest.mark.parametrize("audience", ["employee", "volunteer"])


def concern(audience: str) -> dict:
    return VOLUNTEER if audience == "volunteer" else EMPLOYEE


@AUDIENCES
def test_investigation_meeting_invitation(audience):
    case = demo_cases.case_at(Status.INVESTIGATION, **concern(audience))
    inputs = demo.meeting_inputs(case, hour=14)
    read = issue(case, LetterKind.INVESTIGATION_MEETING, **inputs)

    assert_every_letter_element(read)
    assert_allegations_quoted(read)
    meets = timezone.localtime(inputs["meets_at"])
    assert not read.missing(
        "Invitation to an investigation meeting",
        "It is a fact-finding meeting",
        f"Date {day(meets.date())}",
        "Time 14:00",
        f"Place {inputs['location']}",
        "Investigating officer Emma Wright, Assistant Headteacher",
        "no statutory right to be accompanied",
    )
    assert read.letter.inputs["location"] == inputs["location"]
    if audience == "volunteer":
        assert_says_nothing_of_employment(read)
    else:
        assert "fact-finding meeting, not a disciplinary hearing" in read


@AUDIENCES
def test_suspension_its_review_and_its_lifting(audience):
    case = demo_cases.case_at(Status.INVESTIGATION, **concern(audience))
    suspension = demo.suspend(case)
    welfare = suspension.welfare_contact
    today = timezone.localdate()

    read = issue(case, LetterKind.SUSPENSION)
    assert_every_letter_element(read)
    assert_allegations_quoted(read)
    assert not read.missing(
        "This is a neutral act, not a",
        day(suspension.started_on),
        f"reviewed by {day(suspension.next_review_on)}",
        f"at least every {setting('SUSPENSION_REVIEW_WORKING_DAYS')} working days",
        suspension.conditions,
        f"{welfare.full_name}, {welfare.job_title}, is your welfare contact",
        suspension.reasons,
    )

    review = demo.review(suspension)
    reviewed = issue(case, LetterKind.SUSPENSION_REVIEW)
    assert_every_letter_element(reviewed)
    assert not reviewed.missing(
        f"was reviewed on {day(review.reviewed_on)}",
        "The suspension remains a neutral act, not a",
        f"The next review will be by {day(review.next_review_on)}",
        review.notes,
        welfare.full_name,
    )

    lifted_suspension = demo.lift(suspension)
    lifted = issue(case, LetterKind.SUSPENSION_LIFTED)
    assert_every_letter_element(lifted)
    assert not lifted.missing(
        f"was lifted on {day(today)}",
        lifted_suspension.end_reason,
        "still being dealt with",
    )

    if audience == "employee":
        assert "suspended from work on full pay" in read
        assert "It will continue, on full pay." in reviewed
        assert "This is a neutral act, not a disciplinary sanction." in read
    else:
        assert "asked to step back from volunteering" in read
        for each in (read, reviewed, lifted):
            assert_says_nothing_of_employment(each)
    # Each suspension letter is about its own suspension or review: none replaced another.
    assert not Letter.objects.filter(case=case, supersedes__isnull=False).exists()


@AUDIENCES
def test_disciplinary_hearing_invitation(audience):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED, **concern(audience))
    hearing = current_hearing(case)
    starts = timezone.localtime(hearing.starts_at)
    postpone_by = Calendar.of_case(case).add_working_days(
        starts.date(), procedure("COMPANION_POSTPONEMENT_WORKING_DAYS", trust=demo_trust_id())
    )
    read = issue(case, LetterKind.HEARING_INVITATION)

    assert_every_letter_element(read)
    assert_allegations_quoted(read)
    word = "meeting" if audience == "volunteer" else "hearing"
    assert not read.missing(
        f"Date {day(starts.date())}",
        f"Time {starts:%H:%M}",
        f"Place {hearing.location}",
        f"Chair {hearing.chair.full_name}, {hearing.chair.job_title}",
        f"at least {setting('HEARING_NOTICE_WORKING_DAYS')} working days' notice",
        "Possible outcomes",
        "the investigation report",  # the evidence pack
        "Your right to be accompanied",
        f"within {setting('COMPANION_POSTPONEMENT_WORKING_DAYS')} working days of the date "
        f"above, so no later than {day(postpone_by)}",
        # Proceeding in absence: after the postponement the procedure gives, or if they say
        # they will not come.
        f"the {word} can be postponed once",
        "If you tell us that you will not attend, or you do not attend once the "
        f"{word} has been postponed, the {word} may go ahead in your absence",
    )
    if audience == "employee":
        assert not read.missing(
            "Invitation to a disciplinary hearing",
            "a work colleague or a trade union representative",
            "Employment Relations Act 1999",
            "Final written warning",
            "Summary dismissal (gross misconduct)",
            "Dismissal is a possible outcome of this hearing.",
        )
    else:
        assert not read.missing(
            "Invitation to a meeting about your volunteering arrangement",
            "a meeting about your volunteering arrangement at",
            "Volunteering arrangement ended",
            "Guidance given (volunteer)",
        )
        assert_says_nothing_of_employment(read)


def assert_outcome_letter(read: Read, *, sanction: str) -> None:
    case = demo.fresh(read.letter.case)
    sign_off = case.sign_offs.get(approved=True)
    signed_at = timezone.localtime(sign_off.decided_at)
    assert_every_letter_element(read)
    assert_allegations_quoted(read)
    for allegation in case.allegations.all():
        assert f"Finding: {allegation.get_hearing_finding_display()}." in read
        assert allegation.hearing_reasons in read
    assert not read.missing(
        Sanction(sanction).label,
        case.decision_reasons,
        day(case.sanction_effective_on),
        # The sign-off: who, in what role, when.
        f"signed off by {sign_off.signed_by.full_name}, {sign_off.role_title}",
        f"on {short(signed_at.date())} at {signed_at:%H:%M}",
        # The right of appeal: to whom, how and by when.
        "Your right of appeal",
        "write to Hannah Reid, HR Case Manager, by e-mail to hannah.reid@stclare.example",
        f"Your appeal must reach us by {day(case.appeal_deadline)}",
        f"{setting('APPEAL_WORKING_DAYS')} working days after the outcome was issued",
    )


EMPLOYEE_OUTCOMES = [
    (Sanction.NO_ACTION, LetterKind.OUTCOME),
    (Sanction.MANAGEMENT_ADVICE, LetterKind.OUTCOME),
    (Sanction.FIRST_WRITTEN_WARNING, LetterKind.OUTCOME),
    (Sanction.FINAL_WRITTEN_WARNING, LetterKind.OUTCOME),
    (Sanction.DISMISSAL_WITH_NOTICE, LetterKind.DISMISSAL_WITH_NOTICE),
    (Sanction.SUMMARY_DISMISSAL, LetterKind.SUMMARY_DISMISSAL),
]


@pytest.mark.parametrize(("sanction", "kind"), EMPLOYEE_OUTCOMES)
def test_an_employees_outcome_letter_for_each_sanction(sanction, kind):
    case = demo.case_with_outcome(sanction, **EMPLOYEE)
    inputs = demo.outcome_inputs(case)
    read = issue(case, kind, **inputs)
    case = demo.fresh(case)

    assert case.status == Status.OUTCOME_ISSUED  # issuing the letter issued the outcome
    assert read.letter.kind == kind and read.letter.sanction == sanction
    assert_outcome_letter(read, sanction=sanction)
    if sanction in (Sanction.FIRST_WRITTEN_WARNING, Sanction.FINAL_WRITTEN_WARNING):
        months = procedure(
            "FIRST_WARNING_LIVE_MONTHS"
            if sanction == Sanction.FIRST_WRITTEN_WARNING
            else "FINAL_WARNING_LIVE_MONTHS",
            trust=case.trust_id,
        )
        assert not read.missing(
            f"is live for {months} months: from {short(case.sanction_effective_on)} to "
            f"{short(case.warning_expires_on)} inclusive",
            "What is expected of you",
            "If there is further misconduct",
        )
    if sanction == Sanction.FINAL_WRITTEN_WARNING:
        assert "may lead to your dismissal" in read
    if sanction == Sanction.DISMISSAL_WITH_NOTICE:
        assert not read.missing(
            "The reasons for your dismissal",
            f"You are entitled to {inputs['notice_weeks']} weeks' notice",
            "paid in lieu of notice",
            f"Your employment ends on {day(case.sanction_effective_on)}",
            "The statutory minimum notice for your length of service is 7 weeks.",
            "whether or not you appeal",
        )
    if sanction == Sanction.SUMMARY_DISMISSAL:
        assert not read.missing(
            "summarily dismissed for gross misconduct",
            "without notice and without pay in lieu of notice",
            f"Your employment ends on {day(case.sanction_effective_on)}",
        )


@pytest.mark.parametrize("sanction", [s.value for s in VOLUNTEER_OUTCOMES])
def test_a_volunteers_outcome_letter_for_each_outcome(sanction):
    case = demo.case_with_outcome(sanction, **VOLUNTEER)
    read = issue(case, LetterKind.OUTCOME)

    assert read.letter.audience == "volunteer"
    assert_outcome_letter(read, sanction=sanction)
    assert not read.missing(
        "As a volunteer you are not an employee of the trust.",
        "it is not an employment sanction",
    )
    assert_says_nothing_of_employment(read)
    if sanction == Sanction.VOLUNTEERING_ENDED:
        assert f"ends on {day(demo.fresh(case).sanction_effective_on)}" in read


def test_a_dismissal_with_notice_worked_names_the_last_day():
    case = demo.case_with_outcome(Sanction.DISMISSAL_WITH_NOTICE, **EMPLOYEE)
    last_day = timezone.localdate() + datetime.timedelta(weeks=14)
    read = issue(
        case,
        LetterKind.DISMISSAL_WITH_NOTICE,
        notice_weeks=13,
        pay_in_lieu=False,
        last_day=last_day,
    )

    assert not read.missing(
        "You are given 13 weeks' notice",
        f"Your last day of employment will be {day(last_day)}",
    )
    assert "paid in lieu of notice" not in read


@AUDIENCES
def test_appeal_hearing_invitation(audience):
    case = demo_cases.case_at(Status.APPEAL_HEARING, **concern(audience))
    hearing = current_hearing(case, "appeal")
    starts = timezone.localtime(hearing.starts_at)
    read = issue(case, LetterKind.APPEAL_INVITATION)

    assert_every_letter_element(read)
    assert_allegations_quoted(read)
    word = "meeting" if audience == "volunteer" else "hearing"
    assert not read.missing(
        f"Invitation to your appeal {word}",
        f"We received your appeal on {day(case.appeal.lodged_on)}",
        case.appeal.grounds,
        f"Date {day(starts.date())}",
        f"Place {hearing.location}",
        f"Appeal chair {hearing.chair.full_name}",
        "who has not been involved in the case before",
        "The appeal decision will be final.",
        "Your right to be accompanied",
        f"the {word} may go ahead in your absence",
    )
    if audience == "volunteer":
        assert "The outcome cannot be made more severe on appeal." in read
        assert_says_nothing_of_employment(read)
    else:
        assert "The sanction cannot be increased on appeal." in read


@AUDIENCES
def test_appeal_outcome_is_final(audience):
    case = demo_cases.case_at(Status.APPEAL_DECIDED, **concern(audience))
    read = issue(case, LetterKind.APPEAL_OUTCOME)
    appeal = demo.fresh(case).appeal

    assert_every_letter_element(read)
    assert_allegations_quoted(read)
    assert not read.missing(
        "The outcome of your appeal",
        f"Appeal outcome: {appeal_outcome_label(case, appeal.outcome)}.",
        f"The outcome now stands as: {appeal.get_new_sanction_display()}",
        appeal.reasons,
        "This decision is final. There is no further right of appeal",
        f"decided by {case.appeal_chair.full_name}",
    )
    if audience == "volunteer":
        assert_says_nothing_of_employment(read)


@AUDIENCES
def test_no_further_action(audience):
    case = demo_cases.case_at(Status.INVESTIGATION_REPORT, **concern(audience))
    investigation.decide_on_report(
        case=case,
        by=demo_cases.hr(),
        decision="no_case_to_answer",
        reasons="The screenshots show another person's account.",
    )
    read = issue(case, LetterKind.NO_FURTHER_ACTION)

    assert_every_letter_element(read)
    assert_allegations_quoted(read)
    assert not read.missing(
        "No further action",
        "there is no case to answer. No further action will be taken.",
        "The screenshots show another person's account.",
    )
    if audience == "volunteer":
        assert_says_nothing_of_employment(read)


def test_a_letter_names_its_fonts_and_embeds_only_those():
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    letter = letters.issue_letter(
        case=case, by=demo_cases.hr(), kind=LetterKind.HEARING_INVITATION, inputs={}
    )
    reader = PdfReader(default_storage.open(letter.file.name))
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("Liberation" in name for name in fonts), fonts
    assert any("Serif" in name for name in fonts) and any("Sans" in name for name in fonts)


def test_a_suspension_letter_needs_a_current_suspension():
    case = demo_cases.case_at(Status.INVESTIGATION)
    with pytest.raises(RuleBroken, match="no current suspension"):
        letters.issue_letter(case=case, by=demo_cases.hr(), kind=LetterKind.SUSPENSION, inputs={})
    suspension = demo.suspend(case)
    suspensions.lift_suspension(
        suspension=suspension, by=demo_cases.hr(), ended_on=timezone.localdate(), reason="Done."
    )
    with pytest.raises(RuleBroken, match="no current suspension"):
        letters.issue_letter(case=case, by=demo_cases.hr(), kind=LetterKind.SUSPENSION, inputs={})
    assert not Letter.objects.exists()
