"""GET /healthz: 200 while the database answers, 503 when it does not; no sign-in, no trace."""

from unittest import mock

import pytest
from django.db import OperationalError

from casework.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_healthy_without_signing_in_and_leaves_no_trace(client):
    before = AuditEvent.objects.count()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert AuditEvent.objects.count() == before
    assert "sessionid" not in response.cookies


def test_unhealthy_when_the_database_does_not_answer(client):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database unavailable" in response.content
