"""What the lifecycle, concurrency and fuzz tests share: the invariant every case must keep,
the database state a refused action must leave untouched, and Hypothesis strategies for
forms.

The invariant is checked two ways: with ``workflows.engine.ensure_in_step`` and with this
module's own reading of the Task table against its own table of which task each status
calls for, so that a mistake in the engine cannot hide behind itself.
"""

from __future__ import annotations

import datetime

from django import forms
from django.apps import apps
from django.db import connection
from django.utils import timezone
from hypothesis import strategies as st
from viewflow.workflow.status import PROCESS, STATUS

from casework import audit
from casework.models import (
    CLOSED_STATUSES,
    AuditChainHead,
    AuditEvent,
    Case,
    Clause,
    Policy,
    Role,
    RoleAssignment,
    StaffMember,
    Status,
)
from workflows import engine
from workflows.flows import CaseFlow
from workflows.models import CaseProcess

# Which task each open status waits for: written out here, not read from the flow.
TASK_FOR_STATUS = {
    Status.RECEIVED: "acknowledge",
    Status.TRIAGE: "triage",
    Status.SAFEGUARDING_REVIEW: "safeguarding_review",
    Status.LADO_REFERRAL: "refer_to_lado",
    Status.ON_HOLD_EXTERNAL: "resume_after_hold",
    Status.APPOINTING_INVESTIGATOR: "appoint_investigator",
    Status.INVESTIGATION: "investigate",
    Status.INVESTIGATION_REPORT: "consider_report",
    Status.HEARING_TO_ARRANGE: "arrange_hearing",
    Status.HEARING_SCHEDULED: "decide_hearing",
    Status.AWAITING_SIGN_OFF: "sign_off",
    Status.RETURNED_TO_CHAIR: "reconsider_decision",
    Status.SIGNED_OFF: "issue_outcome",
    Status.OUTCOME_ISSUED: "appeal_window",
    Status.APPEAL_LODGED: "arrange_appeal",
    Status.APPEAL_HEARING: "decide_appeal",
}
HR_TASKS = {
    "acknowledge",
    "triage",
    "resume_after_hold",
    "appoint_investigator",
    "consider_report",
    "arrange_hearing",
    "issue_outcome",
    "appeal_window",
    "arrange_appeal",
}
# The case field naming who must do each task that is not HR's.
OWNER_FIELD = {
    "safeguarding_review": "safeguarding_lead",
    "refer_to_lado": "safeguarding_lead",
    "investigate": "investigating_officer",
    "decide_hearing": "hearing_chair",
    "reconsider_decision": "hearing_chair",
    "sign_off": "signing_authority",
    "decide_appeal": "appeal_chair",
}
OPEN_TASK = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def fresh(case: Case | int) -> Case:
    return Case.objects.get(pk=case.pk if isinstance(case, Case) else case)


def case_tasks(case: Case):
    return CaseFlow.task_class.objects.filter(process__caseprocess__case_id=case.pk).order_by("id")


def transitions(case: Case) -> list[tuple[str, str]]:
    return [
        (event.details["from"], event.details["to"])
        for event in AuditEvent.objects.filter(case_id=case.pk, action="case.transition").order_by(
            "id"
        )
    ]


def conflicted(case: Case) -> set[int]:
    return {case.subject_id, case.reporter_id, *case.witnesses.values_list("pk", flat=True)}


def hr_people() -> set[int]:
    return set(
        RoleAssignment.objects.filter(role=Role.HR_CASE_MANAGER).values_list("person_id", flat=True)
    )


def assert_case_consistent(case: Case | int) -> Case:
    """The case's status, its workflow tasks and its audit trail agree; returns the case.

    - the engine's own check passes;
    - exactly the task this module's table names for the status is open (none once the case
      is closed, and then the process is finished), and every other task is finished;
    - the open task waits for someone who may act on it: the named person for the stage, or
      an HR case manager free of any conflict in the case (or the shared HR queue);
    - the audit trail's transitions run unbroken from "received" to the status, and the
      whole trail's hash chain holds.
    """
    case = fresh(case)
    engine.ensure_in_step(case)

    tasks = list(case_tasks(case))
    open_human = [t for t in tasks if t.flow_task_type == "HUMAN" and t.status in OPEN_TASK]
    others_open = [t for t in tasks if t.flow_task_type != "HUMAN" and t.status != STATUS.DONE]
    assert not others_open, f"{case}: gateway or start/end tasks left open: {others_open}"
    assert all(t.status != STATUS.ERROR for t in tasks), f"{case}: a task is in error"
    process = CaseProcess.objects.get(case=case)
    if case.status in CLOSED_STATUSES:
        assert open_human == [], f"{case} is closed but tasks are open: {open_human}"
        assert process.status == PROCESS.DONE and process.finished is not None
        assert case.closed_at is not None
        assert not case.suspensions.filter(ended_on__isnull=True).exists(), (
            f"{case} is closed but its subject is still suspended"
        )
    else:
        expected = TASK_FOR_STATUS[case.status]
        assert [t.flow_task.name for t in open_human] == [expected], (
            f"{case} is at {case.status}: expected the task {expected!r}, open are "
            f"{[t.flow_task.name for t in open_human]}"
        )
        assert engine.node_for_status(case.status) is open_human[0].flow_task
        assert process.status == PROCESS.NEW
        _assert_owner_may_act(case, open_human[0])

    chain = transitions(case)
    state = Status.RECEIVED
    for source, target in chain:
        assert source == state, f"{case}: transition from {source} follows one to {state}"
        state = target
    assert state == case.status, (
        f"{case}: the audit trail ends at {state}, the case is at {case.status}"
    )
    assert list(audit.find_broken_links()) == []
    return case


