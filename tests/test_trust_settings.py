"""Each trust's own settings: its administrators change its figures and letterhead, and
nothing of another trust's.

A second trust (tests/trusts.py's, with an administrator added here) stands beside the
demo's St Clare: an administrator of one trust changes a figure and only that trust's
cases follow it; each trust's letters are printed on its own letterhead.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from casework import clock, demo, demo_cases, selectors
from casework.errors import NotAllowed
from casework.letters import rendering
from casework.models import (
    AuditEvent,
    Case,
    Letter,
    LetterKind,
    Role,
    RoleAssignment,
    StaffMember,
    Status,
    Trust,
    TrustSettings,
    User,
)
from casework.services import letters, outcomes, triage
from casework.trusts import configuration
from casework.trusts.forms import initial_from
from casework.trusts.services import SettingsRefused, change_trust_settings, values_in_force
from casework.workdays import Calendar, procedure
from tests.test_concerns import png_bytes
from tests.trusts import SECOND_TRUST, ST_CLARE, SecondTrust, build_second_trust

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("own_media")]

SETTINGS_PAGE = "/casework/trust/settings/"
OTHER = SECOND_TRUST
DEFAULT_APPEAL_DAYS = django_settings.CASEWORK_PROCEDURE["APPEAL_WORKING_DAYS"]


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_of(letter: Letter) -> PdfReader:
    return PdfReader(io.BytesIO(default_storage.open(letter.file.name).read()))


def text_of(letter: Letter) -> str:
    return flat(" ".join(page.extract_text() for page in pdf_of(letter).pages))


def has_picture(letter: Letter) -> bool:
    page = pdf_of(letter).pages[0]
    pictures = page["/Resources"].get("/XObject") or {}
    return any(x.get_object()["/Subtype"] == "/Image" for x in pictures.values())


def staff_member(trust: Trust, first: str, last: str, *, school=None, role=None) -> StaffMember:
    domain = "stclare-test.example" if trust.name == ST_CLARE else "second-trust-test.example"
    email = f"{first}.{last}@{domain}".lower()
    person = StaffMember.objects.create(
        trust=trust,
        school=school,
        first_name=first,
        last_name=last,
        email=email,
        job_title="Trust administrator" if role == Role.TRUST_ADMINISTRATOR else "Teacher",
        started_on=datetime.date(2020, 9, 1),
        user=User.objects.create_user(email=email, password="unused", first_name=first),
    )
    if role is not None:
        RoleAssignment.objects.create(person=person, role=role)
    return person


def administrator_of(trust: Trust, first: str = "Tamsin", last: str = "Keeling") -> User:
    return staff_member(trust, first, last, role=Role.TRUST_ADMINISTRATOR).user


@dataclass
class OtherTrust:
    """The tests' second trust (tests/trusts.py), with an administrator of its own."""

    trust: Trust
    hr: User
    administrator: User
    built: SecondTrust


@pytest.fixture
def other() -> OtherTrust:
    return second_trust()


def second_trust() -> OtherTrust:
    built = build_second_trust()
    return OtherTrust(
        trust=built.trust,
        hr=built.hr.user,
        administrator=administrator_of(built.trust, "Idris", "Lloyd"),
        built=built,
    )


def raise_in(other: OtherTrust) -> Case:
    return other.built.raise_concern()


def closed_with_no_case_in(other: OtherTrust) -> Case:
    case = triage.acknowledge_concern(case=raise_in(other), by=other.hr)
    return triage.triage_concern(
        case=case, by=other.hr, decision="no_case_to_answer", reasons="The post was not theirs."
    )


def st_clare() -> Trust:
    return Trust.objects.get(name=ST_CLARE)


def form_data(trust: Trust, **changes) -> dict:
    """The settings page's form as it is shown (the trust's values now), with ``changes``
    (``procedure__APPEAL_WORKING_DAYS="15"``)."""
    data = {
        key: "" if value is None else value
        for key, value in initial_from(values_in_force(trust)).items()
    }
    return {**data, **changes}


def arguments(trust: Trust, **changes) -> dict:
    """The service's arguments for the trust's values now, with ``changes``."""
    now = values_in_force(trust)
    given = {
        "letterhead_name": now["letterhead_name"],
        "address": now["address"],
        "telephone": now["telephone"],
        "email": now["email"],
        "procedure": {},
        "retention": {},
        "reminder_escalation_working_days": now["reminder_escalation_working_days"],
        "hr_lead_email": now["hr_lead_email"],
    }
    return {**given, **changes}


# --- A figure changed for one trust ----------------------------------------------------------


