"""The demo's trusts, and a second trust built for tests that check nothing crosses."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from casework import clock
from casework.intake import concerns
from casework.models import (
    Case,
    Clause,
    Policy,
    Role,
    RoleAssignment,
    School,
    StaffMember,
    Trust,
    User,
)

ST_CLARE = "St Clare Catholic Multi Academy Trust"
SECOND_TRUST = "Test Second Catholic Academy Trust"
# The demo's own second trust: not in the reference data; the ``second_trust`` fixture
# seeds it.
WALSINGHAM = "Our Lady of Walsingham Catholic Academy Trust"


def demo_trust_id() -> int:
    """St Clare's, the trust the policy fixture brings in and most of the demo belongs to."""
    return Trust.objects.get(name=ST_CLARE).pk


@dataclass
class SecondTrust:
    trust: Trust
    school: School
    policy: Policy
    hr: StaffMember
    headteacher: StaffMember
    dsl: StaffMember
    executive: StaffMember
    dpo: StaffMember
    investigator: StaffMember
    reporter: StaffMember
    subject: StaffMember

    def raise_concern(self, *, clause: str = "DONT-3", about: StaffMember | None = None) -> Case:
        subject = about or self.subject
        return concerns.report_concern(
            concern=concerns.Concern(
                subject=subject,
                school=None,
                school_confirmed=False,
                seen_on=clock.today() - datetime.timedelta(days=2),
                platform="facebook",
                account_kind="personal",
                what_was_seen=f"A public post about a colleague ({Case.objects.count()}).",
                links=[],
                suspected_clauses=[self.policy.clauses.get(code=clause)],
                pupils_involved="none",
                pupil_left_on=None,
            ),
            reporter=self.reporter,
            by=self.reporter.user,
            daily_limit=False,
        )


def _person(trust: Trust, school: School | None, first: str, last: str, *roles) -> StaffMember:
    email = f"{first}.{last}@second-trust.example".lower()
    user = User.objects.create_user(email=email, first_name=first, last_name=last)
    person = StaffMember.objects.create(
        trust=trust,
        school=school,
        first_name=first,
        last_name=last,
        email=email,
        job_title="Member of staff",
        started_on=datetime.date(2020, 9, 1),
        user=user,
    )
    for role in roles:
        RoleAssignment.objects.create(
            person=person,
            role=role,
            school=None
            if role
            in (
                Role.HR_CASE_MANAGER,
                Role.TRUST_EXECUTIVE,
                Role.DATA_PROTECTION_OFFICER,
                Role.TRUST_ADMINISTRATOR,
            )
            else school,
        )
    return person


def copy_clauses(*, source: Policy, into: Policy) -> None:
    """Give ``into`` the clauses of ``source``, word for word, under the same codes."""
    Clause.objects.bulk_create(
        Clause(
            policy=into,
            code=c.code,
            kind=c.kind,
            order=c.order,
            text=c.text,
            summary=c.summary,
            safeguarding=c.safeguarding,
            data_protection=c.data_protection,
        )
        for c in source.clauses.all()
    )


def build_second_trust() -> SecondTrust:
    """A small second trust: one school, St Clare's clauses under a policy of its own, and a
    person in each part a case needs."""
    trust = Trust.objects.create(name=SECOND_TRUST, address="1 Second Street, Elsewhere")
    school = School.objects.create(trust=trust, name="Second Trust Primary School")
    st_clare = Policy.objects.get(trust__name=ST_CLARE, is_current=True)
    policy = Policy.objects.create(
        trust=trust,
        title="Staff Social Media Policy",
        version="2025.1",
        adopted_by="The Board of Trustees",
        adopted_on=datetime.date(2025, 9, 1),
        next_review_due=datetime.date(2028, 9, 1),
        is_current=True,
    )
    copy_clauses(source=st_clare, into=policy)
    return SecondTrust(
        trust=trust,
        school=school,
        policy=policy,
        hr=_person(trust, None, "Harriet", "Second", Role.HR_CASE_MANAGER),
        headteacher=_person(trust, school, "Henry", "Second", Role.HEADTEACHER),
        dsl=_person(trust, school, "Dora", "Second", Role.SAFEGUARDING_LEAD),
        executive=_person(trust, None, "Esther", "Second", Role.TRUST_EXECUTIVE),
        dpo=_person(trust, None, "Dennis", "Second", Role.DATA_PROTECTION_OFFICER),
        investigator=_person(trust, school, "Ivan", "Second", Role.INVESTIGATING_OFFICER),
        reporter=_person(trust, school, "Rita", "Second"),
        subject=_person(trust, school, "Simon", "Second"),
    )
