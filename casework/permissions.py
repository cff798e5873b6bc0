"""Who may do what: the one place that answers it.

Roles come from RoleAssignment rows of the signed-in person's StaffMember record.
Object-level rules about cases live in this module too, so that every view, selector,
task, file download and letter asks the same questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from .models import (
    Case,
    DpoDecision,
    Role,
    RoleAssignment,
    StaffMember,
    SubjectAccessRequest,
    Trust,
    User,
)
from .models.case import TRANSITION_RULES
from .per_request import read_once

# Task permissions handed to viewflow: a task carrying one of these appears in the queue of
# everyone who holds it. Only trust-wide work uses a queue; school-level work is assigned
# to a named person so that nobody sees a task about a case they may not know exists.
HR_TASKS = "casework.hr_case_work"
DPO_TASKS = "casework.dpo_decisions"


@dataclass(frozen=True)
class HeldRole:
    role: str
    school_id: int | None
    deputy: bool


def person_of(user: User | None) -> StaffMember | None:
    """The StaffMember behind a sign-in, or None (e.g. a superuser with no staff record)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.staff_member
    except StaffMember.DoesNotExist:
        return None


def trust_of(user: User | None) -> int | None:
    """The trust a sign-in works for: its person's. None for a superuser with no staff record."""
    person = person_of(user)
    return person.trust_id if person is not None else None


def held_roles(user: User | None) -> tuple[HeldRole, ...]:
    """The roles a sign-in holds, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    return read_once(user, "roles", lambda: _read_roles(user))


def _read_roles(user: User) -> tuple[HeldRole, ...]:
    person = person_of(user)
    if person is None or person.has_left:
        return ()
    return tuple(
        HeldRole(role=a.role, school_id=a.school_id, deputy=a.deputy)
        for a in RoleAssignment.objects.filter(person=person).order_by()
    )


def has_role(user: User | None, role: Role, *, school_id: int | None = None) -> bool:
    """True if the user holds the role; with school_id, at that school (or trust-wide)."""
    for held in held_roles(user):
        if held.role != role:
            continue
        if school_id is None or held.school_id in (None, school_id):
            return True
    return False


def schools_where(user: User | None, role: Role) -> set[int]:
    return {h.school_id for h in held_roles(user) if h.role == role and h.school_id is not None}


def is_hr(user: User | None) -> bool:
    return has_role(user, Role.HR_CASE_MANAGER)


def is_trust_executive(user: User | None) -> bool:
    return has_role(user, Role.TRUST_EXECUTIVE)


def is_dpo(user: User | None) -> bool:
    return has_role(user, Role.DATA_PROTECTION_OFFICER)


def is_hr_person(person: StaffMember) -> bool:
    return RoleAssignment.objects.filter(person=person, role=Role.HR_CASE_MANAGER).exists()


def first_hr_user(*, trust_id: int, excluding: set[int]) -> User | None:
    """An HR case manager of the trust free of a conflict, for work that must not sit in the
    shared queue."""
    for assignment in (
        RoleAssignment.objects.filter(role=Role.HR_CASE_MANAGER, person__trust_id=trust_id)
        .exclude(person_id__in=excluding)
        .select_related("person__user")
        .order_by("person__last_name", "person__first_name")
    ):
        user = assignment.person.user
        if user is not None and user.is_active and not assignment.person.has_left:
            return user
    return None


def may_read_policy_review_notice(user: User | None) -> bool:
    """HR and headteachers are told when the policy is overdue for review."""
    return is_hr(user) or has_role(user, Role.HEADTEACHER) or is_trust_executive(user)


def may_import_policy(user: User | None) -> bool:
    """HR case managers bring in a new version of their trust's policy."""
    return is_hr(user)


def may_administer_trust(user: User | None, trust: Trust | int | None) -> bool:
    """A trust's administrators keep its letterhead and procedure settings, and only their
    own trust's: the role is trust-wide, and nobody holds it for another trust."""
    if trust is None:
        return False
    trust_id = trust if isinstance(trust, int) else trust.pk
    return has_role(user, Role.TRUST_ADMINISTRATOR) and trust_of(user) == trust_id


