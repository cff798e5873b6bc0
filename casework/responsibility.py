"""Who holds which part of a case, and the conflict-of-interest rules for appointing them.

The investigating officer, the hearing chair and the appeal chair are three different
people, and none of them may be the subject, the reporter or a witness (Acas Code paras 6,
27). A headteacher who is the subject or too close to a case hands their part to the trust
executive.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import RuleBroken
from .models import SCHOOL_ROLES, Case, Role, RoleAssignment, StaffMember
from .permissions import conflicted_ids

CHAIR_ROLES = (Role.HEADTEACHER, Role.TRUST_EXECUTIVE)


def _eligible(people: Iterable[StaffMember], *, excluding: set[int]) -> list[StaffMember]:
    return [p for p in people if p.pk not in excluding and p.can_sign_in]


def _holders(role: Role, *, school_id: int | None = None, deputies_last: bool = True):
    assignments = RoleAssignment.objects.filter(role=role).select_related("person__user")
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


def choose_safeguarding_lead(case: Case) -> StaffMember:
    """The school's DSL; if they are too close, a deputy; then the headteacher; then the trust.

    KCSIE Part 4: an allegation about the DSL goes to the headteacher, and one about the
    headteacher to the chair of governors or trust. A case of the trust central team goes
    to the trust executive. Nobody who has left, or cannot sign in, is chosen.
    """
    excluding = conflicted_ids(case)
    for candidates in (
        _holders(Role.SAFEGUARDING_LEAD, school_id=case.school_id),
        _holders(Role.HEADTEACHER, school_id=case.school_id),
        _holders(Role.TRUST_EXECUTIVE),
    ):
        eligible = _eligible(candidates, excluding=excluding)
        if eligible:
            return eligible[0]
    raise RuleBroken(
        "Nobody free of a conflict holds the safeguarding lead, headteacher or trust "
        "executive role for this school. Add a role assignment in the admin."
    )


def choose_data_protection_officer(case: Case) -> StaffMember | None:
    """The trust's Data Protection Officer, free of a conflict and able to sign in; None
    leaves the decision in the queue every DPO of the trust sees, so nothing waits on it."""
    excluding = conflicted_ids(case)
    officers = [
        person
        for person in _holders(Role.DATA_PROTECTION_OFFICER)
        if person.trust_id == case.subject.trust_id
    ]
    eligible = _eligible(officers, excluding=excluding)
    return eligible[0] if eligible else None


def choose_signing_authority(case: Case) -> StaffMember:
    """The headteacher signs off, unless they are too close: then the trust executive.

    Too close means the subject, reporter, a witness, the investigating officer or the chair
    whose decision is being signed off.
    """
    signer = _free_to_sign_off(case, chair_id=case.hearing_chair_id)
    if signer is None:
        raise RuleBroken(
            "Nobody free of a conflict can sign off this outcome: the headteacher and every "
            "trust executive are involved in the case. Add a trust executive in the admin."
        )
    return signer


def _free_to_sign_off(case: Case, *, chair_id: int | None) -> StaffMember | None:
    excluding = conflicted_ids(case) | {case.investigating_officer_id, chair_id}
    for candidates in (
        _holders(Role.HEADTEACHER, school_id=case.school_id),
        _holders(Role.TRUST_EXECUTIVE),
    ):
        eligible = _eligible(candidates, excluding=excluding)
        if eligible:
            return eligible[0]
    return None


def signing_role_title(case: Case, person: StaffMember) -> str:
    if RoleAssignment.objects.filter(
        person=person, role=Role.HEADTEACHER, school_id=case.school_id
    ).exists():
        return "Headteacher"
    return "Trust executive"


def _ensure_can_sign_in(person: StaffMember, role_name: str) -> None:
    if not person.can_sign_in:
        raise RuleBroken(
            f"{person.full_name} cannot be the {role_name}: they have no active Casework sign-in."
        )


def ensure_may_investigate(case: Case, person: StaffMember) -> None:
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

    Nobody previously involved hears the appeal (Acas Code para 27).
    """
    if not appeal:
        others = {
            case.investigating_officer_id: "the investigating officer",
            case.appeal_chair_id: "the appeal chair",
        }
    else:
        signers = case.sign_offs.values_list("signed_by_id", flat=True)
        others = {
            case.investigating_officer_id: "the investigating officer",
            case.hearing_chair_id: "the hearing chair",
            **{signer: "the person who signed off the outcome" for signer in signers},
        }
    return {pk: part for pk, part in others.items() if pk}


def ensure_may_chair(case: Case, person: StaffMember) -> None:
    if not RoleAssignment.objects.filter(person=person, role__in=CHAIR_ROLES).exists():
        raise RuleBroken(
            f"{person.full_name} cannot chair a hearing: a hearing is chaired by a headteacher "
            "or a trust executive."
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
            "outcome: the headteacher and every trust executive would be involved. Choose "
            "another chair, such as a headteacher from another school."
        )


def ensure_may_chair_appeal(case: Case, person: StaffMember) -> None:
    if not RoleAssignment.objects.filter(person=person, role__in=CHAIR_ROLES).exists():
        raise RuleBroken(
            f"{person.full_name} cannot chair an appeal: an appeal is chaired by a headteacher "
            "or a trust executive."
        )
    _ensure_independent(case, person, "appeal chair", others=chair_exclusions(case, appeal=True))
    _ensure_can_sign_in(person, "appeal chair")


def ensure_may_be_witness(case: Case, person: StaffMember) -> None:
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
            raise RuleBroken(
                f"{person.full_name} is already {other_part} in this case; the investigating "
                "officer, hearing chair and appeal chair must be three different people."
            )