def test_an_administrator_changes_the_appeal_window_and_only_their_trusts_cases_follow(client):
    client.force_login(administrator_of(st_clare()))
    page = client.post(SETTINGS_PAGE, form_data(st_clare(), procedure__APPEAL_WORKING_DAYS="15"))
    assert page.status_code == 302
    assert "saved" in client.get(SETTINGS_PAGE).content.decode()

    ours = demo_cases.case_at(Status.OUTCOME_ISSUED)  # a St Clare case, outcome issued today
    assert ours.appeal_deadline == Calendar.of_case(ours).add_working_days(
        ours.outcome_issued_on, 15
    )
    other = second_trust()
    theirs = raise_in(other)
    assert procedure("APPEAL_WORKING_DAYS", trust=other.trust.pk) == DEFAULT_APPEAL_DAYS
    assert outcomes.appeal_deadline(theirs, clock.today()) == Calendar.of_case(
        theirs
    ).add_working_days(clock.today(), DEFAULT_APPEAL_DAYS)
    assert not TrustSettings.objects.filter(trust=other.trust).exists()


def test_the_page_shows_every_figure_with_its_default_and_the_trusts_own_value(client):
    trust = st_clare()
    TrustSettings.objects.create(
        trust=trust, letterhead_name=ST_CLARE, procedure={"APPEAL_WORKING_DAYS": 15}
    )
    client.force_login(administrator_of(trust))
    page = client.get(SETTINGS_PAGE)
    assert page.status_code == 200
    form = page.context["form"]
    html = page.content.decode()
    for name, default in django_settings.CASEWORK_PROCEDURE.items():
        field = form[f"procedure__{name}"]
        assert f"The installation's default: {default}." in field.help_text
    for name, default in django_settings.CASEWORK_RETENTION.items():
        assert f"The installation's default: {default}." in form[f"retention__{name}"].help_text
    assert form["procedure__APPEAL_WORKING_DAYS"].value() == 15
    assert "An appeal must be lodged within (working days)" in html
    assert 'name="reminder_escalation_working_days"' in html
    assert 'name="hr_lead_email"' in html
    assert 'name="logo"' in html


# --- Letters on their own trust's letterhead -------------------------------------------------


def test_each_trusts_letters_carry_its_own_letterhead_and_logo(
    client, django_capture_on_commit_callbacks
):
    ours_case = demo_cases.case_at(Status.NO_CASE_TO_ANSWER)
    other = second_trust()
    client.force_login(other.administrator)
    logo = SimpleUploadedFile("crest.png", png_bytes(), content_type="image/png")
    page = client.post(
        SETTINGS_PAGE,
        {
            **form_data(other.trust),
            "letterhead_name": OTHER,
            "address": "St Aidan House\n4 Priory Lane\nNortham NO1 4AA",
            "telephone": "01632 961111",
            "email": "hr@staidan.example",
            "logo": logo,
        },
    )
    assert page.status_code == 302, page.context["form"].errors

    case = closed_with_no_case_in(other)
    theirs = letters.issue_letter(
        case=case, by=other.hr, kind=LetterKind.NO_FURTHER_ACTION, inputs={}
    )
    ours = letters.issue_letter(
        case=ours_case, by=demo_cases.hr(), kind=LetterKind.NO_FURTHER_ACTION, inputs={}
    )

    their_text, our_text = text_of(theirs), text_of(ours)
    assert f"{OTHER} St Aidan House 4 Priory Lane Northam NO1 4AA" in their_text
    assert "Telephone 01632 961111 · hr@staidan.example" in their_text
    assert ST_CLARE not in their_text
    assert "St Clare House, 1 Cathedral Close" not in their_text
    head = django_settings.CASEWORK_LETTERHEAD
    assert head["TRUST_NAME"] in our_text and "St Clare House" in our_text
    assert OTHER not in our_text and "Priory Lane" not in our_text
    # The uploaded logo is inside the PDF; St Clare's letters have none (none is set).
    assert has_picture(theirs)
    assert not has_picture(ours)

    # E-mailed, the letter comes from its own trust, and replies go to that trust.
    with django_capture_on_commit_callbacks(execute=True):
        letters.deliver_letter(letter=theirs, by=other.hr, method="email")
    message = mail.outbox[-1]
    assert message.subject == f"Private and confidential: a letter from {OTHER}"
    assert message.reply_to == ["hr@staidan.example"]
    assert ST_CLARE not in message.body


