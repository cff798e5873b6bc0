"""How the property-based tests run: derandomized in ``make test`` and CI, randomised with
many more examples in ``make fuzz``.

The profile is chosen by CASEWORK_HYPOTHESIS_PROFILE ("ci" unless ``make fuzz`` says
"fuzz") and loaded in conftest.py before any test module is imported. "ci" draws the same
examples on every run and keeps no example database, so a run passes or fails the same
way on every machine; every example a run ever failed on is kept in its test as an
explicit ``@example``, so it is tried first, always. "fuzz" draws new examples each run
and keeps what fails under .hypothesis/, to be turned into ``@example`` rows.
"""

from __future__ import annotations

import os

from hypothesis import settings

PROFILE = os.environ.get("CASEWORK_HYPOTHESIS_PROFILE", "ci")
if PROFILE not in ("ci", "fuzz"):
    raise RuntimeError("CASEWORK_HYPOTHESIS_PROFILE must be 'ci' or 'fuzz'.")
# How many times more examples each test draws under "fuzz".
SCALE = 10 if PROFILE == "fuzz" else 1

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("fuzz", derandomize=False, deadline=None, print_blob=True)


def load_profile() -> None:
    settings.load_profile(PROFILE)


def examples(count: int) -> int:
    """``count`` examples under "ci"; SCALE times as many under "fuzz"."""
    return count * SCALE
