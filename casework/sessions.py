"""The idle timer: a session ends when left idle, without a write for every page view.

Django restarts a session's expiry only when it saves the session. Saving it on every
request (``SESSION_SAVE_EVERY_REQUEST``) makes each page view an UPDATE of the session row;
here the session is saved again only once ``CASEWORK_SESSION_REFRESH_SECONDS`` have passed
since it last was, so a session in use never ends and one left idle ends within that much of
``SESSION_COOKIE_AGE``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

RESTARTED_AT = "_casework_idle_timer_restarted_at"


@receiver(user_logged_in, dispatch_uid="casework-idle-timer-starts-at-sign-in")
def _starts_at_sign_in(sender, request, **kwargs) -> None:
    """Signing in saves the session anyway: the timer starts there, not one request later."""
    if request is not None and hasattr(request, "session"):
        request.session[RESTARTED_AT] = timezone.now().timestamp()


class IdleTimerMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = timezone.now().timestamp()
            restarted = session.get(RESTARTED_AT)
            if (
                not isinstance(restarted, int | float)
                or not 0 <= now - restarted < settings.CASEWORK_SESSION_REFRESH_SECONDS
            ):
                session[RESTARTED_AT] = now  # saved, with a new expiry, by SessionMiddleware
        return response