def test_the_environments_static_logo_still_prints_for_a_trust_that_saved_nothing(settings):
    settings.CASEWORK_LETTERHEAD = {**settings.CASEWORK_LETTERHEAD, "LOGO": "viewflow/img/user.png"}
    case = demo_cases.case_at(Status.NO_CASE_TO_ANSWER)
    letter = letters.issue_letter(
        case=case, by=demo_cases.hr(), kind=LetterKind.NO_FURTHER_ACTION, inputs={}
    )
    assert has_picture(letter)


def test_a_trust_that_saved_nothing_writes_under_its_own_name_never_another_trusts(settings):
    settings.CASEWORK_LETTERHEAD = {**settings.CASEWORK_LETTERHEAD, "LOGO": "viewflow/img/user.png"}
    other = second_trust()
    letter = letters.issue_letter(
        case=closed_with_no_case_in(other),
        by=other.hr,
        kind=LetterKind.NO_FURTHER_ACTION,
        inputs={},
    )
    text = text_of(letter)
    assert f"{other.trust.name} 1 Second Street Elsewhere" in text
    head = django_settings.CASEWORK_LETTERHEAD
    for theirs in (head["TRUST_NAME"], head["TELEPHONE"], head["EMAIL"], "Cathedral Close"):
        assert theirs not in text
    assert not has_picture(letter)


def test_a_letter_fetches_only_a_png_or_jpeg_logo_it_carries_itself():
    import base64

    png = base64.b64encode(png_bytes()).decode()
    fetched = rendering.StaticFilesOnly().fetch(f"data:image/png;base64,{png}")
    assert fetched.content_type == "image/png"
    for refused in (
        f"data:image/jpeg;base64,{png}",  # not what it says it is
        "data:image/svg+xml;base64,PHN2Zy8+",
        "data:text/html,<p>hello</p>",
        f"data:image/png,{png}",
    ):
        with pytest.raises(rendering.ResourceRefused):
            rendering.StaticFilesOnly().fetch(refused)


# --- Bad input changes nothing ---------------------------------------------------------------


def test_bad_figures_are_refused_each_with_its_reason_and_nothing_changes(client, own_media):
    trust = st_clare()
    client.force_login(administrator_of(trust))
    events = AuditEvent.objects.count()
    page = client.post(
        SETTINGS_PAGE,
        form_data(
            trust,
            letterhead_name="A new name",
            procedure__APPEAL_WORKING_DAYS="0",
            procedure__TRIAGE_WORKING_DAYS="1.5",
            procedure__HEARING_NOTICE_WORKING_DAYS="",
            retention__OTHER_CASES_KEPT_YEARS="-1",
            procedure__DPO_DECISION_HOURS="96",
            email="not an address",
            logo=SimpleUploadedFile(
                "crest.png", b"<svg onload=alert(1)>", content_type="image/png"
            ),
        ),
    )
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert errors["procedure__APPEAL_WORKING_DAYS"] == [
        "“An appeal must be lodged within” must be at least 1 working day."
    ]
    assert errors["procedure__TRIAGE_WORKING_DAYS"] == [
        "“HR triages a concern within” must be a whole number of working days, like 5."
    ]
    assert "Enter a number of working days" in errors["procedure__HEARING_NOTICE_WORKING_DAYS"][0]
    assert "must be at least 0 years" in errors["retention__OTHER_CASES_KEPT_YEARS"][0]
    assert "72 hours" in errors["procedure__DPO_DECISION_HOURS"][0]
    assert "is not an e-mail address" in errors["email"][0]
    assert "is not a kind of file Casework accepts" in errors["logo"][0]
    html = page.content.decode()
    assert 'data-testid="error-summary"' in html
    assert 'href="#id_procedure__APPEAL_WORKING_DAYS"' in html

    assert not TrustSettings.objects.filter(trust=trust).exists()
    assert AuditEvent.objects.count() == events
    assert not [p for p in own_media.rglob("*") if p.is_file()]
    assert procedure("APPEAL_WORKING_DAYS", trust=trust.pk) == DEFAULT_APPEAL_DAYS


def test_the_service_refuses_bad_figures_whole_and_keeps_what_was_saved():
    trust = st_clare()
    admin = administrator_of(trust)
    change_trust_settings(
        trust=trust, by=admin, **arguments(trust, procedure={"APPEAL_WORKING_DAYS": 12})
    )
    saved = TrustSettings.objects.get(trust=trust)
    with pytest.raises(SettingsRefused) as refused:
        change_trust_settings(
            trust=trust,
            by=admin,
            **arguments(
                trust,
                letterhead_name="  ",
                procedure={"APPEAL_WORKING_DAYS": 20, "NO_SUCH_FIGURE": 3},
                retention={"SAFEGUARDING_MINIMUM_YEARS": "ten"},
                reminder_escalation_working_days=0,
            ),
        )
    assert set(refused.value.problems) == {
        "letterhead_name",
        "procedure.NO_SUCH_FIGURE",
        "retention.SAFEGUARDING_MINIMUM_YEARS",
        "reminder_escalation_working_days",
    }
    assert "Nothing was changed." in refused.value.message
    again = TrustSettings.objects.get(trust=trust)
    assert again.procedure == saved.procedure and again.changed_at == saved.changed_at
    assert procedure("APPEAL_WORKING_DAYS", trust=trust.pk) == 12


