"""Casework settings, read from the environment (twelve-factor).

Two modes, chosen by CASEWORK_ENV:

* ``development`` (the default for manage.py and the test suite): debug on, an SQLite
  database and a secret key generated once under ``var/``, e-mail printed to the console.
* ``production`` (the default for wsgi.py): every secret comes from the environment and
  ``manage.py check --deploy`` reports nothing.

Every setting is listed, with its default, in README.md.
"""

import datetime
import os
import secrets
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CASEWORK_VAR_DIR", BASE_DIR / "var"))


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


CASEWORK_ENV = env_str("CASEWORK_ENV", "development")
if CASEWORK_ENV not in {"development", "production"}:
    raise ImproperlyConfigured("CASEWORK_ENV must be 'development' or 'production'.")
PRODUCTION = CASEWORK_ENV == "production"

DEBUG = env_bool("DJANGO_DEBUG", default=not PRODUCTION)


def _secret_key() -> str:
    key = env_str("DJANGO_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set in production (50 or more random characters)."
        )
    # Local use only: generate once so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def _audit_key() -> str:
    """The key every audit link and seal is keyed with. It lives outside the database, so
    that whoever can rewrite the tables still cannot recompute the chain unseen."""
    key = env_str("CASEWORK_AUDIT_KEY")
    key_file = env_str("CASEWORK_AUDIT_KEY_FILE")
    if key is None and key_file is not None:
        try:
            key = Path(key_file).read_text().strip()
        except OSError as error:
            raise ImproperlyConfigured(
                f"CASEWORK_AUDIT_KEY_FILE {key_file!r} cannot be read: {error.strerror}."
            ) from None
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("CASEWORK_AUDIT_KEY must be 32 or more random characters.")
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "CASEWORK_AUDIT_KEY (or CASEWORK_AUDIT_KEY_FILE, a file holding it) must be set in "
            "production: 32 or more random characters, kept outside the database."
        )
    # Local use only: generated once, like the secret key.
    generated = VAR_DIR / "audit_key"
    if not generated.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        generated.write_text(secrets.token_urlsafe(48))
        generated.chmod(0o600)
    return generated.read_text().strip()


CASEWORK_AUDIT_KEY = _audit_key()
# The administration site shows no case data unless this is on; then only read-only, and
# every page of it that is opened is recorded in the audit trail.
CASEWORK_ADMIN_CASE_DATA = env_bool("CASEWORK_ADMIN_CASE_DATA", False)
# Where seal_audit writes its keyed checkpoints of every chain head (outside the database).
CASEWORK_AUDIT_SEAL_DIR = Path(env_str("CASEWORK_AUDIT_SEAL_DIR", str(VAR_DIR / "audit-seals")))

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the host(s) Casework serves.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

# Absolute address used in e-mailed links (e-mails are sent outside any request).
CASEWORK_BASE_URL = env_str(
    "CASEWORK_BASE_URL", "" if PRODUCTION else f"http://127.0.0.1:{env_str('PORT', '8000')}"
).rstrip("/")
if PRODUCTION and not CASEWORK_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured("CASEWORK_BASE_URL must be the https:// address of the site.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "casework.apps.StaticFilesConfig",  # django.contrib.staticfiles, minus node_modules
    "axes",
    "csp",
    "viewflow",
    "viewflow.workflow",
    "django_tasks",
    "django_tasks_db",
    "casework",
    "workflows",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A request larger than the upload cap is refused before it is read.
    "casework.uploads.UploadSizeMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "casework.sessions.IdleTimerMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The client address for the audit trail, and an audit event for every refusal.
    "casework.middleware.AuditContextMiddleware",
    # An address with a NUL byte or an overlong number is not found, before it is resolved.
    "casework.addresses.AddressRangeMiddleware",
    # Everything needs a signed-in user unless a view is marked login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "viewflow.middleware.SiteMiddleware",
    "viewflow.middleware.HotwireTurboMiddleware",
    # Turns a locked-out sign-in attempt into the sign-in page with the reason (last, as
    # django-axes requires).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "casework.context_processors.casework",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'casework.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if PRODUCTION else 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: on a large database the planner's cost estimates pass its
    # threshold for ordinary page queries, and compiling them took 25 ms where running
    # them took a few.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock at BEGIN so concurrent requests queue instead of failing; WAL
    # lets pages read while another request writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # The test database is a file of its own per process, not shared-cache memory: browser
    # tests make concurrent requests, which an in-memory database answers with "table is
    # locked".
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"casework-test-{os.getpid()}.sqlite3")
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "casework.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a sign-in that is locked out after repeated failures (django-axes).
    "casework.signin.LockoutBackend",
    # The password check, loading the signed-in person's staff record with them.
    "casework.signin.PasswordBackend",
    # Case roles (HR, headteacher, DSL, ...) as permissions for viewflow's task queues.
    "casework.permissions.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded evidence and issued letters: private, never under STATIC_ROOT, served only
