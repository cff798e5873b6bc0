"""Production and development settings, as a deployer and a newcomer meet them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings

BASE_DIR = Path(settings.BASE_DIR)


def manage(*args, env_overrides, tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CASEWORK_", "DATABASE_URL"))
    }
    env.update({"CASEWORK_VAR_DIR": str(tmp_path / "var"), **env_overrides})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION_ENV = {
    "CASEWORK_ENV": "production",
    "DJANGO_SECRET_KEY": "x7#" + "k" * 30 + "Q9!m" + "z" * 20,
    "DJANGO_ALLOWED_HOSTS": "casework.stclare.example",
    "CASEWORK_BASE_URL": "https://casework.stclare.example",
    "CASEWORK_AUDIT_KEY": "audit-" + "q" * 20 + "7Hk2" + "w" * 20,
}


def test_check_deploy_reports_nothing_in_production_mode(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "DEBUG",
        env_overrides=PRODUCTION_ENV,
        tmp_path=tmp_path,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env_overrides=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_production_refuses_to_start_without_an_audit_key(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "CASEWORK_AUDIT_KEY"}
    result = manage("check", env_overrides=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "CASEWORK_AUDIT_KEY (or CASEWORK_AUDIT_KEY_FILE" in result.stderr


def test_production_reads_the_audit_key_from_a_file(tmp_path):
    key_file = tmp_path / "audit.key"
    key_file.write_text("k" * 40 + "\n")
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "CASEWORK_AUDIT_KEY"}
    env["CASEWORK_AUDIT_KEY_FILE"] = str(key_file)
    code = "from django.conf import settings; print(settings.CASEWORK_AUDIT_KEY)"
    result = manage("shell", "-c", code, env_overrides=env, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "k" * 40


def test_a_short_audit_key_is_refused(tmp_path):
    env = {**PRODUCTION_ENV, "CASEWORK_AUDIT_KEY": "too-short"}
    result = manage("check", env_overrides=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "CASEWORK_AUDIT_KEY must be 32 or more random characters" in result.stderr


def test_production_needs_allowed_hosts(tmp_path):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = manage("check", env_overrides=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_development_generates_a_secret_key_once_and_keeps_it(tmp_path):
    first = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env_overrides={"CASEWORK_ENV": "development"},
        tmp_path=tmp_path,
    )
    second = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY)",
        env_overrides={"CASEWORK_ENV": "development"},
        tmp_path=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    key = first.stdout.strip()
    assert len(key) >= 50
    assert second.stdout.strip() == key
    assert (tmp_path / "var" / "secret_key").read_text().strip() == key
    assert oct((tmp_path / "var" / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_development_defaults_to_an_sqlite_file_under_var(tmp_path):
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'])",
        env_overrides={"CASEWORK_ENV": "development"},
        tmp_path=tmp_path,
    )
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        str(tmp_path / "var" / "casework.sqlite3"),
    ]


def test_media_is_kept_outside_static():
    assert (
        not Path(settings.MEDIA_ROOT).resolve().is_relative_to(Path(settings.STATIC_ROOT).resolve())
    )
    assert not settings.MEDIA_URL.startswith(settings.STATIC_URL)


def test_a_bad_setting_gets_a_clear_message(tmp_path):
    result = manage(
        "check",
        env_overrides={"CASEWORK_ENV": "development", "CASEWORK_TRIAGE_WORKING_DAYS": "two"},
        tmp_path=tmp_path,
    )
    assert result.returncode != 0
    assert "CASEWORK_TRIAGE_WORKING_DAYS must be a whole number, not 'two'" in result.stderr


@pytest.mark.django_db
def test_whitenoise_serves_collected_static_files_with_debug_off(tmp_path):
    static_root = tmp_path / "static"
    storages = {
        **settings.STORAGES,
        # Hashed names as in production; compression left out to keep the test quick.
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(DEBUG=False, STATIC_ROOT=static_root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        from django.templatetags.static import static

        url = static("casework/casework.css")
        assert url != "/static/casework/casework.css"  # hashed name, cached for ever
        response = Client().get(url)
        assert response.status_code == 200
        assert b".cw-page" in b"".join(response.streaming_content)


# --- More than one server ------------------------------------------------------------------


def test_files_go_to_an_s3_compatible_bucket_when_the_settings_say_so(tmp_path):
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__module__, s.bucket_name, s.endpoint_url, s.default_acl)",
        env_overrides={
            "CASEWORK_ENV": "development",
            "CASEWORK_STORAGE": "s3",
            "CASEWORK_S3_BUCKET": "casework-files",
            "CASEWORK_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        },
        tmp_path=tmp_path,
    )
    assert result.stdout.split() == [
        "storages.backends.s3",
        "casework-files",
        "http://127.0.0.1:9000",
        "private",
    ], result.stderr


def test_s3_storage_without_a_bucket_is_refused_with_a_clear_message(tmp_path):
    result = manage(
        "check",
        env_overrides={"CASEWORK_ENV": "development", "CASEWORK_STORAGE": "s3"},
        tmp_path=tmp_path,
    )
    assert result.returncode != 0
    assert "CASEWORK_STORAGE=s3 needs CASEWORK_S3_BUCKET" in result.stderr


def test_logs_can_be_json_lines(tmp_path):
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        "import logging; logging.getLogger('casework').warning('disk %s full', 'nearly')",
        env_overrides={"CASEWORK_ENV": "development", "CASEWORK_LOG_FORMAT": "json"},
        tmp_path=tmp_path,
    )
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["level"] == "WARNING"
    assert line["logger"] == "casework"
    assert line["message"] == "disk nearly full"


def test_sessions_are_kept_in_the_database():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
