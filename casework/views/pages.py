"""Pages every signed-in person can reach: home and the policy."""

from django.http import Http404
from django.views.generic import TemplateView

from casework import permissions, selectors


class HomeView(TemplateView):
    template_name = "casework/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["features"] = selectors.features_for(self.request.user)
        context["person"] = permissions.person_of(self.request.user)
        return context


class PolicyView(TemplateView):
    template_name = "casework/policy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        policy = selectors.current_policy()
        if policy is None:
            raise Http404("No policy has been loaded yet.")
        context["policy"] = policy
        context["clauses_by_kind"] = [
            (kind, [c for c in policy.clauses.all() if c.kind == kind])
            for kind in ("GEN", "DO", "DONT")
        ]
        context["show_review_notice"] = permissions.may_read_policy_review_notice(
            self.request.user
        ) and selectors.policy_review_overdue(policy)
        return context
