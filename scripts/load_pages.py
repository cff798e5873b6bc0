#!/usr/bin/env python
"""Many signed-in people at once, on the loopback only: gunicorn under a bounded load.

Starts gunicorn on 127.0.0.1 against the database in DATABASE_URL, signs in one session
per simulated person (the demo roles, in turn), and has each of them request the list
pages and a case page (those of ``manage.py benchmark_pages``), one after another, for a
fixed time. Prints the median and 95th percentile response time and the errors, then
stops the server it started. Nothing leaves the machine.

    DATABASE_URL=postgres://... .venv/bin/python scripts/load_pages.py --users 50 --seconds 60
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--think", type=float, default=0.0, help="seconds each person waits between pages"
    )
    args = parser.parse_args()
    if not 1 <= args.users <= 200 or not 1 <= args.seconds <= 600:
        parser.error("--users must be 1 to 200 and --seconds 1 to 600: a bounded load.")

    os.environ.setdefault("CASEWORK_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test.utils import override_settings
    from django.utils.module_loading import import_string

    from casework import demo
    from casework.models import StaffMember
    from workflows.scale import benchmark

    with override_settings(ALLOWED_HOSTS=["testserver"]):
        # The register's export is a download of every case (minutes at a million), not a
        # page: benchmark_pages --export measures it.
        pages = [page for page in benchmark.pages() if "export" not in page.name]
    # The backend a password sign-in is recorded with (the first that loads a user).
    backend = next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if hasattr(import_string(path), "get_user")
    )
    sessions = {}
    for role, (first, last) in benchmark.ROLES.items():
        user = StaffMember.objects.get(email=demo.email_for(first, last)).user
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        sessions[role] = session.session_key

    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi",
            "--bind",
            f"{LOOPBACK}:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "false"),
            # Each worker keeps its database connection, as in production.
            "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
        },
    )
    try:
        _wait_for(args.port)
        times, errors = _load(
            pages,
            sessions,
            users=args.users,
            seconds=args.seconds,
            port=args.port,
            think=args.think,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    for key in sessions.values():
        SessionStore(session_key=key).delete()
    if not times:
        print(f"no request completed; errors: {dict(errors)}")
        return 1
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    print(
        f"users={args.users} seconds={args.seconds:g} workers={args.workers} think={args.think:g} "
        f"requests={len(times)} rps={len(times) / args.seconds:.1f} "
        f"p50_ms={statistics.median(times):.0f} p95_ms={p95:.0f} errors={errors.total()}"
    )
    for what, count in errors.most_common():
        print(f"  failed: {what} x{count}")
    return 0 if not errors else 1


def _wait_for(port: int) -> None:
    for _ in range(120):
        try:
            connection = http.client.HTTPConnection(LOOPBACK, port, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def _load(pages, sessions, *, users: int, seconds: float, port: int, think: float):
    times: list[float] = []
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    roles = list(sessions)

    def person(number: int) -> None:
        rng = random.Random(number)  # noqa: S311 (which page next, not a secret)
        role = roles[number % len(roles)]
        own = [page for page in pages if page.role == role]
        cookie = f"sessionid={sessions[role]}"
        connection = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
        while time.monotonic() < stop_at:
            page = rng.choice(own)
            started = time.perf_counter()
            try:
                connection.request("GET", page.url, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                outcome = response.status
            except (OSError, http.client.HTTPException) as error:
                outcome = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection(LOOPBACK, port, timeout=60)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if outcome == 200:
                    times.append(elapsed)
                else:
                    errors[f"{page.name} ({role}): {outcome}"] += 1
            if think:
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))

    threads = [threading.Thread(target=person, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, errors


if __name__ == "__main__":
    sys.exit(main())
