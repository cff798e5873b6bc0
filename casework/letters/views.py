"""Letters: HR prepares, previews and issues them; whoever may see the case may download them.

Whoever may not see the case gets 404, as if it did not exist; whoever may see it but not
act (only an HR case manager free of conflict prepares, issues or delivers) gets 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView

from casework import permissions, selectors
from casework.errors import CaseworkError, NotAllowed
from casework.letters import kinds
from casework.letters.forms import DeliveryForm, LetterForm, form_class_for
from casework.models import Case, DeliveryMethod, Letter
from casework.services import letters
from casework.views.base import CaseFormView


def pdf_response(content: bytes, *, filename: str, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class LetterDraftMixin:
    """Preview a letter (HTML on the page, PDF on request), then issue what was previewed.

    The form posts ``action``: "preview" (the default), "pdf" (the draft as a PDF) or
    "issue". The draft's digest travels in the form, so a letter that changed since it was
    previewed is not issued unseen.
    """

    case: Case
    spec: kinds.Kind
    preview: letters.Preview | None = None

    def get_form_class(self):
        return form_class_for(self.spec)

    def get_form_kwargs(self):
        kwargs = FormView.get_form_kwargs(self)
        kwargs.update(case=self.case, spec=self.spec)
        return kwargs

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if self.spec.refusal(self.case) is None:
            # A letter that needs nothing typed in is previewed at once; one that does waits
            # for its inputs (nothing is shown as an error before anything was entered).
            self.preview = self.draft(form, inputs=form.inputs(), quiet=True)
        return self.render_to_response(self.get_context_data(form=form))

    def draft(
        self, form: LetterForm, *, inputs: dict, pdf: bool = False, quiet: bool = False
    ) -> letters.Preview | None:
        try:
            preview = letters.preview_letter(
                case=self.case, by=self.request.user, kind=self.spec.kind, inputs=inputs, pdf=pdf
            )
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.message) from None
        except CaseworkError as refusal:
            if not quiet:
                form.add_error(None, refusal.message)
            return None
        if form.is_bound:
            form.data = form.data.copy()
            form.data["digest"] = preview.draft.digest
        else:
            form.initial["digest"] = preview.draft.digest
        return preview

    def form_valid(self, form):
        action = self.request.POST.get("action", "preview")
        inputs = form.inputs()
        if action == "pdf":
            preview = self.draft(form, inputs=inputs, pdf=True)
            if preview is not None:
                return pdf_response(
                    preview.pdf.content,
                    filename=f"draft-{self.case.reference}-{self.spec.kind.value}.pdf",
                    attachment=False,
                )
        elif action == "issue":
            if not form.cleaned_data.get("confirm"):
                form.add_error("confirm", "Read the draft, then tick this box to issue it.")
            elif not form.cleaned_data.get("digest"):
                form.add_error(None, "Preview the letter before issuing it.")
            else:
                try:
                    letter = self.issue(form, inputs)
                except NotAllowed as refusal:
                    raise PermissionDenied(refusal.message) from None
                except CaseworkError as refusal:
                    form.add_error(None, refusal.message)
                    # Whatever changed, the new draft must be read again before it is issued.
                    form.data = form.data.copy()
                    form.data.pop("confirm", None)
                else:
                    messages.success(self.request, f"Letter issued: {letter.title}.")
                    return redirect(self.issued_url(letter))
        self.preview = self.draft(form, inputs=inputs, quiet=bool(form.errors))
        return self.render_to_response(self.get_context_data(form=form))

    def issue(self, form: LetterForm, inputs: dict) -> Letter:
        return letters.issue_letter(
            case=self.case,
            by=self.request.user,
            kind=self.spec.kind,
            inputs=inputs,
            expected_digest=form.cleaned_data["digest"],
        )

    def issued_url(self, letter: Letter) -> str:
        return reverse("casework:letter", args=[self.case.reference, letter.pk])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            case=self.case,
            spec=self.spec,
            spec_title=self.spec.title_for(self.case),
            refusal=self.spec.refusal(self.case),
            preview=self.preview,
            preview_html=self.preview.draft.screen_html() if self.preview else "",
            issues_outcome=self.spec.issues_outcome(self.case),
        )
        return context


def _manager_only(request, case: Case) -> None:
    if not permissions.may_manage_case(case, request.user):
        raise PermissionDenied(
            "Only an HR case manager free of any conflict in this case prepares its letters."
        )


class LettersView(TemplateView):
    """The case's letters, newest first, and (for HR) the letters that may be issued now."""

    template_name = "casework/letters/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = selectors.case_for(self.request.user, kwargs["reference"])
        can_manage = permissions.may_manage_case(case, self.request.user)
        context.update(
            case=case,
            letters=case.letters.prefetch_related("deliveries").order_by("-issued_at", "-id"),
            can_manage=can_manage,
            kinds=[
                (spec, spec.title_for(case), spec.refusal(case))
                for spec in kinds.KINDS.values()
                if spec.applies_to(case)
            ]
            if can_manage
            else [],
        )
        return context


