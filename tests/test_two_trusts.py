"""Two trusts on one installation: every URL, for every role of each trust, and nothing crosses.

Beside St Clare (the demo trust) the test builds a second trust of its own, Northgate Learning
Trust, with three schools, its own current policy (St Clare's clause rows copied under a new
version) and people holding every casework role. The scenario of the authorisation matrix
(tests/test_authorisation_matrix.py) is walked in both trusts through the real services, so
every URL pattern can be filled in with either trust's case, letter, task or request.

Then, for each role of each trust and every URL pattern (once):
- filled in with the reader's own trust's objects, the page names no case, person or school
  of the other trust (lists, worklists, dashboards, exports, forms' choices);
- filled in with the other trust's objects, the page is refused (403/404/405 or a sign-in)
  and names nothing of that trust either.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from casework import clock, demo, permissions
from casework import demo_cases as walk
from casework.errors import RuleBroken
from casework.models import (
    Case,
    MailStatus,
    OutgoingMail,
    Policy,
    Role,
    RoleAssignment,
    School,
    StaffMember,
    Status,
    Trust,
    User,
)
from casework.services import suspensions
from casework.trusts.services import change_trust_settings
from tests import test_authorisation_matrix as matrix
from tests.trusts import ST_CLARE, copy_clauses
from workflows.flows import CaseFlow

NORTHGATE = "Northgate Learning Trust"
NORTHGATE_DOMAIN = "northgate.example"
NORTHGATE_VERSION = "2025.1"

NORTHGATE_SCHOOLS = [  # in the order of demo.SCHOOLS, whose part each plays
    ("Riverside Academy", "910201", "1 Quay Street, Northgate NG1 1AA"),
    ("Northgate Primary School", "910202", "2 Mill Lane, Northgate NG2 2BB"),
    ("Hillcrest School", "910203", "3 Ridge Road, Northgate NG3 3CC"),
]

# Each St Clare person the matrix's scenario uses, and who plays their part in Northgate:
# (St Clare's first, last) -> (first, last, job title, school index or None, roles).
NORTHGATE_PEOPLE = {
    ("Catherine", "Walsh"): (
        "Ingrid",
        "Solberg",
        "Chief Executive",
        None,
        [(Role.TRUST_EXECUTIVE, None)],
    ),
    ("Peter", "Quinn"): (
        "Victor",
        "Lindqvist",
        "Director of Education",
        None,
        [(Role.TRUST_EXECUTIVE, None), (Role.INVESTIGATING_OFFICER, None)],
    ),
    ("Hannah", "Reid"): ("Beatrix", "Holm", "HR Manager", None, [(Role.HR_CASE_MANAGER, None)]),
    ("Marcus", "Obi"): ("Desmond", "Achebe", "HR Adviser", None, [(Role.HR_CASE_MANAGER, None)]),
    ("Yusuf", "Ahmed"): (
        "Mirela",
        "Popescu",
        "Data Protection Officer",
        None,
        [(Role.DATA_PROTECTION_OFFICER, None)],
    ),
    ("Helen", "Carter"): ("Harriet", "Vance", "Headteacher", 0, [(Role.HEADTEACHER, 0)]),
    ("David", "Nwosu"): (
        "Kwame",
        "Mensah",
        "Deputy Headteacher",
        0,
        [(Role.SAFEGUARDING_LEAD, 0), (Role.INVESTIGATING_OFFICER, 0)],
    ),
    ("Michael", "Okafor"): ("Rosalind", "Ashworth", "Headteacher", 1, [(Role.HEADTEACHER, 1)]),
    ("Rachel", "Green"): (
        "Tobias",
        "Wren",
        "Deputy Headteacher",
        1,
        [(Role.SAFEGUARDING_LEAD, 1), (Role.INVESTIGATING_OFFICER, 1)],
    ),
    ("Emma", "Wright"): (
        "Imogen",
        "Hale",
        "Assistant Headteacher",
        1,
        [(Role.INVESTIGATING_OFFICER, 1)],
    ),
    ("Daniel", "Shaw"): ("Felix", "Marchetti", "Teacher of PE", 1, []),
    ("Priya", "Patel"): ("Yasmin", "Haddad", "Teacher of Science", 1, []),
    ("Ben", "Taylor"): ("Oscar", "Lindgren", "Teacher of Mathematics", 1, []),
    ("Chris", "Evans"): ("Leon", "Dubois", "Network Manager", 1, []),
    ("Robert", "Kavanagh"): (
        "Edith",
        "Marlowe",
        "Chair of Governors",
        1,
        [(Role.CHAIR_OF_GOVERNORS, 1)],
    ),
    ("Anne-Marie", "Byrne"): ("Cordelia", "Voss", "Headteacher", 2, [(Role.HEADTEACHER, 2)]),
    ("James", "Reilly"): (
        "Rupert",
        "Stoddard",
        "Deputy Headteacher",
        2,
        [(Role.SAFEGUARDING_LEAD, 2), (Role.INVESTIGATING_OFFICER, 2)],
    ),
    # St Clare's demo has no trust administrator: the fixture gives each trust one.
    ("Nora", "Whitlock"): (
        "Gustav",
        "Ferreira",
        "Operations Manager",
        None,
        [(Role.TRUST_ADMINISTRATOR, None)],
    ),
}
ST_CLARE_ADMINISTRATOR = ("Nora", "Whitlock", "Trust Business Manager")
# (letterhead name, telephone, contact e-mail, HR lead's e-mail): none may cross either.
LETTERHEADS = {
    ST_CLARE: (
        "St Clare Human Resources",
        "01632 960111",
        "hr@stclare.example",
        "lead.hr@stclare.example",
    ),
    NORTHGATE: (
        "Northgate People Services",
        "01632 960222",
        "people@northgate.example",
        "lead.people@northgate.example",
    ),
}

# The readers: one of each role (and a plain member of staff), by the matrix's personas.
READERS = {
    "hr": ("Hannah", "Reid"),
    "hearing_chair": ("Catherine", "Walsh"),  # a trust executive chairing the main hearing
    "executive": ("Peter", "Quinn"),
    "dpo": ("Yusuf", "Ahmed"),
    "administrator": ("Nora", "Whitlock"),
    "headteacher": ("Michael", "Okafor"),
    "appeal_chair": ("Anne-Marie", "Byrne"),  # another school's headteacher
    "dsl": ("Rachel", "Green"),
    "io": ("Emma", "Wright"),
    "governors_chair": ("Robert", "Kavanagh"),
    "staff": ("Chris", "Evans"),
}


def northgate_email(first: str, last: str) -> str:
    return demo.email_for(first, last).replace(demo.EMAIL_DOMAIN, NORTHGATE_DOMAIN)


# --- Building the two trusts ----------------------------------------------------------------


def build_northgate() -> Trust:
    """The second trust: schools, a current policy of St Clare's clauses, and people."""
    trust = Trust.objects.create(name=NORTHGATE, address="Northgate House, Northgate NG1 0AA")
    schools = [
        School.objects.create(trust=trust, name=name, urn=urn, address=address)
        for name, urn, address in NORTHGATE_SCHOOLS
    ]
    st_clare = Policy.objects.get(trust__name=ST_CLARE, is_current=True)
    policy = Policy.objects.create(
        trust=trust,
        title="Staff Social Media Policy",
        version=NORTHGATE_VERSION,
        adopted_by="The Board of Trustees of Northgate Learning Trust",
        adopted_on=datetime.date(2025, 9, 1),
        next_review_due=datetime.date(2027, 8, 31),
        consequence=st_clare.consequence,
        is_current=True,
        figures=st_clare.figures,
    )
    copy_clauses(source=st_clare, into=policy)
    for first, last, title, school, roles in NORTHGATE_PEOPLE.values():
        person = _person(trust, first, last, title, schools[school] if school is not None else None)
        for role, role_school in roles:
            RoleAssignment.objects.create(
                person=person,
                role=role,
                school=schools[role_school] if role_school is not None else None,
            )
    first, last, title = ST_CLARE_ADMINISTRATOR
    st_clare_administrator = _person(
        Trust.objects.get(name=ST_CLARE), first, last, title, None, demo.email_for
    )
    RoleAssignment.objects.create(person=st_clare_administrator, role=Role.TRUST_ADMINISTRATOR)
    # Each trust's own letterhead and HR lead, saved by its administrator.
    for administrator, (name, telephone, email, hr_lead) in (
        (st_clare_administrator.user, LETTERHEADS[ST_CLARE]),
        (_northgate_person("Nora", "Whitlock").user, LETTERHEADS[NORTHGATE]),
    ):
        change_trust_settings(
            trust=permissions.person_of(administrator).trust,
            by=administrator,
            letterhead_name=name,
            address="",
            telephone=telephone,
            email=email,
            procedure={},
            retention={},
            reminder_escalation_working_days=5,
            hr_lead_email=hr_lead,
        )
    return trust


