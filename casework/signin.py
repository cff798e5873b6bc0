"""Sign-in protection: repeated failures slow guessing down, without letting a stranger
keep a named person out (django-axes, and Casework's own limits on top of it).

Three limits, each over the cool-off (``AXES_COOLOFF_TIME``):

* one e-mail address from one client address (axes, ``AXES_FAILURE_LIMIT``): the ordinary
  lockout after a few wrong passwords;
* one e-mail address from anywhere (``CASEWORK_SIGNIN_ACCOUNT_FAILURE_LIMIT``): one account
  attacked from many addresses;
* one client address, whatever e-mail address is tried
  (``CASEWORK_SIGNIN_ADDRESS_FAILURE_LIMIT``): one password sprayed across many accounts.

A browser the person has signed in from before (``RecognisedBrowser``, known by a cookie of
its own) passes all three: a stranger, who cannot have that cookie, locks out only
strangers, so nobody can keep a colleague out of their own computer, even from the same
school network. That browser has its own allowance of wrong passwords
(``AXES_FAILURE_LIMIT``); past it, it is no longer recognised and the limits apply to it.

A person who is locked out sees the sign-in page again, saying so and for how long.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_login_failed
from django.db.models import F, Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from . import audit
from .forms import SignInForm
from .middleware import client_address
from .models import RecognisedBrowser, User

BROWSER_COOKIE = "casework_browser"


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


LOCKED_FROM_HERE, LOCKED_EVERYWHERE, LOCKED_NETWORK = "pair", "account", "address"


def lockout_message(reason: str = LOCKED_FROM_HERE) -> str:
    what = {
        LOCKED_FROM_HERE: "with this e-mail address",
        LOCKED_EVERYWHERE: "with this e-mail address, from more than one place",
        LOCKED_NETWORK: "from this network, with several e-mail addresses",
    }[reason]
    return (
        f"Too many unsuccessful attempts to sign in {what}. For your protection, sign-in is "
        f"paused for {cool_off_minutes()} minutes, except from a browser you have signed in "
        "with before. If you have forgotten your password, reset it below; if you did not "
        "try to sign in, tell your HR team."
    )


# --- Recognised browsers ------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def recognised_browser(request: HttpRequest, email: str) -> RecognisedBrowser | None:
    """The browser making ``request``, if it has signed in as ``email`` within
    CASEWORK_SIGNIN_BROWSER_DAYS and has not since given too many wrong passwords."""
    token = request.COOKIES.get(BROWSER_COOKIE, "")
    if not token or len(token) > 100 or not email:
        return None
    since = timezone.now() - datetime.timedelta(days=settings.CASEWORK_SIGNIN_BROWSER_DAYS)
    return (
        RecognisedBrowser.objects.filter(
            token_sha256=_digest(token),
            user__email__iexact=email,
            signed_in_at__gte=since,
            failures__lt=settings.AXES_FAILURE_LIMIT,
        )
        .select_related("user")
        .first()
    )


def is_recognised_browser(request: HttpRequest, credentials: dict | None = None) -> bool:
    """For axes (AXES_WHITELIST_CALLABLE): a recognised browser is neither locked out nor
    counted against the e-mail address; its own wrong passwords are counted on it."""
    return recognised_browser(request, attempted_email(request, credentials)) is not None


def recognise_browser(request: HttpRequest, response: HttpResponse, user) -> None:
    """After a sign-in through the sign-in page: this browser is recognised from now on."""
    old = request.COOKIES.get(BROWSER_COOKIE, "")
    if old:
        RecognisedBrowser.objects.filter(token_sha256=_digest(old)).delete()
    token = secrets.token_urlsafe(32)
    RecognisedBrowser.objects.create(user=user, token_sha256=_digest(token))
    response.set_cookie(
        BROWSER_COOKIE,
        token,
        max_age=settings.CASEWORK_SIGNIN_BROWSER_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm

    def form_valid(self, form):
        response = super().form_valid(form)
        recognise_browser(self.request, response, form.get_user())
        return response


# --- The limits across addresses and across accounts ----------------------------------------


def _failures(request: HttpRequest, **match) -> int:
    recent = AccessAttempt.objects.filter(
        attempt_time__gte=get_cool_off_threshold(request), **match
    )
    return recent.aggregate(total=Sum("failures_since_start"))["total"] or 0


def wider_lockout(request: HttpRequest, email: str) -> str | None:
    """Which of the limits across addresses or across accounts this attempt is past."""
    if (
        email
        and _failures(request, username=email) >= settings.CASEWORK_SIGNIN_ACCOUNT_FAILURE_LIMIT
    ):
        return LOCKED_EVERYWHERE
    address = client_address(request)
    if address and _failures(request, ip_address=address) >= (
        settings.CASEWORK_SIGNIN_ADDRESS_FAILURE_LIMIT
    ):
        return LOCKED_NETWORK
    return None


class LockedOutSignInForm(SignInForm):
    """The sign-in form as a locked-out person sees it: the reason in place of any error."""

    def __init__(self, request: HttpRequest, *, email: str, reason: str = LOCKED_FROM_HERE):
        super().__init__(request, initial={"username": email})
        self.reason = reason

    def non_field_errors(self):
        return self.error_class([lockout_message(self.reason)], error_class="nonfield")


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """The sign-in page again, with the reason, answered 429 (Too Many Requests)."""
    email = attempted_email(request, credentials)
    reason = getattr(request, "casework_lockout_reason", LOCKED_FROM_HERE)
    audit.record(
        action="signin.locked_out",
        summary="Sign-in refused: too many failed attempts",
        actor=None,
        details={"email": email, "path": request.path[:200], "limit": reason},
    )
    return render(
        request,
        "registration/login.html",
        {
            "form": LockedOutSignInForm(request, email=email, reason=reason),
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
        email = attempted_email(request, {"username": username})
        if settings.AXES_ENABLED and recognised_browser(request, email) is None:
            AxesProxyHandler.update_request(request)  # the attempt's time, as axes sees it
            reason = wider_lockout(request, email)
            if reason is not None:
                request.casework_lockout_reason = reason
                request.casework_locked_out = True
                request.axes_locked_out = True  # axes' middleware shows the lockout page
                request.axes_credentials = {"username": username}
                raise AxesBackendPermissionDenied("Past a sign-in limit across addresses")
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
    browser = recognised_browser(request, attempted_email(request, credentials))
    if browser is not None:  # its own allowance: past it, the browser is a stranger again
        RecognisedBrowser.objects.filter(pk=browser.pk).update(failures=F("failures") + 1)
    audit.record(
        action="signin.failed",
        summary="Sign-in failed: wrong e-mail address or password",
        actor=None,
        details={"email": attempted_email(request, credentials)},
    )


class PasswordBackend(ModelBackend):
    """Signs in with an e-mail address and password (Django's own check), and loads the
    signed-in user with their staff record: every page asks for it.

    It grants nothing from Django's permission tables, which Casework leaves empty (a
    person's roles are their permissions, ``permissions.RoleBackend``): asking them cost
    two queries wherever a permission was looked up. A superuser passes every check
    without them, as in Django."""

    def get_user(self, user_id):
        user = User.objects.select_related("staff_member").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()
