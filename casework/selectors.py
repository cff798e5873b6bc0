"""Reads. The only place that filters by who may see what."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Substr
from django.http import Http404
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from . import case_workflow, permissions, vocabulary
from .menu import menu_counts
from .models import (
    CENTRAL_TEAM,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Allegation,
    AuditEvent,
    Case,
    Clause,
    DpoDecision,
    Hearing,
    LowLevelConcern,
    Notice,
    Policy,
    Role,
    Sanction,
    StaffMember,
    Status,
    SubjectAccessRequest,
    Trust,
    User,
    involved_case_ids,
    name_shown,
)
from .per_request import read_once
from .trusts import configuration


@dataclass(frozen=True)
class Feature:
    title: str
    description: str
    url: str
    icon: str


def current_policy(*, trust: Trust) -> Policy | None:
    """The trust's current version of its policy: the one a concern raised today cites."""
    return (
        Policy.objects.filter(trust=trust, is_current=True)
        .select_related("trust")
        .prefetch_related(Prefetch("clauses", queryset=Clause.objects.order_by("order")))
        .first()
    )


def policy_review_overdue(policy: Policy, *, today: datetime.date | None = None) -> bool:
    return policy.next_review_due < (today or timezone.localdate())


def features_for(user: User) -> list[Feature]:
    """What this person can do here, in the order they are most likely to want it."""
    features: list[Feature] = []
    person = permissions.person_of(user)
    if person is not None and not person.has_left:
        features.append(
            Feature(
                "Report a concern",
                "Tell the trust, in confidence, about a possible breach of the social media "
                "policy.",
                reverse("casework:report_concern"),
                "report",
            )
        )
        features.append(
            Feature(
                "My reports",
                "The concerns you have raised: whether each is received, being looked at or "
                "closed.",
                reverse("casework:my_reports"),
                "history",
            )
        )
    counted = menu_counts(user)
    if counted.notices:
        unread = counted.unread_notices
        features.append(
            Feature(
                f"Notices ({unread} new)" if unread else "Notices",
                "What Casework has told you: a case that moved to another school, say.",
                reverse("casework:notices"),
                "notifications",
            )
        )
    if permissions.held_roles(user):
        features.append(
            Feature(
                "My tasks",
                "Casework waiting for you: your inbox, and the shared queue for your role.",
                reverse("workflow:inbox"),
                "inbox",
            )
        )
    # The DPO's decisions are tasks, not cases: a DPO with no other role has no case list;
    # nor has a trust administrator, who keeps the trust's settings and sees no case.
    if {held.role for held in permissions.held_roles(user)} - {
        Role.DATA_PROTECTION_OFFICER,
        Role.TRUST_ADMINISTRATOR,
    }:
        features.append(
            Feature(
                "Case register" if permissions.is_hr(user) else "Cases",
                "Every case" if permissions.is_hr(user) else "The cases you have a part in",
                reverse("casework:register"),
                "folder_shared",
            )
        )
    if permissions.may_see_dashboard(user):
        features.append(
            Feature(
                "Dashboard",
                "Cases by stage, school, clause and outcome; time in each stage; the trend.",
                reverse("casework:dashboard"),
                "insights",
            )
        )
    if permissions.may_see_hearings_calendar(user):
        features.append(
            Feature(
                "Hearings calendar",
                "Disciplinary and appeal hearings by week and month.",
                reverse("casework:hearings_calendar"),
                "event",
            )
        )
    if permissions.may_see_low_level_log(user):
        features.append(
            Feature(
                "Low-level concerns log",
                "Concerns below the harm threshold, kept apart to reveal patterns.",
                reverse("casework:low_level_log"),
                "visibility",
            )
        )
    if permissions.may_view_audit_log(user):
        features.append(
            Feature(
                "Audit log",
                "Who did and saw what, when and from where; refusals too. Filter and export.",
                reverse("casework:audit_log"),
                "manage_search",
            )
        )
    if permissions.may_see_failed_mail(user):
        failed = counted.failed_mail
        features.append(
            Feature(
                f"Failed e-mail ({failed})" if failed else "Failed e-mail",
                "E-mail Casework could not send after trying again: see it, send it again.",
                reverse("casework:failed_mail"),
                "unsubscribe",
            )
        )
    features.append(
        Feature(
            "Read the social media policy",
            "The Workforce Social Media Policy, clause by clause, with plain-English summaries.",
            reverse("casework:policy"),
            "policy",
        )
    )
    if permissions.may_handle_subject_access(user):
        features.append(
            Feature(
                "Subject access requests",
                "Requests for a person's own data: log them, answer them, keep the deadline.",
                reverse("casework:subject_access_requests"),
                "assignment_ind",
            )
        )
    if permissions.may_administer_trust(user, permissions.trust_of(user)):
        features.append(
            Feature(
                "Trust settings",
                "The trust's letterhead and logo, and the figures its procedure and records "
                "schedule run to.",
                reverse("casework:trust_settings"),
                "tune",
            )
        )
    if permissions.may_use_admin(user):
        features.append(
            Feature(
                "Administration",
                "Manage sign-ins, schools, workforce records and role assignments.",
                reverse("admin:index"),
                "admin_panel_settings",
            )
        )
    return features