def _assert_owner_may_act(case: Case, task) -> None:
    name = task.flow_task.name
    too_close = conflicted(case)
    if task.owner_id is None:
        assert task.status == STATUS.NEW
        assert name in HR_TASKS, f"{case}: {name} waits in the shared queue"
        assert case.subject_id not in hr_people(), (
            f"{case} is about an HR case manager but waits in the shared HR queue"
        )
        return
    assert task.status == STATUS.ASSIGNED, f"{case}: {name} is {task.status}"
    owner = StaffMember.objects.filter(user_id=task.owner_id).first()
    assert owner is not None, f"{case}: {name} is assigned to a sign-in with no staff record"
    assert owner.pk not in too_close, (
        f"{case}: {name} waits for {owner.full_name}, who is the subject, the reporter or a "
        "witness and may not act on it"
    )
    if name in HR_TASKS:
        assert owner.pk in hr_people(), f"{case}: {name} is with {owner.full_name}, not HR"
    else:
        assert owner.pk == getattr(case, f"{OWNER_FIELD[name]}_id"), (
            f"{case}: {name} is with {owner.full_name}, not the case's {OWNER_FIELD[name]}"
        )


def _tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every table Casework and its workflow write to."""
    tables = []
    for label in ("casework", "workflows", "viewflow"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            # The chain head moves with every event, reads included; the events are compared.
            if model._meta.managed and not model._meta.proxy and model is not AuditChainHead:
                tables.append((model._meta.db_table, model._meta.pk.column))
    return sorted(set(tables))


def database_state() -> dict[str, list[tuple]]:
    """Every row of every Casework and workflow table (reads of a case excepted): whatever
    a refused action might have half-written, this sees it."""
    state = {}
    with connection.cursor() as cursor:
        for table, pk in _tables():
            if table == AuditEvent._meta.db_table:
                sql = f"SELECT * FROM {table} WHERE action NOT LIKE %s ORDER BY {pk}"  # noqa: S608
                cursor.execute(sql, ["viewed.%"])
            else:
                cursor.execute(f"SELECT * FROM {table} ORDER BY {pk}")  # noqa: S608
            state[table] = cursor.fetchall()
    return state


# --- Strategies for form fuzzing ----------------------------------------------------------

# Text a person might type, and text nobody should: blanks, control characters, right-to-left
# marks, markup, SQL, very long lines and characters outside the Basic Multilingual Plane.
nasty_text = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\t\n",
            "\x00",
            "a\x00b",
            "\u202e\u0041",
            "<script>alert(1)</script>",
            "'; DROP TABLE casework_case; --",
            "{{ 7*7 }}",
            "%s%s%n",
            "😀" * 3,
            "\ud7ff\ue000",
            "x" * 20001,
            "\uff19\uff19\uff19",  # full-width digits
            "-1",
            "0",
            "1e309",
            "99999999999999999999999",
            "NaN",
            "null",
            "true",
            "2026-02-30",
            "31/12/2025",
            "25:61",
        ]
    ),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300),
)
plain_text = st.sampled_from(
    [
        "The post named a colleague and their disciplinary meeting.",
        "Seen on the subject's public profile on Saturday evening.",
        "Ms O'Neill — “quoted” — said it was hers.",
        "Two lines\nof text.",
    ]
)


def _date_text(today: datetime.date, *, sensible: bool) -> st.SearchStrategy[str]:
    def day(days: int) -> str:
        return (today + datetime.timedelta(days=days)).isoformat()

    soon = st.one_of(st.just(0), st.integers(min_value=-14, max_value=21)).map(day)
    if sensible:
        return soon
    return st.one_of(soon, st.integers(min_value=-800, max_value=800).map(day), nasty_text)


def _time_text(*, sensible: bool) -> st.SearchStrategy[str]:
    times = st.times().map(lambda t: t.strftime("%H:%M"))
    return times if sensible else st.one_of(times, nasty_text)


def _pks(field: forms.ModelChoiceField, everyone: list[str]) -> list[str]:
    return [str(pk) for pk in field.queryset.values_list("pk", flat=True)] or everyone


def field_values(
    name: str, field: forms.Field, *, today: datetime.date, everyone: list[str], sensible: bool
) -> st.SearchStrategy:
    """Values for one form field. ``sensible``: what a careful person might enter (which the
    procedure may still refuse); otherwise anything at all, often what the form offers.

    ``everyone`` are primary keys the field may not offer (other people, another policy's
    clauses), so a fuzzed form also names objects it should refuse.
    """
    if isinstance(field, forms.ModelMultipleChoiceField):
        offered = st.sampled_from(_pks(field, everyone))
        if sensible:
            return st.lists(offered, max_size=3, unique=True)
        return st.lists(st.one_of(offered, st.sampled_from(everyone), nasty_text), max_size=4)
    if isinstance(field, forms.ModelChoiceField):
        offered = st.sampled_from(_pks(field, everyone))
        return offered if sensible else st.one_of(offered, st.sampled_from(everyone), nasty_text)
    if isinstance(field, forms.DateField):
        return _date_text(today, sensible=sensible)
    if isinstance(field, forms.TimeField):
        return _time_text(sensible=sensible)
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", ""] if sensible else ["on", "", "false", "0", "\x00"])
    if isinstance(field, forms.ChoiceField):
        valid = [str(value) for value, _ in field.choices if value != ""]
        if sensible and valid:
            return st.sampled_from(valid)
        return st.one_of(st.sampled_from(valid), nasty_text) if valid else nasty_text
    if isinstance(field, forms.CharField):
        return plain_text if sensible else st.one_of(plain_text, nasty_text)
    raise TypeError(f"No strategy for the field {name!r} ({type(field).__name__}).")


def form_data(
    form: forms.Form,
    *,
    everyone: list[str],
    today: datetime.date | None = None,
    overrides: dict[str, st.SearchStrategy] | None = None,
    extra: dict[str, st.SearchStrategy] | None = None,
) -> st.SearchStrategy[dict]:
    """POST data for ``form``: half the time as a careful person would fill it in, half the
    time anything at all (fields missing, fields the form does not have). ``overrides``
    replace the values of named fields (None leaves the field out); ``extra`` adds request
    fields that are not form fields."""
    today = today or timezone.localdate()
    overrides = overrides or {}
    fields = [
        (name, field)
        for name, field in form.fields.items()
        if not isinstance(field, forms.FileField)
    ]

    def values(name: str, field: forms.Field, *, sensible: bool) -> st.SearchStrategy:
        if name in overrides:
            return overrides[name]
        return field_values(name, field, today=today, everyone=everyone, sensible=sensible)

    careful = st.fixed_dictionaries(
        {name: values(name, field, sensible=True) for name, field in fields},
        optional={name: strategy for name, strategy in (extra or {}).items()},
    )
    wild = st.tuples(
        st.fixed_dictionaries(
            {},
            optional={
                **{name: values(name, field, sensible=False) for name, field in fields},
                **(extra or {}),
            },
        ),
        st.dictionaries(
            st.sampled_from(["status", "case", "owner", "_cancel_process", "process_pk"]),
            nasty_text,
            max_size=2,
        ),
    ).map(lambda parts: {**parts[1], **parts[0]})
    # An override may give None: the field is left out.
    return st.one_of(careful, wild).map(
        lambda data: {name: value for name, value in data.items() if value is not None}
    )


def older_policy_clause() -> Clause:
    """A clause of an earlier version of the policy, which no current case may cite."""
    current = Policy.objects.get(is_current=True)
    older, _ = Policy.objects.get_or_create(
        trust=current.trust,
        version="2019.1",
        defaults={
            "title": current.title,
            "adopted_by": current.adopted_by,
            "adopted_on": datetime.date(2019, 9, 1),
            "next_review_due": datetime.date(2022, 7, 31),
        },
    )
    clause, _ = Clause.objects.get_or_create(
        policy=older,
        code="GEN-1",
        defaults={
            "kind": Clause.Kind.GENERAL,
            "order": 1,
            "text": "Staff must behave appropriately online.",
            "summary": "Behave appropriately online.",
        },
    )
    return clause
