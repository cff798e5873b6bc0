"""Print how audited writes on different cases scale with concurrent writers (PostgreSQL).

Each write is one transaction, as a request is: the audit event is recorded, the chain's
head stays locked while the rest of the request's work is done (``--work-ms``), then it
commits. Three runs, each writer on a connection of its own:

* one writer writing ``--events`` events on one case;
* ``--threads`` writers at once, each writing as many on a case of its own;
* the same writers all writing on one case, for contrast (one chain, one head row: what
  every write waited on when the trail was a single chain).

Writers are threads of this process by default, and processes with ``--processes`` (as the
app servers' workers are: threads share one interpreter, so their Python work takes turns
whatever the database does). Each run also prints how long the writers spent in the
statement that locks a chain's head: what they waited on each other, plus a round trip
each. With a chain per case the second run should take about as long as the first and
wait no longer. It writes real, chained events (action ``benchmark.write``) on the first
cases it finds, which stay in their trails: run it on a scratch database, e.g. a fresh
``make demo-data``. It is a measurement, not a test: nothing fails.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
import time
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction

from casework import audit
from casework.models import AuditChainHead, Case


@dataclass(frozen=True)
class Run:
    seconds: float
    head_wait_seconds: float  # in all writers' head-locking statements, added up
    longest_head_wait_seconds: float


class _HeadWaits:
    """Times each statement that locks a chain's head, on the connection it wraps."""

    def __init__(self):
        self.seconds = 0.0
        self.longest = 0.0
        self._table = AuditChainHead._meta.db_table

    def __call__(self, execute, sql, params, many, context):
        if "FOR UPDATE" not in sql or self._table not in sql:
            return execute(sql, params, many, context)
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            self.seconds += took
            self.longest = max(self.longest, took)


def _write(case: Case, *, events: int, work: float, start) -> tuple[float, float]:
    """One writer: ``events`` audited transactions on ``case`` once every writer is ready."""
    waits = _HeadWaits()
    connection.ensure_connection()  # connecting is not part of the writes
    with connection.execute_wrapper(waits):
        start.wait()
        for n in range(events):
            with transaction.atomic():
                audit.record(
                    action="benchmark.write",
                    case=case,
                    actor=None,
                    target=case,
                    summary=f"Benchmark write {n + 1} of {events}",
                )
                time.sleep(work)
    return waits.seconds, waits.longest


class Command(BaseCommand):
    help = "Time N writers writing audit events on N different cases against one writer."

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, default=8, help="How many writers.")
        parser.add_argument("--events", type=int, default=50, help="Events per writer.")
        parser.add_argument(
            "--work-ms",
            type=float,
            default=5.0,
            help="The rest of each request's work, done while its transaction is open.",
        )
        parser.add_argument(
            "--processes",
            action="store_true",
            help="Each writer a process of its own, as app server workers are.",
        )

    def handle(self, *args, threads, events, work_ms, processes, **options):
        if connection.vendor != "postgresql":
            raise CommandError("benchmark_audit measures PostgreSQL's row locks: set DATABASE_URL.")
        cases = list(Case.objects.order_by("pk")[:threads])
        if len(cases) < threads:
            raise CommandError(f"Needs {threads} cases; the database has {len(cases)}.")
        run = self.in_processes if processes else self.in_threads
        work = work_ms / 1000
        one = run([cases[0]], events, work)
        apart = run(cases, events, work)
        together = run([cases[0]] * threads, events, work)
        writers = "processes" if processes else "threads"
        self.stdout.write(
            f"Audited writes, {events} per writer, {work_ms:g} ms of work each "
            f"(PostgreSQL, {threads} {writers}):"
        )
        rows = [
            (f"1 {writers[: -2 if processes else -1]}, 1 case", one, ""),
            (
                f"{threads} {writers}, {threads} different cases",
                apart,
                f" ({apart.seconds / one.seconds:.2f} x one, {threads * events} events)",
            ),
            (
                f"{threads} {writers}, the same case (one chain)",
                together,
                f" ({together.seconds / one.seconds:.2f} x one)",
            ),
        ]
        for label, figures, note in rows:
            self.stdout.write(f"  {label + ':':<44}{figures.seconds:6.2f} s{note}")
        self.stdout.write("  Locking the chain's head (all writers, a round trip each included):")
        for label, figures, _note in rows:
            self.stdout.write(
                f"  {label + ':':<44}{figures.head_wait_seconds * 1000:8.1f} ms in all, "
                f"longest {figures.longest_head_wait_seconds * 1000:.1f} ms"
            )
        self.stdout.write(audit_status())

    def in_threads(self, cases: list[Case], events: int, work: float) -> Run:
        start = threading.Barrier(len(cases) + 1)
        done: list[tuple[float, float]] = []
        failed: list[str] = []

        def writer(case: Case) -> None:
            try:
                done.append(_write(case, events=events, work=work, start=start))
            except BaseException as failure:  # reported below, after every writer stops
                start.abort()
                failed.append(repr(failure))
            finally:
                connections.close_all()

        workers = [threading.Thread(target=writer, args=(case,)) for case in cases]

        def finish():
            for worker in workers:
                worker.join()
            return done, failed

        return self._timed(workers, start, finish)

    def in_processes(self, cases: list[Case], events: int, work: float) -> Run:
        context = multiprocessing.get_context("fork")
        start = context.Barrier(len(cases) + 1)
        outcomes = context.Queue()

        def writer(case: Case) -> None:
            # A connection this process was born with is the parent's socket, however it
            # came to be open at the fork: set it aside unclosed (closing it would end the
            # parent's session) so that this writer connects on its own.
            for inherited in connections.all(initialized_only=True):
                inherited.connection = None
            try:
                outcomes.put(("done", _write(case, events=events, work=work, start=start)))
            except BaseException as failure:  # reported by the parent
                start.abort()
                outcomes.put(("failed", repr(failure)))
            finally:
                connections.close_all()

        connections.close_all()  # a forked child must not share this process's connection
        workers = [context.Process(target=writer, args=(case,)) for case in cases]

        def finish():
            received = [outcomes.get() for _worker in workers]  # before join: never blocks
            for worker in workers:
                worker.join()
            done = [outcome for kind, outcome in received if kind == "done"]
            return done, [outcome for kind, outcome in received if kind == "failed"]

        return self._timed(workers, start, finish)

    def _timed(self, workers, start, finish) -> Run:
        for worker in workers:
            worker.start()
        with contextlib.suppress(threading.BrokenBarrierError):
            start.wait()  # broken when a writer failed before it began: reported below
        started = time.perf_counter()
        done, failed = finish()
        elapsed = time.perf_counter() - started
        if failed:
            raise CommandError(f"A writer failed: {failed[0]}")
        return Run(
            seconds=elapsed,
            head_wait_seconds=sum(seconds for seconds, _longest in done),
            longest_head_wait_seconds=max(longest for _seconds, longest in done),
        )


def audit_status() -> str:
    broken = next(audit.find_broken_links(), None)
    return "verify: every chain checks out" if broken is None else f"verify: {broken.problem}"
