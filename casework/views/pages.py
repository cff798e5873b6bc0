"""The page every signed-in person starts from. (The policy pages: casework/policies.)"""

from django.views.generic import TemplateView

from casework import permissions, selectors


class HomeView(TemplateView):
    template_name = "casework/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["features"] = selectors.features_for(self.request.user)
        context["person"] = permissions.person_of(self.request.user)
        return context
