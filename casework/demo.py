"""The fictional trusts, people and schools of the demonstration data (see README.md).

St Clare's is the demo's first trust: its policy comes from the fixture ``load_policy``
loads. Our Lady of Walsingham is a small second trust on the same installation: its policy
is imported from a plain-text document, as a trust's own would be, and it has saved its own
letterhead and one procedure figure of its own.
"""

import datetime
from dataclasses import dataclass, field

from .models import Role

SCHOOLS = [
    ("St Bernadette's Catholic Primary School", "900101", "Chapel Lane, Ashbury AB1 2CD"),
    ("St Thomas More Catholic High School", "900102", "Moor Road, Ashbury AB3 4EF"),
    ("Holy Family Catholic Primary School", "900103", "Church Street, Brookfield AB5 6GH"),
]

# (first, last, job title, school index or None for the central team, volunteer?, roles)
# where roles are (role, school index or None, deputy?).
PEOPLE = [
    (
        "Catherine",
        "Walsh",
        "Chief Executive Officer",
        None,
        False,
        [(Role.TRUST_EXECUTIVE, None, False)],
    ),
    (
        "Peter",
        "Quinn",
        "Director of Education",
        None,
        False,
        [(Role.TRUST_EXECUTIVE, None, False), (Role.INVESTIGATING_OFFICER, None, False)],
    ),
    ("Hannah", "Reid", "HR Case Manager", None, False, [(Role.HR_CASE_MANAGER, None, False)]),
    ("Marcus", "Obi", "Senior HR Adviser", None, False, [(Role.HR_CASE_MANAGER, None, False)]),
    (
        "Siobhan",
        "Kelly",
        "Trust Operations Manager",
        None,
        False,
        [(Role.TRUST_ADMINISTRATOR, None, False)],
    ),
    (
        "Yusuf",
        "Ahmed",
        "Data Protection Officer",
        None,
        False,
        [(Role.DATA_PROTECTION_OFFICER, None, False)],
    ),
    # St Bernadette's
    ("Helen", "Carter", "Headteacher", 0, False, [(Role.HEADTEACHER, 0, False)]),
    (
        "David",
        "Nwosu",
        "Deputy Headteacher",
        0,
        False,
        [(Role.SAFEGUARDING_LEAD, 0, False), (Role.INVESTIGATING_OFFICER, 0, False)],
    ),
    ("Sarah", "Lin", "SENCo", 0, False, [(Role.SAFEGUARDING_LEAD, 0, True)]),
    ("Tom", "Brennan", "Year 6 Teacher", 0, False, []),
    ("Aisha", "Khan", "Year 2 Teacher", 0, False, []),
    ("Grace", "O'Neill", "Teaching Assistant", 0, False, []),
    ("Mark", "Hughes", "School Business Manager", 0, False, []),
    ("Liam", "Murphy", "Year 4 Teacher", 0, False, []),
    ("Patricia", "Doyle", "Reading Volunteer", 0, True, []),
    ("Margaret", "Ellis", "Chair of Governors", 0, True, [(Role.CHAIR_OF_GOVERNORS, 0, False)]),
    # St Thomas More
    ("Michael", "Okafor", "Headteacher", 1, False, [(Role.HEADTEACHER, 1, False)]),
    (
        "Rachel",
        "Green",
        "Deputy Headteacher (Pastoral)",
        1,
        False,
        [(Role.SAFEGUARDING_LEAD, 1, False), (Role.INVESTIGATING_OFFICER, 1, False)],
    ),
    ("Owen", "Price", "Assistant Headteacher", 1, False, [(Role.SAFEGUARDING_LEAD, 1, True)]),
    ("Emma", "Wright", "Assistant Headteacher", 1, False, [(Role.INVESTIGATING_OFFICER, 1, False)]),
    ("Fiona", "MacLeod", "Head of English", 1, False, []),
    ("Daniel", "Shaw", "Teacher of PE", 1, False, []),
    ("Priya", "Patel", "Teacher of Science", 1, False, []),
    ("Ben", "Taylor", "Teacher of Mathematics", 1, False, []),
    ("Chris", "Evans", "Network Manager", 1, False, []),
    ("Joan", "Fitzgerald", "Chaplaincy Volunteer", 1, True, []),
    ("Robert", "Kavanagh", "Chair of Governors", 1, True, [(Role.CHAIR_OF_GOVERNORS, 1, False)]),
    # Holy Family
    ("Anne-Marie", "Byrne", "Headteacher", 2, False, [(Role.HEADTEACHER, 2, False)]),
    (
        "James",
        "Reilly",
        "Deputy Headteacher",
        2,
        False,
        [(Role.SAFEGUARDING_LEAD, 2, False), (Role.INVESTIGATING_OFFICER, 2, False)],
    ),
    ("Nadia", "Hussain", "Reception Teacher", 2, False, [(Role.SAFEGUARDING_LEAD, 2, True)]),
    ("Laura", "Bennett", "Year 4 Teacher", 2, False, []),
    ("Sam", "Adeyemi", "Teaching Assistant", 2, False, []),
    ("Kate", "Morris", "Office Manager", 2, False, []),
    ("Frank", "Gallagher", "Parent Volunteer", 2, True, []),
    ("Theresa", "Quigley", "Chair of Governors", 2, True, [(Role.CHAIR_OF_GOVERNORS, 2, False)]),
]

