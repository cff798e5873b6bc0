"""The authorisation matrix: every URL of Casework, for every kind of person, allowed or not.

The URLs come from the URLconf itself, so a new page fails this test until it is given a
rule below. The rules are written out here independently of casework.permissions, as the
need-to-know policy states them (DOMAIN.md §2, issue "need-to-know access"), so that
loosening a rule in the code makes this test fail (see the last two tests).

Allowed means the person reaches a page (200, following redirects) other than a sign-in
page; denied means 403, 404, 405 or being sent to sign in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from casework import clock, demo, notifications, permissions
from casework import demo_cases as walk
from casework.admin import CaseDataAdmin
from casework.evidence import check_upload
from casework.models import (
    Allegation,
    Case,
    EvidenceFile,
    Letter,
    LetterKind,
    Status,
    SubjectAccessRequest,
    Suspension,
    User,
)
from casework.services import investigation, letters, subject_access, suspensions
from casework.services.evidence import add_evidence
from tests.test_concerns import png_bytes
from workflows.flows import CaseFlow, DpoFlow

pytestmark = pytest.mark.django_db

# --- The people --------------------------------------------------------------------------

# Everyone below is a demo person (casework/demo.py); the main case is about Daniel Shaw at
# St Thomas More, raised by Priya Patel, with Ben Taylor as a witness.
PERSONAS = {
    "subject": ("Daniel", "Shaw"),
    "reporter": ("Priya", "Patel"),
    "witness": ("Ben", "Taylor"),
    "colleague": ("Chris", "Evans"),  # same school, no casework role
    "hr": ("Hannah", "Reid"),  # the case manager
    "hr_other": ("Marcus", "Obi"),
    "io": ("Emma", "Wright"),  # the case's investigating officer
    "other_school_io_and_dsl": ("James", "Reilly"),
    "headteacher": ("Michael", "Okafor"),  # the subject's school; signs off
    "other_headteacher": ("Helen", "Carter"),
    "dsl": ("Rachel", "Green"),  # the subject's school
    "other_dsl": ("David", "Nwosu"),
    "chair": ("Catherine", "Walsh"),  # trust executive chairing the hearing
    "uninvolved_executive": ("Peter", "Quinn"),
    "appeal_chair": ("Anne-Marie", "Byrne"),
    "dpo": ("Yusuf", "Ahmed"),  # the trust's Data Protection Officer: DPO decisions only
}
ANONYMOUS, SUPERUSER = "anonymous", "superuser"
EVERYONE = [*PERSONAS, ANONYMOUS, SUPERUSER]
STAFF = set(PERSONAS)
ROLE_HOLDERS = STAFF - {"subject", "reporter", "witness", "colleague"}
HR = {"hr", "hr_other"}
HEADTEACHERS = {"headteacher", "other_headteacher", "appeal_chair"}  # Anne-Marie Byrne is one
DASHBOARD_READERS = HEADTEACHERS | {"chair", "uninvolved_executive"}  # the trust executive


@dataclass
class Scenario:
    """The objects the URLs are filled in with."""

    main: Case  # at the appeal hearing: every part of the procedure has happened
    investigating: Case  # the investigating officer at work
    safeguarding: Case  # with the LADO, resumed by HR
    returned: Case  # returned to the chair
    withdrawn: Case
    breach: Case  # a possible data breach: the DPO's decision outstanding
    breach_decided: Case  # and one the DPO has decided
    evidence: EvidenceFile
    picture: EvidenceFile  # an image: previewed on task pages
    allegation: Allegation
    suspension: Suspension
    letter: Letter
    subject_access: SubjectAccessRequest  # about the colleague, with its export produced

    def viewers(self, case: Case) -> set[str]:
        """Who may see a case: HR, the subject's headteacher, and those given a part in it;
        the DSLs of the school too when it is a safeguarding case. Never the subject, the
        reporter or a witness."""
        parts = {
            "io": case.investigating_officer_id,
            "chair": case.hearing_chair_id,
            "appeal_chair": case.appeal_chair_id,
        }
        named = {key for key, holder in parts.items() if holder == person(key).pk}
        school = {"dsl"} if case.safeguarding else set()
        return HR | {"headteacher"} | named | school


def person(key: str):
    return walk.person(*PERSONAS[key])


def build_scenario() -> Scenario:
    who = {"subject": PERSONAS["subject"], "reporter": PERSONAS["reporter"]}
    suspended = []

    def witness_statement(case: Case) -> Case:
        investigation.record_statement(
            case=case,
            by=case.investigating_officer.user,
            taken_on=clock.today(),
            statement="I saw the post on the day it was made.",
            witness=person("witness"),
        )
        return case

    def suspend(case: Case) -> Case:
        suspended.append(
            suspensions.suspend(
                case=case,
                by=walk.hr(),
                started_on=clock.today(),
                reasons="To protect the investigation.",
                alternatives_considered="A change of duties was considered and is not workable.",
                welfare_contact=person("hr_other"),
            )
        )
        return case

    main = walk.walk(
        [
            walk.acknowledge,
            walk.triage_to_investigation,
            walk.appoint,
            witness_statement,
            suspend,
            walk.report,
            walk.refer_to_hearing,
            walk.schedule,
            walk.decide,
            walk.approve,
            walk.issue,
            walk.lodge,
            walk.schedule_appeal,
        ],
        **who,
    )
    (suspension,) = suspended
    assert main.status == Status.APPEAL_HEARING
    evidence = add_evidence(
        case=main,
        checked=check_upload(SimpleUploadedFile("post.txt", b"A transcript of the post.")),
        by=walk.hr(),
    )
    picture = add_evidence(
        case=main,
        checked=check_upload(SimpleUploadedFile("screenshot.png", png_bytes())),
        by=walk.hr(),
    )

    letter = letters.issue_letter(
        case=main, by=walk.hr(), kind=LetterKind.APPEAL_INVITATION, inputs={}
    )

    investigating = walk.case_at(Status.INVESTIGATION, **who)
    safeguarding = walk.case_at(Status.ON_HOLD_EXTERNAL, **who)
    returned = walk.case_at(Status.RETURNED_TO_CHAIR, **who)
    withdrawn = walk.case_at(Status.WITHDRAWN, **who)
    request = subject_access.log_subject_access_request(
        person=person("colleague"),
        received_on=timezone.localdate(),
        received_via="email",
        by=walk.hr(),
    )
    request = subject_access.produce_subject_access_export(request=request, by=walk.hr())
    breach = walk.case_at(Status.TRIAGE, **who, clauses=("DO-5",))
    breach_decided = walk.dpo_decides(walk.case_at(Status.TRIAGE, **who, clauses=("DONT-5",)))
    return Scenario(
        main=main,
        investigating=investigating,
        safeguarding=safeguarding,
        returned=returned,
        withdrawn=withdrawn,
        breach=breach,
        breach_decided=breach_decided,
        evidence=evidence,
        picture=picture,
        allegation=main.allegations.first(),
        suspension=suspension,
        letter=letter,
        subject_access=request,
    )


# --- The rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """How to fill a URL's parameters, who may have it, and whose answer is not the point."""

    kwargs: Callable[[Scenario], dict]
    allowed: Callable[[Scenario], set[str]]
    unchecked: frozenset[str] = frozenset()


