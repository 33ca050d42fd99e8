"""Has the database changed since we last looked? A token cheap enough to poll every second.

Another process (the CLI, a second window) may import into the database the app shows. Every
write is an import, and every import adds a row to ``imports`` (a reload of the bundled data
replaces its row with a new one), so the count, newest id and row total of that small table
change with every committed write. The GUI compares tokens on a timer and refreshes when they
differ (``ui``); rolled-back imports leave no row and change nothing.
"""

from __future__ import annotations

from explorer.store.database import Database

DataToken = tuple[int, int, int]


def data_token(db: Database) -> DataToken:
    """(imports, newest import id, positions they wrote) as committed now."""
    count, newest, rows = db.execute(
        "SELECT count(*), COALESCE(max(id), 0), COALESCE(sum(rows), 0) FROM imports"
    ).fetchone()
    return int(count), int(newest), int(rows)


def changed_since(db: Database, token: DataToken) -> DataToken | None:
    """The new token if the data differs from ``token``, else None."""
    now = data_token(db)
    return None if now == token else now