# People who have left the trust (first, last, job title, school index, left on): a concern
# may still be raised about them. They have no sign-in.
LEAVERS = [
    ("Olivia", "Grant", "Year 3 Teacher", 0, datetime.date(2025, 7, 31)),
]

EMAIL_DOMAIN = "stclare.example"
ADMIN_EMAIL = f"admin@{EMAIL_DOMAIN}"


@dataclass(frozen=True)
class DemoTrust:
    """A trust of the demonstration: its schools, its people, who acts in its demo cases,
    and (for a trust after the first) the policy document it imports and the settings it
    has saved."""

    name: str
    address: str
    email_domain: str
    schools: list[tuple[str, str, str]]
    people: list[tuple]
    leavers: list[tuple] = field(default_factory=list)
    # Who acts in the trust's demo cases: HR, the investigating officer, the hearing chair
    # and the appeal chair.
    hr: tuple[str, str] = ("", "")
    investigator: tuple[str, str] = ("", "")
    chair: tuple[str, str] = ("", "")
    appeal_chair: tuple[str, str] = ("", "")
    hearing_room: str = ""
    # A plain-text policy under fixtures/, imported as this version; "" for St Clare's,
    # whose policy load_policy brings in.
    policy_file: str = ""
    policy_version: str = ""
    # What the trust has saved of its settings (TrustSettings fields); empty: it uses the
    # environment's values.
    settings: dict = field(default_factory=dict)


ST_CLARE = DemoTrust(
    name="St Clare Catholic Multi Academy Trust",
    address="St Clare House, 1 Cathedral Close, Ashbury AB1 0AA",
    email_domain=EMAIL_DOMAIN,
    schools=SCHOOLS,
    people=PEOPLE,
    leavers=LEAVERS,
    hr=("Hannah", "Reid"),
    investigator=("Emma", "Wright"),
    chair=("Catherine", "Walsh"),
    appeal_chair=("Anne-Marie", "Byrne"),
    hearing_room="Meeting room 2, St Clare House",
)