def fixed(*keys: str) -> Callable[[Scenario], set[str]]:
    return lambda scenario: set(keys)


NO_KWARGS = lambda scenario: {}  # noqa: E731
MAIN = lambda scenario: {"reference": scenario.main.reference}  # noqa: E731
LETTER = lambda s: {"reference": s.main.reference, "letter_id": s.letter.pk}  # noqa: E731
SAR = lambda s: {"pk": s.subject_access.pk}  # noqa: E731
PUBLIC = Rule(NO_KWARGS, fixed(*EVERYONE))
SIGNED_IN = Rule(NO_KWARGS, fixed(*STAFF, SUPERUSER))
WORKFORCE = Rule(NO_KWARGS, fixed(*STAFF))
CASEWORK_ROLES = Rule(NO_KWARGS, fixed(*ROLE_HOLDERS))


def case_rule(kwargs=MAIN, *, only: set[str] | None = None, case: str = "main") -> Rule:
    """A page about one of the scenario's cases: its viewers, narrowed to ``only`` for
    actions."""

    def allowed(scenario: Scenario) -> set[str]:
        viewers = scenario.viewers(getattr(scenario, case))
        return viewers if only is None else viewers & only

    return Rule(kwargs, allowed)


INVESTIGATING = lambda scenario: {"reference": scenario.investigating.reference}  # noqa: E731


