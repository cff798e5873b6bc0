"""The policy page every signed-in person can read."""

import pytest

pytestmark = pytest.mark.django_db


def test_any_signed_in_person_can_read_every_clause(sign_in):
    page = sign_in("Patricia", "Doyle").get("/casework/policy/").content.decode()
    for code in ["GEN-1", "GEN-5", "DO-1", "DO-8", "DONT-1", "DONT-8"]:
        assert f'id="{code}"' in page
    assert "In plain English" in page


@pytest.mark.parametrize(
    ("first", "last"), [("Hannah", "Reid"), ("Helen", "Carter"), ("Catherine", "Walsh")]
)
def test_hr_and_headteachers_are_told_the_review_is_overdue(sign_in, first, last):
    page = sign_in(first, last).get("/casework/policy/").content.decode()
    assert "This policy is overdue for review." in page
    assert "July 2025" in page


def test_other_staff_are_not_shown_the_review_notice(sign_in):
    page = sign_in("Tom", "Brennan").get("/casework/policy/").content.decode()
    assert "overdue for review" not in page


def test_the_notice_goes_once_the_policy_is_reviewed(sign_in):
    from casework.models import Policy

    Policy.objects.filter(is_current=True).update(next_review_due="2099-07-31")
    page = sign_in("Hannah", "Reid").get("/casework/policy/").content.decode()
    assert "overdue for review" not in page
