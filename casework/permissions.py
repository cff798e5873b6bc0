"""Who may do what: the one place that answers it.

Roles come from RoleAssignment rows of the signed-in person's StaffMember record.
Object-level rules about cases live in this module too, so that every view, selector,
task, file download and letter asks the same questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from .models import Role, RoleAssignment, StaffMember, User

# Task permissions handed to viewflow: a task carrying one of these appears in the queue of
# everyone who holds it. Only trust-wide work uses a queue; school-level work is assigned
# to a named person so that nobody sees a task about a case they may not know exists.
HR_TASKS = "casework.hr_case_work"


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


def held_roles(user: User | None) -> tuple[HeldRole, ...]:
    """The roles a sign-in holds, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    cached = getattr(user, "_casework_roles", None)
    if cached is None:
        person = person_of(user)
        if person is None or person.has_left:
            cached = ()
        else:
            cached = tuple(
                HeldRole(role=a.role, school_id=a.school_id, deputy=a.deputy)
                for a in RoleAssignment.objects.filter(person=person)
            )
        user._casework_roles = cached
    return cached


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


def may_read_policy_review_notice(user: User | None) -> bool:
    """HR and headteachers are told when the policy is overdue for review."""
    return is_hr(user) or has_role(user, Role.HEADTEACHER) or is_trust_executive(user)


def may_use_admin(user: User | None) -> bool:
    """The Django admin is for superusers only; casework happens in the application."""
    return bool(user and user.is_active and user.is_superuser)


class RoleBackend:
    """Answers viewflow's queue questions from casework roles; never authenticates."""

    def authenticate(self, request, **credentials):
        return None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        permissions = set()
        if is_hr(user_obj):
            permissions.add(HR_TASKS)
        return permissions

    def has_perm(self, user_obj, perm, obj=None):
        return perm in self.get_all_permissions(user_obj, obj)
