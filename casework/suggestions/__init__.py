"""Clause suggestions: from a reporter's own words to the clauses most likely breached.

Given an incident description, ``suggest`` ranks the clauses of the policy version in
force, each with a score and a reason a person can check: the clause's plain-English
summary and the words of the description that led to it. It runs entirely on this
machine: a small embedding model whose files ship inside the ``wordllama`` wheel (nothing
is downloaded, nothing leaves the process), cue words written from the policy's meaning
(``vocabulary``), and the trust's own decisions (``learning``): every allegation HR frames
and every clause a reporter confirms becomes a labelled example.

The model is loaded once per process, on first use. When it cannot be loaded, or the
CASEWORK_SUGGESTIONS setting is off, ``suggest`` raises SuggestionsUnavailable and the
concern and allegation forms work as they do without suggestions, saying so.
"""

from .ranking import Suggestion
from .suggester import OFFERED_FIRST, SuggestionsUnavailable, available, enabled, suggest

__all__ = [
    "OFFERED_FIRST",
    "Suggestion",
    "SuggestionsUnavailable",
    "available",
    "enabled",
    "suggest",
]
