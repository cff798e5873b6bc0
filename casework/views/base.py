"""A form, then one service call: the shape of every page that changes something."""

from __future__ import annotations

import inspect

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView

from casework import selectors
from casework.errors import CaseworkError, NotAllowed
from casework.uploads import upload_refusal


class ServiceFormView(FormView):
    """Show a form; on a valid POST call ``perform``; show the service's message on refusal.

    A refused action changes nothing (services are atomic) and the person sees why.
    """

    template_name = "casework/form_page.html"
    title = ""
    intro = ""
    submit_label = "Save"
    success_message = ""

    def form_accepts_case(self) -> bool:
        return "case" in inspect.signature(self.form_class.__init__).parameters

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if getattr(self, "case", None) is not None and self.form_accepts_case():
            kwargs["case"] = self.case
        return kwargs

    def get_form(self, form_class=None):
        """A submission whose files went past the request's cap is refused whole."""
        form = super().get_form(form_class)
        refusal = upload_refusal(self.request)
        if refusal and form.is_bound:
            file_fields = [n for n, f in form.fields.items() if isinstance(f, forms.FileField)]
            form.add_error(file_fields[0] if file_fields else None, refusal)
        return form

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.perform(form)
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.message) from None
        except CaseworkError as refusal:
            form.add_error(None, refusal.message)
            return self.form_invalid(form)
        message = self.get_success_message()
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url())

    def get_success_message(self) -> str:
        return self.success_message

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            intro=self.intro,
            submit_label=self.submit_label,
            case=getattr(self, "case", None),
            cancel_url=self.get_cancel_url(),
        )
        return context

    def get_cancel_url(self) -> str:
        case = getattr(self, "case", None)
        return reverse("casework:case", args=[case.reference]) if case else reverse("index")

    def get_success_url(self) -> str:
        next_url = self.request.GET.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={self.request.get_host()}
        ):
            return next_url
        return self.get_cancel_url()


class CaseFormView(ServiceFormView):
    """A form about one case. Whoever may not see the case gets 404, as if it did not exist;
    whoever may see it but not take this action gets 403 with the reason."""

    template_name = "casework/case_action.html"
    refusal = "You cannot take this step in this case."

    def dispatch(self, request, *args, **kwargs):
        self.case = selectors.case_for(request.user, kwargs["reference"])
        if not self.may_act():
            raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)

    def may_act(self) -> bool:
        raise NotImplementedError
