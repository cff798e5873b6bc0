"""Clause suggestions on the pages that ask for a clause: the concern form and framing an
allegation. Suggestions only ever add to a page: when they cannot be given, the page says
so and works as it does without them."""

from __future__ import annotations

from casework.models import Case, Policy
from casework.suggestions import OFFERED_FIRST, SuggestionsUnavailable, available, suggest

# Fewer words than this say too little to suggest anything from.
MIN_WORDS = 4
# The longest description the concern form accepts.
MAX_CHARACTERS = 20000


def concern_context(data) -> dict[str, str]:
    """What else the concern form knows that bears on the clause: whose account, and
    whether pupils are involved."""
    return {key: str(data.get(key) or "") for key in ("account_kind", "pupils_involved")}


def offer_to_concern_form(form, *, policy: Policy) -> None:
    """Put the best clauses for what the reporter described first on the concern form."""
    source = form.data if form.is_bound else form.initial
    text = str(source.get("what_was_seen") or "")[:MAX_CHARACTERS]
    widget = form.fields["suspected_clauses"].widget
    if len(text.split()) < MIN_WORDS:
        widget.offer(None, unavailable=not available())
        return
    try:
        widget.offer(
            suggest(text, policy=policy, context=concern_context(source), limit=OFFERED_FIRST)
        )
    except SuggestionsUnavailable:
        widget.offer(None, unavailable=True)


def for_case(case: Case) -> dict:
    """The suggestions HR sees beside the clause list, from the concern's own description
    (leaving out what its reporter ticked, which the case page shows anyway)."""
    try:
        found = suggest(
            case.what_was_seen,
            policy=case.policy,
            context=concern_context(
                {"account_kind": case.account_kind, "pupils_involved": case.pupils_involved}
            ),
            ignore_case=case.pk,
            limit=OFFERED_FIRST,
        )
    except SuggestionsUnavailable:
        return {"suggestions": [], "suggestions_unavailable": True, "offered": ""}
    clause_ids = dict(case.policy.clauses.values_list("code", "pk"))
    return {
        "suggestions": [(s, clause_ids.get(s.code)) for s in found],
        "suggestions_unavailable": False,
        "offered": " ".join(s.code for s in found),
    }