WALSINGHAM = DemoTrust(
    name="Our Lady of Walsingham Catholic Academy Trust",
    address="Walsingham House, 4 Priory Road, Fenmouth FN2 7QX",
    email_domain="walsingham.example",
    schools=[
        ("St Anselm's Catholic Primary School", "900201", "Abbey Walk, Fenmouth FN1 3RT"),
        ("Cardinal Newman Catholic High School", "900202", "Marsh Lane, Fenmouth FN4 8LP"),
    ],
    people=[
        (
            "Gerard",
            "Flynn",
            "Chief Executive Officer",
            None,
            False,
            [(Role.TRUST_EXECUTIVE, None, False)],
        ),
        ("Ngozi", "Eze", "HR Case Manager", None, False, [(Role.HR_CASE_MANAGER, None, False)]),
        (
            "Alan",
            "Pritchard",
            "Data Protection Officer",
            None,
            False,
            [(Role.DATA_PROTECTION_OFFICER, None, False)],
        ),
        (
            "Bernadette",
            "Kerr",
            "Trust Business Manager",
            None,
            False,
            [(Role.TRUST_ADMINISTRATOR, None, False)],
        ),
        # St Anselm's
        ("Philippa", "Moore", "Headteacher", 0, False, [(Role.HEADTEACHER, 0, False)]),
        (
            "Kwame",
            "Asante",
            "Deputy Headteacher",
            0,
            False,
            [(Role.SAFEGUARDING_LEAD, 0, False), (Role.INVESTIGATING_OFFICER, 0, False)],
        ),
        ("Lucy", "Hart", "Year 5 Teacher", 0, False, []),
        ("Tomasz", "Nowak", "Teaching Assistant", 0, False, []),
        ("Eileen", "Ward", "Library Volunteer", 0, True, []),
        ("Imelda", "Rossi", "Chair of Governors", 0, True, [(Role.CHAIR_OF_GOVERNORS, 0, False)]),
        # Cardinal Newman
        ("Simon", "Achebe", "Headteacher", 1, False, [(Role.HEADTEACHER, 1, False)]),
        (
            "Claire",
            "Dunne",
            "Assistant Headteacher (Pastoral)",
            1,
            False,
            [(Role.SAFEGUARDING_LEAD, 1, False)],
        ),
        (
            "Huw",
            "Roberts",
            "Assistant Headteacher",
            1,
            False,
            [(Role.INVESTIGATING_OFFICER, 1, False)],
        ),
        ("Rebecca", "Stone", "Teacher of History", 1, False, []),
        ("Ian", "McBride", "Teacher of Drama", 1, False, []),
        ("Moira", "Lennon", "Chair of Governors", 1, True, [(Role.CHAIR_OF_GOVERNORS, 1, False)]),
    ],
    hr=("Ngozi", "Eze"),
    investigator=("Huw", "Roberts"),
    chair=("Gerard", "Flynn"),
    appeal_chair=("Philippa", "Moore"),
    hearing_room="The boardroom, Walsingham House",
    policy_file="walsingham-social-media-policy.txt",
    policy_version="2025.1",
    settings={
        "letterhead_name": "Our Lady of Walsingham Catholic Academy Trust",
        "address": "Walsingham House, 4 Priory Road, Fenmouth FN2 7QX",
        "telephone": "01632 961200",
        "email": "hr@walsingham.example",
        # The trust allows fifteen working days for an appeal, not the usual ten.
        "procedure": {"APPEAL_WORKING_DAYS": 15},
    },
)

TRUSTS = (ST_CLARE, WALSINGHAM)


def email_for(first: str, last: str, domain: str = EMAIL_DOMAIN) -> str:
    local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
    return f"{local}@{domain}"


def trust_named(name: str) -> DemoTrust:
    """The demo trust of this name; St Clare's for a trust the demo does not know (one a
    test made)."""
    return next((trust for trust in TRUSTS if trust.name == name), ST_CLARE)


def trust_of(first: str, last: str) -> DemoTrust:
    """The demo trust this person works or volunteers for (St Clare's for anyone else)."""
    for trust in TRUSTS:
        if any(p[:2] == (first, last) for p in (*trust.people, *trust.leavers)):
            return trust
    return ST_CLARE


def demo_email(first: str, last: str) -> str:
    """A demo person's address, at their own trust's domain."""
    return email_for(first, last, trust_of(first, last).email_domain)


def teaches(job_title: str) -> bool:
    """Whether a demo job is a teaching post (for the Teaching Regulation Agency's rules)."""
    return "teacher" in job_title.lower() or job_title.startswith(("Head of", "SENCo"))
