"""Who is asking, from where: the audit trail's view of each request.

``AuditContextMiddleware`` puts the client address where ``casework.audit.record`` finds it,
so every event written while serving the request carries it, and records every refused
access: each 403, and each 404 on the address of a case, a concern, an evidence file, a
letter or a case's workflow task (someone may be looking for a case they may not see).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import audit

# Addresses that name a case or something inside one.
CASE_ADDRESS = re.compile(
    r"^/(?:casework/(?:cases|concerns)/(?P<reference>[^/]+)/"
    r"|workflow/flows/case/(?P<process>\d+)/"
    r"|.*/(?:letters|evidence)/)"
)


def _valid(address: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((address or "").strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address of the person's machine.

    Behind CASEWORK_PROXY_COUNT proxies, each of which appends the address it was reached
    from to X-Forwarded-For, the client is that many entries from the right; entries further
    left were written by the client and cannot be trusted.
    """
    proxies = settings.CASEWORK_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = _valid(forwarded[-proxies])
            if address:
                return address
    return _valid(request.META.get("REMOTE_ADDR"))


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = audit.set_client_address(client_address(request))
        try:
            response = self.get_response(request)
            if response.status_code == 403 or (
                response.status_code == 404 and CASE_ADDRESS.match(request.path_info)
            ):
                self.record_refusal(request, response)
            return response
        finally:
            audit.reset_client_address(token)

    @staticmethod
    def record_refusal(request: HttpRequest, response: HttpResponse) -> None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        match = CASE_ADDRESS.match(request.path_info)
        details = {"path": request.path_info[:300], "method": request.method}
        if match and match.group("reference"):
            details["reference"] = match.group("reference")[:30]
        if match and match.group("process"):
            details["process"] = match.group("process")
        # The case is named in the details only: an event linked to the case would show
        # in its history, telling its readers who went looking for it.
        audit.record(
            action="access.denied",
            summary=(
                "Access refused (not allowed)"
                if response.status_code == 403
                else "Access refused (not found, or not theirs to see)"
            ),
            actor=actor,
            details={**details, "status": response.status_code},
        )
