"""Writing many positions at once: what SQLite is spared, and what is rebuilt at the end.

Row by row, SQLite would update nine indexes in random order, run the full-text trigger and
check every foreign key and CHECK constraint: at a million rows that is most of an import. So,
inside the caller's transaction (a failure or a crash rolls everything below back with the
rows):

* the positions table's triggers are set aside and the full-text index is filled with one
  statement per many rows (:meth:`BulkLoad.index_text`);
* when the import is at least as large as what the table holds, its indexes are dropped and
  built once at the end (a sort each), from the SQL SQLite itself kept for them;
* foreign keys and CHECK constraints are not enforced per row
  (:func:`unchecked_references`): the importer validated every word and verifies the ids it
  wrote once per distinct id.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field

# below this many new rows the indexes are kept and updated: dropping them would not pay
REBUILD_AT_LEAST = 20_000
_ANALYSIS_ROWS = 1_000  # rows ANALYZE samples per index: statistics in milliseconds, not seconds


@dataclass
class BulkLoad:
    """An insert into positions in progress (see :func:`positions`)."""

    conn: sqlite3.Connection
    first_id: int  # the id the first new position gets
    has_text_index: bool = True  # False in a database older than schema v2
    indexed_up_to: int = 0  # new positions below this id are in the full-text index
    set_aside: list[str] = field(default_factory=list)  # SQL recreating what was dropped

    def index_text(self) -> None:
        """Add the positions written since the last call to the full-text index (schema v2:
        ``positions_fts`` mirrors ``summary`` and ``proposal``)."""
        if not self.has_text_index:
            return
        self.conn.execute(
            "INSERT INTO positions_fts (rowid, summary, proposal) "
            "SELECT id, summary, proposal FROM positions WHERE id >= ?",
            [max(self.first_id, self.indexed_up_to)],
        )
        self.indexed_up_to = self.conn.execute("SELECT COALESCE(max(id), 0) + 1 FROM positions").fetchone()[0]


@contextlib.contextmanager
def positions(conn: sqlite3.Connection, expected_rows: int) -> Iterator[BulkLoad]:
    """Set the positions table's triggers (and, for a large load, its indexes) aside while the
    caller inserts about ``expected_rows`` rows; restore them, text indexed, on the way out."""
    first_id, existing = conn.execute("SELECT COALESCE(max(id), 0) + 1, count(*) FROM positions").fetchone()
    text_index = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'positions_fts'").fetchone()
    load = BulkLoad(conn, first_id, has_text_index=text_index is not None)
    kinds = ("trigger", "index") if expected_rows >= max(existing, REBUILD_AT_LEAST) else ("trigger",)
    for kind in kinds:
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'positions' AND type = ? AND sql IS NOT NULL",
            [kind],
        ).fetchall():
            conn.execute(f'DROP {kind.upper()} "{name}"')
            load.set_aside.append(sql)
    yield load
    load.index_text()
    for sql in reversed(load.set_aside):  # indexes first: a trigger may rely on nothing else
        conn.execute(sql)


@contextlib.contextmanager
def unchecked_references(conn: sqlite3.Connection) -> Iterator[None]:
    """No per-row foreign key or CHECK enforcement on ``conn`` inside this block.

    Foreign keys can only be switched outside a transaction; inside one (an import nested in a
    larger write) they stay as they were, which is slower but the same. Both switches are
    restored on the way out, whatever happens.
    """
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    ignore_checks = conn.execute("PRAGMA ignore_check_constraints").fetchone()[0]
    if foreign_keys and not conn.in_transaction:
        conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA ignore_check_constraints = {int(ignore_checks)}")
        if foreign_keys and not conn.in_transaction:
            conn.execute("PRAGMA foreign_keys = ON")


def refresh_statistics(conn: sqlite3.Connection) -> None:
    """``ANALYZE`` from a sample of each index: without statistics a provision filter on a
    million positions scanned the dataset (600 ms instead of 30); a full ANALYZE reads every
    index (~0.5 s at a million rows), a sample gives the planner the same choices."""
    limit = conn.execute("PRAGMA analysis_limit").fetchone()[0]
    conn.execute(f"PRAGMA analysis_limit = {_ANALYSIS_ROWS}")
    try:
        conn.execute("ANALYZE")
    finally:
        conn.execute(f"PRAGMA analysis_limit = {int(limit)}")
