"""The time that Casework records: when a step was taken, when a deadline starts.

Services, the audit trail and the models' timestamp defaults ask this module rather than
the system clock, so that a caller can state explicitly when a step happened: the
demonstration data walks its cases through a past that fits the procedure (a chair decides
after the hearing, days ago) by passing each step its moment with ``recorded_at(moment)``.
Without that, it is simply the current time.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_stated: ContextVar[datetime.datetime | None] = ContextVar("casework_stated_time", default=None)


def now() -> datetime.datetime:
    """The moment being recorded: the one stated by ``recorded_at``, or the current time."""
    return _stated.get() or timezone.now()


def today() -> datetime.date:
    """The local date of ``now()``."""
    return timezone.localdate(now())


@contextmanager
def recorded_at(moment: datetime.datetime) -> Iterator[None]:
    """Record everything done inside the block as done at ``moment`` (an aware datetime)."""
    if timezone.is_naive(moment):
        raise ValueError("recorded_at needs an aware datetime.")
    # Held in UTC, as the system clock gives it: what is stored reads back the same.
    token = _stated.set(moment.astimezone(datetime.UTC))
    try:
        yield
    finally:
        _stated.reset(token)
