"""The one way the app writes to a database: a transaction that waits its turn.

SQLite lets one connection write at a time. A second importer (another terminal, or the app
while a script imports) asks for the write lock with ``BEGIN IMMEDIATE``; while another
process holds it, the attempt is retried every :data:`RETRY_SECONDS` for up to
:func:`write_wait_limit` seconds, and ``waiting(seconds)`` is called each time so the CLI and
the app can say "waiting for another import…". Readers are never blocked (WAL journal).

Before the first change a rolling backup of the database is taken (``backup=True``, see
:mod:`explorer.store.backups`), and the file is checked for damage: a damaged file is never
written to. SQLite errors that are about the file (disk full, read-only, damaged) leave as
the user-facing errors of :mod:`explorer.errors`, after the transaction was rolled back.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator

from explorer.errors import DatabaseBusyError, ImportCancelled, StoreError, from_sqlite
from explorer.store.database import Database

Waiting = Callable[[float], None]
Cancel = Callable[[], bool]

RETRY_SECONDS = 0.25
DEFAULT_WAIT_SECONDS = 600.0  # generous: a million-row import by another process takes well under a minute
WAIT_ENV = "NEGOTIATION_EXPLORER_WRITE_WAIT"
_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def write_wait_limit() -> float:
    """Seconds a writer waits for another one: ``NEGOTIATION_EXPLORER_WRITE_WAIT`` or 10 minutes."""
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, DEFAULT_WAIT_SECONDS)))
    except ValueError:
        return DEFAULT_WAIT_SECONDS


def database_file(db: Database) -> str:
    """The main database's file path ('' for an in-memory database)."""
    for _seq, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return file or ""
    return ""


def is_read_only(db: Database) -> bool:
    """True for a connection :func:`~explorer.store.database.open_database` opened read-only
    (asked for, or because the user cannot write the file)."""
    return bool(db.execute("PRAGMA query_only").fetchone()[0])


@contextlib.contextmanager
def write_transaction(
    db: Database,
    *,
    waiting: Waiting | None = None,
    cancel: Cancel | None = None,
    backup: bool = False,
) -> Iterator[Database]:
    """One write transaction: wait for the lock, check, back up, yield, commit (or roll back).

    Inside an open transaction (the bundled loader wraps an import) it is a savepoint of it.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield db
        return
    path = database_file(db)
    where = path or "the database"
    if is_read_only(db):
        raise StoreError(f"{where} is read-only (you cannot write to this file); nothing was changed")
    _begin_immediate(conn, where, waiting, cancel)
    try:
        if path:
            from explorer.store import backups, health

            health.refuse_damaged(conn, where)
            if backup:
                backups.take_rolling_backup(path)
        yield db
        conn.execute("COMMIT")
    except BaseException as exc:
        _roll_back(conn)
        if isinstance(exc, sqlite3.Error):
            user = from_sqlite(exc, where)
            if user is not None:
                raise user from exc
        raise


def _roll_back(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:  # the error may have ended it already
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def _begin_immediate(conn: sqlite3.Connection, where: str, waiting: Waiting | None, cancel: Cancel | None) -> None:
    """Take the write lock, retrying while another connection holds it (see the module doc)."""
    limit = write_wait_limit()
    start = time.monotonic()
    old_timeout = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute(f"PRAGMA busy_timeout = {int(RETRY_SECONDS * 1000)}")
    try:
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in _BUSY_CODES:
                    raise from_sqlite(exc, where) or exc from exc
            waited = time.monotonic() - start
            if waited >= limit:
                raise DatabaseBusyError(
                    f"{where} is busy: another import has been writing to it for {waited:.0f} s; "
                    "nothing was changed. Try again when it is done."
                )
            if cancel is not None and cancel():
                raise ImportCancelled("cancelled while waiting for another import; nothing was written")
            if waiting is not None:
                waiting(waited)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(old_timeout)}")
