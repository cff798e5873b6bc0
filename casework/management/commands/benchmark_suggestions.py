"""Print what clause suggestions cost: the memory the model adds and the warm latency.

Memory is the process's resident size (Linux /proc) before the suggester is first imported
and after its first suggestion: the libraries it brings (numpy, tokenizers, safetensors),
the model, its tokenizer and the policy's ranker. Latency is one suggestion,
end to end as a form asks for it (the database's newest examples checked, the description
ranked), timed over the labelled incidents after a warm-up. A measurement, not a test:
nothing fails if a target is missed (the targets: under 50 ms warm, under 150 MB added).
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casework import selectors
from casework.management.trust_option import add_trust_argument, trust_from

LATENCY_TARGET_MS = 50
MEMORY_TARGET_MB = 150
INCIDENTS = Path(settings.BASE_DIR) / "fixtures" / "clause-incidents.jsonl"


def resident_mb() -> float:
    """The resident set size of this process, in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise CommandError("This machine does not report memory in /proc/self/status.")


class Command(BaseCommand):
    help = "Print the memory clause suggestions add and their warm latency (median and p95)."

    def add_arguments(self, parser):
        add_trust_argument(parser)
        parser.add_argument("--repeat", type=int, default=5, help="Passes over the incidents.")

    def handle(self, *args, repeat: int, **options):
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        policy = selectors.current_policy(trust=trust_from(options.get("trust")))
        if policy is None:
            raise CommandError("No policy is loaded: run manage.py load_policy first.")
        texts = [json.loads(line)["text"] for line in INCIDENTS.read_text().splitlines() if line]
        before = resident_mb()
        started = time.perf_counter()
        # Imported only now, so that what it brings is counted.
        from casework.suggestions import SuggestionsUnavailable, suggest

        try:
            suggest(texts[0], policy=policy)
        except SuggestionsUnavailable as error:
            raise CommandError(f"Suggestions are unavailable: {error}") from None
        cold_ms = (time.perf_counter() - started) * 1000
        added = resident_mb() - before
        for text in texts[:10]:
            suggest(text, policy=policy)
        timings = []
        for _ in range(repeat):
            for text in texts:
                started = time.perf_counter()
                suggest(text, policy=policy)
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        median = statistics.median(timings)
        p95 = timings[int(0.95 * (len(timings) - 1))]
        write = self.stdout.write
        write(
            f"Memory added by suggestions (libraries, model, ranker): {added:.1f} MB "
            f"(target < {MEMORY_TARGET_MB})"
        )
        write(f"First suggestion (cold, loading the model): {cold_ms:.0f} ms")
        write(
            f"Warm suggestion over {len(timings)} descriptions: median {median:.1f} ms, "
            f"95th percentile {p95:.1f} ms (target < {LATENCY_TARGET_MS})"
        )
        write("Load average while measuring: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