RULES: dict[str, Rule] = {
    # Whether the server is up: for a load balancer, nobody signed in.
    "healthz": PUBLIC,
    # Signing in and out
    "login": PUBLIC,
    "logout": Rule(NO_KWARGS, fixed()),  # POST only
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_complete": PUBLIC,
    "password_reset_confirm": Rule(
        lambda s: {"uidb64": "MQ", "token": "set-password"}, fixed(*EVERYONE)
    ),
    # Everyone's pages
    "index": SIGNED_IN,
    "casework:index": SIGNED_IN,
    "casework:policy": SIGNED_IN,
    "casework:policy_version": Rule(lambda s: {"version": "2022.1"}, fixed(*STAFF, SUPERUSER)),
    # HR brings in a new version of the policy
    "casework:policy_import": Rule(NO_KWARGS, fixed(*HR)),
    "casework:policy_import_review": Rule(NO_KWARGS, fixed(*HR)),
    "casework:report_concern": WORKFORCE,
    # POST only (a description is never put in an address); who may POST: test_suggestions.
    "casework:concern_suggestions": Rule(NO_KWARGS, fixed()),
    "casework:my_reports": WORKFORCE,
    "casework:notices": WORKFORCE,
    "casework:concern_received": Rule(MAIN, fixed("reporter")),
    # HR's oversight: the audit log and exports
    "casework:audit_log": Rule(NO_KWARGS, fixed(*HR)),
    "casework:audit_log_export": Rule(NO_KWARGS, fixed(*HR)),
    "casework:register_export": Rule(NO_KWARGS, fixed(*HR)),
    "casework:failed_mail": Rule(NO_KWARGS, fixed(*HR)),
    # POST only; who may POST: test_mail.
    "casework:resend_mail": Rule(lambda s: {"message_id": 1}, fixed()),
    # Subject access requests: HR's alone
    "casework:subject_access_requests": Rule(NO_KWARGS, fixed(*HR)),
    "casework:log_subject_access_request": Rule(NO_KWARGS, fixed(*HR)),
    "casework:subject_access_request": Rule(SAR, fixed(*HR)),
    "casework:extend_subject_access": Rule(SAR, fixed(*HR)),
    "casework:answered_subject_access": Rule(SAR, fixed(*HR)),
    "casework:subject_access_export": Rule(SAR, fixed(*HR)),
    "casework:produce_subject_access_export": Rule(SAR, fixed()),  # POST only
    # Figures: HR and the trust executive for the trust, a headteacher for their school
    "casework:dashboard": Rule(NO_KWARGS, fixed(*HR, *DASHBOARD_READERS)),
    "casework:dashboard_csv": Rule(lambda s: {"table": "stages"}, fixed(*HR, *DASHBOARD_READERS)),
    "casework:clause_analytics": Rule(NO_KWARGS, fixed(*HR, *DASHBOARD_READERS)),
    "casework:policy_review_pack": Rule(NO_KWARGS, fixed(*HR)),
    "casework:hearings_calendar": Rule(NO_KWARGS, fixed(*HR, *HEADTEACHERS)),
    # The trust's letterhead and figures: its administrators' alone (none among these people;
    # tests/test_trust_settings.py signs one in).
    "casework:trust_settings": Rule(NO_KWARGS, fixed()),
    # Lists filtered to what each person may see
    "casework:register": CASEWORK_ROLES,
    "casework:low_level_log": Rule(
        NO_KWARGS, fixed(*HR, "dsl", "other_dsl", "other_school_io_and_dsl")
    ),
    # The case and what is done to it
    "casework:case": case_rule(),
    "casework:evidence": case_rule(
        lambda s: {"reference": s.main.reference, "evidence_id": s.evidence.pk}
    ),
    "casework:evidence_preview": case_rule(
        lambda s: {"reference": s.main.reference, "evidence_id": s.picture.pk}
    ),
    # The investigating officer adds to the case during the investigation only; after it,
    # their view of the case is read-only.
    "casework:add_evidence": case_rule(INVESTIGATING, only=HR | {"io"}, case="investigating"),
    "casework:add_allegation": case_rule(INVESTIGATING, only=HR | {"io"}, case="investigating"),
    "casework:amend_allegation": case_rule(
        lambda s: {"reference": s.main.reference, "allegation": s.allegation.pk}, only=HR
    ),
    "casework:remove_allegation": case_rule(
        lambda s: {"reference": s.main.reference, "allegation": s.allegation.pk}, only=HR
    ),
    "casework:add_meeting": case_rule(INVESTIGATING, only={"io"}, case="investigating"),
    "casework:add_statement": case_rule(INVESTIGATING, only={"io"}, case="investigating"),
    "casework:withdraw": case_rule(only=HR),
    "casework:correct_school": case_rule(only=HR),
    "casework:pause": case_rule(only=HR),
    "casework:resignation": case_rule(only=HR),
    "casework:suspend": case_rule(only=HR),
    "casework:review_suspension": case_rule(
        lambda s: {"reference": s.main.reference, "suspension": s.suspension.pk}, only=HR
    ),
    "casework:lift_suspension": case_rule(
        lambda s: {"reference": s.main.reference, "suspension": s.suspension.pk}, only=HR
    ),
    "casework:reschedule_hearing": case_rule(only=HR),
    "casework:reschedule_appeal": case_rule(only=HR),
    "casework:record_referral": case_rule(only=HR),
    "casework:record_settlement": case_rule(only=HR),
    "casework:replace_investigator": case_rule(only=HR),
    # Letters: read by whoever may see the case; prepared, issued and delivered by HR
    "casework:letters": case_rule(),
    "casework:letter": case_rule(LETTER),
    "casework:letter_pdf": case_rule(LETTER),
    "casework:prepare_letter": case_rule(
        lambda s: {"reference": s.main.reference, "kind": "appeal_invitation"}, only=HR
    ),
    "casework:deliver_letter": case_rule(LETTER, only=HR),
    # Tasks: inbox, queue and archive for anyone with a casework role
    "workflow:index": CASEWORK_ROLES,
    "workflow:inbox": CASEWORK_ROLES,
    "workflow:queue": CASEWORK_ROLES,
    "workflow:archive": CASEWORK_ROLES,
    "workflow:flows:index": CASEWORK_ROLES,
    "workflow:flows:case:index": CASEWORK_ROLES,
    "workflow:flows:case:process_list": CASEWORK_ROLES,
    "workflow:flows:case:task_list": CASEWORK_ROLES,
    "workflow:flows:case:chart": CASEWORK_ROLES,
    "workflow:flows:case:process_detail": case_rule(lambda s: {"process_pk": s.main.process.pk}),
    "workflow:flows:case:process_chart": case_rule(lambda s: {"process_pk": s.main.process.pk}),
    # DPO decisions: need to know, the trust's DPO and HR only (DOMAIN.md §6)
    "workflow:flows:dpo:index": CASEWORK_ROLES,
    "workflow:flows:dpo:process_list": CASEWORK_ROLES,
    "workflow:flows:dpo:task_list": CASEWORK_ROLES,
    "workflow:flows:dpo:chart": Rule(NO_KWARGS, fixed(*HR, "dpo")),
    "workflow:flows:dpo:process_detail": Rule(
        lambda s: {"process_pk": dpo_process(s).pk}, fixed(*HR, "dpo")
    ),
    "workflow:flows:dpo:process_chart": Rule(
        lambda s: {"process_pk": dpo_process(s).pk}, fixed(*HR, "dpo")
    ),
}


