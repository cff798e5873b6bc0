"""What every check returns or raises: the kind of file found, or the reason it is refused."""

from __future__ import annotations

from dataclasses import dataclass


class Refused(Exception):
    """Content that is of an accepted kind at first sight but is not safe to keep.

    ``reason`` completes the sentence "… was refused: it …" in plain words.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Kind:
    """What a file turned out to be, and the bytes to keep (a picture is kept re-encoded,
    without its metadata; every other kind exactly as it arrived)."""

    content_type: str
    extension: str
    content: bytes | None = None
