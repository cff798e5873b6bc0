"""Every case page and task page renders for the people who use it, at every stage."""

import pytest
from django.utils.html import escape

from casework.demo_cases import ROUTES, case_at, person
from casework.models import CLOSED_STATUSES
from workflows import engine

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", list(ROUTES))
def test_case_and_task_pages_render_at_every_stage(client, status):
    case = case_at(status)
    viewer = case.safeguarding_lead if case.safeguarding_lead else person("Marcus", "Obi")
    client.force_login(viewer.user)
    page = client.get(f"/casework/cases/{case.reference}/")
    assert page.status_code == 200, page.content[:500]
    assert case.get_status_display() in page.content.decode()
    task = engine.open_tasks(case).first()
    if task is None:
        assert case.status in CLOSED_STATUSES
        return
    index = task.flow_task.reverse("index", args=[task.process_id, task.pk])
    if task.owner is None:  # waiting in the HR queue: an HR case manager takes it on first
        client.force_login(person("Marcus", "Obi").user)
        assign = client.get(index)["Location"]
        assert assign.endswith("/assign/")
        assert client.post(assign).status_code == 302
    else:
        client.force_login(task.owner)
    response = client.get(index)
    assert response.status_code == 302
    assert response["Location"].endswith("/execute/")
    execute = client.get(response["Location"])
    assert execute.status_code == 200, execute.content[:1000]
    assert escape(str(task.flow_task.task_title)) in execute.content.decode()
