"""Who holds which part of a case, and the conflict-of-interest rules for appointing them.

The investigating officer, the hearing chair and the appeal chair are three different
people, and none of them may be the subject, the reporter or a witness (Acas Code paras 6,
27). Nor may a chair be whoever decided the harm threshold or suspended the subject: the
chair comes to the case fresh. A headteacher who is the subject or too close to a case hands
their part to the school's chair of governors (KCSIE Part 4), and then to the trust
executive.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from .errors import RuleBroken
from .models import (
    SCHOOL_ROLES,
    Case,
    Role,
    RoleAssignment,
    SafeguardingReview,
    StaffMember,
    Suspension,
)
from .permissions import conflicted_ids

# The parts of a case that must be held by three different people.
SEPARATE_PARTS = ("the investigating officer", "the hearing chair", "the appeal chair")


def _eligible(people: Iterable[StaffMember], *, excluding: set[int]) -> list[StaffMember]:
    return [p for p in people if p.pk not in excluding and p.can_sign_in]


def _holders(
    role: Role, *, trust_id: int, school_id: int | None = None, deputies_last: bool = True
):
    """Who holds ``role`` in the trust (at the school, for a school role)."""
    assignments = RoleAssignment.objects.filter(
        role=role, person__trust_id=trust_id
    ).select_related("person__user")
    if school_id is not None:
        assignments = assignments.filter(school_id=school_id)
    elif role in SCHOOL_ROLES:
        return []  # a case of the trust central team has no school DSL or headteacher
    order = (
        ["deputy", "person__last_name", "person__first_name"]
        if deputies_last
        else ["person__last_name"]
    )
    return [a.person for a in assignments.order_by(*order)]


def _in_the_headteachers_place(case: Case) -> list[list[StaffMember]]:
    """The school's headteacher; if they are too close, its chair of governors; then the
    trust executive."""
    return [
        _holders(Role.HEADTEACHER, trust_id=case.trust_id, school_id=case.school_id),
        _holders(Role.CHAIR_OF_GOVERNORS, trust_id=case.trust_id, school_id=case.school_id),
        _holders(Role.TRUST_EXECUTIVE, trust_id=case.trust_id),
    ]


def choose_safeguarding_lead(case: Case) -> StaffMember:
    """The school's DSL; if they are too close, a deputy; then the headteacher; then the
    chair of governors; then the trust.

    KCSIE Part 4: an allegation about the DSL goes to the headteacher, and one about the
    headteacher to the chair of governors or trust. A case of the trust central team goes
    to the trust executive. Nobody who has left, or cannot sign in, is chosen.
    """
    excluding = conflicted_ids(case)
    for candidates in (
        _holders(Role.SAFEGUARDING_LEAD, trust_id=case.trust_id, school_id=case.school_id),
        *_in_the_headteachers_place(case),
    ):
        eligible = _eligible(candidates, excluding=excluding)
        if eligible:
            return eligible[0]
    raise RuleBroken(
        "Nobody free of a conflict holds the safeguarding lead, headteacher, chair of "
        "governors or trust executive role for this school. Add a role assignment in the admin."
    )


def choose_data_protection_officer(case: Case) -> StaffMember | None:
    """The trust's Data Protection Officer, free of a conflict and able to sign in; None
    leaves the decision in the queue every DPO of the trust sees, so nothing waits on it."""
    excluding = conflicted_ids(case)
    officers = _holders(Role.DATA_PROTECTION_OFFICER, trust_id=case.trust_id)
    eligible = _eligible(officers, excluding=excluding)
    return eligible[0] if eligible else None


def choose_signing_authority(case: Case) -> StaffMember:
    """The headteacher signs off, unless they are too close: then the chair of governors,
    then the trust executive.

    Too close means the subject, reporter, a witness, the investigating officer or the chair
    whose decision is being signed off.
    """
    signer = _free_to_sign_off(case, chair_id=case.hearing_chair_id)
    if signer is None:
        raise RuleBroken(
            "Nobody free of a conflict can sign off this outcome: the headteacher, the chair of "
            "governors and every trust executive are involved in the case. Add a trust "
            "executive in the admin."
        )
    return signer


def _signers_in_order(case: Case) -> list[StaffMember]:
    """Who would sign off, first choice first, leaving the chair out of account."""
    excluding = conflicted_ids(case) | {case.investigating_officer_id}
    signers: list[StaffMember] = []
    for candidates in _in_the_headteachers_place(case):
        signers += _eligible(candidates, excluding=excluding)
    return signers


def _free_to_sign_off(case: Case, *, chair_id: int | None) -> StaffMember | None:
    return next((s for s in _signers_in_order(case) if s.pk != chair_id), None)


def signing_role_title(case: Case, person: StaffMember) -> str:
    """The capacity in which ``person`` signs off this case's outcome."""
    for role, title in (
        (Role.HEADTEACHER, "Headteacher"),
        (Role.CHAIR_OF_GOVERNORS, "Chair of governors"),
    ):
        if RoleAssignment.objects.filter(
            person=person, role=role, school_id=case.school_id
        ).exists():
            return title
    return "Trust executive"


def _ensure_can_sign_in(person: StaffMember, role_name: str) -> None:
    if not person.can_sign_in:
        raise RuleBroken(
            f"{person.full_name} cannot be the {role_name}: they have no active Casework sign-in."
        )


def _ensure_of_the_trust(case: Case, person: StaffMember) -> None:
    if person.trust_id != case.trust_id:
        raise RuleBroken(f"{person.full_name} works for another trust: choose someone in this one.")


