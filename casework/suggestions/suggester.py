"""Suggestions for a description: the ranker of the policy in force, and its examples.

Per process, per policy version: one ranker (built on first use) and the prepared
examples. Each call asks the database only which examples are newest; descriptions are
read, and prepared, only for examples not seen before, and are not kept once prepared.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.conf import settings

from casework.models import Policy

from . import learning
from .model import ModelUnavailable, get_model
from .ranking import ClauseFacts, Example, ExampleSet, Ranker, Suggestion

OFFERED_FIRST = 3


class SuggestionsUnavailable(RuntimeError):
    """Suggestions cannot be given now; every form works without them."""


@dataclass
class _PolicyIndex:
    ranker: Ranker
    signature: tuple = ()
    examples: ExampleSet | None = None
    # (case id, raised at) -> (vector, concepts)
    prepared: dict[tuple, tuple] = field(default_factory=dict)


_lock = threading.Lock()
_indexes: dict[int, _PolicyIndex] = {}


def enabled() -> bool:
    return bool(settings.CASEWORK_SUGGESTIONS["ENABLED"])


def available() -> bool:
    """Whether suggestions can be given (the model loads, and they are switched on)."""
    if not enabled():
        return False
    try:
        get_model()
    except ModelUnavailable:
        return False
    return True


def suggest(
    text: str,
    *,
    policy: Policy,
    context: dict[str, str] | None = None,
    ignore_case: int | None = None,
    limit: int | None = None,
    learned: bool = True,
) -> list[Suggestion]:
    """The policy's clauses, best fit first, each with a score and the reason.

    ``ignore_case`` leaves out that case's own examples, so HR sees what the description
    suggests rather than what its reporter ticked; ``learned=False`` leaves out every
    decision (to measure what the policy's own wording and the model do). Raises
    SuggestionsUnavailable when the model cannot be loaded or suggestions are switched off.
    """
    if not enabled():
        raise SuggestionsUnavailable("Clause suggestions are switched off.")
    try:
        index = _index_for(policy)
    except ModelUnavailable as error:
        raise SuggestionsUnavailable(str(error)) from error
    examples = _examples_for(index, policy) if learned else None
    return index.ranker.rank(
        text, examples=examples, ignore=ignore_case, context=context, limit=limit
    )


def _index_for(policy: Policy) -> _PolicyIndex:
    index = _indexes.get(policy.pk)
    if index is not None:
        return index
    model = get_model()
    with _lock:
        index = _indexes.get(policy.pk)
        if index is None:
            clauses = [
                ClauseFacts(
                    code=c.code,
                    text=c.text,
                    summary=c.summary,
                    safeguarding=c.safeguarding,
                    data_protection=c.data_protection,
                )
                for c in policy.clauses.order_by("order")
            ]
            index = _indexes[policy.pk] = _PolicyIndex(ranker=Ranker(clauses, model))
        return index


def _examples_for(index: _PolicyIndex, policy: Policy) -> ExampleSet:
    decisions = learning.recent_decisions(
        policy=policy, limit=settings.CASEWORK_SUGGESTIONS["EXAMPLES"]
    )
    signature = tuple(decisions)
    if signature == index.signature and index.examples is not None:
        return index.examples
    with _lock:
        if signature == index.signature and index.examples is not None:
            return index.examples
        by_case: dict[tuple, dict[str, float]] = {}
        for _, case_id, raised_at, code, source in decisions:
            votes = by_case.setdefault((case_id, raised_at), {})
            votes[code] = max(votes.get(code, 0.0), learning.WEIGHT[source])
        new = {key[0]: key for key in by_case if key not in index.prepared}
        ranker = index.ranker
        if new:
            for case_id, text in learning.descriptions(new).items():
                prepared = ranker.prepare([Example(key=case_id, text=text, votes=())])
                index.prepared[new[case_id]] = (prepared.vectors[0], prepared.concepts[0])
        for gone in set(index.prepared) - set(by_case):
            del index.prepared[gone]
        rows, vectors, concepts = [], [], []
        for key, votes in by_case.items():
            if key in index.prepared:
                vector, found = index.prepared[key]
                rows.append(Example(key=key[0], text="", votes=tuple(votes.items())))
                vectors.append(vector)
                concepts.append(found)
        index.examples = ranker.example_set(rows, vectors, concepts)
        index.signature = signature
        return index.examples


def forget() -> None:
    """Drop every cached ranker and example (tests; a newly loaded policy is new anyway)."""
    with _lock:
        _indexes.clear()
