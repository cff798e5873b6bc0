"""Many cases, quickly: the demonstration cases copied in bulk, as if raised over years.

Every case the demonstration holds was walked to its stage through the real services, so
its rows (allegations, hearings, letters, the workflow's process and tasks, the audit
events) are what Casework itself writes. Each new case copies one of them, chosen so that
most old cases are closed and recent ones spread over every open stage, and moves it in
time: every date and moment shifts by the same amount, so deadlines and histories keep
their shape. The person reported and the reporter are new people of the same school and
kind, so cases spread over the workforce. Rows are written with COPY on PostgreSQL (plain
INSERTs elsewhere), in batches, each batch one transaction; the audit events are chained
by ``link_audit_events``, the one place that knows how the trail is linked.
"""

from __future__ import annotations

import datetime
import json
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from casework import audit
from casework.models import (
    CLOSED_STATUSES,
    Allegation,
    Appeal,
    AuditEvent,
    Case,
    DpoDecision,
    Hearing,
    InvestigationMeeting,
    InvestigationReport,
    LadoReferral,
    Letter,
    LetterDelivery,
    LowLevelConcern,
    ReferenceCounter,
    ReferralDecision,
    SafeguardingReview,
    Settlement,
    SignOff,
    StaffMember,
    Status,
    Suspension,
    SuspensionReview,
    WitnessStatement,
)
from workflows.models import CaseProcess, DpoProcess

TaskPrevious = Task.previous.through
SuspectedClauses = Case.suspected_clauses.through
Witnesses = Case.witnesses.through

# Copied with each case, parents before children. Each is found from its template case by
# the lookup beside it (None: found through its parent row, see _load_templates).
COPIED: list[tuple[type[models.Model], str | None]] = [
    (Case, "id"),
    (SuspectedClauses, "case_id"),
    (Witnesses, "case_id"),
    (Allegation, "case_id"),
    (DpoDecision, "case_id"),
    (Hearing, "case_id"),
    (SignOff, "case_id"),
    (Appeal, "case_id"),
    (InvestigationMeeting, "case_id"),
    (WitnessStatement, "case_id"),
    (InvestigationReport, "case_id"),
    (Letter, "case_id"),
    (LetterDelivery, "letter__case_id"),
    (ReferralDecision, "case_id"),
    (Settlement, "case_id"),
    (SafeguardingReview, "case_id"),
    (LadoReferral, "case_id"),
    (LowLevelConcern, "case_id"),
    (Suspension, "case_id"),
    (SuspensionReview, "suspension__case_id"),
    (Process, None),
    (CaseProcess, "case_id"),
    (DpoProcess, "decision__case_id"),
    (Task, None),
    (TaskPrevious, None),
    (AuditEvent, "case_id"),
]
COPIED_MODELS = {model for model, _ in COPIED}

# How the closed cases of the years before are spread over the ways a case can close.
CLOSED_SPREAD = {
    Status.NO_CASE_TO_ANSWER: 30,
    Status.INFORMAL_ADVICE: 25,
    Status.LOW_LEVEL_CONCERN: 12,
    Status.CLOSED: 15,
    Status.APPEAL_DECIDED: 5,
    Status.WITHDRAWN: 13,
}
SEEDED_DOMAIN = "scale.example"  # the e-mail domain of the people seeded here
OPEN_WINDOW_DAYS = 120  # cases raised within this many days may still be open
OPEN_SHARE = 0.6  # of the cases raised in that window, how many are still open