def _person(trust, first, last, title, school, email_for=northgate_email) -> StaffMember:
    email = email_for(first, last)
    user = User.objects.create_user(email=email, first_name=first, last_name=last)
    return StaffMember.objects.create(
        trust=trust,
        school=school,
        first_name=first,
        last_name=last,
        email=email,
        job_title=title,
        is_teacher=demo.teaches(title),
        started_on=datetime.date(2020, 9, 1),
        user=user,
    )


def _northgate_person(first: str, last: str) -> StaffMember:
    first, last, *_ = NORTHGATE_PEOPLE[(first, last)]
    return StaffMember.objects.select_related("user", "school").get(
        email=northgate_email(first, last)
    )


@dataclass
class Side:
    """One trust: its scenario, its readers' sign-ins, and what of it must never cross."""

    trust: Trust
    scenario: matrix.Scenario
    readers: dict[str, User]
    markers: list[str]  # its name, its cases' references, its people and schools, as shown
    policy_version: str


def markers_of(trust: Trust) -> list[str]:
    names = [
        trust.name,  # its letterhead, where it has saved none
        *LETTERHEADS[trust.name],
        *Case.objects.filter(trust=trust).values_list("reference", flat=True),
        *(p.full_name for p in StaffMember.objects.filter(trust=trust)),
        *StaffMember.objects.filter(trust=trust).values_list("email", flat=True),
        *School.objects.filter(trust=trust).values_list("name", flat=True),
    ]
    return sorted({form for name in names for form in (name, html.escape(name))})


