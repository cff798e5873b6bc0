"""A database grown by seed_scale is one Casework could have written, and every list page
asks the database the same number of questions however many cases it holds."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework import audit
from casework.demo_cases import case_at
from casework.models import AuditEvent, Case, Clause, School, Status
from tests.conftest import follow_page_link, user
from workflows import engine
from workflows.scale import seeding

pytestmark = pytest.mark.django_db


@pytest.fixture
def templates():
    """A few cases walked through the real services: what seed_scale copies."""
    return [
        case_at(Status.RECEIVED, subject=("Liam", "Murphy"), reporter=("Grace", "O'Neill")),
        case_at(Status.INVESTIGATION, subject=("Laura", "Bennett"), reporter=("Sam", "Adeyemi")),
        case_at(Status.AWAITING_SIGN_OFF, subject=("Priya", "Patel"), reporter=("Ben", "Taylor")),
        case_at(Status.LOW_LEVEL_CONCERN, subject=("Aisha", "Khan"), reporter=("Tom", "Brennan")),
    ]


def grow(cases: int, seed: int = 1) -> None:
    # Raised within the last few weeks: most stay open, so the task lists grow too.
    seeding.seed(cases=cases, seed=seed, years=0.2, batch_size=15)


def test_a_seeded_database_passes_the_audit_check_and_keeps_tasks_in_step(templates, client):
    grow(40)
    assert Case.objects.count() == 44
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert "intact" in out.getvalue()
    for case in Case.objects.all():
        engine.ensure_in_step(case)
    seeded = Case.objects.exclude(pk__in=[t.pk for t in templates])
    assert seeded.values("reference").distinct().count() == 40
    assert seeded.values("subject").distinct().count() > 10  # new people, not the same few
    assert AuditEvent.objects.filter(case__in=seeded).exists()
    # The pages render the copies like any other case.
    client.force_login(user("Hannah", "Reid"))
    case = seeded.exclude(status=Status.LOW_LEVEL_CONCERN).order_by("-pk").first()
    assert client.get(reverse("casework:case", args=[case.reference])).status_code == 200
    register = client.get(reverse("casework:register"), {"q": case.reference})
    assert [c.reference for c in register.context["page"].object_list] == [case.reference]


def test_the_same_seed_makes_the_same_cases(templates):
    grow(10, seed=7)
    first = list(Case.objects.order_by("pk").values_list("status", "school_id", "raised_at"))[4:]
    assert len(first) == 10
    # A second run with the same seed adds the same spread again (new references).
    grow(10, seed=7)
    second = list(Case.objects.order_by("pk").values_list("status", "school_id"))[14:]
    assert [row[:2] for row in first] == second


SECOND_PAGE = "#next"  # the page the first page's "Next" link leads to


def _pages():
    register = reverse("casework:register")
    audit_log = reverse("casework:audit_log")
    # The worklist (workflow:inbox) holds the shared queue too.
    inbox, archive = (reverse(f"workflow:{n}") for n in ("inbox", "archive"))
    return [
        ("hr", "home", "/"),
        ("hr", "register", register),
        ("hr", "register, open", f"{register}?status=open"),
        ("hr", "register, one stage", f"{register}?status=investigation"),
        ("hr", "register, one school", f"{register}?school={{school}}"),
        ("hr", "register, one clause", f"{register}?clause={{clause}}"),
        ("hr", "register, overdue", f"{register}?overdue=on"),
        ("hr", "register, search", f"{register}?q=a"),
        ("hr", "register, page 2", f"{register}{SECOND_PAGE}"),
        ("hr", "register, page 2 by due date", f"{register}?order=due{SECOND_PAGE}"),
        ("hr", "worklist", inbox),
        ("hr", "worklist, overdue", f"{inbox}?due=overdue"),
        ("hr", "archive", archive),
        ("hr", "audit log", audit_log),
        ("hr", "audit log, one case", f"{audit_log}?reference={{reference}}"),
        ("hr", "audit log, page 2", f"{audit_log}{SECOND_PAGE}"),
        ("hr", "low-level concerns log", reverse("casework:low_level_log")),
        ("hr", "letters", "/casework/cases/{reference}/letters/"),
        ("hr", "case", "/casework/cases/{reference}/"),
        ("headteacher", "home", "/"),
        ("headteacher", "register", register),
        ("headteacher", "inbox", inbox),
        ("safeguarding_lead", "low-level concerns log", reverse("casework:low_level_log")),
        ("safeguarding_lead", "inbox", inbox),
        ("investigating_officer", "inbox", inbox),
        ("dpo", "worklist", inbox),
    ]


SIGN_INS = {
    "hr": ("Hannah", "Reid"),
    "headteacher": ("Michael", "Okafor"),
    "safeguarding_lead": ("Rachel", "Green"),
    "investigating_officer": ("Emma", "Wright"),
    "dpo": ("Yusuf", "Ahmed"),
}


def _second_page(client, url: str) -> str:
    first = client.get(url.removesuffix(SECOND_PAGE))
    assert first.context["page"].has_next(), f"{url} has no second page to measure"
    return follow_page_link(client, first, "next").request["QUERY_STRING"]


def _queries(client, url: str) -> int:
    if url.endswith(SECOND_PAGE):
        url = f"{url.removesuffix(SECOND_PAGE).split('?')[0]}?{_second_page(client, url)}"
    client.get(url)  # once to warm what is cached per process
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


@pytest.mark.parametrize(("role", "name", "address"), _pages(), ids=lambda v: str(v))
def test_list_page_queries_do_not_grow_with_the_data(templates, client, role, name, address):
    first = templates[2]
    url = address.format(
        school=School.objects.order_by("pk").first().pk,
        clause=Clause.objects.order_by("pk").first().pk,
        reference=first.reference,
    )
    client.force_login(user(*SIGN_INS[role]))
    # A register's second page needs more than a page of cases.
    grow(30 if url.endswith(SECOND_PAGE) else 8)
    small = _queries(client, url)
    grow(60, seed=2)
    assert Case.objects.count() > 70
    assert _queries(client, url) == small, f"{name} ({role}) asks more as the data grows"


def test_the_case_page_asks_the_same_questions_however_long_its_history(templates, client):
    """Each entry of the timeline comes with the page's one read of it: a long case asks
    no more than a new one."""
    case = templates[2]
    url = reverse("casework:case", args=[case.reference])
    hr = user(*SIGN_INS["hr"])
    client.force_login(hr)
    short = _queries(client, url)
    for n in range(40):
        audit.record(
            action="case.noted",
            summary=f"Note {n} on the case",
            actor=hr,
            case=case,
            details={"why": f"reason {n}"},
        )
    page = client.get(url).content.decode()
    assert "Note 39 on the case" in page and "reason 39" in page
    assert _queries(client, url) == short, "the case page asks more as its history grows"