# --- The audit trail ---------------------------------------------------------------------------


def test_a_change_is_one_audit_event_with_each_value_before_and_after(time_machine):
    time_machine.move_to(clock.now(), tick=False)
    trust = st_clare()
    admin = administrator_of(trust)
    change_trust_settings(
        trust=trust,
        by=admin,
        **arguments(
            trust,
            telephone="01632 960999",
            procedure={"APPEAL_WORKING_DAYS": "15"},
            retention={"OTHER_CASES_KEPT_YEARS": 7},
        ),
    )
    (event,) = AuditEvent.objects.filter(action="trust.settings_changed")
    assert event.actor == admin and event.case_id is None and event.trust_id == trust.pk
    assert event.details["changed"] == {
        "telephone": {"before": "01632 960000", "after": "01632 960999"},
        "procedure.APPEAL_WORKING_DAYS": {"before": DEFAULT_APPEAL_DAYS, "after": 15},
        "retention.OTHER_CASES_KEPT_YEARS": {"before": 6, "after": 7},
    }
    assert "An appeal must be lodged within (working days)" in event.summary
    assert TrustSettings.objects.get(trust=trust).changed_at == clock.now()

    # Saving the same values again changes nothing and records nothing.
    change_trust_settings(trust=trust, by=admin, **arguments(trust))
    assert AuditEvent.objects.filter(action="trust.settings_changed").count() == 1


# --- Who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [
        ("Hannah", "Reid"),  # HR
        ("Catherine", "Walsh"),  # trust executive
        ("Michael", "Okafor"),  # headteacher
        ("Rachel", "Green"),  # DSL
        ("Yusuf", "Ahmed"),  # DPO
        ("Chris", "Evans"),  # no role
    ],
)
def test_every_other_role_is_refused(sign_in, who):
    client = sign_in(*who)
    assert client.get(SETTINGS_PAGE).status_code == 403
    assert client.post(SETTINGS_PAGE, form_data(st_clare())).status_code == 403
    assert not TrustSettings.objects.filter(trust=st_clare()).exists()
    person = StaffMember.objects.get(email=demo.email_for(*who))
    assert "Trust settings" not in [f.title for f in selectors.features_for(person.user)]


def test_nobody_signed_in_and_the_systems_administrator_are_refused(client):
    assert client.get(SETTINGS_PAGE).status_code == 302  # to sign in
    client.force_login(User.objects.create_superuser(email="root@casework.example"))
    assert client.get(SETTINGS_PAGE).status_code == 403


def test_the_administrator_finds_the_page_in_their_menu(client):
    admin = administrator_of(st_clare())
    titles = [feature.title for feature in selectors.features_for(admin)]
    assert "Trust settings" in titles
    assert "Case register" not in titles and "Cases" not in titles
    assert reverse("casework:trust_settings") == SETTINGS_PAGE
    client.force_login(admin)
    home = client.get("/", follow=True)
    assert home.status_code == 200
    assert f'href="{SETTINGS_PAGE}"' in home.content.decode()


def test_an_administrator_of_another_trust_sees_and_edits_only_their_own(client, other):
    client.force_login(other.administrator)
    page = client.get(SETTINGS_PAGE)
    assert page.status_code == 200
    assert f"Settings of {OTHER}" in page.content.decode()

    client.post(
        SETTINGS_PAGE,
        form_data(other.trust, letterhead_name=OTHER, procedure__APPEAL_WORKING_DAYS="20"),
    )
    assert procedure("APPEAL_WORKING_DAYS", trust=other.trust.pk) == 20
    assert procedure("APPEAL_WORKING_DAYS", trust=st_clare().pk) == DEFAULT_APPEAL_DAYS
    assert not TrustSettings.objects.filter(trust=st_clare()).exists()
    assert configuration.letterhead_values(st_clare()).name == ST_CLARE

    with pytest.raises(NotAllowed):
        change_trust_settings(
            trust=st_clare(),
            by=other.administrator,
            **arguments(st_clare(), procedure={"APPEAL_WORKING_DAYS": 30}),
        )
    assert not TrustSettings.objects.filter(trust=st_clare()).exists()


