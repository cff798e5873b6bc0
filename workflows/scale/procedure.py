"""How long one case takes through the whole procedure, step by step.

From the concern to the appeal decided (thirteen steps through the services, as the demo
walks them: the workflow's tasks, the audit trail, the deadlines and the e-mail queued),
each run inside a transaction that is rolled back, so the database is left as it was.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from casework import demo_cases
from casework.models import Status


@dataclass(frozen=True)
class StepFigure:
    step: str
    median_ms: float
    queries: int


@dataclass(frozen=True)
class ProcedureFigures:
    steps: list[StepFigure]
    total_median_ms: float  # the sum of the steps' medians
    total_queries: int
    runs: int


class _RolledBack(Exception):
    pass


def measure(*, runs: int = 5) -> ProcedureFigures:
    _options, steps = demo_cases.ROUTES[Status.APPEAL_DECIDED]
    times: dict[str, list[float]] = defaultdict(list)
    queries: dict[str, int] = {}
    order: list[str] = []

    @contextmanager
    def timed(name: str):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            yield
            elapsed = (time.perf_counter() - started) * 1000
        times[name].append(elapsed)
        queries[name] = len(captured.captured_queries)
        if name not in order:
            order.append(name)

    for _ in range(runs + 1):  # the first run warms the caches and is not counted
        try:
            with transaction.atomic():
                demo_cases.walk(steps, each_step=timed)
                raise _RolledBack
        except _RolledBack:
            pass
    for values in times.values():
        del values[0]
    figures = [StepFigure(name, statistics.median(times[name]), queries[name]) for name in order]
    return ProcedureFigures(
        steps=figures,
        # The steps themselves: the demo's own bookkeeping between them is not counted.
        total_median_ms=sum(f.median_ms for f in figures),
        total_queries=sum(f.queries for f in figures),
        runs=runs,
    )