def build_scenario() -> matrix.Scenario:
    """The matrix's scenario, and what its lists would otherwise lack: a low-level concern in
    the DSL's log, and an e-mail that could not be sent on HR's failed e-mail page."""
    scenario = matrix.build_scenario()
    walk.case_at(
        Status.LOW_LEVEL_CONCERN, subject=matrix.PERSONAS["colleague"], reporter=("Ben", "Taylor")
    )
    failed = OutgoingMail.objects.filter(case__trust=scenario.main.trust).latest("pk")
    failed.status, failed.failed_at = MailStatus.FAILED, clock.now()
    failed.last_error = "The mail server refused the connection."
    failed.save()
    return scenario


def build_sides() -> dict[str, Side]:
    with pytest.MonkeyPatch.context() as patch:
        northgate = build_northgate()
        st_clare_scenario = build_scenario()
        # The same story in Northgate: each St Clare person's part is played by theirs.
        patch.setattr(walk, "person", _northgate_person)
        northgate_scenario = build_scenario()
        northgate_readers = {key: _northgate_person(*name).user for key, name in READERS.items()}
    st_clare = Trust.objects.get(name=ST_CLARE)
    st_clare_readers = {key: walk.person(*name).user for key, name in READERS.items()}
    return {
        ST_CLARE: Side(
            st_clare, st_clare_scenario, st_clare_readers, markers_of(st_clare), "2022.1"
        ),
        NORTHGATE: Side(
            northgate,
            northgate_scenario,
            northgate_readers,
            markers_of(northgate),
            NORTHGATE_VERSION,
        ),
    }


@pytest.fixture(scope="module")
def sides(django_db_setup, django_db_blocker):
    """Both trusts, built once for the module and rolled back after it."""
    with (
        django_db_blocker.unblock(),
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
        transaction.atomic(),
    ):
        yield build_sides()
        transaction.set_rollback(True)