FIRST_NAMES = [
    "Aoife",
    "Ben",
    "Chloe",
    "Declan",
    "Eilidh",
    "Farah",
    "George",
    "Hamza",
    "Imogen",
    "Jack",
    "Keira",
    "Luca",
    "Maeve",
    "Niall",
    "Orla",
    "Patrick",
    "Ruth",
    "Sean",
    "Tara",
    "Umar",
    "Vera",
    "Will",
    "Yasmin",
    "Zac",
    "Bridget",
    "Conor",
    "Deborah",
    "Edward",
]
LAST_NAMES = [
    "Ahmed",
    "Brady",
    "Clarke",
    "Dunne",
    "Egan",
    "Foley",
    "Gordon",
    "Hayes",
    "Iqbal",
    "Jones",
    "Kelly",
    "Lynch",
    "Moran",
    "Nolan",
    "O'Brien",
    "Power",
    "Quinlan",
    "Roche",
    "Singh",
    "Tierney",
    "Walsh",
    "Young",
    "Byrne",
    "Carroll",
    "Daly",
    "Flynn",
    "Healy",
]


@dataclass
class Template:
    """One demonstration case and every row copied with it, column values in order."""

    case_id: int
    status: str
    raised_at: datetime.datetime
    subject_id: int
    reporter_id: int
    rows: dict[type[models.Model], list[list]] = field(default_factory=dict)


@dataclass
class Column:
    attname: str
    shift: str = ""  # "datetime" or "date": moved in time with the case
    copied_model: type[models.Model] | None = None  # a key of a copied row: renumbered
    json: bool = False
    # A field of its own kind (viewflow's references to a flow and a node): stored as the
    # field itself writes it.
    own_kind: bool = False


def columns_of(model: type[models.Model]) -> list[Column]:
    columns = []
    for f in model._meta.local_concrete_fields:
        column = Column(f.attname)
        if isinstance(f, models.DateTimeField):
            column.shift = "datetime"
        elif isinstance(f, models.DateField):
            column.shift = "date"
        if f.primary_key and not f.is_relation:
            column.copied_model = model
        elif f.is_relation and f.related_model in COPIED_MODELS:
            column.copied_model = f.related_model
        column.json = isinstance(f, models.JSONField)
        column.own_kind = not type(f).__module__.startswith("django.")
        columns.append(column)
    return columns


@dataclass
class SeedReport:
    cases: int
    people: int
    rows: dict[str, int]