# --- Cases ----------------------------------------------------------------------------------


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Every case the person may see (need to know), as a queryset for lists and filters."""
    person = permissions.person_of(user)
    if person is None or person.has_left or not user.is_active:
        return Case.objects.none()
    # Only the person's own trust's cases, whatever their roles; none they are too close to
    # (a short list of literals: each row is checked against it, no subquery to plan).
    cases = Case.objects.filter(trust_id=person.trust_id).exclude(pk__in=_too_close(user, person))
    if permissions.is_hr(user):
        return cases
    named = (
        Q(investigating_officer=person)
        | Q(hearing_chair=person)
        | Q(appeal_chair=person)
        | Q(signing_authority=person)
        | Q(safeguarding_lead=person)
    )
    school_wide = Q(school_id__in=permissions.schools_where(user, Role.HEADTEACHER)) | Q(
        safeguarding=True,
        school_id__in=permissions.schools_where(user, Role.SAFEGUARDING_LEAD),
    )
    # Every condition is on the case row itself: no join, so no row twice, no DISTINCT.
    return cases.filter(named | school_wide)


def _too_close(user: User, person: StaffMember) -> list[int]:
    """The cases the person is the subject, reporter or a witness of, read once per request:
    a home page counts a figure, a stage and a list of the cases visible to them."""
    return read_once(user, "too_close", lambda: involved_case_ids(person))


# The people a case names, and the records it has at most one of. Joined all at once with the
# case, PostgreSQL spends longer planning the query than running it (40 ms for fourteen
# joins against 1 ms to run), so they come in two short queries of their own.
CASE_PEOPLE = (
    "reporter",
    "case_manager",
    "investigating_officer",
    "hearing_chair",
    "signing_authority",
    "appeal_chair",
    "safeguarding_lead",
)
CASE_RECORDS = ("lado_referral", "settlement", "investigation_report", "appeal")


def case_for(user: User, reference: str) -> Case:
    """The case, if this person may see it; otherwise 404, as if it did not exist."""
    case = (
        Case.objects.select_related("school", "subject", "policy")
        .filter(reference=reference)
        .first()
    )
    if case is None or not permissions.can_view_case(user, case):
        raise Http404("No case found.")
    _read_people_and_records(case)
    return case


def _read_people_and_records(case: Case) -> None:
    """Fill the case's people and single records in (absent ones too, as None), so the page
    reads them without a query each."""
    fields = {name: Case._meta.get_field(name) for name in (*CASE_PEOPLE, *CASE_RECORDS)}
    ids = {getattr(case, fields[name].attname) for name in CASE_PEOPLE}
    people = StaffMember.objects.in_bulk(ids - {None})
    for name in CASE_PEOPLE:
        fields[name].set_cached_value(case, people.get(getattr(case, fields[name].attname)))
    # The records only: the case itself is already read (django-fsm reads the status of
    # every case row it loads, so that comes too).
    records = (
        Case.objects.select_related(*CASE_RECORDS)
        .only("pk", "status", *CASE_RECORDS)
        .get(pk=case.pk)
    )
    for name in CASE_RECORDS:
        record = fields[name].get_cached_value(records)
        fields[name].set_cached_value(case, record)
        if record is not None:
            fields[name].field.set_cached_value(record, case)  # its way back: this case


def case_timeline(case: Case, *, user: User | None = None) -> QuerySet[AuditEvent]:
    """Everything done on the case, oldest first (views of the case are in the audit log).

    Shown to ``user``, the DPO's decision is left out unless they may see it (need to know).
    """
    # What a timeline shows: who (as they were known), when, what and why.
    events = case.audit_events.exclude(action__startswith="viewed.").only(
        "case", "occurred_at", "actor_label", "action", "summary", "details"
    )
    if user is not None and not may_see_dpo_decisions_of(user, case):
        events = events.exclude(action__startswith="dpo.")
    return events


def may_see_dpo_decisions_of(user: User, case: Case) -> bool:
    """HR sees the DPO's decisions on a case it may see; nobody else does on the case page."""
    return permissions.is_hr(user) and permissions.can_view_case(user, case)