def dpo_process(scenario: Scenario):
    return scenario.breach.dpo_decisions.get().process


# Each task node's pages, for one task of that node, and who may open each page. A task that
# is done can be looked at by the case's viewers but never executed, claimed or handed back.
TASK_NODES = {
    # node: (which case holds a task of this node, is it the case's open task?)
    "start": "main",
    "route": "main",
    "end": "withdrawn",
    "acknowledge": "main",
    "triage": "main",
    "appoint_investigator": "main",
    "investigate": "main",
    "consider_report": "main",
    "arrange_hearing": "main",
    "decide_hearing": "main",
    "sign_off": "main",
    "issue_outcome": "main",
    "appeal_window": "main",
    "arrange_appeal": "main",
    "decide_appeal": "main",  # open, assigned to the appeal chair
    "safeguarding_review": "safeguarding",
    "refer_to_lado": "safeguarding",
    "resume_after_hold": "safeguarding",  # open, in the shared HR queue
    "reconsider_decision": "returned",  # open, assigned to the chair
}


def task_of(scenario: Scenario, node: str):
    case = getattr(scenario, TASK_NODES[node])
    return (
        CaseFlow.task_class.objects.filter(
            process__caseprocess__case=case, flow_task=getattr(CaseFlow, node)
        )
        .order_by("-id")
        .first()
    )


