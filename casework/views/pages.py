"""Pages every signed-in person can reach: home and their notices. (The policy pages:
casework/policies.)"""

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView

from casework import permissions, selectors
from casework.dashboards import home
from casework.services import notices


class HomeView(TemplateView):
    template_name = "casework/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["features"] = selectors.features_for(self.request.user)
        context["person"] = permissions.person_of(self.request.user)
        context["sections"] = home.sections_for(self.request.user)
        context["review_due"] = home.review_alert(self.request.user)
        context["may_download_pack"] = permissions.may_download_policy_review_pack(
            self.request.user
        )
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