def may_use_admin(user: User | None) -> bool:
    """The Django admin is for superusers only; casework happens in the application."""
    return bool(user and user.is_active and user.is_superuser)


# --- Cases ---------------------------------------------------------------------------------


def conflicted_ids(case: Case) -> set[int]:
    """People too close to a case to see or act on it: the subject, reporter and witnesses.

    Read once per case object: a page asks several rules about the same case. Adding a
    witness forgets it (``forget_conflicts``)."""
    known = getattr(case, "_casework_conflicted", None)
    if known is None:
        known = frozenset(
            {case.subject_id, case.reporter_id, *case.witnesses.values_list("pk", flat=True)}
        )
        case._casework_conflicted = known
    return set(known)


def forget_conflicts(case: Case) -> None:
    case.__dict__.pop("_casework_conflicted", None)


def _is(user: User | None, person_id: int | None) -> bool:
    person = person_of(user)
    return person is not None and person_id is not None and person.pk == person_id


def _acts_for_case(user: User | None, case: Case) -> StaffMember | None:
    """The person behind ``user`` if they may act on this case at all, else None."""
    person = person_of(user)
    if person is None or person.has_left or not user.is_active:
        return None
    # One installation, several trusts: nobody has any part in another trust's case.
    if person.trust_id != case.trust_id:
        return None
    if person.pk in conflicted_ids(case):
        return None
    return person


def can_view_case(user: User | None, case: Case) -> bool:
    """Need to know: only the people the procedure gives a part in this case.

    Nobody sees a case about themselves, and nobody who reported it or is a witness in it
    sees more than a reporter's status line.
    """
    person = _acts_for_case(user, case)
    if person is None:
        return False
    if is_hr(user):
        return True
    named = {
        case.investigating_officer_id,
        case.hearing_chair_id,
        case.appeal_chair_id,
        case.signing_authority_id,
        case.safeguarding_lead_id,
    }
    if person.pk in named:
        return True
    if case.school_id in schools_where(user, Role.HEADTEACHER):
        return True
    return case.safeguarding and case.school_id in schools_where(user, Role.SAFEGUARDING_LEAD)


def may_manage_case(case: Case, user: User | None) -> bool:
    """HR case managers run cases trust-wide, unless they are too close to this one."""
    return _acts_for_case(user, case) is not None and is_hr(user)


def may_review_safeguarding(case: Case, user: User | None) -> bool:
    return _acts_for_case(user, case) is not None and _is(user, case.safeguarding_lead_id)


def may_investigate(case: Case, user: User | None) -> bool:
    return _acts_for_case(user, case) is not None and _is(user, case.investigating_officer_id)


def may_chair_hearing(case: Case, user: User | None) -> bool:
    return _acts_for_case(user, case) is not None and _is(user, case.hearing_chair_id)


def may_sign_off(case: Case, user: User | None) -> bool:
    return _acts_for_case(user, case) is not None and _is(user, case.signing_authority_id)


def may_decide_appeal(case: Case, user: User | None) -> bool:
    return _acts_for_case(user, case) is not None and _is(user, case.appeal_chair_id)


def may_add_evidence(case: Case, user: User | None) -> bool:
    """HR while the case is open; the investigating officer only during the investigation
    (afterwards their view of the case is read-only)."""
    if not case.is_open:
        return False
    return may_manage_case(case, user) or may_record_investigation(case, user)


def may_open_investigation(case: Case, user: User | None) -> bool:
    """From triage HR decides; from a safeguarding review, the case's DSL."""
    if case.status == "safeguarding_review":
        return may_review_safeguarding(case, user)
    return may_manage_case(case, user)


def may_record_investigation(case: Case, user: User | None) -> bool:
    """The investigating officer records meetings and statements during the investigation;
    afterwards their view of the case is read-only."""
    return case.status == "investigation" and may_investigate(case, user)


