"""The policy pages: the current version and its history for everyone signed in, a past
version by its number, and HR's import (upload, review, confirm).

Between the upload and the confirmation only the proposal is kept, in the signed-in
person's session: the uploaded file itself is read and let go, so a document that is never
confirmed leaves nothing behind.
"""

from __future__ import annotations

import dataclasses

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from casework import permissions, selectors
from casework.errors import CaseworkError, NotAllowed
from casework.views.base import ServiceFormView

from . import importing
from .forms import (
    ClauseDecisionForm,
    FigureConfirmationForm,
    PolicyFactsForm,
    PolicyUploadForm,
    clause_forms,
)
from .parsing import Proposal
from .review import reviewed
from .selectors import figures_of, policy_version, trust_of, version_history

DRAFT = "casework.policy_import"


def _policy_context(request, policy) -> dict:
    return {
        "policy": policy,
        "clauses_by_kind": [
            (kind, [c for c in policy.clauses.all() if c.kind == kind])
            for kind in ("GEN", "DO", "DONT")
        ],
        "figures": figures_of(policy),
        "show_review_notice": policy.is_current
        and permissions.may_read_policy_review_notice(request.user)
        and selectors.policy_review_overdue(policy),
        "may_import": permissions.may_import_policy(request.user),
    }


class PolicyView(TemplateView):
    """The trust's current version, and every version before it with what changed."""

    template_name = "casework/policy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        trust = trust_of(self.request.user)
        policy = selectors.current_policy(trust=trust) if trust is not None else None
        if policy is None:
            raise Http404("No policy has been loaded yet.")
        context.update(_policy_context(self.request, policy))
        context["history"] = version_history(trust=trust)
        return context


class PolicyVersionView(TemplateView):
    """One version by its number: what the cases raised under it cite."""

    template_name = "casework/policy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        trust = trust_of(self.request.user)
        if trust is None:
            raise Http404("No such version of the policy.")
        policy = policy_version(trust=trust, version=kwargs["version"])
        context.update(_policy_context(self.request, policy))
        return context


class HROnly:
    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_import_policy(request.user):
            raise PermissionDenied("Only HR case managers may import a version of the policy.")
        self.trust = trust_of(request.user)
        return super().dispatch(request, *args, **kwargs)


class PolicyImportView(HROnly, ServiceFormView):
    form_class = PolicyUploadForm
    template_name = "casework/form_page.html"
    title = "Import a new version of the policy"
    submit_label = "Read the document"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["intro"] = (
            f"Upload the new version of {self.trust.name}'s policy. Casework finds its lists "
            "of things to do and not to do, its general standards, its title and dates, and "
            "shows you what it found before anything is stored. Cases already raised keep "
            "citing the version they were raised under."
        )
        return context

    def perform(self, form):
        version = form.cleaned_data["version"].strip()
        importing.check_version(trust=self.trust, version=version)
        checked = importing.check_policy_upload(form.cleaned_data["document"])
        proposal = importing.read_policy(checked=checked, trust=self.trust)
        self.request.session[DRAFT] = {
            "trust": self.trust.pk,
            "version": version,
            "source": dataclasses.asdict(importing.Source.of(checked)),
            "proposal": proposal.as_dict(),
        }

    def get_success_url(self) -> str:
        return reverse("casework:policy_import_review")

    def get_cancel_url(self) -> str:
        return reverse("casework:policy")


class PolicyImportReviewView(HROnly, TemplateView):
    """What was found, for HR to confirm: keep, drop or merge each general standard,
    correct summaries, flags and facts, confirm any changed figure, then adopt."""

    template_name = "casework/policies/review.html"

    def _draft(self) -> dict | None:
        """The document read, waiting to be confirmed; none if it was for another trust or
        was read by an earlier release of Casework and no longer fits."""
        draft = self.request.session.get(DRAFT)
        if not isinstance(draft, dict) or draft.get("trust") != self.trust.pk:
            return None
        try:
            Proposal.from_dict(draft["proposal"])
            importing.Source(**draft["source"])
            str(draft["version"])
        except (KeyError, TypeError, ValueError):
            self.request.session.pop(DRAFT, None)
            return None
        return draft

    def get(self, request, *args, **kwargs):
        draft = self._draft()
        if draft is None:
            messages.info(request, "Upload the policy document first.")
            return redirect("casework:policy_import")
        proposal = Proposal.from_dict(draft["proposal"])
        return self.render_to_response(self._context(draft, proposal))

    def post(self, request, *args, **kwargs):
        draft = self._draft()
        if draft is None:
            messages.info(request, "Nothing is waiting to be confirmed: upload the document.")
            return redirect("casework:policy_import")
        if "discard" in request.POST:
            request.session.pop(DRAFT, None)
            messages.info(request, "The document was discarded. Nothing was stored.")
            return redirect("casework:policy")
        proposal = Proposal.from_dict(draft["proposal"])
        checks = importing.figure_checks(trust=self.trust, proposal=proposal)
        facts = PolicyFactsForm(request.POST, prefix="facts")
        clauses = clause_forms(proposal, request.POST)
        figures = FigureConfirmationForm(request.POST, prefix="figures", checks=checks)
        valid = [form.is_valid() for form in (facts, figures, *clauses)]
        if all(valid):
            try:
                confirmed = reviewed(
                    proposal,
                    [form.decision() for form in clauses],
                    facts=facts.cleaned_data,
                )
                policy = importing.adopt_policy_version(
                    trust=self.trust,
                    version=draft["version"],
                    proposal=confirmed,
                    source=importing.Source(**draft["source"]),
                    by=request.user,
                    confirmed_figures=figures.confirmed(),
                )
            except NotAllowed as refusal:
                raise PermissionDenied(refusal.message) from None
            except CaseworkError as refusal:
                facts.add_error(None, refusal.message)
            else:
                request.session.pop(DRAFT, None)
                messages.success(
                    request,
                    f"Version {policy.version} is now the current version of the policy. "
                    "Cases raised before keep citing the version they were raised under.",
                )
                return redirect("casework:policy")
        context = self._context(draft, proposal, facts=facts, clauses=clauses, figures=figures)
        return self.render_to_response(context, status=400)

    def _context(self, draft, proposal, *, facts=None, clauses=None, figures=None) -> dict:
        checks = importing.figure_checks(trust=self.trust, proposal=proposal)
        clauses = clauses or clause_forms(proposal)
        errors = [
            *(facts.non_field_errors() if facts is not None else []),
            *(e for form in clauses if form.is_bound for e in form.non_field_errors()),
        ]
        return self.get_context_data(
            version=draft["version"],
            source=draft["source"],
            proposal=proposal,
            trust=self.trust,
            facts=facts
            or PolicyFactsForm(prefix="facts", initial=PolicyFactsForm.initial_for(proposal)),
            clause_forms=clauses,
            sections=_sections(clauses),
            figures=figures or FigureConfirmationForm(prefix="figures", checks=checks),
            figure_checks=checks,
            errors=errors,
            has_errors=any(
                form.is_bound and form.errors
                for form in (facts, figures, *clauses)
                if form is not None
            ),
        )


def _sections(forms: list[ClauseDecisionForm]) -> list[tuple[str, list[ClauseDecisionForm]]]:
    titles = {"GEN": "General standards", "DO": "Do", "DONT": "Do not"}
    return [
        (titles[kind], [form for form in forms if form.clause.kind == kind])
        for kind in ("GEN", "DO", "DONT")
    ]
