"""The migrations describe the models exactly: a model change (a field, or an index such as
the open cases' one, whose condition lists the open stages) comes with its migration, so a
database built from the migrations is the one the code expects."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_every_model_change_has_its_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:  # --check exits 1 when a migration is missing
        raise AssertionError(f"A model change has no migration:\n{out.getvalue()}") from exit_
