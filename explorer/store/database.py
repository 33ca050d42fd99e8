"""Opening the database: pragmas, version checks, backups and migrations; the connection type.

Every write in the app goes through :func:`explorer.ingest.importer.import_rows` or
:func:`explorer.ingest.bundled.ensure_bundled`, each one transaction (``db.atomic()``); any
other statement commits when it runs.
Readers on other threads open their own connection with :func:`open_database`. Loading the
bundled dataset is the caller's business (:func:`explorer.ingest.bundled.open_with_bundled`):
the store knows nothing of the positions format.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import sqlite_utils

from explorer import paths
from explorer.errors import DatabaseDamagedError, StoreError
from explorer.store import health, schema


class Database(sqlite_utils.Database):
    """One SQLite connection, as the app uses it: sqlite-utils' ``Database`` (``query`` for dict
    rows, ``table(...).upsert_all``, ``atomic``), on a connection that commits a statement
    outside a transaction at once (autocommit) and groups statements only in :meth:`atomic`:
    one transaction that commits when the block ends and rolls back if it raises (nested
    blocks are savepoints). The SQL functions the schema's triggers call are registered on it.

    Installed sqlite-utils plugins are not run on it (they could register functions that
    change what our SQL means), and recursive triggers stay off, SQLite's default, which the
    schema's triggers were written for.
    """

    def __init__(self, conn: sqlite3.Connection):
        if conn.in_transaction:
            raise ValueError("wrap a connection that has no open transaction")
        conn.isolation_level = None  # no implicit BEGIN: transactions only through atomic()
        super().__init__(conn, recursive_triggers=False, execute_plugins=False)
        schema.register_functions(conn)  # the schema's triggers call them

    @property
    def supports_on_conflict(self) -> bool:
        """Always: the store needs SQLite 3.25 (window functions), upserts 3.24. sqlite-utils
        would otherwise find out by creating and dropping a table in the user's file."""
        return True


def open_database(path: str | Path | None = None, *, read_only: bool = False) -> Database:
    """Open (creating or upgrading) a database; ``None`` means the user's default database.

    A database written by an older version is copied to ``<name>.v<N>.bak`` before it is
    migrated; one written by a newer version is refused and left untouched. Before a file is
    opened for writing it is checked for damage (:mod:`explorer.store.health`); a damaged file
    is refused (DatabaseDamagedError) and never written. A file the user cannot write is opened
    read-only (``writing.is_read_only``), so it can be looked at but not imported into.
    """
    if path is None:
        path = paths.default_database_path()
    if str(path) == ":memory:":
        conn = sqlite3.connect(":memory:")
    else:
        path = Path(path)
        _refuse_newer(_header_version(path), path)  # before connecting: SQLite adds -wal/-shm files
        if not read_only:
            _check_writable_target(path)
            health.check_file(path)  # a damaged file is refused before anything can write to it
            read_only = path.exists() and not _can_write(path)  # the user's file, but not theirs to change
        conn = connect_read_only(path) if read_only else sqlite3.connect(path)
    _check_is_database(conn, path)
    db = Database(conn)
    conn.execute("PRAGMA foreign_keys = ON")
    version = schema.schema_version(conn)
    if version > schema.SCHEMA_VERSION:
        conn.close()
        _refuse_newer(version, path)
    if read_only:
        conn.execute("PRAGMA query_only = 1")  # what writing.is_read_only() reports; writes fail at once
        if version < schema.SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                f"{path} is read-only, and it was written by an older version that must be upgraded "
                "before it can be opened; make it writable (or copy it) and open it again"
            )
        return db
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        if 0 < version < schema.SCHEMA_VERSION:
            backup_database(conn, Path(path).with_name(f"{Path(path).name}.v{version}.bak"))
    try:
        schema.migrate(conn)
    except sqlite3.Error as exc:  # each step is its own transaction: the file stays at its last version
        conn.close()
        copy = " (a copy was saved beside it)" if version else ""
        raise StoreError(
            f"could not upgrade {path} from schema version {version}: {exc}. It was left as it was{copy}."
        ) from exc
    return db


def _refuse_newer(version: int, path: object) -> None:
    if version > schema.SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer Negotiation Explorer (schema version {version}, "
            f"this one knows {schema.SCHEMA_VERSION}); update the app to open it. "
            "The file was not changed."
        )


def _header_version(path: Path) -> int:
    """``PRAGMA user_version`` as stored in the file header (bytes 60-63); 0 if unreadable."""
    try:
        with path.open("rb") as handle:
            header = handle.read(64)
    except OSError:
        return 0
    if len(header) < 64 or not header.startswith(b"SQLite format 3\x00"):
        return 0
    return int.from_bytes(header[60:64], "big")


def backup_database(conn: sqlite3.Connection, target: Path) -> Path:
    """Write a consistent copy of ``conn`` to ``target`` (SQLite's online backup)."""
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    return target


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write ``path``: not a page, not a journal, not a checkpoint.

    A WAL-mode file needs its ``-shm`` index beside it; in a folder nobody may write to (a
    read-only mount or share) SQLite cannot create it, and the file is opened as immutable
    instead: nobody can be writing to it there.
    """
    if not path.exists():
        raise StoreError(f"{path}: no such database")
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
    except sqlite3.DatabaseError as exc:
        cannot_open = getattr(exc, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_CANTOPEN
        if not cannot_open or os.access(path.parent, os.W_OK):
            return conn  # whatever else is wrong, the caller's checks report it
        conn.close()
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, check_same_thread=False)
    return conn


def _can_write(path: Path) -> bool:
    """Can this process write the database file and the ``-wal``/``-shm`` files SQLite keeps beside it?"""
    if not os.access(path, os.W_OK):
        return False
    if os.access(path.parent, os.W_OK):
        return True
    sides = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    return all(side.exists() and os.access(side, os.W_OK) for side in sides)


def _check_writable_target(path: Path) -> None:
    if not path.parent.exists():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the folder for {path}: {exc.strerror}") from exc
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file")


def _check_is_database(conn: sqlite3.Connection, path: object) -> None:
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseDamagedError(f"{path} is not a Negotiation Explorer database ({exc})") from exc
