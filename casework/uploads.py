"""How much one request may carry: at most CASEWORK_UPLOAD_MAX_FILES files and
CASEWORK_UPLOAD_MAX_BYTES in all.

``UploadSizeMiddleware`` refuses a request whose declared length is past the cap (with the
ordinary allowance for form fields) before a byte of it is read. ``CappedUploadHandler``
counts what actually arrives: files past the cap are not kept, and the request is marked
so that the page refuses the whole submission with the reason (``upload_refusal``), rather
than going on with some of the files.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat


def max_files() -> int:
    return settings.CASEWORK_UPLOAD_MAX_FILES


def max_bytes() -> int:
    return settings.CASEWORK_UPLOAD_MAX_BYTES


def too_many_files() -> str:
    return (
        f"Send at most {max_files()} files at a time; send the rest afterwards, on the case "
        "or with another report. Nothing was stored."
    )


def too_large() -> str:
    return (
        f"The files sent together are larger than {filesizeformat(max_bytes())}, the most "
        "accepted at a time. Send fewer, or smaller, files. Nothing was stored."
    )


def upload_refusal(request: HttpRequest) -> str | None:
    """Why the files of this request were not all accepted, if they were not."""
    return getattr(request, "casework_upload_refusal", None)


class CappedUploadHandler(FileUploadHandler):
    """First of the upload handlers: passes each chunk on until the request's cap."""

    def __init__(self, request=None):
        super().__init__(request)
        self.files = 0
        self.received = 0

    def refuse(self, reason: str) -> None:
        if self.request is not None and upload_refusal(self.request) is None:
            self.request.casework_upload_refusal = reason
        raise SkipFile

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.request is not None and upload_refusal(self.request):
            raise SkipFile
        self.files += 1
        if self.files > max_files():
            self.refuse(too_many_files())

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_bytes():
            self.refuse(too_large())
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler keeps the file


class UploadSizeMiddleware:
    """Refuses, unread, a request declaring more than the upload cap and the form fields'
    own allowance (DATA_UPLOAD_MAX_MEMORY_SIZE) together."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > max_bytes() + (settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0):
            return render(request, "413.html", {"reason": too_large()}, status=413)
        return self.get_response(request)
