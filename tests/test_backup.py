"""The restore drill: back up, restore into an empty database and empty folders (as after
losing the server), then verify_audit and verify_letters pass on what was restored."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tarfile

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from casework import demo_cases
from casework.letters import demo
from casework.models import Letter, LetterKind, Status
from casework.services import letters

pytestmark = pytest.mark.usefixtures("reseed")


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CASEWORK_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def empty_database(tmp_path):
    """The address of a database just created, with nothing in it."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_restored"
    server = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_back_up_wipe_restore_then_the_trail_and_the_letters_check_out(tmp_path, empty_database):
    case = demo_cases.case_at(Status.HEARING_SCHEDULED)
    letter = letters.issue_letter(
        case=demo.fresh(case), by=demo_cases.hr(), kind=LetterKind.HEARING_INVITATION, inputs={}
    )
    archive = tmp_path / "backup.tar.gz"
    out = io.StringIO()
    call_command("backup", output=archive, stdout=out)
    assert "Backup written" in out.getvalue()
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert f"media/{letter.file.name}" in names
    assert any(name.startswith("audit-seals/seal-") for name in names)

    elsewhere = {
        "CASEWORK_ENV": "development",
        "CASEWORK_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": empty_database,
        "DJANGO_MEDIA_ROOT": str(tmp_path / "restored-media"),
        "CASEWORK_AUDIT_SEAL_DIR": str(tmp_path / "restored-seals"),
        # Kept apart from the backup, as the README says.
        "CASEWORK_AUDIT_KEY": settings.CASEWORK_AUDIT_KEY,
    }
    restored = manage("restore", str(archive), env=elsewhere)
    assert restored.returncode == 0, restored.stderr
    trail = manage("verify_audit", env=elsewhere)
    assert trail.returncode == 0, trail.stderr
    assert "The audit trail is intact" in trail.stdout
    assert "checks out: every chain still holds what was sealed" in trail.stdout
    issued = manage("verify_letters", env=elsewhere)
    assert issued.returncode == 0, issued.stderr
    assert f"{Letter.objects.count()} letters" in issued.stdout

    # Without the audit key, the restored trail is not taken on trust.
    forged = manage(
        "verify_audit", env={**elsewhere, "CASEWORK_AUDIT_KEY": "another-key-" + "z" * 30}
    )
    assert forged.returncode != 0
    assert "does not check out under the audit key" in forged.stderr


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=archive, stdout=io.StringIO())
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(archive), stdout=io.StringIO())