@dataclass(frozen=True)
class DpoDecisionShown:
    decision: DpoDecision
    overdue: bool
    hours_left: int | None  # while outstanding and not overdue


def dpo_decisions_of(user: User, case: Case) -> list[DpoDecisionShown]:
    """The DPO's decisions on the case, each outstanding, overdue or made, for HR."""
    if not may_see_dpo_decisions_of(user, case):
        return []
    now = timezone.now()
    shown = []
    for decision in case.dpo_decisions.select_related("officer", "decided_by"):
        outstanding = decision.is_outstanding
        overdue = outstanding and decision.due_at < now
        hours_left = (
            int((decision.due_at - now).total_seconds() // 3600)
            if outstanding and not overdue
            else None
        )
        shown.append(DpoDecisionShown(decision, overdue, hours_left))
    return shown


def dpo_decision_facts(decision: DpoDecision) -> dict:
    """What the DPO's decision rests on, and nothing more about the case (need to know):
    what was reported, and the data-protection clauses it cites."""
    case = decision.case
    cited = [
        *case.suspected_clauses.filter(data_protection=True),
        *Clause.objects.filter(data_protection=True, pk__in=case.allegations.values("clause_id")),
    ]
    return {
        "case": case,
        "clauses": sorted({c.pk: c for c in cited}.values(), key=lambda c: c.order),
        "links": [line for line in case.links.splitlines() if line.strip()],
        "overdue": decision.is_outstanding and decision.due_at < timezone.now(),
    }


def notices_for(user: User) -> list[tuple[Notice, str | None]]:
    """The person's newest notices, each with a link to its case if they may see it now."""
    person = permissions.person_of(user)
    if person is None:
        return []
    notices = list(Notice.objects.filter(recipient=person).select_related("case")[:50])
    return [
        (
            notice,
            reverse("casework:case", args=[notice.case.reference])
            if notice.case is not None and permissions.can_view_case(user, notice.case)
            else None,
        )
        for notice in notices
    ]


@dataclass(frozen=True)
class NextStep:
    title: str
    who: str
    due_on: datetime.date | None
    overdue: bool
    task_url: str | None


def next_step(case: Case, *, user: User | None = None) -> NextStep | None:
    """Who must act next and by when; with a link if it is ``user``'s to act on."""
    task = case_workflow.installed().next_task(case, user=user)
    if task is None:
        return None
    who = actor_name(task.owner) if task.owner else "An HR case manager (shared queue)"
    owner = getattr(task.owner, "staff_member", None) if task.owner else None
    if owner is not None and not owner.can_sign_in:
        who += " (has left the trust or cannot sign in: this step needs someone else)"
    due = case.action_due_on
    return NextStep(
        title=task.title,
        who=who,
        due_on=due,
        overdue=bool(due and due < timezone.localdate()),
        task_url=task.link,
    )


def hearing_not_yet_held(case: Case, kind: str) -> Hearing | None:
    """The case's current hearing of ``kind`` if it has not begun: its decision must wait."""
    hearing = case.hearings.current(kind)
    return hearing if hearing and not hearing.has_begun else None


def actor_name(user: User) -> str:
    person = getattr(user, "staff_member", None)
    return name_shown(
        staff_name=person.full_name if person else None,
        account_name=user.get_full_name(),
        email=user.email,
    )


REPORTER_STATUS = {"received": "Received", "open": "Being looked at", "closed": "Closed"}


def reporter_status(case: Case) -> str:
    """What a reporter is told: received, being looked at, or closed; never the outcome."""
    if case.status == Status.RECEIVED:
        return REPORTER_STATUS["received"]
    return REPORTER_STATUS["closed"] if case.status in CLOSED_STATUSES else REPORTER_STATUS["open"]


@dataclass(frozen=True)
class MyReport:
    """A report as its reporter sees it: when, what they saw and its first words in their
    own words, and a plain status; never the outcome, nothing anyone else wrote."""

    reference: str
    raised_at: datetime.datetime
    seen_on: datetime.date
    first_words: str
    status: str


FIRST_WORDS = 12


def my_reports(user: User) -> list[MyReport]:
    person = permissions.person_of(user)
    if person is None:
        return []
    cases = (
        Case.objects.filter(reporter=person)
        .order_by("-raised_at", "-pk")
        # Only the opening of what they wrote is read, however long it was.
        .annotate(opening=Substr("what_was_seen", 1, 400))
        .only("reference", "raised_at", "seen_on", "status", "anonymised_at")
    )
    return [
        MyReport(
            reference=case.reference,
            raised_at=case.raised_at,
            seen_on=case.seen_on,
            # An anonymised case no longer holds their words (false or malicious, removed).
            first_words=""
            if case.anonymised_at
            else Truncator(case.opening).words(FIRST_WORDS, truncate=" …"),
            status=reporter_status(case),
        )
        for case in cases
    ]


# Stages taken together in the register's stage filter (the figures on home pages).
STATUS_GROUPS = {
    "safeguarding": (
        "Safeguarding review or LADO referral",
        (Status.SAFEGUARDING_REVIEW, Status.LADO_REFERRAL),
    ),
    "hearing": (
        "Hearing or appeal hearing scheduled",
        (Status.HEARING_SCHEDULED, Status.APPEAL_HEARING),
    ),
}
# The register's "your part" filter: the case field naming the person, and its label.
CASE_PARTS = {
    "signing": ("signing_authority", "You sign off the outcome"),
    "investigating": ("investigating_officer", "You investigate"),
    "safeguarding": ("safeguarding_lead", "You are the safeguarding lead"),
    "chairing": ("hearing_chair", "You chair the hearing"),
    "appeal": ("appeal_chair", "You hear the appeal"),
}


# Up to this many people a word matches are looked up by their ids; a word broader than
# that (a letter or two) is left to the database as a subquery.
SEARCH_PEOPLE_LIMIT = 2000


# A clause cited by no more than this many allegations and reports is looked up from its
# own side; one cited more often, case by case down the register.
CITED_RARELY = 5000


def _citing(clause: Clause) -> Q:
    """The cases that cite the clause: an allegation under it, or a reporter's suspicion.

    A rarely cited clause is found from its side (both are indexed by clause), so
    PostgreSQL knows how few cases there are; tested case by case, it read the whole
    register through, newest first, for a page it never filled. A clause most cases cite
    is best tested case by case: the first page fills within a few rows.
    """
    allegations = Allegation.objects.filter(clause=clause).order_by()
    suspicions = Case.suspected_clauses.through.objects.filter(clause_id=clause.pk).order_by()
    citations = allegations.values("case_id").union(suspicions.values("case_id"), all=True)
    if citations[: CITED_RARELY + 1].count() <= CITED_RARELY:
        return Q(pk__in=allegations.values("case_id").union(suspicions.values("case_id")))
    return Q(Exists(allegations.filter(case=OuterRef("pk")))) | Q(
        Exists(suspicions.filter(case_id=OuterRef("pk")))
    )


def register(
    user: User,
    *,
    q: str = "",
    status: str = "",
    school=None,
    clause=None,
    overdue: bool = False,
    due_from: datetime.date | None = None,
    due_by: datetime.date | None = None,
    part: str = "",
) -> QuerySet[Case]:
    """The case register: the person's visible cases, filtered. A due date filter takes
    open cases only: a closed case has nothing due. ``register_rows`` reads a page of
    them with what a row shows."""
    cases = cases_visible_to(user)
    for word in q.split():
        # Every word must match: "Daniel Shaw" finds Daniel Shaw, "SM-2026-0004" its case.
        # The people first (the workforce is far smaller than the register), then their
        # cases by the subject index, or the reference by its trigram index on PostgreSQL:
        # a few index lookups rather than reading the register through, newest first.
        people = StaffMember.objects.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word),
            trust_id=permissions.trust_of(user),
        ).values_list("pk", flat=True)
        named = list(people[: SEARCH_PEOPLE_LIMIT + 1])
        about = (
            Q(subject__in=people) if len(named) > SEARCH_PEOPLE_LIMIT else Q(subject_id__in=named)
        )
        cases = cases.filter(Q(reference__icontains=word) | about)
    if status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status in STATUS_GROUPS:
        cases = cases.filter(status__in=STATUS_GROUPS[status][1])
    elif status:
        cases = cases.filter(status=status)
    if school is not None:
        cases = cases.filter(school=school)
    if clause is not None:
        cases = cases.filter(_citing(clause))
    if overdue:
        cases = cases.filter(status__in=OPEN_STATUSES, action_due_on__lt=timezone.localdate())
    if due_from is not None:
        cases = cases.filter(status__in=OPEN_STATUSES, action_due_on__gte=due_from)
    if due_by is not None:
        cases = cases.filter(status__in=OPEN_STATUSES, action_due_on__lte=due_by)
    if part in CASE_PARTS:
        cases = cases.filter(**{CASE_PARTS[part][0]: permissions.person_of(user)})
    # Newest first, the id breaking ties, as the register's indexes are ordered.
    return cases.order_by("-raised_at", "-pk")


