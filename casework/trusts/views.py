"""The trust's settings page, for its administrators: their own trust's, nobody else's."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from casework import permissions
from casework.errors import CaseworkError, NotAllowed
from casework.models import Trust
from casework.views.base import ServiceFormView

from . import configuration
from .forms import TrustSettingsForm, field_name, initial_from
from .services import SettingsRefused, change_trust_settings, values_in_force


class TrustSettingsView(ServiceFormView):
    form_class = TrustSettingsForm
    template_name = "casework/trusts/settings.html"
    submit_label = "Save the settings"

    def dispatch(self, request, *args, **kwargs):
        trust_id = permissions.trust_of(request.user)
        if not permissions.may_administer_trust(request.user, trust_id):
            raise PermissionDenied(
                "The trust's settings are kept by its administrators. Ask one of them."
            )
        self.trust = Trust.objects.get(pk=trust_id)
        return super().dispatch(request, *args, **kwargs)

    @property
    def title(self) -> str:
        return f"Settings of {self.trust.name}"

    def get_initial(self):
        return initial_from(values_in_force(self.trust.pk))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        letterhead = configuration.letterhead_values(self.trust.pk)
        kwargs["has_logo"] = bool(letterhead.logo_file or letterhead.logo_static)
        kwargs["uses_static_logo"] = letterhead.logo_static
        return kwargs

    def form_valid(self, form):
        try:
            change_trust_settings(
                trust=self.trust, by=self.request.user, **form.service_arguments()
            )
        except SettingsRefused as refusal:
            for key, problem in refusal.problems.items():
                name = field_name(key)
                form.add_error(name if name in form.fields else None, problem)
            return self.form_invalid(form)
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.message) from None
        except CaseworkError as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"The settings of {self.trust.name} are saved. Deadlines set from now on, and "
            "letters issued from now on, follow them.",
        )
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letterhead = configuration.letterhead_values(self.trust.pk)
        context.update(
            trust=self.trust,
            letterhead=letterhead,
            saved=configuration.saved_settings(self.trust.pk),
            intro=(
                f"What {self.trust.name}'s letters are printed on, and the figures its "
                "procedure runs to. Each figure shows the installation's default beside it. "
                "A change applies to deadlines set from now on; a deadline already set stays "
                "as it was."
            ),
        )
        return context

    def get_success_url(self) -> str:
        return reverse("casework:trust_settings")

    def get_cancel_url(self) -> str:
        return reverse("index")
