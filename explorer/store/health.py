"""Is a database file damaged? A check bounded in time, run before a file is used or written.

Two steps. The header (first 100 bytes) and the file size are checked without SQLite: a file
that is empty, not SQLite, cut short or with an impossible page size is refused at once. Then
``PRAGMA quick_check`` runs until :data:`CHECK_SECONDS` have passed, table by table from the
smallest (datasets, sessions, actors, …, which are always covered) to the largest. What the
time did not allow is not declared sound: a query that later meets a damaged page raises the
same :class:`~explorer.errors.DatabaseDamagedError` (``errors.from_sqlite``). Numbers for a
million positions are in docs/ROBUSTNESS.md.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from explorer.errors import DatabaseDamagedError

CHECK_SECONDS = 0.5
HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class CheckResult:
    """``complete`` is False when the time ran out before quick_check finished (nothing found)."""

    complete: bool
    seconds: float


def check_file(path: Path, seconds: float = CHECK_SECONDS) -> CheckResult:
    """Raise DatabaseDamagedError if ``path`` is not a sound SQLite file; a missing file is fine.

    Opens its own read-only connection, so the file is never written (SQLite's read-only
    connections neither recover nor checkpoint a journal into it).
    """
    if not path.exists():
        return CheckResult(True, 0.0)
    _check_header(path)
    sides = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    had_sides = [side.exists() for side in sides]
    from explorer.store.database import connect_read_only

    try:
        conn = connect_read_only(path)
        try:
            return quick_check(conn, path, seconds)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        _remove_new_side_files(sides, had_sides)
        raise DatabaseDamagedError(f"{path} cannot be opened ({exc}); it was not changed") from exc
    except DatabaseDamagedError:
        _remove_new_side_files(sides, had_sides)
        raise


def _remove_new_side_files(sides: list[Path], had_sides: list[bool]) -> None:
    """A read-only connection to a WAL-mode file creates empty ``-wal``/``-shm`` files; when the
    file is refused as damaged, those are removed again, so the folder is as it was. (Only then:
    for a sound file another program may be using them.)"""
    wal, shm = sides
    if any(had_sides) or (wal.exists() and wal.stat().st_size):
        return
    for side in (wal, shm):
        with contextlib.suppress(OSError):
            side.unlink()


def quick_check(conn: sqlite3.Connection, where: object, seconds: float = CHECK_SECONDS) -> CheckResult:
    """``PRAGMA quick_check`` on ``conn``, stopped after ``seconds``; raises DatabaseDamagedError.

    Table by table, smallest first (row counts from ``sqlite_stat1``, which every import
    refreshes), then the whole file (free pages, pages used twice or never) if time is left: a
    whole-file check reaches a damaged page only after walking every b-tree, 1.1 s at a million
    positions, so the metadata tables would not be covered at all within the budget. A timer
    thread interrupts the check (``sqlite3_interrupt``); a progress handler cannot, as a
    b-tree walk is one VM instruction.
    """
    start = time.monotonic()
    timer = threading.Timer(seconds, conn.interrupt) if seconds < float("inf") else None
    if timer is not None:
        timer.start()
    try:
        for table in _tables_smallest_first(conn):
            _raise_problems(conn.execute(f"PRAGMA quick_check({_quoted(table)})").fetchall(), where)
        _raise_problems(conn.execute("PRAGMA quick_check(5)").fetchall(), where)
    except sqlite3.OperationalError as exc:
        code = getattr(exc, "sqlite_errorcode", 0)
        if code == sqlite3.SQLITE_INTERRUPT or code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return CheckResult(False, time.monotonic() - start)  # out of time, or another writer recovering
        raise _damaged(where, str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise _damaged(where, str(exc)) from exc
    finally:
        if timer is not None:
            timer.cancel()
            timer.join()
    return CheckResult(True, time.monotonic() - start)


def _tables_smallest_first(conn: sqlite3.Connection) -> list[str]:
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY rootpage"
        )
    ]
    rows: dict[str, int] = {}
    if "sqlite_stat1" in tables:
        for table, stat in conn.execute("SELECT tbl, stat FROM sqlite_stat1"):
            with contextlib.suppress(ValueError, AttributeError):
                rows[table] = max(rows.get(table, 0), int(stat.split()[0]))
    return sorted(tables, key=lambda table: rows.get(table, 0))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _raise_problems(rows: list[tuple[str]], where: object) -> None:
    problems = [row[0] for row in rows if row[0] != "ok"]
    if problems:
        raise _damaged(where, problems[0])


def refuse_damaged(conn: sqlite3.Connection, where: object) -> None:
    """Before a write: the bounded check, on the writer's own connection."""
    quick_check(conn, where)


def _damaged(where: object, detail: str) -> DatabaseDamagedError:
    # quick_check reports over several lines ("*** in database main ***", then the page): one line
    detail = " ".join(detail.replace("*** in database main ***", "").split())
    return DatabaseDamagedError(f"{where} is damaged ({detail}); it was not changed")


def _check_header(path: Path) -> None:
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise DatabaseDamagedError(f"{path} cannot be read: {exc.strerror}") from exc
    if size == 0:
        raise DatabaseDamagedError(f"{path} is empty (0 bytes): the database it held is gone; it was not changed")
    if not header.startswith(HEADER[: len(header)]) or len(header) < len(HEADER):
        raise DatabaseDamagedError(f"{path} is not a Negotiation Explorer database (not an SQLite file)")
    if len(header) < 100:
        raise _damaged(path, f"cut short: {size} bytes")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65_536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise _damaged(path, f"impossible page size {page_size}")
    if size % page_size:
        raise _damaged(path, f"cut short: {size:,} bytes is not a whole number of {page_size}-byte pages")
    pages, counter, valid_for = (int.from_bytes(header[i : i + 4], "big") for i in (28, 24, 92))
    wal = path.with_name(path.name + "-wal")
    wal_pages = wal.exists() and wal.stat().st_size > 0
    if counter == valid_for and pages * page_size > size and not wal_pages:
        raise _damaged(path, f"cut short: {size:,} bytes of {pages * page_size:,}")