@dataclass(frozen=True)
class RegisterRow:
    """One case as the register lists it and exports it: read as values, not as four
    models a row (building those was most of a page's time in Python)."""

    pk: int
    reference: str
    raised_at: datetime.datetime
    status: str
    safeguarding: bool
    action_due_on: datetime.date | None
    sanction: str
    subject_name: str
    subject_is_volunteer: bool
    school_id: int | None
    school_name: str  # the trust central team's, for a case of no school
    case_manager_name: str  # "" before one is named

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def due_on(self) -> datetime.date | None:
        """When the next action is due: a closed case has nothing due."""
        return self.action_due_on if self.is_open else None

    @property
    def stage(self) -> str:
        return vocabulary.stage_label(self.status, volunteer=self.subject_is_volunteer)

    @property
    def stage_as_recorded(self) -> str:
        return Status(self.status).label

    @property
    def sanction_label(self) -> str:
        return Sanction(self.sanction).label if self.sanction else ""


_REGISTER_VALUES = (
    "pk",
    "reference",
    "raised_at",
    "status",
    "safeguarding",
    "action_due_on",
    "sanction",
    "subject__first_name",
    "subject__last_name",
    "subject__kind",
    "school_id",
    "school__name",
    "case_manager__first_name",
    "case_manager__last_name",
)


