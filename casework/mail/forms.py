"""Django's password reset, its e-mail queued like every other (a stranger may ask for one,
so it must never wait on the mail server either)."""

from __future__ import annotations

from django.contrib.auth.forms import PasswordResetForm
from django.template import loader

from .queue import send_after_commit


class QueuedPasswordResetForm(PasswordResetForm):
    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        send_after_commit(to=[to_email], subject=subject, body=body)
