"""Print how audited writes on different cases scale with threads (PostgreSQL).

Each write is one transaction, as a request is: the audit event is recorded, the chain's
head stays locked while the rest of the request's work is done (``--work-ms``), then it
commits. Three runs, each thread on a connection of its own:

* one thread writing ``--events`` events on one case;
* ``--threads`` threads at once, each writing as many on a case of its own;
* the same threads all writing on one case, for contrast (one chain, one head row: what
  every write waited on when the trail was a single chain).

With a chain per case the second run should take about as long as the first. It writes
real, chained events (action ``benchmark.write``) on the first cases it finds, which stay
in their trails: run it on a scratch database, e.g. a fresh ``make demo-data``. It is a
measurement, not a test: nothing fails.
"""

from __future__ import annotations

import threading
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction

from casework import audit
from casework.models import Case


class Command(BaseCommand):
    help = "Time N threads writing audit events on N different cases against one thread."

    def add_arguments(self, parser):
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--events", type=int, default=50, help="Events per thread.")
        parser.add_argument(
            "--work-ms",
            type=float,
            default=5.0,
            help="The rest of each request's work, done while its transaction is open.",
        )

    def handle(self, *args, threads, events, work_ms, **options):
        if connection.vendor != "postgresql":
            raise CommandError("benchmark_audit measures PostgreSQL's row locks: set DATABASE_URL.")
        cases = list(Case.objects.order_by("pk")[:threads])
        if len(cases) < threads:
            raise CommandError(f"Needs {threads} cases; the database has {len(cases)}.")
        work = work_ms / 1000
        one = self.run([cases[0]], events, work)
        apart = self.run(cases, events, work)
        together = self.run([cases[0]] * threads, events, work)
        self.stdout.write(
            f"Audited writes, {events} per thread, {work_ms:g} ms of work each "
            f"(PostgreSQL, {threads} threads):"
        )
        rows = [
            ("1 thread, 1 case", one, ""),
            (
                f"{threads} threads, {threads} different cases",
                apart,
                f" ({apart / one:.2f} x one thread, {threads * events} events)",
            ),
            (
                f"{threads} threads, the same case (one chain)",
                together,
                f" ({together / one:.2f} x one thread)",
            ),
        ]
        for label, seconds, note in rows:
            self.stdout.write(f"  {label + ':':<42}{seconds:6.2f} s{note}")
        self.stdout.write(audit_status())

    def run(self, cases: list[Case], events: int, work: float) -> float:
        barrier = threading.Barrier(len(cases) + 1)
        failures: list[BaseException] = []

        def write(case: Case) -> None:
            try:
                barrier.wait()
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
            except BaseException as failure:  # reported below, after every thread stops
                failures.append(failure)
            finally:
                connections.close_all()

        workers = [threading.Thread(target=write, args=(case,)) for case in cases]
        for worker in workers:
            worker.start()
        barrier.wait()
        started = time.perf_counter()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started
        if failures:
            raise CommandError(f"A writer failed: {failures[0]!r}")
        return elapsed


def audit_status() -> str:
    broken = next(audit.find_broken_links(), None)
    return "verify: every chain checks out" if broken is None else f"verify: {broken.problem}"