def seed(
    *,
    cases: int,
    seed: int = 1,
    years: float = 10,
    batch_size: int = 2000,
    progress: Callable[[str], None] = lambda message: None,
) -> SeedReport:
    rng = random.Random(seed)
    templates = _load_templates()
    if not templates:
        raise ValueError("There are no cases to copy: run manage.py seed_demo first.")
    people = _add_people(templates, cases=cases, rng=rng)
    by_status: dict[str, list[Template]] = defaultdict(list)
    for template in templates:
        by_status[template.status].append(template)
    open_templates = [t for t in templates if t.status not in CLOSED_STATUSES]
    closed_choices = [s for s in CLOSED_SPREAD if by_status.get(s)]
    closed_weights = [CLOSED_SPREAD[s] for s in closed_choices]

    now = timezone.now()
    moments = sorted(
        now - datetime.timedelta(seconds=rng.uniform(0, years * 365 * 86400)) for _ in range(cases)
    )
    columns = {model: columns_of(model) for model, _ in COPIED}
    next_id = {
        model: (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1 for model in COPIED_MODELS
    }
    numbers = dict(ReferenceCounter.objects.values_list("year", "last_number"))
    written: dict[str, int] = defaultdict(int)
    for start in range(0, cases, batch_size):
        batch_rows: dict[type[models.Model], list[list]] = defaultdict(list)
        events: list[AuditEvent] = []
        for raised_at in moments[start : start + batch_size]:
            recent = (now - raised_at).days < OPEN_WINDOW_DAYS
            if recent and open_templates and rng.random() < OPEN_SHARE:
                template = rng.choice(open_templates)
            else:
                status = rng.choices(closed_choices, closed_weights)[0]
                template = rng.choice(by_status[status])
            year = raised_at.year
            numbers[year] = numbers.get(year, 0) + 1
            _copy_case(
                template,
                raised_at=raised_at,
                reference=f"SM-{year}-{numbers[year]:04d}",
                subject_id=rng.choice(people[template.subject_id]),
                reporter_id=rng.choice(people[template.reporter_id]),
                columns=columns,
                next_id=next_id,
                into=batch_rows,
                events=events,
            )
        with transaction.atomic():
            link_audit_events(events)
            batch_rows[AuditEvent] = [
                [getattr(event, c.attname) for c in columns[AuditEvent]] for event in events
            ]
            for model, _ in COPIED:
                rows = batch_rows.get(model, [])
                if rows:
                    write_rows(model, columns[model], rows)
                    written[model._meta.db_table] += len(rows)
            for year, number in numbers.items():
                ReferenceCounter.objects.update_or_create(
                    year=year, defaults={"last_number": number}
                )
        progress(f"{min(start + batch_size, cases)} of {cases} cases written")
    _reset_sequences()
    _refresh_statistics()
    return SeedReport(cases=cases, people=sum(len(p) for p in people.values()), rows=dict(written))


def link_audit_events(events: list[AuditEvent]) -> None:
    """Chain ``events`` (unsaved, in the order they will be written) onto their chains
    exactly as ``casework.audit.record`` chains one event, and move each chain's head past
    them (``casework.audit.link_unsaved``).

    Called inside the transaction that writes them; the head rows stay locked until then.
    """
    audit.link_unsaved(events)


def _copy_case(
    template: Template,
    *,
    raised_at: datetime.datetime,
    reference: str,
    subject_id: int,
    reporter_id: int,
    columns: dict,
    next_id: dict,
    into: dict,
    events: list[AuditEvent],
) -> None:
    moved = raised_at - template.raised_at
    moved_days = datetime.timedelta(days=moved.days)
    new_ids: dict[tuple[type[models.Model], int], int] = {}
    for model, rows in template.rows.items():  # numbered first: rows point at each other
        for row in rows:
            new_ids[(model, row[0])] = next_id[model]
            next_id[model] += 1
    object_models = {m._meta.label_lower: m for m in COPIED_MODELS}
    for model, rows in template.rows.items():
        model_columns = columns[model]
        for row in rows:
            copy = []
            for column, value in zip(model_columns, row, strict=True):
                if value is not None:
                    if column.copied_model is not None:
                        value = new_ids[(column.copied_model, value)]
                    elif column.shift == "datetime":
                        value = value + moved
                    elif column.shift == "date":
                        value = value + moved_days
                copy.append(value)
            if model is AuditEvent:
                event = AuditEvent(
                    **dict(zip((c.attname for c in model_columns), copy, strict=True))
                )
                target = object_models.get(event.object_type)
                if target is not None and event.object_id.isdigit():
                    event.object_id = str(
                        new_ids.get((target, int(event.object_id)), event.object_id)
                    )
                if event.details.get("reference") is not None:
                    event.details = {**event.details, "reference": reference}
                events.append(event)
                continue
            if model is Case:
                names = [c.attname for c in model_columns]
                copy[names.index("reference")] = reference
                copy[names.index("subject_id")] = subject_id
                copy[names.index("reporter_id")] = reporter_id
                copy[names.index("submission_token")] = None
            into[model].append(copy)


def _load_templates() -> list[Template]:
    cases = {
        case.pk: Template(case.pk, case.status, case.raised_at, case.subject_id, case.reporter_id)
        # Never a copy: the same seed then makes the same cases, however often it runs.
        for case in Case.objects.exclude(subject__email__endswith=f"@{SEEDED_DOMAIN}")
    }
    attnames = {model: [c.attname for c in columns_of(model)] for model, _ in COPIED}
    owner_of: dict[type[models.Model], dict[int, int]] = {}

    def add(model, rows: Iterable[tuple[int, list]]):
        owner_of[model] = {}
        for case_id, values in rows:
            if case_id in cases:
                cases[case_id].rows.setdefault(model, []).append(values)
                owner_of[model][values[0]] = case_id

    for model, lookup in COPIED:
        if lookup is None:
            continue
        names = attnames[model]
        found = model.objects.order_by("pk").values_list(lookup, *names)
        add(model, ((row[0], list(row[1:])) for row in found))
    # The workflow's rows: a process belongs to its case (or its DPO decision's case), a
    # task to its process, a task's link to the task it came from to that task.
    process_case = owner_of[CaseProcess] | owner_of[DpoProcess]
    processes = Process.objects.order_by("pk").values_list(*attnames[Process])
    add(Process, ((process_case.get(row[0]), list(row)) for row in processes))
    tasks = Task.objects.order_by("pk").values_list("process_id", *attnames[Task])
    add(Task, ((process_case.get(row[0]), list(row[1:])) for row in tasks))
    links = TaskPrevious.objects.order_by("pk").values_list("from_task_id", *attnames[TaskPrevious])
    add(TaskPrevious, ((owner_of[Task].get(row[0]), list(row[1:])) for row in links))
    # Processes were added after the rows that point at them: put them back in order.
    return [
        Template(
            t.case_id,
            t.status,
            t.raised_at,
            t.subject_id,
            t.reporter_id,
            {model: t.rows[model] for model, _ in COPIED if model in t.rows},
        )
        for t in cases.values()
    ]


def _add_people(
    templates: list[Template], *, cases: int, rng: random.Random
) -> dict[int, list[int]]:
    """New workforce members like each template's subject and reporter (same school, kind,
    teaching post), none of them with a sign-in or a role: whom the copied cases are about
    and who raised them."""
    per_person = max(10, min(2000, cases // 200))
    originals = {t.subject_id for t in templates} | {t.reporter_id for t in templates}
    people: dict[int, list[int]] = {}
    # Unique however often the command runs: the workforce's size so far.
    run = StaffMember.objects.aggregate(top=Max("pk"))["top"] or 0
    for original in StaffMember.objects.filter(pk__in=originals):
        new = []
        for n in range(per_person):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            email_name = f"{first}.{last}".lower().replace("'", "")
            new.append(
                StaffMember(
                    trust_id=original.trust_id,
                    school_id=original.school_id,
                    first_name=first,
                    last_name=last,
                    email=f"{email_name}.{run}.{original.pk}.{n}@{SEEDED_DOMAIN}",
                    job_title=original.job_title,
                    kind=original.kind,
                    is_teacher=original.is_teacher,
                    started_on=original.started_on,
                    left_on=original.left_on,
                )
            )
        created = StaffMember.objects.bulk_create(new, batch_size=1000)
        people[original.pk] = [person.pk for person in created]
    return people


def write_rows(model: type[models.Model], columns: list[Column], rows: list[list]) -> None:
    """Append rows to the model's table: COPY on PostgreSQL, INSERT elsewhere."""
    table = connection.ops.quote_name(model._meta.db_table)
    by_attname = {f.attname: f for f in model._meta.local_concrete_fields}
    fields = [by_attname[c.attname] for c in columns]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            json_at = [i for i, c in enumerate(columns) if c.json]
            own_at = [i for i, c in enumerate(columns) if c.own_kind]
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    for i in json_at:
                        row[i] = Jsonb(row[i])
                    for i in own_at:
                        row[i] = fields[i].get_db_prep_save(row[i], connection)
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            prepared = [
                [
                    json.dumps(value) if column.json else f.get_db_prep_save(value, connection)
                    for f, column, value in zip(fields, columns, row, strict=True)
                ]
                for row in rows
            ]
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", prepared)


def _refresh_statistics() -> None:
    """Tell the planner how big the tables now are: until autovacuum gets round to it, it
    would plan every list for the few rows there were before."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _reset_sequences() -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), [*COPIED_MODELS, StaffMember])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