def ensure_may_investigate(case: Case, person: StaffMember) -> None:
    _ensure_of_the_trust(case, person)
    if not RoleAssignment.objects.filter(person=person, role=Role.INVESTIGATING_OFFICER).exists():
        raise RuleBroken(f"{person.full_name} does not hold the investigating officer role.")
    _ensure_independent(
        case,
        person,
        "investigating officer",
        others={
            case.hearing_chair_id: "the hearing chair",
            case.appeal_chair_id: "the appeal chair",
        },
    )
    _ensure_can_sign_in(person, "investigating officer")


def chair_exclusions(case: Case, *, appeal: bool) -> dict[int, str]:
    """Who may not chair the hearing (or appeal) for their part in the case, and that part.

    Whoever decided the harm threshold (the DSL, or whoever stood in) and whoever suspended
    the subject have formed a view of the case; nobody previously involved hears the appeal
    (Acas Code paras 6 and 27).
    """
    reviewers = SafeguardingReview.objects.filter(case=case).values_list("decided_by_id", flat=True)
    suspenders = (
        Suspension.objects.filter(case=case, started_by__staff_member__isnull=False)
        .values_list("started_by__staff_member", flat=True)
        .distinct()
    )
    others = {
        **{pk: "the safeguarding lead who decided the harm threshold" for pk in reviewers},
        **{pk: "the person who suspended the subject" for pk in suspenders},
        case.investigating_officer_id: "the investigating officer",
    }
    if not appeal:
        others[case.appeal_chair_id] = "the appeal chair"
    else:
        signers = case.sign_offs.values_list("signed_by_id", flat=True)
        others.update(
            {
                case.hearing_chair_id: "the hearing chair",
                **{signer: "the person who signed off the outcome" for signer in signers},
            }
        )
    return {pk: part for pk, part in others.items() if pk}


def _chairs_here(case: Case) -> Q:
    """A headteacher (of any school of the trust) or a trust executive may chair; a chair of
    governors, only a case at their own school."""
    return Q(person__trust_id=case.trust_id) & (
        Q(role__in=[Role.HEADTEACHER, Role.TRUST_EXECUTIVE])
        | Q(role=Role.CHAIR_OF_GOVERNORS, school_id=case.school_id)
    )


def _may_chair_here(case: Case, person: StaffMember) -> bool:
    return RoleAssignment.objects.filter(_chairs_here(case), person=person).exists()


def ensure_may_chair(case: Case, person: StaffMember) -> None:
    if not _may_chair_here(case, person):
        raise RuleBroken(
            f"{person.full_name} cannot chair a hearing: a hearing is chaired by a headteacher, "
            "the school's chair of governors or a trust executive."
        )
    _ensure_independent(
        case,
        person,
        "hearing chair",
        others=chair_exclusions(case, appeal=False),
    )
    _ensure_can_sign_in(person, "hearing chair")
    # Found now, not after the hearing: the chair's decision must have someone to sign it off.
    if _free_to_sign_off(case, chair_id=person.pk) is None:
        raise RuleBroken(
            f"If {person.full_name} chairs, nobody free of a conflict is left to sign off the "
            "outcome: the headteacher, the chair of governors and every trust executive would "
            "be involved. Choose another chair, such as a headteacher from another school."
        )


def ensure_may_chair_appeal(case: Case, person: StaffMember) -> None:
    if not _may_chair_here(case, person):
        raise RuleBroken(
            f"{person.full_name} cannot chair an appeal: an appeal is chaired by a headteacher, "
            "the school's chair of governors or a trust executive."
        )
    _ensure_independent(case, person, "appeal chair", others=chair_exclusions(case, appeal=True))
    _ensure_can_sign_in(person, "appeal chair")


def chair_candidates(case: Case, *, appeal: bool) -> list[StaffMember]:
    """Everyone who may chair the case's hearing (or appeal): exactly those
    ``ensure_may_chair`` (or ``ensure_may_chair_appeal``) accepts, worked out in a few
    queries rather than person by person."""
    holders = StaffMember.objects.filter(
        pk__in=RoleAssignment.objects.filter(_chairs_here(case)).values("person_id")
    )
    excluding = conflicted_ids(case) | set(chair_exclusions(case, appeal=appeal))
    people = _eligible(
        holders.select_related("school", "user").order_by("last_name", "first_name"),
        excluding=excluding,
    )
    if appeal:
        return people
    signers = _signers_in_order(case)
    return [p for p in people if any(s.pk != p.pk for s in signers)]


def ensure_may_be_witness(case: Case, person: StaffMember) -> None:
    _ensure_of_the_trust(case, person)
    _ensure_independent(
        case,
        person,
        "a witness",
        others={
            case.investigating_officer_id: "the investigating officer",
            case.hearing_chair_id: "the hearing chair",
            case.appeal_chair_id: "the appeal chair",
        },
        check_witnesses=False,
    )


def _ensure_independent(
    case: Case,
    person: StaffMember,
    part: str,
    *,
    others: dict[int | None, str],
    check_witnesses: bool = True,
) -> None:
    if person.pk == case.subject_id:
        raise RuleBroken(f"{person.full_name} is the subject of this case and cannot be {part}.")
    if person.pk == case.reporter_id:
        raise RuleBroken(f"{person.full_name} raised this concern and cannot be {part}.")
    if check_witnesses and case.witnesses.filter(pk=person.pk).exists():
        raise RuleBroken(f"{person.full_name} is a witness in this case and cannot be {part}.")
    for other_id, other_part in others.items():
        if other_id is not None and other_id == person.pk:
            why = (
                "the investigating officer, hearing chair and appeal chair must be three "
                "different people"
                if other_part in SEPARATE_PARTS
                else f"the {part} must come to the case fresh, with no part in it so far"
            )
            raise RuleBroken(f"{person.full_name} is already {other_part} in this case; {why}.")