def may_add_allegations(case: Case, user: User | None) -> bool:
    """HR frames allegations; the investigating officer may add what the evidence shows."""
    return may_manage_case(case, user) or may_record_investigation(case, user)


def may_frame_allegations(case: Case, user: User | None) -> bool:
    """Those who add allegations, and the DSL while reviewing a safeguarding concern."""
    return may_add_allegations(case, user) or may_review_safeguarding(case, user)


def may_see_dpo_decision(user: User | None, decision: DpoDecision) -> bool:
    """Need to know: a possible data breach, and what the DPO decided about it, are for the
    trust's Data Protection Officer and HR only (never the subject, reporter or a witness)."""
    person = _acts_for_case(user, decision.case)
    if person is None:
        return False
    if is_hr(user):
        return True
    return is_dpo(user)


def may_record_dpo_decision(decision: DpoDecision, user: User | None) -> bool:
    """The trust's Data Protection Officer decides; HR may read the decision, not make it."""
    person = _acts_for_case(user, decision.case)
    return person is not None and is_dpo(user)


def may_see_low_level_log(user: User | None) -> bool:
    return is_hr(user) or bool(schools_where(user, Role.SAFEGUARDING_LEAD))


def task_permissions(user: User | None) -> set[str]:
    """The shared queues a sign-in's roles open to them, as viewflow's task permissions.

    Casework grants nothing through Django's permission tables: asking them (two queries on
    every page that counts the queue) could only ever answer with these."""
    permissions = set()
    if is_hr(user):
        permissions.add(HR_TASKS)
    if is_dpo(user):
        permissions.add(DPO_TASKS)
    return permissions


class RoleBackend:
    """Answers viewflow's queue questions from casework roles; never authenticates."""

    def authenticate(self, request, **credentials):
        return None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return task_permissions(user_obj)

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)


# --- Oversight ------------------------------------------------------------------------------


def may_view_audit_log(user: User | None) -> bool:
    """The audit trail is HR's to read (need to know): it names every case and every reader."""
    return is_hr(user)


def may_see_failed_mail(user: User | None) -> bool:
    """HR sees the e-mail that could not be sent, and sends it again."""
    return is_hr(user)


def may_export_register(user: User | None) -> bool:
    """Only HR may take the case register away as a spreadsheet."""
    return is_hr(user)


def may_see_dashboard(user: User | None) -> bool:
    """The dashboard and clause analytics: HR and the trust executive for the trust, a
    headteacher for their own school. Figures only, never a name."""
    return is_hr(user) or is_trust_executive(user) or has_role(user, Role.HEADTEACHER)


def dashboard_schools(user: User | None) -> set[int] | None:
    """The schools whose figures the reader sees: None for the whole trust."""
    if is_hr(user) or is_trust_executive(user):
        return None
    return schools_where(user, Role.HEADTEACHER)


def may_download_policy_review_pack(user: User | None) -> bool:
    """The policy review pack goes to the trust board through HR."""
    return is_hr(user)


def may_see_hearings_calendar(user: User | None) -> bool:
    """HR for the trust, a headteacher for their own school."""
    return is_hr(user) or has_role(user, Role.HEADTEACHER)


def may_handle_subject_access(user: User | None) -> bool:
    """Subject access requests are HR's: the list names who asked, and an export holds
    everything about them."""
    return is_hr(user)


def too_close_to_subject_access(user: User | None, request: SubjectAccessRequest) -> bool:
    """Nobody handles a request about themselves, nor one whose export holds a case they
    are too close to (its subject, reporter or a witness): the export would show them it."""
    person = person_of(user)
    if person is None or person.pk == request.person_id:
        return True
    covered = (
        Q(subject_id=request.person_id)
        | Q(reporter_id=request.person_id)
        | Q(statements__witness_id=request.person_id)
    )
    return Case.objects.involving(person).filter(covered).exists()


# The rules the Case's transitions name (``permission=`` in models/case.py), supplied from
# here so that the models need not import this module.
TRANSITION_RULES.update({name: globals()[name] for name in TRANSITION_RULES})
