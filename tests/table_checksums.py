"""What a database holds, as one comparable value: row count and SHA-256 of every table.

Used by the robustness tests to prove that a failed, cancelled or killed import left the
database exactly as it was (``SELECT * ... ORDER BY rowid`` of every table, FTS shadow tables
included, plus the schema and ``user_version``).
"""

from __future__ import annotations

import hashlib
import sqlite3


def table_checksums(conn: sqlite3.Connection) -> dict[str, tuple[int, str]]:
    """``{table: (rows, sha256)}`` for every table, plus ``"(schema)"`` for the DDL and version."""
    result: dict[str, tuple[int, str]] = {}
    schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    result["(schema)"] = (version, hashlib.sha256(repr(schema).encode()).hexdigest())
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall():
        quoted = '"' + name.replace('"', '""') + '"'
        try:
            rows = conn.execute(f"SELECT * FROM {quoted} ORDER BY rowid")
        except sqlite3.OperationalError:  # WITHOUT ROWID tables (FTS5 shadow tables): order by every column
            width = len(conn.execute(f"PRAGMA table_info({quoted})").fetchall())
            rows = conn.execute(f"SELECT * FROM {quoted} ORDER BY {', '.join(str(i + 1) for i in range(width))}")
        digest, count = hashlib.sha256(), 0
        for row in rows:
            digest.update(repr(row).encode("utf-8", "surrogatepass"))
            count += 1
        result[name] = (count, digest.hexdigest())
    return result


def file_checksums(path) -> dict[str, tuple[int, str]]:
    """:func:`table_checksums` of the database file at ``path``, read through a read-only connection."""
    from pathlib import Path

    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return table_checksums(conn)
    finally:
        conn.close()
