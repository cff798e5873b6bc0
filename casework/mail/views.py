"""HR's page of e-mail that could not be sent, each with a button to send it again."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from casework import audit, permissions
from casework.errors import CaseworkError, NotAllowed
from casework.models import MailStatus, OutgoingMail

from . import queue


class HROnly(View):
    def dispatch(self, request, *args, **kwargs):
        if not permissions.may_see_failed_mail(request.user):
            raise PermissionDenied("The e-mail that could not be sent is for HR case managers.")
        return super().dispatch(request, *args, **kwargs)


class FailedMailView(HROnly, TemplateView):
    template_name = "casework/mail/failed.html"
    page_size = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        before = self.request.GET.get("before", "")
        before = int(before) if before.isascii() and before.isdigit() and len(before) < 19 else None
        page = list(
            queue.failed_messages(self.request.user, before=before, limit=self.page_size + 1)
        )
        audit.record(
            action="viewed.failed_mail",
            actor=self.request.user,
            summary="Failed e-mail viewed",
            details={"before": before} if before else None,
        )
        waiting_count, waiting = queue.long_waiting(self.request.user, limit=10)
        context.update(
            waiting_count=waiting_count,
            waiting=waiting,
            stale_minutes=settings.CASEWORK_MAIL["STALE_MINUTES"],
            messages_failed=page[: self.page_size],
            older=page[self.page_size - 1].pk if len(page) > self.page_size else None,
        )
        return context


class ResendMailView(HROnly):
    def post(self, request, message_id: int):
        message = get_object_or_404(OutgoingMail, pk=message_id, status=MailStatus.FAILED)
        try:
            queue.resend(message=message, by=request.user)
        except NotAllowed as refusal:
            raise PermissionDenied(refusal.message) from None
        except CaseworkError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, "The e-mail is on its way again.")
        return redirect("casework:failed_mail")
