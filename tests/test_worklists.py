"""The worklist: what waits for each person, most urgent first, on one page; no more
queries for a hundred tasks than for two; nobody sees a task they may not act on."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from casework.demo_cases import SAFEGUARDING, acknowledge, raise_concern
from casework.models import Case, School, StaffMember, User
from casework.worklists import selectors
from tests.trusts import build_second_trust
from workflows.flows import CaseFlow, DpoFlow

pytestmark = pytest.mark.django_db

WORKLIST = reverse("workflow:inbox")
DPO = ("Yusuf", "Ahmed")


def rows(client, **filters) -> list[str]:
    page = client.get(WORKLIST, filters)
    assert page.status_code == 200
    return [row["case_reference"] for row in page.context["rows"]]


def due_on(case: Case, days: int) -> Case:
    Case.objects.filter(pk=case.pk).update(
        action_due_on=timezone.localdate() + datetime.timedelta(days=days)
    )
    return Case.objects.get(pk=case.pk)


def test_the_shared_queue_and_own_tasks_are_on_one_page_most_urgent_first(sign_in):
    later = due_on(raise_concern(), 10)
    sooner = due_on(raise_concern(subject=("Ben", "Taylor")), 3)
    overdue = due_on(raise_concern(subject=("Fiona", "MacLeod")), -2)
    mine = due_on(acknowledge(raise_concern(subject=("Chris", "Evans"))), 5)  # Hannah's own
    client = sign_in("Hannah", "Reid")
    assert rows(client) == [overdue.reference, sooner.reference, mine.reference, later.reference]
    html = client.get(WORKLIST).content.decode()
    assert "Shared queue" in html and "You" in html
    assert "Take it on" in html  # claim from the row
    assert "overdue by" in html and "working day" in html
    assert "New process" not in html  # no dead dialog


def test_safeguarding_comes_before_everything_else_overdue_safeguarding_first(sign_in):
    plain_overdue = due_on(raise_concern(), -1)
    safeguarding = due_on(raise_concern(subject=("Ben", "Taylor"), **SAFEGUARDING), 3)
    client = sign_in("Rachel", "Green")  # the St Thomas More DSL: only the safeguarding one
    assert rows(client) == [safeguarding.reference]
    due_on(safeguarding, -1)
    client = sign_in("Hannah", "Reid")
    listed = rows(client)
    assert plain_overdue.reference in listed and safeguarding.reference not in listed
    client = sign_in("Rachel", "Green")
    page = client.get(WORKLIST).content.decode()
    assert "Safeguarding" in page and "Overdue" in page


def test_filters_by_school_task_and_due_kept_in_the_address(sign_in):
    thomas_more = due_on(raise_concern(), -1)
    bernadettes = due_on(raise_concern(subject=("Tom", "Brennan"), reporter=("Aisha", "Khan")), 4)
    client = sign_in("Hannah", "Reid")
    school = School.objects.get(name__startswith="St Bernadette")
    assert rows(client, school=school.pk) == [bernadettes.reference]
    assert rows(client, due="overdue") == [thomas_more.reference]
    acknowledge(Case.objects.get(pk=bernadettes.pk))
    triage = "workflows/flows.CaseFlow.triage"
    choices = dict(client.get(WORKLIST).context["filter_form"].fields["task"].choices)
    assert triage in choices
    assert rows(client, task=triage) == [bernadettes.reference]


def test_nobody_sees_a_task_on_a_case_they_are_too_close_to_or_not_theirs(sign_in):
    about_marcus = raise_concern(subject=("Marcus", "Obi"))  # goes straight to a colleague
    ordinary = raise_concern()
    # Without a casework role there is no worklist at all.
    assert sign_in("Tom", "Brennan").get(WORKLIST).status_code == 403
    assert rows(sign_in("Marcus", "Obi")) == [ordinary.reference]
    assert about_marcus.reference in rows(sign_in("Hannah", "Reid"))
    # A headteacher has no HR queue; the DPO sees no case's tasks.
    assert rows(sign_in("Michael", "Okafor")) == []
    assert rows(sign_in(*DPO)) == []


def test_a_witness_does_not_see_the_cases_queue_tasks_nor_count_them(sign_in):
    witnessed = raise_concern()
    ordinary = raise_concern(subject=("Ben", "Taylor"))
    marcus = StaffMember.objects.get(first_name="Marcus", last_name="Obi")
    witnessed.witnesses.add(marcus)
    client = sign_in("Marcus", "Obi")
    assert rows(client) == [ordinary.reference]
    assert "0 yours, 1 in the queue" in client.get(WORKLIST).content.decode()
    assert set(rows(sign_in("Hannah", "Reid"))) == {witnessed.reference, ordinary.reference}


def test_the_menu_counts_own_tasks_and_the_queue(sign_in):
    raise_concern()
    acknowledge(raise_concern(subject=("Ben", "Taylor")))
    html = sign_in("Hannah", "Reid").get(WORKLIST).content.decode()
    assert "1 yours, 1 in the queue" in html


def test_the_menu_counts_stop_at_the_list_limit(sign_in, settings):
    settings.CASEWORK_MENU_COUNT_LIMIT = 1
    raise_concern()
    raise_concern(subject=("Fiona", "MacLeod"))
    acknowledge(raise_concern(subject=("Ben", "Taylor")))
    html = sign_in("Hannah", "Reid").get(WORKLIST).content.decode()
    assert "1 yours, more than 1 in the queue" in html


def count_line(page) -> str:
    return re.search(r'data-testid="worklist-count">([^<]*)<', page.content.decode())[1]


def test_the_worklist_says_how_many_tasks_it_holds_filtered_or_not(sign_in, settings):
    raise_concern()  # in the queue
    raise_concern(subject=("Tom", "Brennan"), reporter=("Aisha", "Khan"))  # another school
    acknowledge(raise_concern(subject=("Ben", "Taylor")))  # Hannah's own
    client = sign_in("Hannah", "Reid")
    everything = client.get(WORKLIST)
    assert count_line(everything) == "3 tasks" and len(everything.context["rows"]) == 3
    school = Case.objects.get(subject__first_name="Tom").school
    at_school = client.get(WORKLIST, {"school": school.pk})
    shown = len(at_school.context["rows"])
    assert 0 < shown < 3 and count_line(at_school) == f"{shown} task{'s' if shown > 1 else ''}"
    assert count_line(client.get(WORKLIST, {"due": "overdue"})) == "0 tasks"
    settings.CASEWORK_MENU_COUNT_LIMIT = 2
    assert count_line(client.get(WORKLIST)) == "More than 2 tasks"


def test_claiming_from_the_row_takes_the_task_on(sign_in):
    case = raise_concern()
    client = sign_in("Hannah", "Reid")
    row = client.get(WORKLIST).context["rows"][0]
    response = client.post(f"{row['claim_url']}?back={row['url']}")
    assert response.status_code == 302 and response.url == row["url"]
    row = client.get(WORKLIST).context["rows"][0]
    assert row["holder"] == "You" and row["claim_url"] is None
    assert case.reference == row["case_reference"]


def test_the_page_makes_as_many_queries_for_many_tasks_as_for_few(sign_in):
    client = sign_in("Hannah", "Reid")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(WORKLIST).status_code == 200
        return len(captured)

    raise_concern()
    acknowledge(raise_concern(subject=("Ben", "Taylor")))
    queries()  # the first view pins the list's address in the session
    few = queries()
    subjects = [("Fiona", "MacLeod"), ("Chris", "Evans"), ("Tom", "Brennan"), ("Liam", "Murphy")]
    for first, last in subjects * 3:
        case = raise_concern(subject=(first, last))
        if case.pk % 2:
            acknowledge(case)
    assert queries() == few


def test_the_dpo_sees_the_breach_decision_but_not_who_it_is_about(sign_in):
    case = raise_concern(clauses=("DO-5",))
    client = sign_in(*DPO)
    page = client.get(WORKLIST)
    [row] = page.context["rows"]
    assert row["case_reference"] == case.reference
    assert row["marks"]["data_protection"] and row["person"] == ""
    assert case.subject.full_name not in page.content.decode()
    # HR's worklist has the case's own task, not the DPO's decision.
    tasks = [r["task"] for r in sign_in("Hannah", "Reid").get(WORKLIST).context["rows"]]
    assert tasks == ["Acknowledge the concern"]


def test_the_casework_menu_counts_them_too(sign_in):
    raise_concern()
    html = sign_in("Hannah", "Reid").get(reverse("casework:register")).content.decode()
    assert "0 yours, 1 in the queue" in html
    assert "in the queue" not in sign_in("Priya", "Patel").get("/").content.decode()


def test_the_menu_counts_are_the_worklists_own_for_every_person():
    """The menu counts with a query of its own: it must find exactly the worklist's tasks,
    whoever asks, whatever the trust, the flow or the person's part in the case."""
    second = build_second_trust()
    second.raise_concern()  # another trust's queue
    second.raise_concern(clause="DO-5")  # and its DPO's decision
    raise_concern()  # St Clare's HR queue
    acknowledge(raise_concern(subject=("Ben", "Taylor")))  # Hannah's own
    raise_concern(clauses=("DO-5",))  # a DPO decision waiting in the DPOs' queue
    raise_concern(subject=("Marcus", "Obi"))  # about one of HR: straight to a colleague
    raise_concern(subject=("Fiona", "MacLeod"), reporter=("Marcus", "Obi"))  # he reported it
    raise_concern(subject=("Chris", "Evans"), **SAFEGUARDING)  # the DSL's
    checked = 0
    for user in User.objects.filter(staff_member__isnull=False).select_related("staff_member"):
        tasks = selectors.worklist(user)
        expected = {
            "mine": tasks.filter(owner=user).count(),
            "queue": tasks.filter(owner__isnull=True).count(),
        }
        assert selectors.counts(user) == expected, user.staff_member.full_name
        checked += sum(expected.values()) > 0
    assert checked >= 5  # HR in both trusts, Marcus's colleague, a DPO, the DSL


