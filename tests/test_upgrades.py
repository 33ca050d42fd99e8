"""Upgrades, beyond tests/test_store.py: a database of the previous schema version, holding what
a user imported, is backed up *before* it is migrated and keeps every position; a database from
a newer version is refused (library and CLI, read-write and read-only) without a byte changing.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from explorer.ingest.importer import import_file
from explorer.store import schema
from explorer.store.database import Database, StoreError, open_database
from tests.conftest import DATA
from tests.table_checksums import table_checksums

HOSTILE_CSV = (
    "actor,question,stance,date,source_url,summary\n"
    '"<img src=x onerror=alert(1)>",q-hostile,support,2021-02-03,https://x.org,"\u200fمرحبا 👩\u200d👩\u200d👧"\n'
    '"Ünïcödé, Inc.",q-hostile,oppose,2021-02-04,A/RES/79/243,"' + "long " * 2000 + '"\n'
)


@pytest.fixture
def previous_version_db(tmp_path):
    """A database written by schema version SCHEMA_VERSION - 1, with user imports in it."""
    path = tmp_path / "previous.sqlite"
    conn = sqlite3.connect(path)
    schema.migrate(conn, target=schema.SCHEMA_VERSION - 1)
    db = Database(conn)
    import_file(db, DATA / "small.csv", "small")
    hostile = tmp_path / "hostile.csv"
    hostile.write_text(HOSTILE_CSV, encoding="utf-8")
    import_file(db, hostile, "small")
    conn.commit()
    conn.close()
    return path


def test_previous_version_is_backed_up_before_the_migration_and_keeps_every_position(previous_version_db, monkeypatch):
    path = previous_version_db
    old = sqlite3.connect(path)
    before = table_checksums(old)
    old_columns = [row[1] for row in old.execute("PRAGMA table_info(positions)")]
    old_positions = old.execute(f"SELECT {', '.join(old_columns)} FROM positions ORDER BY id").fetchall()
    old.close()
    assert len(old_positions) == 13
    backup = path.with_name(f"{path.name}.v{schema.SCHEMA_VERSION - 1}.bak")
    real_migrate = schema.migrate
    seen_at_migration = []

    def migrate_after_checking_the_backup(conn, target=schema.SCHEMA_VERSION):
        if schema.schema_version(conn) < target:  # the backup must already be complete
            copy = sqlite3.connect(backup)
            seen_at_migration.append(table_checksums(copy))
            copy.close()
        return real_migrate(conn, target)

    monkeypatch.setattr(schema, "migrate", migrate_after_checking_the_backup)
    db = open_database(path)
    assert seen_at_migration == [before], "the backup was written, whole, before migrating"
    assert schema.schema_version(db.conn) == schema.SCHEMA_VERSION
    kept = db.execute(f"SELECT {', '.join(old_columns)} FROM positions ORDER BY id").fetchall()
    assert kept == old_positions  # every user position, every value
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    copy = sqlite3.connect(backup)
    assert table_checksums(copy) == before  # the backup is the old database as it was
    copy.close()

    backup_bytes = backup.read_bytes()
    open_database(path).close()  # opening again migrates nothing, backs up nothing
    assert backup.read_bytes() == backup_bytes
    assert sorted(p.name for p in path.parent.glob("*.v*.bak")) == [backup.name]  # (imports leave .import-*.bak)


def test_a_failed_migration_leaves_the_database_at_its_version_with_a_backup(previous_version_db, monkeypatch):
    path = previous_version_db
    conn = sqlite3.connect(path)
    before = table_checksums(conn)
    conn.close()
    broken = list(schema.MIGRATIONS)
    broken[-1] = broken[-1] + "\nCREATE TABLE positions (x);\n"  # fails after the real statements ran
    monkeypatch.setattr(schema, "MIGRATIONS", tuple(broken))
    with pytest.raises(StoreError, match=r"could not upgrade .* left as it was"):
        open_database(path)
    conn = sqlite3.connect(path)
    assert table_checksums(conn) == before, "a failed migration rolled back completely"
    conn.close()
    assert path.with_name(f"{path.name}.v{schema.SCHEMA_VERSION - 1}.bak").exists()


@pytest.fixture
def newer_version_db(tmp_path):
    """A real database (data, WAL mode) stamped with a schema version this app does not know."""
    path = tmp_path / "future.sqlite"
    db = open_database(path)
    import_file(db, DATA / "small.csv", "small")
    db.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    db.conn.commit()
    db.close()
    return path


@pytest.mark.parametrize("read_only", [False, True])
def test_newer_version_is_refused_and_not_a_byte_changes(newer_version_db, read_only):
    path = newer_version_db
    folder_before = sorted(p.name for p in path.parent.iterdir())
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        open_database(path, read_only=read_only)
    message = str(info.value)
    assert str(path) in message and "newer" in message and "update" in message and "not changed" in message
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == folder_before  # no backup, no -wal left


def test_the_cli_refuses_a_newer_database_with_a_message_not_a_traceback(newer_version_db):
    before = newer_version_db.read_bytes()
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "--db", str(newer_version_db), "stats"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "newer Negotiation Explorer" in done.stderr and "Traceback" not in done.stderr
    assert newer_version_db.read_bytes() == before
