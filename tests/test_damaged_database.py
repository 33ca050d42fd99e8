"""Damaged databases (issue #12.4): refused at open with one clear message (exit code 3 in the
CLI), never written to, and recoverable from the backups taken before imports and upgrades."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.errors import DatabaseDamagedError, StoreError
from explorer.ingest.importer import import_file
from explorer.store import backups, health
from explorer.store.database import Database, open_database
from tests.conftest import DATA
from tests.table_checksums import file_checksums, table_checksums

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def _truncate(at):
    return lambda data: data[: at(len(data))]


def _overwrite(offset: int, length: int = 8):
    def damage(data: bytes) -> bytes:
        noise = random.Random(offset).randbytes(length)
        return data[:offset] + noise + data[offset + length :]

    return damage


DAMAGE = {
    "zero bytes": lambda data: b"",
    "header only": _truncate(lambda n: 100),
    "cut mid-page": _truncate(lambda n: n // 2 + 1000),
    "cut at a page boundary": _truncate(lambda n: (n // 2) // 4096 * 4096),
    "first page only": _truncate(lambda n: 4096),
    "random bytes": lambda data: random.Random(7).randbytes(len(data)),
    "8 bytes at offset 4096": _overwrite(4096),
    "8 bytes into the schema page": _overwrite(100),
    "8 bytes at the middle page": lambda data: _overwrite(len(data) // 4096 // 2 * 4096)(data),
    "8 bytes at the last page": lambda data: _overwrite(len(data) - 4096)(data),
    "page size field": lambda data: data[:16] + b"\x03\x00" + data[18:],
    "text file": lambda data: b"actor,question,stance\n" * 500,
    "PNG": lambda data: PNG,
}


@pytest.fixture(scope="module")
def healthy(tmp_path_factory) -> tuple[Path, bytes]:
    """A closed WAL database (small.csv imported) and its bytes."""
    path = tmp_path_factory.mktemp("healthy") / "explorer.sqlite"
    db = open_database(path)
    import_file(db, DATA / "small.csv", "small")
    db.close()
    assert not Path(f"{path}-wal").exists()
    return path, path.read_bytes()


def damaged_copy(healthy, tmp_path, how: str) -> Path:
    target = tmp_path / "explorer.sqlite"
    target.write_bytes(DAMAGE[how](healthy[1]))
    return target


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name)


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_file_is_refused_and_left_as_it_was(healthy, tmp_path, how):
    path = damaged_copy(healthy, tmp_path, how)
    before = path.read_bytes()
    with pytest.raises(DatabaseDamagedError) as caught:
        open_database(path)
    assert str(path) in str(caught.value) and caught.value.exit_code == 3
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == before  # never written
    assert side_files(path) == []  # no -wal/-shm, no backup of a damaged file


@pytest.mark.parametrize("how", ["8 bytes at offset 4096", "zero bytes", "cut mid-page", "text file"])
def test_the_cli_prints_one_line_and_exits_3(healthy, tmp_path, isolated_home, how):
    path = damaged_copy(healthy, tmp_path, how)
    before = path.read_bytes()
    for command in (["stats"], ["import", str(DATA / "small.csv")], ["export-data", "--out", str(tmp_path / "x.csv")]):
        proc = subprocess.run(
            [sys.executable, "-m", "explorer", *command, "--db", str(path)],
            capture_output=True,
            text=True,
            env={**os.environ, "NEGOTIATION_EXPLORER_HOME": str(isolated_home)},
            check=False,
        )
        assert proc.returncode == 3, proc.stderr
        assert proc.stderr.count("\n") == 1 and str(path) in proc.stderr and "Traceback" not in proc.stderr
    assert path.read_bytes() == before


def test_damage_found_after_opening_stops_the_import_before_it_writes(healthy, tmp_path):
    """The file was damaged after it was opened (the check at open passed): the importer's own
    check refuses it, and nothing is written."""
    path = damaged_copy(healthy, tmp_path, "8 bytes at offset 4096")
    before = path.read_bytes()
    db = Database(sqlite3.connect(path))  # as a connection opened before the damage
    with pytest.raises(DatabaseDamagedError):
        import_file(db, DATA / "small.csv", "again")
    db.close()
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


def test_the_check_is_bounded_in_time(healthy, tmp_path):
    assert health.check_file(healthy[0]).complete  # a small database is checked whole
    big = tmp_path / "big.sqlite"  # ~60 MB: a whole check takes several times the budget below
    conn = sqlite3.connect(big)
    conn.execute("CREATE TABLE t (x)")
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000) "
        "INSERT INTO t SELECT randomblob(1000) FROM n"
    )
    conn.commit()
    conn.close()
    whole = health.check_file(big, seconds=float("inf"))
    assert whole.complete and whole.seconds > 0.05
    bounded = health.check_file(big, seconds=0.01)
    assert not bounded.complete  # stopped: nothing found, nothing claimed
    assert bounded.seconds < whole.seconds  # it stopped before a whole check would have ended


def test_small_tables_are_checked_first_so_a_big_file_does_not_hide_their_damage(tmp_path):
    """The issue's case (8 bytes at offset 4096: the datasets table) in a file whose whole check
    takes far longer than the time allowed: found anyway."""
    path = tmp_path / "big.sqlite"
    db = open_database(path)
    import_file(db, DATA / "small.csv", "small")
    db.execute("CREATE TABLE padding (x)")
    db.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60000) "
        "INSERT INTO padding SELECT randomblob(1000) FROM n"
    )
    db.execute("ANALYZE")
    db.conn.commit()
    db.close()
    assert not health.check_file(path, seconds=0.02).complete
    path.write_bytes(_overwrite(4096)(path.read_bytes()))
    with pytest.raises(DatabaseDamagedError, match="malformed"):
        health.check_file(path, seconds=0.02)


def _imported_twice(tmp_path) -> tuple[Path, dict]:
    """A database with two imports; returns it and its checksums between the two."""
    path = tmp_path / "explorer.sqlite"
    db = open_database(path)
    import_file(db, DATA / "small.csv", "first")
    between = table_checksums(db.conn)
    import_file(db, DATA / "small.csv", "second")
    db.close()
    return path, between


def test_each_import_leaves_a_rolling_backup_of_the_state_before_it(tmp_path):
    path = tmp_path / "explorer.sqlite"
    db = open_database(path)
    states = []
    for i in range(5):
        states.append(table_checksums(db.conn))
        import_file(db, DATA / "small.csv", f"d{i}")
    db.close()
    found = backups.backups_of(path)
    assert len(found) == backups.KEPT_IMPORT_BACKUPS == 3  # the oldest two were removed
    assert [b.reason for b in found] == ["before an import"] * 3
    assert [file_checksums(b.path) for b in found] == states[:1:-1]  # newest first: before imports 5, 4, 3
    assert not list(tmp_path.glob("*.part"))


def test_restore_the_newest_backup_keeps_the_damaged_file_aside(tmp_path):
    path, between = _imported_twice(tmp_path)
    damaged = _overwrite(4096)(path.read_bytes())
    path.write_bytes(damaged)
    with pytest.raises(DatabaseDamagedError):
        open_database(path)
    backup, aside = backups.restore_newest(path)
    assert backup.reason == "before an import"
    assert aside.read_bytes() == damaged and aside.name.startswith("explorer.sqlite.damaged-")
    db = open_database(path)
    assert table_checksums(db.conn) == between  # the state before the second import
    db.close()


def test_a_damaged_backup_is_skipped(tmp_path):
    path, _ = _imported_twice(tmp_path)
    newest, older = backups.backups_of(path)[:2]
    newest.path.write_bytes(_overwrite(4096)(newest.path.read_bytes()))
    assert backups.newest_sound_backup(path) == older
    path.write_bytes(b"")
    assert backups.restore_newest(path)[0].path == older.path
    open_database(path).close()


def test_an_upgrade_backup_counts_too(tmp_path):
    path = tmp_path / "explorer.sqlite"
    upgrade = tmp_path / "explorer.sqlite.v4.bak"
    db = open_database(upgrade)
    db.close()
    path.write_bytes(b"garbage" * 1000)
    (found,) = backups.backups_of(path)
    assert found.reason == "before upgrading from schema version 4" and "v4.bak" in found.describe()
    backups.restore_newest(path)
    open_database(path).close()


def test_start_fresh_moves_the_damaged_file_aside(tmp_path):
    path, _ = _imported_twice(tmp_path)
    Path(f"{path}-wal").write_bytes(b"")  # a leftover journal goes with it
    path.write_bytes(b"\x00" * 8192)
    aside = backups.start_fresh(path)
    assert aside.read_bytes() == b"\x00" * 8192 and Path(f"{aside}-wal").exists()
    assert not path.exists() and not Path(f"{path}-wal").exists()
    db = open_database(path)
    assert db.execute("SELECT count(*) FROM positions").fetchone()[0] == 0
    db.close()


def test_no_backup_is_a_clear_error(tmp_path):
    path = tmp_path / "explorer.sqlite"
    path.write_bytes(b"")
    with pytest.raises(StoreError, match="no usable backup"):
        backups.restore_newest(path)
    assert path.exists()
