"""One visibility rule: for any people, roles, schools and parts in a case, the case page's
check (``permissions.can_view_case``) lets a person in exactly when the case is in their
lists (``selectors.cases_visible_to``)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework import permissions, selectors
from casework.demo_cases import raise_concern
from casework.models import (
    SCHOOL_ROLES,
    TRUST_WIDE_ROLES,
    Case,
    Role,
    RoleAssignment,
    School,
    StaffMember,
    User,
)
from tests.fuzzing import examples

pytestmark = pytest.mark.django_db

PEOPLE = 6  # drawn from the demo workforce, each with a sign-in
SCHOOLS = 2
NAMED_PARTS = (
    "investigating_officer",
    "hearing_chair",
    "appeal_chair",
    "signing_authority",
    "safeguarding_lead",
)

person_index = st.integers(0, PEOPLE - 1)
school_index = st.one_of(st.none(), st.integers(0, SCHOOLS - 1))


@st.composite
def held_role(draw):
    role = draw(st.sampled_from(Role))
    if role in SCHOOL_ROLES:
        return role, draw(st.integers(0, SCHOOLS - 1))
    if role in TRUST_WIDE_ROLES:
        return role, None
    return role, draw(school_index)  # an investigating officer: a school's or the trust's


# Mostly people still here and able to sign in, so that the roles decide most examples.
now_and_then = st.integers(0, 4).map(lambda n: n == 0)
person_state = st.fixed_dictionaries(
    {
        "roles": st.lists(held_role(), max_size=3, unique=True),
        "has_left": now_and_then,
        "active": now_and_then.map(lambda inactive: not inactive),
    }
)
case_state = st.fixed_dictionaries(
    {
        "school": school_index,
        "safeguarding": st.booleans(),
        "subject": person_index,
        "reporter": person_index,
        "witnesses": st.sets(person_index, max_size=3),
        **{part: st.one_of(st.none(), person_index) for part in NAMED_PARTS},
    }
)


@pytest.fixture
def world():
    case = raise_concern()
    people = list(
        StaffMember.objects.filter(user__isnull=False)
        .exclude(pk__in=[case.subject_id, case.reporter_id])
        .order_by("pk")[:PEOPLE]
    )
    schools = list(School.objects.order_by("pk")[:SCHOOLS])
    assert len(people) == PEOPLE and len(schools) == SCHOOLS
    return case, people, schools


def arrange(world, people_states, case_state) -> list[User]:
    case, people, schools = world

    def school(index):
        return None if index is None else schools[index]

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    for person, state in zip(people, people_states, strict=True):
        RoleAssignment.objects.filter(person=person).delete()
        for role, where in state["roles"]:
            RoleAssignment.objects.create(person=person, role=role, school=school(where))
        StaffMember.objects.filter(pk=person.pk).update(
            left_on=yesterday if state["has_left"] else None
        )
        User.objects.filter(pk=person.user_id).update(is_active=state["active"])
    Case.objects.filter(pk=case.pk).update(
        school=school(case_state["school"]),
        safeguarding=case_state["safeguarding"],
        subject=people[case_state["subject"]],
        reporter=people[case_state["reporter"]],
        **{
            f"{part}_id": None if case_state[part] is None else people[case_state[part]].pk
            for part in NAMED_PARTS
        },
    )
    case.witnesses.set([people[i] for i in case_state["witnesses"]])
    # Fresh sign-ins: roles are cached on the user object.
    return [User.objects.get(pk=person.user_id) for person in people]


@settings(
    max_examples=examples(150),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people_states=st.lists(person_state, min_size=PEOPLE, max_size=PEOPLE),
    case_state=case_state,
)
def test_a_person_may_open_a_case_exactly_when_it_is_in_their_lists(
    world, people_states, case_state
):
    with transaction.atomic():
        users = arrange(world, people_states, case_state)
        case = Case.objects.get(pk=world[0].pk)  # as the case page reads it
        for user in [*users, AnonymousUser()]:
            listed = selectors.cases_visible_to(user).filter(pk=case.pk).exists()
            assert permissions.can_view_case(user, case) == listed, (
                user,
                permissions.held_roles(user),
            )
        transaction.set_rollback(True)  # the next example starts from the same world


def test_the_rule_is_not_vacuous(world):
    """Both answers occur: the property above compares something."""
    case, people, _ = world
    RoleAssignment.objects.filter(person=people[0]).delete()
    hr = RoleAssignment.objects.create(person=people[0], role=Role.HR_CASE_MANAGER)
    user = User.objects.get(pk=people[0].user_id)
    assert permissions.can_view_case(user, case)
    assert selectors.cases_visible_to(user).filter(pk=case.pk).exists()
    hr.delete()
    user = User.objects.get(pk=people[0].user_id)
    assert not permissions.can_view_case(user, case)
    assert not selectors.cases_visible_to(user).filter(pk=case.pk).exists()
