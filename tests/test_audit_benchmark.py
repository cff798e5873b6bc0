"""``benchmark_audit``: writers on different cases, as threads and as processes, leave
chains that still check out, and the command says why it will not run without PostgreSQL."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from casework import audit
from casework.demo_cases import raise_concern
from casework.models import AuditEvent

on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="measures PostgreSQL's row locks; CI runs the whole suite on PostgreSQL too",
)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is SQLite's")
def test_without_postgresql_it_says_what_it_needs_and_writes_nothing():
    before = AuditEvent.objects.count()
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("benchmark_audit", threads=2, events=1, stdout=io.StringIO())
    assert AuditEvent.objects.count() == before


@pytest.mark.postgres_only
@on_postgres
@pytest.mark.usefixtures("reseed")
@pytest.mark.parametrize("writers", [[], ["--processes"]], ids=["threads", "processes"])
def test_each_writer_chains_its_events_and_every_chain_checks_out(writers):
    cases = [raise_concern(), raise_concern(subject=("Ben", "Taylor"))]
    out = io.StringIO()
    call_command(
        "benchmark_audit", "--threads=2", "--events=3", "--work-ms=0", *writers, stdout=out
    )
    printed = out.getvalue()
    kind = "processes" if writers else "threads"
    assert f"2 {kind}, 2 different cases:" in printed
    assert re.search(r"2 different cases: +\d+\.\d\d s \(\d+\.\d\d x one, 6 events\)", printed)
    assert "ms in all, longest" in printed
    assert printed.rstrip().endswith("verify: every chain checks out")
    # One writer alone, two apart, two on the first case: 3 + 3 + 6 on the first, 3 on the other.
    written = AuditEvent.objects.filter(action="benchmark.write")
    assert written.filter(case=cases[0]).count() == 12
    assert written.filter(case=cases[1]).count() == 3
    assert next(audit.find_broken_links(), None) is None


@pytest.mark.postgres_only
@on_postgres
@pytest.mark.usefixtures("reseed")
def test_writer_processes_connect_on_their_own_even_when_born_with_an_open_connection(
    monkeypatch,
):
    # As when something reopens this process's connection between closing it and the fork:
    # writers sharing the parent's socket end each other's sessions.
    raise_concern(subject=("Ben", "Taylor"))
    raise_concern()
    monkeypatch.setattr(connections, "close_all", lambda: None)
    assert AuditEvent.objects.exists()  # the connection is open when the writers are forked
    out = io.StringIO()
    call_command(
        "benchmark_audit", "--threads=2", "--events=20", "--work-ms=0", "--processes", stdout=out
    )
    assert out.getvalue().rstrip().endswith("verify: every chain checks out")