def register_rows(cases: QuerySet[Case], *, chunk_size: int | None = None) -> Iterator[RegisterRow]:
    """These cases, in their order, as the register's rows: one query; streamed from the
    database in chunks of ``chunk_size`` (for the export) when it is given."""
    values = cases.values(*_REGISTER_VALUES)
    found = values.iterator(chunk_size=chunk_size) if chunk_size else values
    for row in found:
        manager = row["case_manager__first_name"]
        yield RegisterRow(
            pk=row["pk"],
            reference=row["reference"],
            raised_at=row["raised_at"],
            status=row["status"],
            safeguarding=row["safeguarding"],
            action_due_on=row["action_due_on"],
            sanction=row["sanction"],
            subject_name=f"{row['subject__first_name']} {row['subject__last_name']}",
            subject_is_volunteer=row["subject__kind"] == StaffMember.Kind.VOLUNTEER,
            school_id=row["school_id"],
            school_name=row["school__name"] or CENTRAL_TEAM,
            case_manager_name=(
                f"{manager} {row['case_manager__last_name']}" if manager is not None else ""
            ),
        )


LOW_LEVEL_LOG_ORDER = ("-recorded_at", "-pk")


def low_level_log(user: User) -> QuerySet[LowLevelConcern]:
    entries = LowLevelConcern.objects.select_related(
        "case", "case__subject", "school", "recorded_by"
    ).order_by(*LOW_LEVEL_LOG_ORDER)
    person = permissions.person_of(user)
    if person is None:
        return entries.none()
    if permissions.is_hr(user):
        return entries.filter(case__trust_id=person.trust_id).exclude(case__subject=person)
    schools = permissions.schools_where(user, Role.SAFEGUARDING_LEAD)
    return entries.filter(school_id__in=schools).exclude(case__subject=person)