# --- Every URL, once, filled in with one trust's objects -----------------------------------


def urls_for(side: Side) -> dict[str, str]:
    """Every non-admin URL pattern, by name, filled in with this trust's objects."""
    urls = {}
    for name, route, _ in matrix.url_patterns():
        if name.startswith("admin:"):
            continue  # superusers only, and checked by the matrix
        rule = matrix.rule_for(name, route)
        assert rule is not None, f"{name} has no rule in tests/test_authorisation_matrix.py"
        kwargs = rule.kwargs(side.scenario)
        if name == "casework:policy_version":
            kwargs = {"version": side.policy_version}
        urls[name] = matrix.fill(route, kwargs)
    return urls


def crossings(response, markers: list[str]) -> list[str]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    body = content.decode(errors="replace")
    return [m for m in markers if re.search(rf"(?<![\w-]){re.escape(m)}(?![\w-])", body)]


def leaks(reader: User, own: Side, other: Side) -> list[str]:
    """What of ``other`` the reader is shown, or let into, anywhere.

    The reader's own trust's pages come first: a refused attempt on the other trust's
    address is then kept in the reader's own trust's audit trail, with the address they
    typed, as their own action (which says nothing of the other trust's case).
    """
    client = Client()
    client.force_login(reader)
    own_urls, other_urls = urls_for(own), urls_for(other)
    found = []
    for name, url in own_urls.items():
        response = client.get(url, follow=True)
        assert response.status_code != 500, f"{url} [{name}]: server error"
        if seen := crossings(response, other.markers):
            found.append(f"{url} [{name}] shows {other.trust.name}'s {seen}")
    for name, theirs in other_urls.items():
        if theirs == own_urls[name]:
            continue  # a list or a page of no one trust's: the same address for both
        response = client.get(theirs, follow=True)
        assert response.status_code != 500, f"{theirs} [{name}]: server error"
        if matrix.allowed_response(response):
            found.append(f"{theirs} [{name}] (of {other.trust.name}) is open to them")
        if seen := crossings(response, other.markers):
            found.append(f"{theirs} [{name}] shows {other.trust.name}'s {seen}")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(READERS))
def test_nothing_of_st_clare_reaches_northgate(sides, role):
    own, other = sides[NORTHGATE], sides[ST_CLARE]
    assert leaks(own.readers[role], own, other) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(READERS))
def test_nothing_of_northgate_reaches_st_clare(sides, role):
    own, other = sides[ST_CLARE], sides[NORTHGATE]
    assert leaks(own.readers[role], own, other) == []


# --- The choices a form offers ----------------------------------------------------------------

CHOICE = re.compile(r'<(?:option|input)\b[^>]*\bvalue="(\d+)"')


def offered(response, field: str) -> list[int]:
    """The numbered choices a page's form offers for ``field`` (a select or radio buttons)."""
    body = response.content.decode()
    select = re.search(rf'<select\b[^>]*\bname="{field}"[^>]*>(.*?)</select>', body, re.DOTALL)
    if select:
        return [int(value) for value in CHOICE.findall(select.group(1))]
    radios = re.findall(rf'<input\b[^>]*\bname="{field}"[^>]*>', body)
    return [int(value) for tag in radios for value in CHOICE.findall(tag)]


