"""Plain text: UTF-8, no NUL bytes, and nothing a browser or a shell would run."""

from __future__ import annotations

import re

from .refusal import Kind

# Markup a browser or a viewer would act on: web pages, SVG, script.
MARKUP = re.compile(
    rb"<(?:!doctype|\?xml|html|head|body|script|iframe|frame|object|embed|svg|math|"
    rb"meta|link|style|form|img|image|a|base|xml|xsl|template)[\s/>]",
    re.IGNORECASE,
)


def check(content: bytes) -> Kind | None:
    if b"\x00" in content:
        return None
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if text.lstrip("\ufeff \t\r\n").lower().startswith(("#!", "mz", "@echo")):
        return None  # a script or a program
    if MARKUP.search(content):
        return None  # a web page or an SVG could run script when opened
    return Kind("text/plain", ".txt")