# through permission-checked views.
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-is-not-served/"
# CASEWORK_STORAGE=s3 keeps them in an S3-compatible bucket instead, so that every app
# server sees the same files (django-storages; the bucket must not be public).
CASEWORK_STORAGE = env_str("CASEWORK_STORAGE", "filesystem")
if CASEWORK_STORAGE not in {"filesystem", "s3"}:
    raise ImproperlyConfigured("CASEWORK_STORAGE must be 'filesystem' or 's3'.")
FILE_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("CASEWORK_S3_BUCKET"),
            "endpoint_url": env_str("CASEWORK_S3_ENDPOINT_URL") or None,
            "region_name": env_str("CASEWORK_S3_REGION") or None,
            "access_key": env_str("CASEWORK_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("CASEWORK_S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
    if CASEWORK_STORAGE == "s3"
    else {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": MEDIA_URL},
    }
)
if CASEWORK_STORAGE == "s3" and not FILE_STORAGE["OPTIONS"]["bucket_name"]:
    raise ImproperlyConfigured("CASEWORK_STORAGE=s3 needs CASEWORK_S3_BUCKET.")
STORAGES = {
    "default": FILE_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    # Outside production WhiteNoise serves straight from the apps' static folders, so the
    # test suite's live server (debug off) needs no collectstatic.
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True
if STATIC_ROOT.resolve() == MEDIA_ROOT.resolve() or MEDIA_ROOT.resolve().is_relative_to(
    STATIC_ROOT.resolve()
):
    raise ImproperlyConfigured("DJANGO_MEDIA_ROOT must not be inside DJANGO_STATIC_ROOT.")

EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587 if PRODUCTION else 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", PRODUCTION)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "Casework <casework@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- E-mail off the request path (casework/mail). Every message is queued in the database
# once the work it tells of is committed, and sent by the worker (`manage.py db_worker`),
# never by a page. A connection to the mail server that does not answer within the timeout
# is given up; a message is tried this many times in all, waiting RETRY_SECONDS after the
# first failure and twice as long after each one after that, then shown to HR as failed.
EMAIL_TIMEOUT = env_int("CASEWORK_MAIL_TIMEOUT_SECONDS", 10)
CASEWORK_MAIL = {
    "ATTEMPTS": env_int("CASEWORK_MAIL_ATTEMPTS", 5),
    "RETRY_SECONDS": env_int("CASEWORK_MAIL_RETRY_SECONDS", 60),
    # HR's failed e-mail page warns of messages still waiting this long after being queued.
    "STALE_MINUTES": env_int("CASEWORK_MAIL_STALE_MINUTES", 60),
}
TASKS = {
    "default": {
        # The test suite runs tasks at once (tests/conftest.py); everything else queues them.
        "BACKEND": env_str("CASEWORK_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Sessions in the database: any app server answers any request (no local state).
# Selects written out in Python, to the same HTML as Django's own templates.
FORM_RENDERER = "casework.widgets.QuickRenderer"

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Lists count at most this many rows; past it they say "more than" (casework.paging).
CASEWORK_LIST_COUNT_LIMIT = env_int("CASEWORK_LIST_COUNT_LIMIT", 1000)
# The menu's task counts stop sooner: "more than 99" is all a menu needs to say.
CASEWORK_MENU_COUNT_LIMIT = env_int("CASEWORK_MENU_COUNT_LIMIT", 99)
SESSION_COOKIE_AGE = env_int("CASEWORK_SESSION_IDLE_MINUTES", 30) * 60
# The idle timer restarts with use, the session row rewritten at most once a minute
# (casework.sessions.IdleTimerMiddleware) rather than on every page view.
SESSION_SAVE_EVERY_REQUEST = False
CASEWORK_SESSION_REFRESH_SECONDS = env_int("CASEWORK_SESSION_REFRESH_SECONDS", 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# How many proxies stand in front of Casework. With one or more, the client address (for
# the audit trail and sign-in lockouts) is read from X-Forwarded-For, as that many proxies
# wrote it; with none, the header is ignored so a client cannot make up its own address.
CASEWORK_PROXY_COUNT = env_int("CASEWORK_PROXY_COUNT", 1 if PRODUCTION else 0)

# --- Sign-in protection (django-axes): after CASEWORK_SIGNIN_FAILURE_LIMIT failed attempts
# for one e-mail address from one client address, that pair is refused for the cool-off.
# Locking by address and e-mail together means a pupil cannot lock a headteacher out from
# home, and a whole school behind one address is not locked out by one person's typing.
AXES_ENABLED = env_bool("CASEWORK_SIGNIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = env_int("CASEWORK_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("CASEWORK_SIGNIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# On top of that pair (casework/signin.py): failures on one e-mail address from anywhere,
# and from one client address whatever the e-mail address, each have a limit too; a
# browser that has signed in as the person before passes all three, so a stranger cannot
# keep anyone out of their own computer.
CASEWORK_SIGNIN_ACCOUNT_FAILURE_LIMIT = env_int("CASEWORK_SIGNIN_ACCOUNT_FAILURE_LIMIT", 10)
CASEWORK_SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("CASEWORK_SIGNIN_ADDRESS_FAILURE_LIMIT", 30)
CASEWORK_SIGNIN_BROWSER_DAYS = env_int("CASEWORK_SIGNIN_BROWSER_DAYS", 90)
AXES_WHITELIST_CALLABLE = "casework.signin.is_recognised_browser"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "casework.signin.attempted_email"
AXES_CLIENT_IP_CALLABLE = "casework.middleware.client_address"
AXES_LOCKOUT_CALLABLE = "casework.signin.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False  # refusals are in the audit trail; no passwords or addresses in logs

# --- Content-Security-Policy (django-csp). Scripts only from Casework's own static files:
# no inline script, no eval. Styles allow inline attributes because viewflow's Material
# templates and web components set them; style cannot run script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)

# CASEWORK_LOG_FORMAT=json: one JSON object a line, for a log collector.
CASEWORK_LOG_FORMAT = env_str("CASEWORK_LOG_FORMAT", "text")
if CASEWORK_LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("CASEWORK_LOG_FORMAT must be 'text' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "casework.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if CASEWORK_LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # Every sign-in would be logged; failures and lockouts are in the audit trail instead.
    "loggers": {
        "axes": {"level": "WARNING"},
        # A line for every task run; the mail worker turns it back up for its own output.
        "django_tasks": {"level": "WARNING"},
    },
}

VIEWFLOW = {"AUTOREGISTER": False}  # middleware is listed explicitly above

# --- The trust's procedure: every "(setting)" of the domain brief, in working days
# unless the name says otherwise. See README.md, "Procedure settings".
CASEWORK_PROCEDURE = {
    "TRIAGE_WORKING_DAYS": env_int("CASEWORK_TRIAGE_WORKING_DAYS", 2),
    "LADO_REFERRAL_WORKING_DAYS": env_int("CASEWORK_LADO_REFERRAL_WORKING_DAYS", 1),
    "HEARING_NOTICE_WORKING_DAYS": env_int("CASEWORK_HEARING_NOTICE_WORKING_DAYS", 5),
    "COMPANION_POSTPONEMENT_WORKING_DAYS": env_int(
        "CASEWORK_COMPANION_POSTPONEMENT_WORKING_DAYS", 5
    ),
    # A hearing goes ahead without the person it is about only after this many postponements
    # (or when they said they would not attend).
    "HEARING_POSTPONEMENTS_ALLOWED": env_int("CASEWORK_HEARING_POSTPONEMENTS_ALLOWED", 1),
    "APPEAL_WORKING_DAYS": env_int("CASEWORK_APPEAL_WORKING_DAYS", 10),
    "FIRST_WARNING_LIVE_MONTHS": env_int("CASEWORK_FIRST_WARNING_LIVE_MONTHS", 6),
    "FINAL_WARNING_LIVE_MONTHS": env_int("CASEWORK_FINAL_WARNING_LIVE_MONTHS", 12),
    "INVESTIGATION_TARGET_WORKING_DAYS": env_int("CASEWORK_INVESTIGATION_TARGET_WORKING_DAYS", 20),
    "SIGN_OFF_WORKING_DAYS": env_int("CASEWORK_SIGN_OFF_WORKING_DAYS", 3),
    "TASK_TARGET_WORKING_DAYS": env_int("CASEWORK_TASK_TARGET_WORKING_DAYS", 5),
    "SUSPENSION_REVIEW_WORKING_DAYS": env_int("CASEWORK_SUSPENSION_REVIEW_WORKING_DAYS", 20),
    "FORMER_PUPIL_CONTACT_YEARS": env_int("CASEWORK_FORMER_PUPIL_CONTACT_YEARS", 3),
    # Clock hours, not working days: the DPO decides on reporting a breach to the ICO.
    "DPO_DECISION_HOURS": env_int("CASEWORK_DPO_DECISION_HOURS", 72),
    # Calendar months (UK GDPR Art. 12(3)): a subject access request is answered within
    # this, or within this plus the extension where HR records why it is needed.
    "SUBJECT_ACCESS_MONTHS": env_int("CASEWORK_SUBJECT_ACCESS_MONTHS", 1),
    "SUBJECT_ACCESS_EXTENSION_MONTHS": env_int("CASEWORK_SUBJECT_ACCESS_EXTENSION_MONTHS", 2),
}

# Reminders (manage.py send_reminders): HR's lead is told of anything overdue by this many
# working days; their address (empty: every HR case manager free of a conflict is told).
CASEWORK_REMINDER_ESCALATION_WORKING_DAYS = env_int("CASEWORK_REMINDER_ESCALATION_WORKING_DAYS", 3)
CASEWORK_HR_LEAD_EMAIL = env_str("CASEWORK_HR_LEAD_EMAIL", "")

# Figures that leave Casework (the policy review pack) never show a group of fewer than
# this many cases or allegations: so few could be recognised.
CASEWORK_ANONYMITY_MINIMUM = env_int("CASEWORK_ANONYMITY_MINIMUM", 5)

# The same reporter sending the same words about the same person again within this many
# minutes (Back and send again, a second tab) is shown the concern already received.
CASEWORK_DUPLICATE_CONCERN_MINUTES = env_int("CASEWORK_DUPLICATE_CONCERN_MINUTES", 30)
# The chair and the signer see earlier outcomes for the same clauses only when at least
# this many earlier cases are counted: fewer could identify the people in them.
CASEWORK_CONSISTENCY_MINIMUM_CASES = env_int("CASEWORK_CONSISTENCY_MINIMUM_CASES", 5)

# Largest evidence file accepted (issue: uploads are checked by content, not name).
CASEWORK_EVIDENCE_MAX_BYTES = env_int("CASEWORK_EVIDENCE_MAX_MB", 20) * 1024 * 1024
# What an uploaded office document (a zip archive) may unpack to: entries are unpacked a
# chunk at a time and refused past these limits (casework/evidence/archives.py).
CASEWORK_UNPACK_LIMITS = {
    "MAX_ENTRIES": env_int("CASEWORK_UNPACK_MAX_ENTRIES", 5000),
    "MAX_ENTRY_BYTES": env_int("CASEWORK_UNPACK_MAX_ENTRY_MB", 256) * 1024 * 1024,
    "MAX_TOTAL_BYTES": env_int("CASEWORK_UNPACK_MAX_TOTAL_MB", 512) * 1024 * 1024,
    "MAX_RATIO": env_int("CASEWORK_UNPACK_MAX_RATIO", 100),
}
# The largest picture decoded (width x height x frames), before any memory is spent on it.
CASEWORK_IMAGE_MAX_PIXELS = env_int("CASEWORK_IMAGE_MAX_MEGAPIXELS", 50) * 1_000_000
# One request may carry at most this many files and this much in all (each file also
# within CASEWORK_EVIDENCE_MAX_MB); a larger request is refused before it is read.
CASEWORK_UPLOAD_MAX_FILES = env_int("CASEWORK_UPLOAD_MAX_FILES", 10)
CASEWORK_UPLOAD_MAX_BYTES = env_int("CASEWORK_UPLOAD_MAX_TOTAL_MB", 50) * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "casework.uploads.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# What one person may send in a day (the trust's calendar day): concerns raised, and
# evidence files added (with a concern or to a case).
CASEWORK_DAILY_CONCERN_LIMIT = env_int("CASEWORK_DAILY_CONCERN_LIMIT", 10)
CASEWORK_DAILY_EVIDENCE_LIMIT = env_int("CASEWORK_DAILY_EVIDENCE_LIMIT", 100)
# Django keeps uploads larger than this in a temporary file rather than in memory; it never
# refuses a file for its size, so Casework itself says what is too large.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# A policy document uploaded for import (casework/policies): at most this size and, for a
# PDF, this many pages. It is checked as evidence is, by content, before it is read.
CASEWORK_POLICY_MAX_BYTES = env_int("CASEWORK_POLICY_MAX_MB", 5) * 1024 * 1024
CASEWORK_POLICY_MAX_PAGES = env_int("CASEWORK_POLICY_MAX_PAGES", 60)

# --- The retention schedule (domain brief section 6): every period is a setting.
# See README.md, "Retention settings", and casework/records/retention.py.
CASEWORK_RETENTION = {
    # A first written warning is kept this many months after it stops being live.
    "FIRST_WARNING_KEPT_MONTHS_AFTER_EXPIRY": env_int("CASEWORK_RETENTION_FIRST_WARNING_MONTHS", 6),
    # A final written warning is kept this many months after it stops being live.
    "FINAL_WARNING_KEPT_MONTHS_AFTER_EXPIRY": env_int(
        "CASEWORK_RETENTION_FINAL_WARNING_MONTHS", 18
    ),
    # A case not upheld is destroyed this many days after closure (0: at closure), unless
    # it is a child-protection matter.
    "NOT_UPHELD_KEPT_DAYS_AFTER_CLOSURE": env_int("CASEWORK_RETENTION_NOT_UPHELD_DAYS", 0),
    # Safeguarding allegation records: until the person's normal retirement age or this
    # many years after closure, whichever is longer.
    "SAFEGUARDING_RETIREMENT_AGE": env_int("CASEWORK_RETENTION_RETIREMENT_AGE", 67),
    "SAFEGUARDING_MINIMUM_YEARS": env_int("CASEWORK_RETENTION_SAFEGUARDING_YEARS", 10),
    # Every other closed case (informal advice, management advice, no action, dismissal,
    # volunteer outcomes) is kept this many years after closure: the six-year limitation
    # period for claims. Not in the domain brief; the trust may change it.
    "OTHER_CASES_KEPT_YEARS": env_int("CASEWORK_RETENTION_OTHER_YEARS", 6),
}

# Clause suggestions (casework/suggestions): switched on unless CASEWORK_SUGGESTIONS is
# false; they learn from this many of the newest decisions about clauses.
CASEWORK_SUGGESTIONS = {
    "ENABLED": env_bool("CASEWORK_SUGGESTIONS", True),
    "EXAMPLES": env_int("CASEWORK_SUGGESTIONS_EXAMPLES", 2000),
}

# The letterhead every letter is printed on.
CASEWORK_LETTERHEAD = {
    "TRUST_NAME": env_str("CASEWORK_LETTERHEAD_NAME", "St Clare Catholic Multi Academy Trust"),
    "ADDRESS": env_str(
        "CASEWORK_LETTERHEAD_ADDRESS", "St Clare House, 1 Cathedral Close, Ashbury AB1 0AA"
    ),
    "TELEPHONE": env_str("CASEWORK_LETTERHEAD_TELEPHONE", "01632 960000"),
    "EMAIL": env_str("CASEWORK_LETTERHEAD_EMAIL", "hr@stclare.example"),
    # A PNG or SVG under static/, e.g. "casework/letterhead-logo.png"; empty for none.
    "LOGO": env_str("CASEWORK_LETTERHEAD_LOGO", ""),
}

# The demo data's single password, documented in README.md; never used in production.
CASEWORK_DEMO_PASSWORD = "stclare-demo-2026"  # noqa: S105 (published on purpose)
