"""Pages every signed-in person can reach: home, the policy and their notices."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.generic import TemplateView

from casework import permissions, selectors
from casework.services import notices


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


class NoticesView(TemplateView):
    """What Casework has told this person; reading them marks them read."""

    template_name = "casework/notices.html"

    def dispatch(self, request, *args, **kwargs):
        if permissions.person_of(request.user) is None:
            raise PermissionDenied("Notices are for members of the trust's workforce.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notices"] = selectors.notices_for(self.request.user)
        notices.mark_read(person=permissions.person_of(self.request.user))
        return context
