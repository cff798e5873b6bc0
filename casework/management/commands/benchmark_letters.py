"""Print how long Casework takes to render each kind of letter, against WeasyPrint alone.

For every kind the command builds a case at the right stage (through the real services,
inside a transaction it rolls back, so the database is left as it was), then times, after
a warm-up:

* Casework: the draft (reading the case, the template) and its PDF, as issuing does;
* WeasyPrint alone: the same HTML made into a PDF with nothing prepared in advance.

It prints the medians and their ratio, in elapsed time and in CPU time (the CPU figure is
steadier when other work shares the machine; the load average is printed too). It is a
measurement, not a test: nothing fails if a target is missed (the targets: a two-page
letter within 1.3 times WeasyPrint alone, and under 100 ms once warm).
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from casework import demo_cases
from casework.letters import demo, kinds, rendering
from casework.models import LetterKind, Sanction, StaffMember, Status
from casework.services import letters

RATIO_TARGET = 1.3
WARM_TARGET_MS = 100


class _RollBack(Exception):
    pass


@dataclass(frozen=True)
class Timing:
    elapsed_ms: float
    cpu_ms: float


@dataclass(frozen=True)
class Row:
    label: str
    pages: int
    casework: Timing
    alone: Timing

    @property
    def ratio(self) -> float:
        return self.casework.elapsed_ms / self.alone.elapsed_ms

    @property
    def met(self) -> bool:
        return self.ratio <= RATIO_TARGET and self.casework.elapsed_ms < WARM_TARGET_MS


class Command(BaseCommand):
    help = "Print the median render time of each letter kind, and WeasyPrint's alone."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=15, help="Timed renders per kind.")
        parser.add_argument("--warmup", type=int, default=2, help="Untimed renders first.")

    def handle(self, *args, repeat: int, warmup: int, **options):
        if repeat < 1 or warmup < 0:
            raise CommandError("--repeat must be at least 1 and --warmup at least 0.")
        if not StaffMember.objects.exists():
            raise CommandError("There are no people to write to: run manage.py seed_demo first.")
        rows: list[Row] = []
        try:
            with (
                transaction.atomic(),
                override_settings(
                    EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                    TASKS={
                        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
                    },
                ),
            ):
                for label, make in self.scenarios():
                    rows.append(self.measure(label, make(), repeat=repeat, warmup=warmup))
                raise _RollBack
        except _RollBack:
            pass
        self.report(rows, repeat=repeat)

    def scenarios(self) -> list[tuple[str, Callable[[], tuple]]]:
        """(label, a function giving (case, kind, inputs)) for each kind and audience."""
        volunteer = demo.VOLUNTEER

        def at(status, kind, **concern):
            return lambda: (demo_cases.case_at(status, **concern), kind, {})

        def outcome(sanction, **concern):
            def make():
                case = demo.case_with_outcome(sanction, **concern)
                return case, kinds.outcome_kind_for(case).kind, demo.outcome_inputs(case)

            return make

        def meeting():
            case = demo_cases.case_at(Status.INVESTIGATION)
            return case, LetterKind.INVESTIGATION_MEETING, demo.meeting_inputs(case)

        def suspended(kind):
            def make():
                case = demo_cases.case_at(Status.INVESTIGATION)
                suspension = demo.suspend(case)
                if kind == LetterKind.SUSPENSION_REVIEW:
                    demo.review(suspension)
                if kind == LetterKind.SUSPENSION_LIFTED:
                    demo.lift(suspension)
                return demo.fresh(case), kind, {}

            return make

        return [
            ("Investigation meeting invitation", meeting),
            ("Suspension", suspended(LetterKind.SUSPENSION)),
            ("Suspension review", suspended(LetterKind.SUSPENSION_REVIEW)),
            ("Suspension lifted", suspended(LetterKind.SUSPENSION_LIFTED)),
            (
                "Hearing invitation",
                at(Status.HEARING_SCHEDULED, LetterKind.HEARING_INVITATION),
            ),
            ("Outcome: first written warning", outcome(Sanction.FIRST_WRITTEN_WARNING)),
            ("Outcome: final written warning", outcome(Sanction.FINAL_WRITTEN_WARNING)),
            ("Dismissal with notice", outcome(Sanction.DISMISSAL_WITH_NOTICE)),
            ("Summary dismissal", outcome(Sanction.SUMMARY_DISMISSAL)),
            ("Outcome (volunteer): ended", outcome(Sanction.VOLUNTEERING_ENDED, **volunteer)),
            ("Appeal invitation", at(Status.APPEAL_HEARING, LetterKind.APPEAL_INVITATION)),
            ("Appeal outcome", at(Status.APPEAL_DECIDED, LetterKind.APPEAL_OUTCOME)),
            ("No further action", at(Status.NO_CASE_TO_ANSWER, LetterKind.NO_FURTHER_ACTION)),
        ]

    def measure(self, label: str, scenario: tuple, *, repeat: int, warmup: int) -> Row:
        case, kind, inputs = scenario
        by = demo_cases.hr()

        def casework() -> rendering.RenderedPdf:
            draft = letters.draft_letter(case=case, by=by, kind=kind, inputs=inputs)
            return rendering.html_to_pdf(draft.html)

        html = letters.draft_letter(case=case, by=by, kind=kind, inputs=inputs).html

        def alone() -> bytes:
            return rendering.weasyprint_alone(html)

        pages = casework().pages
        return Row(
            label=label,
            pages=pages,
            casework=_median(casework, repeat=repeat, warmup=warmup),
            alone=_median(alone, repeat=repeat, warmup=warmup),
        )

    def report(self, rows: list[Row], *, repeat: int) -> None:
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        self.stdout.write(
            f"Median of {repeat} warm renders per letter, in milliseconds (CPU time in "
            f"brackets); load average {load} on {os.cpu_count()} CPUs. Targets for a two-page "
            f"letter: at most {RATIO_TARGET}x WeasyPrint alone, and under {WARM_TARGET_MS} ms."
        )
        self.stdout.write(
            f"{'Letter':<34} {'Pages':>5} {'Casework':>16} {'WeasyPrint alone':>18} "
            f"{'Ratio':>6}  Targets"
        )
        for row in rows:
            self.stdout.write(
                f"{row.label:<34} {row.pages:>5} {_shown(row.casework):>16} "
                f"{_shown(row.alone):>18} {row.ratio:>6.2f}  {'met' if row.met else 'missed'}"
            )


def _shown(timing: Timing) -> str:
    return f"{timing.elapsed_ms:.1f} ({timing.cpu_ms:.1f})"


def _median(render: Callable, *, repeat: int, warmup: int) -> Timing:
    for _ in range(warmup):
        render()
    elapsed, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        render()
        elapsed.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return Timing(statistics.median(elapsed), statistics.median(cpu))