def task_page(case: Case, node: str) -> str:
    task = (
        CaseFlow.task_class.objects.filter(
            process__caseprocess__case=case, flow_task=getattr(CaseFlow, node)
        )
        .order_by("-id")
        .first()
    )
    return reverse(
        f"workflow:flows:case:{node}:execute",
        kwargs={"process_pk": task.process_id, "task_pk": task.pk},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("trust_name", [ST_CLARE, NORTHGATE])
def test_forms_offer_only_the_readers_own_trusts_people_and_schools(sides, trust_name):
    side = sides[trust_name]
    with pytest.MonkeyPatch.context() as patch:
        if trust_name == NORTHGATE:
            patch.setattr(walk, "person", _northgate_person)
        appointing = walk.case_at(Status.APPOINTING_INVESTIGATOR)
        arranging = walk.case_at(Status.HEARING_TO_ARRANGE)
    hr, reporter = Client(), Client()
    hr.force_login(side.readers["hr"])
    reporter.force_login(side.readers["staff"])
    main = side.scenario.main.reference
    pages = [
        (reporter, reverse("casework:report_concern"), "subject", StaffMember),
        (reporter, reverse("casework:report_concern"), "school", School),
        (hr, reverse("casework:correct_school", args=[appointing.reference]), "school", School),
        (hr, task_page(appointing, "appoint_investigator"), "officer", StaffMember),
        (hr, task_page(arranging, "arrange_hearing"), "chair", StaffMember),
        (hr, reverse("casework:reschedule_appeal", args=[main]), "chair", StaffMember),
        (hr, reverse("casework:suspend", args=[main]), "welfare_contact", StaffMember),
        (hr, reverse("casework:log_subject_access_request"), "person", StaffMember),
        (hr, reverse("casework:register"), "school", School),
        (hr, reverse("workflow:inbox"), "school", School),
    ]
    for client, url, field, model in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        choices = offered(response, field)
        assert choices, f"{url} offers no {field}"
        foreign = model.objects.filter(pk__in=choices).exclude(trust=side.trust)
        assert list(foreign) == [], f"{url} offers another trust's {field}: {list(foreign)}"


@pytest.mark.django_db
@pytest.mark.parametrize("trust_name", [ST_CLARE, NORTHGATE])
def test_each_trusts_hr_sees_its_own_cases(sides, trust_name):
    """What the tests above look for is there to be found: in its own trust's pages."""
    side = sides[trust_name]
    main = side.scenario.main
    client = Client()
    client.force_login(side.readers["hr"])
    register = client.get(reverse("casework:register")).content.decode()
    assert main.reference in register
    case = client.get(reverse("casework:case", args=[main.reference]))
    assert case.status_code == 200
    assert html.escape(main.subject.full_name) in case.content.decode()
    assert any(marker in register for marker in side.markers)


# --- What is only ever posted ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("trust_name", [ST_CLARE, NORTHGATE])
def test_hr_cannot_act_on_the_other_trusts_mail_requests_or_cases(sides, trust_name):
    """The addresses only ever posted to: HR of one trust, given the other's message,
    request or case, is refused and nothing of it changes."""
    own = sides[trust_name]
    other = sides[NORTHGATE if trust_name == ST_CLARE else ST_CLARE]
    failed = OutgoingMail.objects.get(case__trust=other.trust, status=MailStatus.FAILED)
    request = other.scenario.subject_access
    produced = (request.export_produced_at, request.export_sha256)
    case = other.scenario.investigating
    client = Client()
    client.force_login(own.readers["hr"])
    posts = [
        (reverse("casework:resend_mail", args=[failed.pk]), {}),
        (reverse("casework:produce_subject_access_export", args=[request.pk]), {}),
        (reverse("casework:withdraw", args=[case.reference]), {"reason": "Not theirs to end."}),
    ]
    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code in (403, 404), f"{url}: {response.status_code}"
    failed.refresh_from_db()
    assert failed.status == MailStatus.FAILED
    assert Case.objects.get(pk=case.pk).status == Status.INVESTIGATION
    request.refresh_from_db()
    assert (request.export_produced_at, request.export_sha256) == produced


@pytest.mark.django_db
def test_a_welfare_contact_of_another_trust_is_refused(sides):
    """Below the form: the suspension service itself takes a welfare contact of the case's
    own trust only."""
    northgate, st_clare = sides[NORTHGATE], sides[ST_CLARE]
    case = northgate.scenario.investigating
    with pytest.raises(RuleBroken, match="works for another trust"):
        suspensions.suspend(
            case=case,
            by=northgate.readers["hr"],
            started_on=clock.today(),
            reasons="To protect the investigation.",
            alternatives_considered="A change of duties is not workable.",
            welfare_contact=permissions.person_of(st_clare.readers["hr"]),
        )
    assert not case.suspensions.exists()