@pytest.mark.parametrize(
    "odd", ["\x00", "99999999999999999999999", "1e309", "NaN", "\uff11\uff12", "x" * 300, "-0"]
)
def test_odd_input_in_every_field_is_a_form_error_never_a_server_error(client, odd):
    trust = st_clare()
    client.force_login(administrator_of(trust))
    data = {key: odd for key in form_data(trust)}
    page = client.post(SETTINGS_PAGE, {**data, "remove_logo": odd})
    assert page.status_code in (200, 302)
    if page.status_code == 200:
        assert page.context["form"].errors
    assert not TrustSettings.objects.filter(trust=trust).exists()


def test_a_logo_too_large_is_refused_and_a_logo_can_be_removed(own_media):
    trust = st_clare()
    admin = administrator_of(trust)
    big = SimpleUploadedFile("crest.png", b"\x89PNG\r\n\x1a\n" + b"0" * 1_100_000)
    with pytest.raises(SettingsRefused) as refused:
        change_trust_settings(trust=trust, by=admin, **arguments(trust, logo=big))
    assert refused.value.problems["logo"].startswith("The logo is larger than 1.0\xa0MB")
    assert not [p for p in own_media.rglob("*") if p.is_file()]

    picture = SimpleUploadedFile("crest.png", png_bytes())
    saved = change_trust_settings(trust=trust, by=admin, **arguments(trust, logo=picture))
    assert saved.logo.name.startswith("trust-logos/") and saved.logo.name.endswith(".png")
    assert configuration.letterhead_values(trust.pk).logo_file == saved.logo.name

    change_trust_settings(trust=trust, by=admin, **arguments(trust, remove_logo=True))
    assert configuration.letterhead_values(trust.pk).logo_file == ""
    removed = AuditEvent.objects.filter(action="trust.settings_changed").latest("sequence")
    assert removed.details["changed"] == {"logo": {"before": saved.logo.name, "after": ""}}


def test_the_policy_review_pack_names_the_trust_as_its_letterhead_does(sign_in):
    trust = st_clare()
    change_trust_settings(
        trust=trust,
        by=administrator_of(trust),
        **arguments(trust, letterhead_name="St Clare Catholic Academies"),
    )
    pack = sign_in("Hannah", "Reid").get(reverse("casework:policy_review_pack"))
    assert pack.status_code == 200
    text = flat(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.content)).pages))
    assert "St Clare Catholic Academies" in text


def test_a_trust_saving_its_settings_first_keeps_the_installations_logo_as_its_own(settings):
    settings.CASEWORK_LETTERHEAD = {**settings.CASEWORK_LETTERHEAD, "LOGO": "viewflow/img/user.png"}
    trust = st_clare()
    saved = change_trust_settings(
        trust=trust,
        by=administrator_of(trust),
        **arguments(trust, procedure={"APPEAL_WORKING_DAYS": 12}),
    )
    assert saved.logo.name.startswith("trust-logos/")
    (event,) = AuditEvent.objects.filter(action="trust.settings_changed")
    assert event.details["changed"]["logo"] == {
        "before": "viewflow/img/user.png",
        "after": saved.logo.name,
    }
    case = demo_cases.case_at(Status.NO_CASE_TO_ANSWER)
    letter = letters.issue_letter(
        case=case, by=demo_cases.hr(), kind=LetterKind.NO_FURTHER_ACTION, inputs={}
    )
    assert has_picture(letter)


def test_the_installations_logo_can_be_left_off_when_the_settings_are_first_saved(client, settings):
    settings.CASEWORK_LETTERHEAD = {**settings.CASEWORK_LETTERHEAD, "LOGO": "viewflow/img/user.png"}
    trust = st_clare()
    client.force_login(administrator_of(trust))
    assert "the installation's logo" in client.get(SETTINGS_PAGE).content.decode()
    page = client.post(SETTINGS_PAGE, form_data(trust, remove_logo="on"))
    assert page.status_code == 302
    assert TrustSettings.objects.get(trust=trust).logo.name == ""
    assert configuration.letterhead_values(trust.pk).logo_static == ""


def test_the_demos_administrator_opens_st_clares_settings(client):
    person = StaffMember.objects.select_related("trust").get(
        email=demo.email_for("Siobhan", "Kelly")
    )
    client.force_login(person.user)
    page = client.get(SETTINGS_PAGE)
    assert page.status_code == 200
    assert page.context["trust"] == st_clare()
    assert page.context["form"]["letterhead_name"].value() == ST_CLARE
