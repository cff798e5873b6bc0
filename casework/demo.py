"""The fictional people and schools of the demonstration data (see README.md)."""

import datetime

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


def email_for(first: str, last: str) -> str:
    local = f"{first}.{last}".lower().replace("'", "").replace(" ", "")
    return f"{local}@{EMAIL_DOMAIN}"


def teaches(job_title: str) -> bool:
    """Whether a demo job is a teaching post (for the Teaching Regulation Agency's rules)."""
    return "teacher" in job_title.lower() or job_title.startswith(("Head of", "SENCo"))
