"""The daily jobs, safe to start on every server at once.

Each job runs under a PostgreSQL advisory lock named after it: the first server to start
it holds the lock until it finishes, and any other that starts it meanwhile is told so and
does nothing. (SQLite is one machine's database: there the jobs simply run.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

# In the order they run: an outcome made final before the retention schedule reads it,
# the trail checked before anything is erased, stray files last.
DAILY_JOBS = (
    ("close_lapsed_appeal_windows", {}),
    ("verify_audit", {}),
    ("apply_retention", {"apply": True}),
    ("prune_orphan_files", {"apply": True}),
)


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for the job's advisory lock."""
    digest = hashlib.sha256(f"casework.job.{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextmanager
def held_alone(name: str) -> Iterator[bool]:
    """Yields True if this process holds the job's lock (it should run the job), False if
    another holds it. A session lock: it outlives the job's own transactions and is
    released when the job ends, or by PostgreSQL if the process dies."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = lock_key(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
