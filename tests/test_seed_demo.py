"""The demonstration data a newcomer signs in to."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from casework.models import (
    AuditEvent,
    Case,
    Clause,
    Letter,
    Policy,
    Role,
    RoleAssignment,
    School,
    StaffMember,
    Trust,
    TrustSettings,
    User,
)
from casework.trusts import configuration
from tests.trusts import ST_CLARE, demo_trust_id

pytestmark = pytest.mark.django_db


def test_three_schools_and_about_thirty_staff_including_volunteers(second_trust):
    st_clare = demo_trust_id()
    assert School.objects.filter(trust_id=st_clare).count() == 3
    assert 28 <= StaffMember.objects.filter(trust_id=st_clare).count() <= 36
    assert StaffMember.objects.filter(trust_id=st_clare, kind=StaffMember.Kind.VOLUNTEER).exists()


def test_every_school_role_is_held_at_every_school_by_someone_who_can_sign_in(second_trust):
    assert School.objects.count() == 5  # both trusts' schools
    for school in School.objects.all():
        for role in (
            Role.HEADTEACHER,
            Role.SAFEGUARDING_LEAD,
            Role.INVESTIGATING_OFFICER,
            Role.CHAIR_OF_GOVERNORS,
        ):
            holders = RoleAssignment.objects.filter(
                role=role, school=school, person__user__isnull=False, person__trust=school.trust
            )
            assert holders.exists(), (school, role)
    for trust in Trust.objects.all():  # each trust's own, trust-wide
        for role in (
            Role.HR_CASE_MANAGER,
            Role.TRUST_EXECUTIVE,
            Role.DATA_PROTECTION_OFFICER,
            Role.TRUST_ADMINISTRATOR,
        ):
            holders = RoleAssignment.objects.filter(
                role=role, school=None, person__trust=trust, person__user__isnull=False
            )
            assert holders.exists(), (trust, role)


def test_every_demo_sign_in_uses_the_documented_password(settings, second_trust):
    assert User.objects.filter(email__endswith="@walsingham.example").exists()
    for user in User.objects.all():
        assert user.check_password(settings.CASEWORK_DEMO_PASSWORD), user.email


def _everything_seeded() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Trust,
            TrustSettings,
            School,
            User,
            StaffMember,
            RoleAssignment,
            Policy,
            Clause,
            Case,
            Letter,
            AuditEvent,
        )
    }


def test_running_it_again_changes_nothing():
    call_command("seed_demo", force=True, verbosity=0)
    before = _everything_seeded()
    addresses = dict(Trust.objects.values_list("name", "address"))
    settings_saved = list(TrustSettings.objects.values())
    call_command("seed_demo", force=True, verbosity=0)
    assert _everything_seeded() == before
    assert before["Trust"] == 2 and before["Policy"] >= 2
    assert dict(Trust.objects.values_list("name", "address")) == addresses
    assert list(TrustSettings.objects.values()) == settings_saved


@override_settings(DEBUG=False)
def test_it_refuses_to_run_with_debug_off_unless_forced():
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("seed_demo", verbosity=0)


WALSINGHAM_CLAUSES = [
    (
        "GEN-1",
        "All staff and volunteers are expected to uphold the Catholic ethos of the trust "
        "online as they do in school, remembering that parents, pupils and the wider parish "
        "may see what they post.",
    ),
    (
        "GEN-2",
        "Staff should keep their personal and professional lives apart online. Anyone unsure "
        "whether a post is appropriate should ask their headteacher before posting it.",
    ),
    (
        "GEN-3",
        "Remember that anything posted online can be copied and shared far beyond the people "
        "it was meant for, and may be seen long after it was written.",
    ),
    ("DO-1", "Use only accounts approved by the headteacher when posting on behalf of a school."),
    (
        "DO-2",
        "Keep the privacy settings of their personal accounts at the highest level available.",
    ),
    (
        "DO-3",
        "Tell the designated safeguarding lead at once of any contact from a pupil through a "
        "personal account, and keep a record of what was said.",
    ),
    (
        "DO-4",
        "Have a parent's written consent before an image of their child is posted on a school "
        "account.",
    ),
    ("DO-5", "Treat colleagues, parents and pupils with courtesy in every online space."),
    (
        "DONT-1",
        "Accept friend or follow requests from current pupils, or from former pupils within "
        "three years of their leaving school.",
    ),
    ("DONT-2", "Post photographs of pupils on personal accounts."),
    ("DONT-3", "Share confidential information about pupils, families or colleagues."),
    (
        "DONT-4",
        "Comment on the business of the trust or of a school in a way that could bring either "
        "into disrepute.",
    ),
    ("DONT-5", "Use a school's name, badge or uniform in a personal profile."),
]


def test_the_second_trust_has_the_policy_imported_from_its_own_document(second_trust):
    policy = Policy.objects.get(trust=second_trust, is_current=True)
    assert policy.version == "2025.1"
    assert policy.title == "Staff and Volunteer Social Media Policy"
    assert policy.adopted_by == "the Walsingham Trust Board"
    assert policy.adopted_on == datetime.date(2025, 10, 14)
    assert policy.next_review_due == datetime.date(2027, 10, 31)
    assert policy.figures == {"FORMER_PUPIL_CONTACT_YEARS": 3}
    assert policy.consequence.startswith("Any breach of this policy")
    assert [(c.code, c.text) for c in policy.clauses.order_by("order")] == WALSINGHAM_CLAUSES
    assert set(policy.clauses.filter(safeguarding=True).values_list("code", flat=True)) >= {
        "DO-3",
        "DONT-1",
    }
    # Brought in by the import service, from the text file, as import_policy brings one in.
    adopted = AuditEvent.objects.get(action="policy.version_adopted", object_id=str(policy.pk))
    assert adopted.details["source"]["name"] == "walsingham-social-media-policy.txt"
    assert adopted.details["clauses"] == [code for code, _ in WALSINGHAM_CLAUSES]
    assert adopted.trust == second_trust  # on its own trust's trail, not St Clare's


def test_the_fixture_imports_through_the_command_to_the_same_clauses(second_trust, capsys):
    path = Path(settings.BASE_DIR) / "fixtures" / "walsingham-social-media-policy.txt"
    call_command(
        "import_policy",
        str(path),
        trust=second_trust.name,
        version="2026.1",
        dry_run=True,
        json=True,
    )
    printed = json.loads(capsys.readouterr().out)
    assert printed["title"] == "Staff and Volunteer Social Media Policy"
    assert [(c["code"], c["text"]) for c in printed["clauses"]] == WALSINGHAM_CLAUSES
    assert Policy.objects.filter(trust=second_trust).count() == 1  # a dry run stores nothing


def test_st_clares_policy_is_untouched_by_the_second_trusts(second_trust):
    st_clare = Policy.objects.get(trust__name=ST_CLARE, is_current=True)
    assert st_clare.clauses.count() == 21
    assert st_clare.clauses.get(code="DONT-4").text.startswith("Accept friend requests")
    assert Policy.objects.filter(is_current=True).count() == 2  # one current version each


def test_the_second_trust_has_its_schools_and_people_at_its_own_address(second_trust):
    schools = set(School.objects.filter(trust=second_trust).values_list("name", flat=True))
    assert schools == {
        "St Anselm's Catholic Primary School",
        "Cardinal Newman Catholic High School",
    }
    people = StaffMember.objects.filter(trust=second_trust)
    assert 12 <= people.count() <= 20
    for person in people.select_related("user", "school"):
        assert person.email.endswith("@walsingham.example"), person
        assert person.user.email == person.email
        assert person.school is None or person.school.trust == second_trust
    assert people.filter(kind=StaffMember.Kind.VOLUNTEER).exists()
    assert people.filter(roles__isnull=True, kind=StaffMember.Kind.EMPLOYEE).count() >= 3
    held = {
        (a.person.full_name, a.role)
        for a in RoleAssignment.objects.filter(person__trust=second_trust).select_related("person")
    }
    assert {
        ("Ngozi Eze", Role.HR_CASE_MANAGER),
        ("Gerard Flynn", Role.TRUST_EXECUTIVE),
        ("Alan Pritchard", Role.DATA_PROTECTION_OFFICER),
        ("Bernadette Kerr", Role.TRUST_ADMINISTRATOR),
        ("Philippa Moore", Role.HEADTEACHER),
        ("Kwame Asante", Role.SAFEGUARDING_LEAD),
        ("Huw Roberts", Role.INVESTIGATING_OFFICER),
        ("Imelda Rossi", Role.CHAIR_OF_GOVERNORS),
    } <= held
    assert second_trust.address == "Walsingham House, 4 Priory Road, Fenmouth FN2 7QX"
    # St Clare's people stay St Clare's, and it gains a trust administrator of its own.
    assert not StaffMember.objects.filter(trust_id=demo_trust_id()).exclude(
        email__endswith="@stclare.example"
    )
    assert RoleAssignment.objects.filter(
        role=Role.TRUST_ADMINISTRATOR, person__trust_id=demo_trust_id(), person__user__isnull=False
    ).exists()


def test_the_second_trust_keeps_its_own_letterhead_and_appeal_window(second_trust, settings):
    saved = TrustSettings.objects.get(trust=second_trust)
    assert saved.procedure == {"APPEAL_WORKING_DAYS": 15}
    letterhead = configuration.letterhead_values(second_trust)
    assert letterhead.name == "Our Lady of Walsingham Catholic Academy Trust"
    assert letterhead.address == "Walsingham House, 4 Priory Road, Fenmouth FN2 7QX"
    assert letterhead.telephone == "01632 961200"
    assert letterhead.email == "hr@walsingham.example"
    ours = configuration.procedure_settings(second_trust)
    assert ours["APPEAL_WORKING_DAYS"] == 15
    assert {k: v for k, v in ours.items() if k != "APPEAL_WORKING_DAYS"} == {
        k: v for k, v in settings.CASEWORK_PROCEDURE.items() if k != "APPEAL_WORKING_DAYS"
    }
    # St Clare's saved nothing: it works to the environment's figures and letterhead.
    assert not TrustSettings.objects.filter(trust_id=demo_trust_id()).exists()
    assert configuration.procedure_settings(demo_trust_id()) == settings.CASEWORK_PROCEDURE
    assert (
        configuration.letterhead_values(demo_trust_id()).name
        == (settings.CASEWORK_LETTERHEAD["TRUST_NAME"])
    )
