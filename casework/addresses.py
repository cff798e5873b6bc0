"""What an address may name: a case reference or a record's number, within range.

Casework's own URL patterns take ``<reference:…>`` and ``<id:…>`` parts, which match only
a case reference and a number a database integer holds. ``AddressRangeMiddleware`` stands
in front of every pattern, the workflow's and the admin's included: an address with a NUL
byte, or a number longer than any row's, is answered 404 before it is resolved, so that
nothing of it reaches the database (SQLite cannot even be asked about such a number, and
PostgreSQL refuses a NUL byte in text).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import register_converter


class CaseReferenceConverter:
    """SM-2026-0001: the year, and the number within it (four digits, more if needed)."""

    regex = r"SM-[0-9]{4}-[0-9]{4,9}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


class RecordIdConverter:
    """A row's number: 1 to 18 digits, always within a 64-bit database integer."""

    regex = r"[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


# Registered once, when the first URL module imports this one.
register_converter(CaseReferenceConverter, "reference")
register_converter(RecordIdConverter, "id")


# A part of the address that is a number of 19 digits or more: past
# 9,223,372,036,854,775,807, the largest 64-bit integer, or close. (Digits inside another
# part, such as a password-reset token, are not a number.)
_OVERLONG_NUMBER = re.compile(r"(?:^|/)[0-9]{19,}(?=/|$)")


class AddressRangeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if "\x00" in path or _OVERLONG_NUMBER.search(path):
            raise Http404("There is no such page.")
        return self.get_response(request)
