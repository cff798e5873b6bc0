"""The clause tick boxes with the best suggestions first, and what the forms send back.

Rendered on the server, for the page and for the script that refreshes the suggestions
as the reporter types, so both show the same thing and the page works without script.
"""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string

from .ranking import Suggestion
from .suggester import OFFERED_FIRST

OFFERED_FIELD = "offered_clauses"


def offered_from(data) -> list[str]:
    """The clause codes the page said it suggested (checked against the policy later)."""
    return (data.get(OFFERED_FIELD) or "").split()[:10] if data else []


class SuggestedClauses(forms.CheckboxSelectMultiple):
    """Tick boxes for clauses: with suggestions, the best three first with the reason for
    each, and the rest of the policy folded away but one click off."""

    template_name = "casework/suggestions/clause_choices.html"

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.suggestions: list[Suggestion] = []
        self.unavailable = False

    def offer(self, suggestions: list[Suggestion] | None, *, unavailable: bool = False) -> None:
        self.suggestions = list(suggestions or [])[:OFFERED_FIRST]
        self.unavailable = unavailable

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        options = [option for _, group, _ in context["widget"]["optgroups"] for option in group]
        by_code = {}
        for option in options:
            clause = getattr(option["value"], "instance", None)
            option["code"] = clause.code if clause is not None else ""
            option["summary"] = clause.summary if clause is not None else option["label"]
            option["safeguarding"] = bool(clause and clause.safeguarding)
            option["data_protection"] = bool(clause and clause.data_protection)
            by_code[option["code"]] = option
        suggested = []
        for suggestion in self.suggestions:
            option = by_code.get(suggestion.code)
            if option is not None:
                suggested.append({"option": option, "suggestion": suggestion})
        shown = {item["option"]["code"] for item in suggested}
        others = [option for option in options if option["code"] not in shown]
        context.update(
            suggested=suggested,
            others=others,
            others_open=any(option["selected"] for option in others),
            offered=" ".join(item["suggestion"].code for item in suggested),
            offered_field=OFFERED_FIELD,
            unavailable=self.unavailable,
            safeguarding=[i["suggestion"].code for i in suggested if i["suggestion"].safeguarding],
            data_protection=[
                i["suggestion"].code for i in suggested if i["suggestion"].data_protection
            ],
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's own templates (not the form renderer's), like every other page.
        return render_to_string(self.template_name, self.get_context(name, value, attrs))