def test_the_menu_reads_its_counts_and_the_person_in_one_query_each(sign_in):
    """The menu is on every page: the signed-in person comes with their sign-in, and the
    task counts, notices and failed e-mail are one query however many tasks wait."""
    for _ in range(3):
        raise_concern()
    client = sign_in("Hannah", "Reid")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("casework:register"))
    assert page.status_code == 200
    assert "0 yours, 3 in the queue" in page.content.decode()
    sql = [query["sql"] for query in queries.captured_queries]
    [menu] = [q for q in sql if "viewflow_task" in q]
    assert "casework_notice" in menu and "casework_outgoingmail" in menu
    assert not [q for q in sql if q != menu and "casework_outgoingmail" in q]
    assert not [q for q in sql if 'FROM "casework_staffmember"' in q]


ARCHIVE = reverse("workflow:archive")


def archive_rows(client, **filters) -> list[dict]:
    page = client.get(ARCHIVE, filters)
    assert page.status_code == 200
    return page.context["rows"]


def test_the_archive_lists_the_tasks_the_person_has_done_the_newest_first(sign_in):
    first = acknowledge(raise_concern())
    second = acknowledge(raise_concern(subject=("Ben", "Taylor")))
    client = sign_in("Hannah", "Reid")
    done = archive_rows(client)
    assert [row["case_reference"] for row in done] == [second.reference, first.reference]
    assert done[0]["task"] == "Acknowledge the concern"
    assert done[0]["person"] == "Ben Taylor"
    assert done[0]["school"] == second.school.name
    page = client.get(ARCHIVE).content.decode()
    assert "2 tasks" in page and second.reference in page
    # The row opens the task as it was finished.
    assert client.get(done[0]["url"], follow=True).status_code == 200
    # Nobody else's archive holds them.
    assert archive_rows(sign_in("Helen", "Carter")) == []


