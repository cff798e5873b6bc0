"""Backups: the database, the stored files and the audit seals, in one archive, and back.

``manage.py backup`` seals the audit trail, then writes a gzipped tar holding:

* ``database.dump``: ``pg_dump --format=custom`` on PostgreSQL, or ``database.sqlite3``,
  a consistent copy made with SQLite's online backup;
* ``media/``: every stored file (evidence, letters, exports) under MEDIA_ROOT;
* ``audit-seals/``: this database's seals, the newest just written;
* ``manifest.json``: when, from what, and the SHA-256 of every other member.

``manage.py restore`` puts all three back into an empty database (one that has just been
created), the media folder and the seal folder, after checking every member against the
manifest. The audit key is not in the archive: it is kept apart, as it is outside the
database (README, "Backup and restore").
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

from casework import audit

FORMAT = 1


class BackupFailed(Exception):
    """A backup or restore that could not be made; the message says why."""


@dataclass(frozen=True)
class Written:
    path: Path
    files: int
    seals: int


def _postgres_environment() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    arguments = []
    if db.get("HOST"):
        arguments += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", str(db["USER"])]
    environment = {**os.environ}
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = str(db["PASSWORD"])
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603
    except FileNotFoundError:
        raise BackupFailed(
            f"{command[0]} was not found: install the PostgreSQL client (postgresql-client)."
        ) from None
    if result.returncode != 0:
        raise BackupFailed(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _dump_database(folder: Path) -> Path:
    if connection.vendor == "postgresql":
        target = folder / "database.dump"
        arguments, environment = _postgres_environment()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--file",
                str(target),
                *arguments,
                str(connection.settings_dict["NAME"]),
            ],
            environment,
        )
        return target
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            source.backup(copy)  # a consistent copy while others go on writing
        finally:
            copy.close()
            source.close()
        return target
    raise BackupFailed(f"No backup for the {connection.vendor} database.")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.is_dir() else []


def back_up(*, output: Path | None = None) -> Written:
    """Seal the trail, then write the archive; returns where, with how many files."""
    audit.write_seal()
    made_at = timezone.now()
    if output is None:
        folder = Path(settings.VAR_DIR) / "backups"
        output = folder / f"casework-{made_at:%Y%m%dT%H%M%SZ}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    seals = audit.seal_folder()
    with tempfile.TemporaryDirectory() as scratch:
        database = _dump_database(Path(scratch))
        members = [(database, database.name)]
        members += [
            (path, f"media/{path.relative_to(media_root)}") for path in _files_under(media_root)
        ]
        members += [(path, f"audit-seals/{path.name}") for path in _files_under(seals)]
        manifest = {
            "format": FORMAT,
            "made_at": made_at.isoformat(),
            "database": connection.vendor,
            "members": {name: _sha256(path) for path, name in members},
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            content = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(content), int(made_at.timestamp())
            archive.addfile(info, io.BytesIO(content))
            for path, name in members:
                archive.add(path, arcname=name, recursive=False)
        partial.replace(output)  # an archive is whole or absent
    media_count = sum(1 for _, name in members if name.startswith("media/"))
    seal_count = sum(1 for _, name in members if name.startswith("audit-seals/"))
    return Written(output, media_count, seal_count)


def _safe_members(archive: tarfile.TarFile) -> dict[str, tarfile.TarInfo]:
    members = {}
    for member in archive.getmembers():
        name = member.name
        if not member.isfile() or name.startswith("/") or ".." in Path(name).parts:
            raise BackupFailed(f"The archive holds {name!r}, which a backup never does.")
        members[name] = member
    if "manifest.json" not in members:
        raise BackupFailed("This is not a Casework backup: it has no manifest.")
    return members


def restore(*, archive_path: Path) -> Written:
    """Put a backup back into an empty database, the media folder and the seal folder."""
    if connection.introspection.table_names():
        raise BackupFailed(
            "The database is not empty: restore only into a database just created for it."
        )
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(archive_path, "r:gz") as archive:
        members = _safe_members(archive)
        manifest = json.load(archive.extractfile(members.pop("manifest.json")))
        if manifest.get("database") != connection.vendor:
            raise BackupFailed(
                f"This backup is of a {manifest.get('database')} database, not {connection.vendor}."
            )
        if set(members) != set(manifest["members"]):
            raise BackupFailed("The archive's members are not the ones its manifest lists.")
        folder = Path(scratch)
        archive.extractall(folder, filter="data")
        for name, digest in manifest["members"].items():
            if _sha256(folder / name) != digest:
                raise BackupFailed(f"{name} in the archive does not match its manifest.")
        _restore_database(folder)
        media_root = Path(settings.MEDIA_ROOT)
        seals = audit.seal_folder()
        counts = {"media": 0, "audit-seals": 0}
        for name in manifest["members"]:
            top, _, rest = name.partition("/")
            if top not in counts:
                continue
            target = (media_root if top == "media" else seals) / rest
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(folder / name, target)
            counts[top] += 1
    return Written(archive_path, counts["media"], counts["audit-seals"])


def _restore_database(folder: Path) -> None:
    if connection.vendor == "postgresql":
        arguments, environment = _postgres_environment()
        _run(
            [
                "pg_restore",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                str(connection.settings_dict["NAME"]),
                *arguments,
                str(folder / "database.dump"),
            ],
            environment,
        )
        return
    connection.close()
    source = sqlite3.connect(str(folder / "database.sqlite3"))
    target = sqlite3.connect(str(connection.settings_dict["NAME"]))
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
