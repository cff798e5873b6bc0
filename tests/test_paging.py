"""The long lists page by keyset: "Older" and "Newer" walk the whole list once each way,
what is written while someone reads does not shift the pages under them, and a link
that was tampered with shows the first page."""

import datetime
from urllib.parse import parse_qs

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import audit
from casework.demo_cases import case_at
from casework.models import AuditEvent, LowLevelConcern, Status
from tests.conftest import follow_page_link, user

pytestmark = pytest.mark.django_db

AUDIT_LOG = reverse("casework:audit_log")
LOW_LEVEL_LOG = reverse("casework:low_level_log")


def _walk(client, address: str, filters: dict, rel: str = "next", start=None):
    """Every page from ``start`` (or the first) following ``rel`` links: their rows' ids."""
    response = start or client.get(address, filters)
    pages = []
    while True:
        page = response.context["page"]
        pages.append([row.pk for row in page.object_list])
        more = page.has_next() if rel == "next" else page.has_previous()
        if not more:
            return pages, response
        response = follow_page_link(client, response, rel)


def test_the_audit_log_pages_through_every_event_once_and_back(sign_in):
    case = case_at(Status.TRIAGE)
    hr = user("Hannah", "Reid")
    for n in range(120):
        audit.record(action="case.noted", summary=f"Note {n}", actor=hr, case=case)
    noted = list(
        AuditEvent.objects.filter(action="case.noted").order_by("-id").values_list("pk", flat=True)
    )
    client = sign_in("Marcus", "Obi")
    pages, last = _walk(client, AUDIT_LOG, {"action": "case.noted"})
    assert [len(p) for p in pages] == [50, 50, 20]
    assert [pk for page in pages for pk in page] == noted
    assert "Page 3 of 3" in last.content.decode()
    back, first = _walk(client, AUDIT_LOG, {}, rel="prev", start=last)
    assert back == pages[::-1]
    assert first.context["page"].number == 1


def test_events_written_while_hr_reads_the_log_do_not_shift_its_pages(sign_in):
    """Each reading of the log is itself an event, newest first: with numbered pages every
    view pushed the rows along by one, and "Older" showed one row twice."""
    case = case_at(Status.TRIAGE)
    hr = user("Hannah", "Reid")
    for n in range(70):
        audit.record(action="case.noted", summary=f"Note {n}", actor=hr, case=case)
    before = list(AuditEvent.objects.order_by("-id").values_list("pk", flat=True))
    client = sign_in("Marcus", "Obi")
    pages, _ = _walk(client, AUDIT_LOG, {})
    # The views themselves came after the first page was read: the walk shows the trail
    # as it stood then, each event once.
    assert [pk for page in pages for pk in page] == before
    assert AuditEvent.objects.filter(action="viewed.audit_log").count() == len(pages)


def test_the_low_level_log_pages_by_keyset(sign_in):
    concern = case_at(Status.LOW_LEVEL_CONCERN)
    entry = LowLevelConcern.objects.get(case=concern)
    now = timezone.now()
    for n in range(55):
        other = case_at(Status.LOW_LEVEL_CONCERN, subject=("Laura", "Bennett"))
        # Some recorded at the same moment: the id breaks the tie.
        LowLevelConcern.objects.filter(case=other).update(
            recorded_at=now - datetime.timedelta(minutes=n // 3)
        )
        if n == 10:
            LowLevelConcern.objects.filter(pk=entry.pk).update(recorded_at=now)
    expected = list(
        LowLevelConcern.objects.order_by("-recorded_at", "-pk").values_list("pk", flat=True)
    )
    client = sign_in("Hannah", "Reid")
    pages, last = _walk(client, LOW_LEVEL_LOG, {})
    assert [pk for page in pages for pk in page] == expected
    assert [len(p) for p in pages] == [50, len(expected) - 50]
    assert "Newer" in last.content.decode()
    back, _ = _walk(client, LOW_LEVEL_LOG, {}, rel="prev", start=last)
    assert back == pages[::-1]


def test_a_tampered_audit_log_link_shows_the_first_page(sign_in):
    case = case_at(Status.TRIAGE)
    hr = user("Hannah", "Reid")
    for n in range(60):
        audit.record(action="case.noted", summary=f"Note {n}", actor=hr, case=case)
    client = sign_in("Marcus", "Obi")
    noted = {"action": "case.noted"}
    first = client.get(AUDIT_LOG, noted)
    newest = [e.pk for e in first.context["page"].object_list]
    cursor = parse_qs(first.context["page"].next_parameters)["after"][0]
    assert [e.pk for e in client.get(AUDIT_LOG, {**noted, "after": cursor}).context["page"]] == [
        pk for pk in AuditEvent.objects.filter(**noted).order_by("-id").values_list("pk", flat=True)
    ][50:]
    for tampered in (
        cursor.replace(cursor[5], "Z" if cursor[5] != "Z" else "Y", 1),
        "x" * 40,
        "%00",
    ):
        response = client.get(AUDIT_LOG, {**noted, "after": tampered})
        assert response.status_code == 200
        assert response.context["page"].number == 1
        assert [e.pk for e in response.context["page"].object_list] == newest
    # A "Newer" link is never taken for an "Older" one.
    response = client.get(AUDIT_LOG, {**noted, "before": cursor})
    assert [e.pk for e in response.context["page"].object_list] == newest