PERSON_TASK_ACTIONS = ("index", "detail", "execute", "assign", "unassign")


def task_rule(node: str, action: str) -> Rule:
    def kwargs(scenario: Scenario) -> dict:
        task = task_of(scenario, node)
        return {"process_pk": task.process_id, "task_pk": task.pk}

    def allowed(scenario: Scenario) -> set[str]:
        task = task_of(scenario, node)
        case = getattr(scenario, TASK_NODES[node])
        viewers = scenario.viewers(case)
        owner = {key for key in PERSONAS if task.owner_id == person(key).user_id}
        is_open = task.status in ("NEW", "ASSIGNED")
        if action in ("index", "detail"):
            return viewers | owner
        if action == "execute":
            return owner if is_open else set()
        if action == "assign":
            return HR if is_open and task.owner_id is None else set()
        if action == "unassign":
            return owner if is_open else set()
        raise AssertionError(f"No rule for the task page {action!r}")

    return Rule(kwargs, allowed)


# The DPO decision's task pages: looked at by the DPO and HR; done only by its owner.
DPO_TASK_NODES = {"start": "breach", "decide": "breach", "end": "breach_decided"}


def dpo_task_rule(node: str, action: str) -> Rule:
    def task(scenario: Scenario):
        case = getattr(scenario, DPO_TASK_NODES[node])
        return (
            DpoFlow.task_class.objects.filter(
                process__dpoprocess__decision__case=case, flow_task=getattr(DpoFlow, node)
            )
            .order_by("-id")
            .first()
        )

    def kwargs(scenario: Scenario) -> dict:
        found = task(scenario)
        return {"process_pk": found.process_id, "task_pk": found.pk}

    def allowed(scenario: Scenario) -> set[str]:
        found = task(scenario)
        owner = {key for key in PERSONAS if found.owner_id == person(key).user_id}
        is_open = found.status in ("NEW", "ASSIGNED")
        if action in ("index", "detail"):
            return HR | {"dpo"} | owner
        if action in ("execute", "unassign"):
            return owner if is_open else set()
        if action == "assign":
            return {"dpo"} if is_open and found.owner_id is None else set()
        raise AssertionError(f"No rule for the task page {action!r}")

    return Rule(kwargs, allowed)


for node in DPO_TASK_NODES:
    actions = ("index", "detail") if node != "decide" else PERSON_TASK_ACTIONS
    for action in actions:
        RULES[f"workflow:flows:dpo:{node}:{action}"] = dpo_task_rule(node, action)

GATEWAYS = {"start", "route", "end"}  # no person works on these: they can only be looked at
# An e-mailed link to the appeal chair's open task leads whoever may see the task to it.
RULES["waiting"] = Rule(
    lambda s: {"token": notifications.waiting_token("task", task_of(s, "decide_appeal").pk)},
    task_rule("decide_appeal", "index").allowed,
)

for node in TASK_NODES:
    actions = ("index", "detail") if node in GATEWAYS else PERSON_TASK_ACTIONS
    for action in actions:
        RULES[f"workflow:flows:case:{node}:{action}"] = task_rule(node, action)


CASE_DATA_LISTS = {
    f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, CaseDataAdmin)
}


def admin_rule(name: str, pattern: str) -> Rule:
    """The admin is for superusers only; its sign-in page is public.

    Whether a superuser may use a particular admin page (adding to a read-only model, say)
    is the admin's own business: here only the index and the lists are checked for them,
    and every other person must be turned away from every admin page.
    """
    if name == "admin:login":
        return PUBLIC

    def kwargs(scenario: Scenario) -> dict:
        values = {"object_id": str(scenario.main.pk), "app_label": "casework"}
        names = [a or b for a, b in PARAMETER.findall(pattern)]
        return {p: values.get(p, "1") for p in names}

    if name in CASE_DATA_LISTS:  # not even a superuser, unless CASEWORK_ADMIN_CASE_DATA
        return Rule(kwargs, fixed())
    if name == "admin:index" or name.endswith("_changelist"):
        return Rule(kwargs, fixed(SUPERUSER))
    return Rule(kwargs, fixed(), unchecked=frozenset({SUPERUSER}))


# --- Walking the URLconf -----------------------------------------------------------------


