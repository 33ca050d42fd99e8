"""One hierarchy for every error the user should read, each with the CLI's exit code.

Everything the core raises on purpose derives from :class:`ExplorerError`; its message is for
the user (it names the file, line, field or value). The CLI catches this one class in one place
and exits with ``exit_code``; the GUI shows the message. Anything else that escapes is a bug
and is reported as such (exit code :data:`EXIT_INTERNAL`, a crash report in the GUI).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

EXIT_OK = 0
EXIT_USER_ERROR = 1  # bad input, unknown name, unwritable output, cancelled
EXIT_USAGE = 2  # the command line itself is wrong (argparse's own code)
EXIT_DATABASE = 3  # the database is busy (another writer) or damaged
EXIT_INTERNAL = 70  # an unexpected error: a bug (EX_SOFTWARE in sysexits.h)
EXIT_INTERRUPTED = 130  # Ctrl+C


class ExplorerError(Exception):
    """Base of every error the user should see; ``str(error)`` is the whole message."""

    exit_code: int = EXIT_USER_ERROR


class ValidationError(ExplorerError):
    """A file cannot be imported; ``errors`` lists every problem found (each prints as
    ``FILE:LINE: column C: message``)."""

    def __init__(self, errors: Sequence[object]):
        self.errors = list(errors)
        shown = "\n".join(str(e) for e in self.errors[:20])
        more = f"\n… and {len(self.errors) - 20} more" if len(self.errors) > 20 else ""
        super().__init__(f"{len(self.errors)} problem(s) found; nothing was imported:\n{shown}{more}")


class FilterError(ExplorerError, ValueError):
    """A filter value that names nothing in the dataset (e.g. an unknown actor)."""


class ExportError(ExplorerError):
    """An output file could not be written; the message names the path and the reason."""


class Cancelled(ExplorerError):
    """The user cancelled a long task; nothing was changed."""


def stop_if_cancelled(cancel: Callable[[], bool] | None, message: str = "cancelled") -> None:
    """Raise :class:`Cancelled` if ``cancel()`` says so: long tasks call this between steps."""
    if cancel is not None and cancel():
        raise Cancelled(message)


class ImportCancelled(Cancelled):
    """The user cancelled an import; the transaction was rolled back."""


class StoreError(ExplorerError):
    """A database that cannot be opened or used as asked (e.g. written by a newer version)."""


class DatabaseBusyError(StoreError):
    """Another process holds the write lock for longer than we wait."""

    exit_code = EXIT_DATABASE


class DatabaseDamagedError(StoreError):
    """The file is not a usable SQLite database: damaged, truncated or something else."""

    exit_code = EXIT_DATABASE


def user_error(exc: BaseException, where: object = "the database") -> ExplorerError | None:
    """``exc`` as the error the user should read, or None when it is a bug to report."""
    if isinstance(exc, ExplorerError):
        return exc
    if isinstance(exc, sqlite3.Error):
        return from_sqlite(exc, where)
    return None


def from_sqlite(exc: sqlite3.Error, where: object = "the database") -> StoreError | None:
    """The user-facing error for an SQLite failure that is about the file, not a bug: a lock held
    too long, a damaged page, a file that is no database, a full disk, a read-only file; None
    for anything else."""
    text = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text):
        return DatabaseBusyError(f"{where} is busy: another program is writing to it; try again when it is done")
    if isinstance(exc, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "corrupt" in text
    ):
        return DatabaseDamagedError(f"{where} is damaged ({exc}); it was not changed")
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if code == sqlite3.SQLITE_FULL:
        return StoreError(f"the disk holding {where} is full; nothing was written (free some space and try again)")
    if code == sqlite3.SQLITE_READONLY:
        return StoreError(f"{where} is read-only (you cannot write to this file); nothing was changed")
    return None
