"""Copies of the database to come back to: taken before each import and before each upgrade.

Before an import writes anything, :func:`take_rolling_backup` copies the database with SQLite's
online backup API to ``<name>.import-<UTC time>.bak`` beside it and keeps the newest
:data:`KEPT_IMPORT_BACKUPS`; an upgrade leaves ``<name>.v<N>.bak`` (``store.database``). When the
database is damaged, :func:`restore_newest` puts the newest sound copy in its place and
:func:`start_fresh` moves it away for a new, empty database; both keep the damaged file
beside it as ``<name>.damaged-<UTC time>`` (with its ``-wal``), never deleting it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from explorer.errors import DatabaseDamagedError, StoreError

KEPT_IMPORT_BACKUPS = 3
_IMPORT = re.compile(r"\.import-(\d{8}T\d{6}\d{6})\.bak$")
_UPGRADE = re.compile(r"\.v(\d+)\.bak$")
_SIDE_FILES = ("-wal", "-shm")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: dt.datetime  # when it was written (UTC)
    reason: str  # "before an import" or "before upgrading from schema version N"

    def describe(self) -> str:
        local = self.taken.astimezone().strftime("%Y-%m-%d %H:%M")
        return f"{self.path.name}, taken {local} {self.reason}"


def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")


def take_rolling_backup(path: str | Path) -> Path:
    """Copy the database at ``path`` (its last committed state) to a new import backup.

    Called by the writer while it holds the write lock, so the copy is exactly the state the
    import starts from; it reads through a second, read-only connection (SQLite refuses to back
    up from a connection that is writing). Written under a temporary name and renamed, so a
    crash never leaves a half copy that looks like a backup. Raises StoreError when the copy
    cannot be written (e.g. the disk is full): then the import does not start.
    """
    path = Path(path)
    target = path.with_name(f"{path.name}.import-{_stamp()}.bak")
    partial = target.with_name(target.name + ".part")
    _remove_leftovers(path)
    try:
        source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
        os.replace(partial, target)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        reason = getattr(exc, "strerror", None) or str(exc)
        raise StoreError(
            f"cannot write the safety copy of {path} that is taken before each import: {reason}; nothing was imported"
        ) from exc
    for old in [b.path for b in backups_of(path) if _IMPORT.search(b.path.name)][KEPT_IMPORT_BACKUPS:]:
        with contextlib.suppress(OSError):
            old.unlink()
    return target


def _remove_leftovers(path: Path) -> None:
    """Temporary copies a killed backup left behind."""
    for leftover in path.parent.glob(f"{glob_escape(path.name)}.import-*.bak.part"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def backups_of(path: str | Path) -> list[Backup]:
    """Every backup of ``path`` beside it, newest first."""
    path = Path(path)
    found = []
    for candidate in path.parent.glob(f"{glob_escape(path.name)}.*.bak"):
        rest = candidate.name[len(path.name) :]
        if match := _IMPORT.fullmatch(rest):
            taken = dt.datetime.strptime(match[1], "%Y%m%dT%H%M%S%f").replace(tzinfo=dt.UTC)
            found.append(Backup(candidate, taken, "before an import"))
        elif match := _UPGRADE.fullmatch(rest):
            taken = dt.datetime.fromtimestamp(candidate.stat().st_mtime, dt.UTC)
            found.append(Backup(candidate, taken, f"before upgrading from schema version {match[1]}"))
    return sorted(found, key=lambda b: b.taken, reverse=True)


def newest_sound_backup(path: str | Path) -> Backup | None:
    """The newest backup of ``path`` that passes a complete integrity check (older ones are
    checked only when a newer one fails)."""
    from explorer.store import health

    for backup in backups_of(path):
        with contextlib.suppress(DatabaseDamagedError):
            health.check_file(backup.path, seconds=float("inf"))
            return backup
    return None


def set_aside(path: str | Path) -> Path:
    """Rename a damaged database (and its ``-wal``/``-shm``) to ``<name>.damaged-<time>``."""
    path = Path(path)
    aside = path.with_name(f"{path.name}.damaged-{_stamp()}")
    try:
        os.replace(path, aside)
        for suffix in _SIDE_FILES:
            side = path.with_name(path.name + suffix)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + suffix))
    except OSError as exc:
        raise StoreError(f"cannot move {path} aside: {exc.strerror}") from exc
    return aside


def restore_newest(path: str | Path) -> tuple[Backup, Path]:
    """Put the newest sound backup in place of ``path``; returns it and where the damaged file went."""
    path = Path(path)
    backup = newest_sound_backup(path)
    if backup is None:
        raise StoreError(f"there is no usable backup of {path}")
    partial = path.with_name(path.name + ".restoring.part")
    try:
        shutil.copyfile(backup.path, partial)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        raise StoreError(f"cannot copy {backup.path.name}: {exc.strerror}") from exc
    aside = set_aside(path) if path.exists() else path
    os.replace(partial, path)
    return backup, aside


def start_fresh(path: str | Path) -> Path:
    """Move a damaged database aside so that opening ``path`` creates a new one."""
    return set_aside(path)