def url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """Every (name, route, pattern) in the URLconf, with namespaces joined by colons."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield name, prefix + str(entry.pattern), entry


def rule_for(name: str, route: str) -> Rule | None:
    if name.startswith("admin:"):
        return admin_rule(name, route)
    return RULES.get(name)


# A URL parameter, as a path converter (<int:pk>) or a regular-expression group (?P<pk>...).
PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def fill(route: str, values: dict) -> str:
    def replace(match):
        return str(values.get(match.group(1) or match.group(2), "missing"))

    path = PARAMETER.sub(replace, route).replace("^", "").replace("$", "")
    return "/" + path


def client_for(key: str) -> Client:
    client = Client()
    if key == SUPERUSER:
        client.force_login(User.objects.get(email=demo.ADMIN_EMAIL))
    elif key != ANONYMOUS:
        client.force_login(person(key).user)
    return client


def allowed_response(response) -> bool:
    """Did the person reach the page (following redirects), rather than a refusal or a
    sign-in page?"""
    if response.status_code != 200:
        return False
    final = response.redirect_chain[-1][0] if response.redirect_chain else ""
    return "/accounts/login/" not in final and "/admin/login/" not in final


ADMIN_PERSONAS = [SUPERUSER, "hr", "colleague", ANONYMOUS]


def mismatches(scenario: Scenario, *, only: str = "", who=None) -> list[str]:
    """Every (URL, person) where what happened differs from the rule; ``only`` limits the
    URLs to names starting with it, ``who`` the people to those named."""
    clients = {key: client_for(key) for key in EVERYONE if who is None or key in who}
    found = []
    for name, route, _ in url_patterns():
        if not name.startswith(only):
            continue
        rule = rule_for(name, route)
        if rule is None:
            found.append(f"{name} ({route}) has no rule: classify it in RULES")
            continue
        url = fill(route, rule.kwargs(scenario))
        expected = rule.allowed(scenario)
        for key in ADMIN_PERSONAS if name.startswith("admin:") else EVERYONE:
            if key in rule.unchecked or key not in clients:
                continue
            response = clients[key].get(url, follow=True)
            assert response.status_code != 500, f"{url} as {key}: server error"
            if allowed_response(response) != (key in expected):
                found.append(
                    f"{url} [{name}] as {key}: got {response.status_code}, expected "
                    f"{'allowed' if key in expected else 'denied'}"
                )
    return found


@pytest.fixture
def scenario(settings) -> Scenario:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return build_scenario()


def test_every_url_answers_every_person_as_the_rules_say(scenario):
    assert mismatches(scenario) == []


def test_every_url_in_the_urlconf_has_a_rule_and_every_rule_a_url():
    names = {name for name, _, _ in url_patterns()}
    unclassified = sorted(n for n in names if not n.startswith("admin:") and n not in RULES)
    assert unclassified == [], "New URLs need a rule in tests/test_authorisation_matrix.py"
    assert sorted(set(RULES) - names) == []


def test_the_matrix_catches_a_headteacher_seeing_other_schools_cases(scenario, monkeypatch):
    original = permissions.can_view_case

    def loosened(user, case):
        return original(user, case) or bool(permissions.schools_where(user, "headteacher"))

    monkeypatch.setattr(permissions, "can_view_case", loosened)
    found = mismatches(scenario, only="casework:", who=HEADTEACHERS)
    assert any(
        f"/casework/cases/{scenario.main.reference}/ [casework:case] as other_headteacher" in f
        for f in found
    )


def test_the_matrix_catches_a_headteacher_managing_a_case(scenario, monkeypatch):
    original = permissions.may_manage_case

    def loosened(case, user):
        return original(case, user) or permissions.has_role(user, "headteacher")

    monkeypatch.setattr(permissions, "may_manage_case", loosened)
    found = mismatches(scenario, only="casework:", who=HEADTEACHERS)
    assert any("[casework:withdraw] as headteacher" in f for f in found)


def test_the_matrix_catches_a_headteacher_seeing_a_dpo_decision(scenario, monkeypatch):
    original = permissions.may_see_dpo_decision

    def loosened(user, decision):
        return original(user, decision) or permissions.has_role(user, "headteacher")

    monkeypatch.setattr(permissions, "may_see_dpo_decision", loosened)
    found = mismatches(scenario, only="workflow:flows:dpo:", who=HEADTEACHERS)
    assert any("[workflow:flows:dpo:decide:detail] as headteacher" in f for f in found)