@dataclass(frozen=True)
class LowLevelRow:
    """One entry as the low-level concerns log lists it: read as values, not as the entry,
    its case, its person and its school (fifty cases read whole, every column of each)."""

    pk: int
    recorded_at: datetime.datetime
    case_reference: str
    subject_name: str
    school_name: str  # the trust central team's, for an entry of no school
    rationale: str


def low_level_rows(entries: QuerySet[LowLevelConcern]) -> Iterator[LowLevelRow]:
    """These entries, in their order, as the log's rows: one query."""
    found = entries.values(
        "pk",
        "recorded_at",
        "case__reference",
        "case__subject__first_name",
        "case__subject__last_name",
        "school__name",
        "rationale",
    )
    for row in found:
        yield LowLevelRow(
            pk=row["pk"],
            recorded_at=row["recorded_at"],
            case_reference=row["case__reference"],
            subject_name=f"{row['case__subject__first_name']} {row['case__subject__last_name']}",
            school_name=row["school__name"] or CENTRAL_TEAM,
            rationale=row["rationale"],
        )


# --- Oversight ------------------------------------------------------------------------------


def audit_actions() -> list[str]:
    """Every action the trail holds, for the audit log's filter."""
    if connection.vendor != "postgresql":
        return list(
            AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct()
        )
    # PostgreSQL reads a DISTINCT by scanning every row; this hops along the action index
    # from one value to the next instead (a few dozen index probes, not millions of rows).
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH RECURSIVE actions(action) AS (
                (SELECT action FROM {table} ORDER BY action LIMIT 1)
                UNION ALL
                SELECT (SELECT e.action FROM {table} e WHERE e.action > a.action
                        ORDER BY e.action LIMIT 1)
                FROM actions a WHERE a.action IS NOT NULL
            ) SELECT action FROM actions WHERE action IS NOT NULL"""  # noqa: S608 (model's table)
        )
        return [row[0] for row in cursor.fetchall()]


AUDIT_LOG_ORDER = ("-id",)  # newest first: the order events were written in


def audit_log(
    user: User,
    *,
    actor: str = "",
    action: str = "",
    reference: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit trail as HR may read it, newest first, filtered.

    Events about a case the reader may not see (one they are the subject of, reported or
    are a witness in) are left out, as are refusals that name such a case; events of a case
    since erased under the retention schedule stay, since nobody can be too close to it.
    """
    if not permissions.may_view_audit_log(user):
        return AuditEvent.objects.none()
    person = permissions.person_of(user)
    if person is None:
        return AuditEvent.objects.none()
    # The reader's own few cases, by the case id column (not references inside the JSON).
    own = involved_case_ids(person)
    events = AuditEvent.objects.filter(configuration.of_trust(person.trust_id)).exclude(
        case_id__in=own
    )
    hidden_references = list(Case.objects.filter(pk__in=own).values_list("reference", flat=True))
    if hidden_references:
        # A refusal names its case in the details only (see AuditContextMiddleware).
        # has_key first: a missing key compares as NULL, which would hide every event.
        events = events.exclude(
            Q(details__has_key="reference") & Q(details__reference__in=hidden_references)
        )
    events = events.select_related("case")
    if actor.strip():
        events = events.filter(actor_label__icontains=actor.strip())
    if action:
        events = events.filter(action=action)
    if reference.strip():
        # References are upper case; each side of the OR has an index of its own.
        reference = reference.strip().upper()
        # One case's events are few: found on each index (the case id, the reference a
        # refusal names), rather than by filtering the whole trail newest first.
        case_id = Case.objects.filter(reference=reference).values_list("pk", flat=True).first()
        if connection.vendor == "postgresql":  # details->>'reference', as it is indexed
            naming = AuditEvent.objects.annotate(named=KT("details__reference")).filter(
                named=reference
            )
        else:
            naming = AuditEvent.objects.filter(details__reference=reference)
        found = list(naming.values_list("pk", flat=True))
        if case_id is not None:
            found += AuditEvent.objects.filter(case_id=case_id).values_list("pk", flat=True)
        events = events.filter(pk__in=found)
    zone = timezone.get_current_timezone()
    if since is not None:
        events = events.filter(
            occurred_at__gte=datetime.datetime.combine(since, datetime.time.min, tzinfo=zone)
        )
    if until is not None:
        events = events.filter(
            occurred_at__lt=datetime.datetime.combine(
                until + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
            )
        )
    return events.order_by(*AUDIT_LOG_ORDER)