class PrepareLetterView(LetterDraftMixin, FormView):
    template_name = "casework/letters/prepare.html"

    def dispatch(self, request, *args, **kwargs):
        self.case = selectors.case_for(request.user, kwargs["reference"])
        _manager_only(request, self.case)
        spec = kinds.KINDS.get(kwargs["kind"])
        if spec is None or not spec.applies_to(self.case):
            raise Http404("No such letter.")
        self.spec = spec
        return super().dispatch(request, *args, **kwargs)


class LetterView(TemplateView):
    """An issued letter's record: who issued it, when, its hash and how it was delivered."""

    template_name = "casework/letters/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = selectors.case_for(self.request.user, kwargs["reference"])
        letter = get_object_or_404(case.letters, pk=kwargs["letter_id"])
        can_manage = permissions.may_manage_case(case, self.request.user)
        context.update(
            case=case,
            letter=letter,
            deliveries=letter.deliveries.select_related("recorded_by"),
            emails=letter.outgoing_mail.order_by("id"),
            superseded_by=case.letters.filter(supersedes=letter).first(),
            can_manage=can_manage,
            delivery_form=DeliveryForm() if can_manage and not letter.is_superseded else None,
        )
        return context


class LetterPdfView(View):
    """An issued letter's PDF: permission-checked, checked against its hash, audited."""

    def get(self, request, reference, letter_id):
        case = selectors.case_for(request.user, reference)
        letter = get_object_or_404(case.letters, pk=letter_id)
        try:
            content = letters.download_letter(letter=letter, by=request.user)
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.message) from None
        except CaseworkError as refusal:
            messages.error(request, refusal.message)
            return redirect("casework:letter", reference, letter_id)
        return pdf_response(
            content,
            filename=f"{case.reference}-{letter.kind}-{letter.dated:%Y-%m-%d}.pdf",
            attachment=True,
        )


class DeliverLetterView(CaseFormView):
    form_class = DeliveryForm
    title = "Record the letter's delivery"
    intro = (
        "E-mail sends the PDF to the recipient's work address within moments, with a message "
        "that says only that a letter is attached; the case's timeline shows when it has gone. "
        "Or record that it was handed over or posted."
    )
    submit_label = "Deliver"
    refusal = "Only an HR case manager free of any conflict in this case may deliver its letters."

    def dispatch(self, request, *args, **kwargs):
        self.letter_id = kwargs["letter_id"]
        return super().dispatch(request, *args, **kwargs)

    def may_act(self):
        return permissions.may_manage_case(self.case, self.request.user)

    def get_letter(self) -> Letter:
        return get_object_or_404(self.case.letters, pk=self.letter_id)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letter = self.get_letter()
        context["intro"] = f"{letter.title}, dated {letter.dated:%d %B %Y}. {self.intro}"
        return context

    def perform(self, form):
        data = form.cleaned_data
        delivery = letters.deliver_letter(
            letter=self.get_letter(),
            by=self.request.user,
            method=data["method"],
            delivered_on=data.get("delivered_on"),
            notes=data.get("notes", ""),
        )
        self.success_message = (
            "The letter is on its way by e-mail: the timeline shows when it has gone."
            if delivery.method == DeliveryMethod.EMAIL
            else f"Delivery recorded: {delivery.get_method_display().lower()}."
        )

    def get_cancel_url(self):
        return reverse("casework:letter", args=[self.case.reference, self.letter_id])

    def get_success_url(self):
        return self.get_cancel_url()
