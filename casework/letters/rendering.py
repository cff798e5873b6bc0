"""From a letter's HTML to its PDF, with WeasyPrint, touching nothing but our own static files.

The letter's stylesheet is parsed once per process (and thread) and handed to WeasyPrint
with one font configuration, which is most of what makes a warm render cheap. WeasyPrint
fetches resources (the stylesheet's and the letterhead's images) only through
``StaticFilesOnly``: a URL under STATIC_URL is read from the project's static files, and a
trust's own logo is carried in the letter itself as a ``data:`` address holding a PNG or
JPEG picture; anything else (the network, ``file://``, any other ``data:``, other local
paths) stops the render.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import mimetypes
import posixpath
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template import loader
from django.templatetags.static import static
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STYLESHEET = "casework/letters/letter.css"
# Relative URLs in a letter resolve against this address, which can never be fetched
# (.invalid is reserved): the fetcher maps its STATIC_URL paths to our static files.
BASE_URL = "https://letters.casework.invalid/"
# The fonts every letter names, installed by scripts/system-packages (fonts-liberation2).
FONTS = ("Liberation Serif", "Liberation Sans")


class RenderFailed(Exception):
    """The letter could not be made into a PDF."""


class ResourceRefused(ValueError):
    """A letter asked for something other than the project's own static files."""


def static_name(url: str) -> str:
    """The static file a URL names, or ResourceRefused.

    Accepts STATIC_URL paths on BASE_URL (and STATIC_URL itself when that is absolute);
    refuses every other scheme, host and path, and any attempt to climb out of the
    static files with ``..``.
    """
    static_url = settings.STATIC_URL
    if static_url.startswith(("http://", "https://")):
        prefix = static_url
    else:
        prefix = BASE_URL.rstrip("/") + "/" + static_url.lstrip("/")
    parts = urlsplit(url)
    if parts.query or parts.fragment or not url.startswith(prefix):
        raise ResourceRefused(f"Letters may only use Casework's static files, not {url!r}.")
    name = unquote(url[len(prefix) :])
    normalised = posixpath.normpath(name)
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or normalised != name
        or normalised.startswith(("/", "../"))
        or normalised == ".."
    ):
        raise ResourceRefused(f"Letters may only use Casework's static files, not {url!r}.")
    return name


def read_static(name: str) -> bytes:
    """A static file's bytes: from the app and project folders, else the collected files."""
    found = finders.find(name)
    if found:
        return Path(found).read_bytes()
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as handle:
            return handle.read()
    raise ResourceRefused(f"There is no static file {name!r}.")


# A trust's logo, carried in the letter: base64 of a PNG or JPEG picture, nothing else.
_LOGO_DATA = re.compile(r"data:(image/png|image/jpeg);base64,([A-Za-z0-9+/]+={0,2})")
_PICTURE_STARTS = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}


def logo_in_letter(url: str) -> tuple[str, bytes] | None:
    """The picture a ``data:`` logo address carries (its type and bytes), or None if the
    address is not one; ResourceRefused if it is a ``data:`` address of anything else."""
    if not url.startswith("data:"):
        return None
    found = _LOGO_DATA.fullmatch(url)
    if found is None:
        raise ResourceRefused("Letters carry only a PNG or JPEG logo in a data: address.")
    content_type = found.group(1)
    try:
        content = base64.b64decode(found.group(2), validate=True)
    except binascii.Error:
        raise ResourceRefused("The letter's logo is not readable.") from None
    if not content.startswith(_PICTURE_STARTS[content_type]):
        raise ResourceRefused(f"The letter's logo is not a {content_type} picture.")
    return content_type, content


class StaticFilesOnly(URLFetcher):
    """WeasyPrint's fetcher for letters: our static files, nothing else.

    A refused or missing resource stops the render (``fail_on_errors``): a letter is
    issued complete or not at all.
    """

    def __init__(self) -> None:
        super().__init__(fail_on_errors=True)

    def fetch(self, url, headers=None):
        logo = logo_in_letter(url)
        if logo is not None:
            content_type, content = logo
            return URLFetcherResponse(url, content, {"Content-Type": content_type})
        name = static_name(url)
        content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, read_static(name), {"Content-Type": content_type})


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


class _Tools(threading.local):
    """WeasyPrint's font configuration and the parsed stylesheet, made once per thread."""

    fonts: FontConfiguration | None = None
    stylesheet: CSS | None = None
    fetcher: StaticFilesOnly | None = None


_tools = _Tools()


def _prepared() -> _Tools:
    if _tools.stylesheet is None:
        _tools.fetcher = StaticFilesOnly()
        _tools.fonts = FontConfiguration()
        _tools.stylesheet = CSS(
            string=read_static(STYLESHEET).decode(),
            base_url=stylesheet_url(),
            url_fetcher=_tools.fetcher,
            font_config=_tools.fonts,
        )
    return _tools


def static_url(name: str) -> str:
    """The URL of a static file as a page (or the on-screen draft) would use it."""
    return static(name)


def stylesheet_url() -> str:
    return _absolute(static_url(STYLESHEET))


def _absolute(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    return BASE_URL.rstrip("/") + "/" + url.lstrip("/")


def forget_prepared_tools() -> None:
    """Parse the stylesheet afresh on the next render (after a settings change in tests)."""
    _tools.fonts = _tools.stylesheet = _tools.fetcher = None


def html_to_pdf(html: str) -> RenderedPdf:
    """Lay out a letter's print HTML and write its PDF; RenderFailed if anything goes wrong."""
    try:
        tools = _prepared()
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=tools.fetcher).render(
            stylesheets=[tools.stylesheet], font_config=tools.fonts
        )
        return RenderedPdf(content=document.write_pdf(), pages=len(document.pages))
    except (Exception, FatalURLFetchingError) as error:
        logger.exception("A letter could not be rendered")
        raise RenderFailed(str(error)) from error


def weasyprint_alone(html: str) -> bytes:
    """The same letter as WeasyPrint renders it with nothing prepared: the benchmark's yardstick."""
    fetcher = StaticFilesOnly()
    stylesheet = CSS(
        string=read_static(STYLESHEET).decode(), base_url=stylesheet_url(), url_fetcher=fetcher
    )
    return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf(
        stylesheets=[stylesheet]
    )


def render_template(template_name: str, context: dict) -> str:
    return loader.render_to_string(template_name, context)


@lru_cache(maxsize=1)
def templates_digest() -> str:
    """A digest of every letter template and the letter stylesheet, as deployed.

    Stored with each letter as part of its template version, so that what produced a
    letter can be told years later even if nobody remembered to bump a number.
    """
    digest = hashlib.sha256()
    base = Path(loader.get_template("letters/base_letter.html").origin.name).parent
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(base)).encode())
        digest.update(path.read_bytes())
    digest.update(read_static(STYLESHEET))
    return digest.hexdigest()[:12]