@dataclass(frozen=True)
class AuditLogRow:
    """One event as the audit log lists it: read as values, with only the two keys of its
    details the list shows (reading fifty events whole, each with its case, and looking up
    keys most events lack took more than the page's queries)."""

    id: int
    occurred_at: datetime.datetime
    actor_label: str
    client_address: str | None
    action: str
    summary: str
    case_reference: str | None  # the event's case, while it has one
    named_reference: str | None  # the reference a refusal names in its details
    path: str | None  # the address a refusal answered

    @property
    def pk(self) -> int:
        return self.id


def audit_log_rows(events: QuerySet[AuditEvent]) -> Iterator[AuditLogRow]:
    """These events, in their order, as the audit log's rows: one query."""
    found = events.annotate(
        named_reference=KT("details__reference"), path=KT("details__path")
    ).values(
        "id",
        "occurred_at",
        "actor_label",
        "client_address",
        "action",
        "summary",
        "case__reference",
        "named_reference",
        "path",
    )
    for row in found:
        yield AuditLogRow(
            id=row["id"],
            occurred_at=row["occurred_at"],
            actor_label=row["actor_label"],
            client_address=row["client_address"],
            action=row["action"],
            summary=row["summary"],
            case_reference=row["case__reference"],
            named_reference=row["named_reference"],
            path=row["path"],
        )


# --- Subject access requests ------------------------------------------------------------


def subject_access_requests(user: User) -> QuerySet[SubjectAccessRequest]:
    """HR's list: unanswered requests by due date, then answered ones, latest first. Nobody
    sees a request about themselves."""
    if not permissions.may_handle_subject_access(user):
        return SubjectAccessRequest.objects.none()
    person = permissions.person_of(user)
    return (
        SubjectAccessRequest.objects.filter(person__trust_id=person.trust_id)
        .exclude(person=person)
        .select_related("person__school", "export_produced_by", "logged_by")
        .order_by(F("answered_on").desc(nulls_first=True), "due_on", "id")
    )


def subject_access_request_for(user: User, pk: int) -> SubjectAccessRequest:
    request = subject_access_requests(user).filter(pk=pk).first()
    if request is None:
        raise Http404("No subject access request found.")
    return request


@dataclass(frozen=True)
class SubjectAccessDeadline:
    due_on: datetime.date
    days: int  # to the due date; negative once it has passed
    overdue: bool
    answered: bool

    @property
    def description(self) -> str:
        if self.answered:
            return "Answered"
        if self.overdue:
            return f"Overdue by {-self.days} day{pluralize(-self.days)}"
        if self.days == 0:
            return "Due today"
        return f"Due in {self.days} day{pluralize(self.days)}"


def subject_access_deadline(
    request: SubjectAccessRequest, *, today: datetime.date
) -> SubjectAccessDeadline:
    """Where a request stands against its deadline, in calendar days (its rule counts
    calendar months, not working days)."""
    days = (request.due_on - today).days
    return SubjectAccessDeadline(
        due_on=request.due_on,
        days=days,
        overdue=not request.is_answered and days < 0,
        answered=request.is_answered,
    )
