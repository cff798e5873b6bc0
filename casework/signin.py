"""Sign-in protection: repeated failures lock the sign-in out for a while (django-axes).

The lockout counts failures per e-mail address and client address together (see
``AXES_LOCKOUT_PARAMETERS`` in the settings); a person who is locked out sees the sign-in
page again, saying so and for how long, rather than a bare refusal.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import audit
from .forms import SignInForm


def attempted_email(request: HttpRequest, credentials: dict | None) -> str:
    """The e-mail address tried, compared without regard to case as sign-in itself does,
    so that typing it in capitals does not get round the count."""
    if credentials:
        value = credentials.get("username") or credentials.get("email") or ""
    else:
        value = request.POST.get("username", "")
    return str(value).strip().lower()[:254]


def cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def lockout_message() -> str:
    return (
        "Too many unsuccessful attempts to sign in with this e-mail address. For your "
        f"protection, sign-in is paused for {cool_off_minutes()} minutes. If you have "
        "forgotten your password, reset it below; if you did not try to sign in, tell your "
        "HR team."
    )


class LockedOutSignInForm(SignInForm):
    """The sign-in form as a locked-out person sees it: the reason in place of any error."""

    def __init__(self, request: HttpRequest, *, email: str):
        super().__init__(request, initial={"username": email})

    def non_field_errors(self):
        return self.error_class([lockout_message()], error_class="nonfield")


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """The sign-in page again, with the reason, answered 429 (Too Many Requests)."""
    email = attempted_email(request, credentials)
    audit.record(
        action="signin.locked_out",
        summary="Sign-in refused: too many failed attempts",
        actor=None,
        details={"email": email, "path": request.path[:200]},
    )
    return render(
        request,
        "registration/login.html",
        {
            "form": LockedOutSignInForm(request, email=email),
            "next": request.POST.get("next", ""),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out sign-in before any password is checked.

    Only sign-ins through a web request are counted: ``authenticate`` without a request
    (a management command, or the test client's ``login``) has no client address to
    count against and cannot be used to guess passwords from outside.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        try:
            return super().authenticate(request, username=username, password=password, **kwargs)
        except AxesBackendPermissionDenied:
            request.casework_locked_out = True  # audited as a lockout, not a wrong password
            raise


@receiver(user_login_failed)
def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    """Every failed sign-in through the web is a refused access: it goes in the audit trail."""
    if request is None or getattr(request, "casework_locked_out", False):
        return
    audit.record(
        action="signin.failed",
        summary="Sign-in failed: wrong e-mail address or password",
        actor=None,
        details={"email": attempted_email(request, credentials)},
    )