def test_the_archive_filters_by_task_and_when_it_was_done(sign_in):
    case = acknowledge(raise_concern())
    client = sign_in("Hannah", "Reid")
    [row] = archive_rows(client, done="7")
    assert row["case_reference"] == case.reference
    task_ref = next(kind.ref for kind in _kinds() if kind.title == "Acknowledge the concern")
    assert len(archive_rows(client, task=task_ref)) == 1
    other = next(kind.ref for kind in _kinds() if kind.title != "Acknowledge the concern")
    assert archive_rows(client, task=other) == []
    finished_long_ago = timezone.now() - datetime.timedelta(days=60)
    Task.objects.filter(finished__isnull=False).update(finished=finished_long_ago)
    assert archive_rows(client, done="31") == []
    assert len(archive_rows(client, done="365")) == 1
    # A filter that is not one of the choices filters nothing, and says nothing breaks.
    assert len(archive_rows(client, done="forever", task="no-such-task")) == 1


def _kinds():
    return selectors.task_kinds([CaseFlow, DpoFlow])


def test_opening_the_lists_again_writes_nothing_to_the_session(sign_in):
    acknowledge(raise_concern())
    client = sign_in("Hannah", "Reid")

    def session_writes(address: str, **filters) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address, filters).status_code == 200
        return sum('UPDATE "django_session"' in q["sql"] for q in captured.captured_queries)

    session_writes(WORKLIST)
    assert session_writes(WORKLIST) == 0
    assert session_writes(ARCHIVE) == 1  # another list: the way back from a task changes
    assert session_writes(ARCHIVE) == 0
    assert session_writes(ARCHIVE, done="7") == 1
    assert client.session["vf-pin-location"] == f"{ARCHIVE}?done=7"
