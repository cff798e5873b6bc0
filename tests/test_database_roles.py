"""Production runs as a database role that does not own the tables: it can write rows, but
cannot set the audit trail's and the letters' guards aside (PostgreSQL)."""

from __future__ import annotations

import io
import os

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="database roles are PostgreSQL's; CI runs the suite on PostgreSQL too",
    ),
    pytest.mark.usefixtures("reseed"),
]


@pytest.fixture
def app_role():
    db = connection.settings_dict
    role = f"casework_app_test_{os.getpid()}"
    owner = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{owner}/{db['NAME']}", autocommit=True) as admin:
        admin.execute(f'DROP ROLE IF EXISTS "{role}"')
        admin.execute(f'CREATE ROLE "{role}" LOGIN')
    call_command("grant_app_role", role, stdout=io.StringIO())
    url = f"postgresql://{role}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    yield url
    with psycopg.connect(f"{owner}/{db['NAME']}", autocommit=True) as admin:
        admin.execute(f'DROP OWNED BY "{role}"')
        admin.execute(f'DROP ROLE "{role}"')


def refused(url: str, statement: str) -> str:
    with psycopg.connect(url) as app:
        with pytest.raises(psycopg.Error) as refusal:
            app.execute(statement)
        return str(refusal.value)


GUARDS = [
    "ALTER TABLE casework_auditevent DISABLE TRIGGER casework_auditevent_append_only",
    "ALTER TABLE casework_auditevent DISABLE TRIGGER ALL",
    "DROP TRIGGER casework_auditevent_no_truncate ON casework_auditevent",
    "ALTER TABLE casework_letter DISABLE TRIGGER casework_letter_append_only",
    "DROP FUNCTION casework_refuse_truncate() CASCADE",
]


@pytest.mark.parametrize("statement", GUARDS)
def test_the_app_role_cannot_set_the_triggers_aside(app_role, statement):
    assert "must be owner" in refused(app_role, statement)


def test_the_app_role_cannot_switch_triggers_off_for_its_session(app_role):
    assert "permission denied" in refused(app_role, "SET session_replication_role = replica")


def test_the_app_role_cannot_truncate_change_or_delete_the_trail(app_role):
    assert "permission denied" in refused(app_role, "TRUNCATE casework_auditevent")
    assert "permission denied" in refused(app_role, "UPDATE casework_auditevent SET summary = ''")
    assert "permission denied" in refused(app_role, "DELETE FROM casework_auditevent")
    assert "permission denied" in refused(app_role, "UPDATE casework_letter SET sha256 = ''")


def test_the_app_role_can_still_do_casework(app_role):
    with psycopg.connect(app_role) as app:
        assert app.execute("SELECT count(*) FROM casework_staffmember").fetchone()[0] > 0
        app.execute("UPDATE casework_auditchainhead SET length = length WHERE false")
        app.execute("SELECT nextval(pg_get_serial_sequence('casework_auditevent', 'id'))")
