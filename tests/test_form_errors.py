"""Forms people get right the first time: on a failed submit a summary at the top lists
each problem as a link to its field; the concern form states its size limits before
anything is chosen; a success message is shown once."""

import re

import pytest

from casework.demo_cases import raise_concern
from tests.test_concerns import REPORT, form
from workflows import engine

pytestmark = pytest.mark.django_db


def test_a_failed_submit_lists_each_problem_linking_to_its_field(sign_in):
    client = sign_in("Priya", "Patel")
    page = client.post(REPORT, form(what_was_seen="", platform=""))
    assert page.status_code == 200
    html = page.content.decode()
    summary = html[html.index('data-testid="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert "There is a problem" in summary
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert "id_what_was_seen" in targets and any(t.startswith("id_platform") for t in targets)
    for target in targets:
        assert f'id="{target}"' in html  # each link leads to its field
    assert 'role="alert" tabindex="-1" aria-labelledby="error-summary-title"' in html


def test_nothing_wrong_no_summary(sign_in):
    html = sign_in("Priya", "Patel").get(REPORT).content.decode()
    assert "There is a problem" not in html


def test_the_concern_form_states_the_size_limits_before_upload(sign_in, settings):
    settings.CASEWORK_EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
    settings.CASEWORK_UPLOAD_MAX_FILES = 4
    html = sign_in("Priya", "Patel").get(REPORT).content.decode()
    assert "Each file up to 5.0\xa0MB; at most 4 files" in html
    assert f'data-cw-max-file-bytes="{5 * 1024 * 1024}"' in html
    assert 'data-cw-max-files="4"' in html


def test_a_success_message_is_shown_once(sign_in):
    case = raise_concern()
    client = sign_in("Hannah", "Reid")
    task = engine.open_tasks(case).first()
    claim = task.flow_task.reverse("assign", args=[task.process_id, task.pk])
    page = client.post(claim, follow=True)
    html = page.content.decode()
    messages = re.findall(r"has been assigned", html)
    assert len(messages) == 1
