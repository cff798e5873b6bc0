"""What a request reads once and asks for again: kept on the signed-in user object, which
lives exactly as long as the request (the menu, the page and the permission checks share it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def read_once(user: Any, name: str, read: Callable[[], T]) -> T:
    """``read()`` the first time this request asks for ``name``; what it gave, after that."""
    attribute = f"_casework_{name}"
    known = getattr(user, attribute, None)
    if known is None:
        known = read()
        setattr(user, attribute, known)
    return known
