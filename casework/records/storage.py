"""Private files (evidence, letters) kept through Django's storage API.

Files are written before the database rows that record them. ``files_removed_on_failure``
deletes what a failed action wrote, so a refused or failed action leaves no file behind;
``manage.py prune_orphan_files`` (daily) removes anything a crash left between the two.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models


class FileSaver:
    def __init__(self) -> None:
        self.saved: list[str] = []

    def save(self, folder: str, content: bytes, extension: str) -> str:
        name = default_storage.save(
            f"{folder}/{secrets.token_hex(16)}{extension}", ContentFile(content)
        )
        self.saved.append(name)
        return name


@contextmanager
def files_removed_on_failure() -> Iterator[FileSaver]:
    saver = FileSaver()
    try:
        yield saver
    except BaseException:
        for name in saver.saved:
            default_storage.delete(name)
        raise


class StoredFileChanged(Exception):
    """A stored file no longer matches the SHA-256 recorded when it was written."""


def read_verified(name: str, sha256: str) -> bytes:
    """A stored file's content, checked against the hash recorded when it was stored."""
    with default_storage.open(name, "rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != sha256:
        raise StoredFileChanged(name)
    return content


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    """The fields of ``model`` that hold a stored file: retention removes what they name,
    the orphan sweep keeps it, a subject access export includes it."""
    return [field for field in model._meta.fields if isinstance(field, models.FileField)]


def stored_names(instance: models.Model) -> list[str]:
    """The stored files ``instance`` names."""
    names = (str(getattr(instance, field.attname)) for field in file_fields(type(instance)))
    return [name for name in names if name]
