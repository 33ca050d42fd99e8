"""A full disk and a file the user cannot write (issue #12.5).

An import that meets a full disk fails with one clear message and changes nothing, whether the
disk fills during the import or while the safety copy before it is written. A database the user
cannot write opens read-only: it can be read and exported, and an import says why it cannot run.

The real cases use a small tmpfs mounted for the test (needs root, as in CI and the dev
container; skipped elsewhere); the injected cases run everywhere.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.errors import StoreError
from explorer.ingest.importer import import_file
from explorer.store import backups, database
from explorer.store.database import open_database
from explorer.store.writing import is_read_only
from tests.conftest import DATA
from tests.table_checksums import file_checksums
from tests.test_concurrent_writers import write_csv


def small_database(path: Path) -> Path:
    db = open_database(path)
    import_file(db, DATA / "small.csv", "small")
    db.close()
    return path


@contextlib.contextmanager
def tmpfs(folder: Path, size: str):
    """A tmpfs of ``size`` mounted at ``folder``; skips the test where mounting is not allowed."""
    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)]
    proc = subprocess.run(mount, capture_output=True, check=False)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {proc.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def remount_read_only(folder: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)


# --- full disk -------------------------------------------------------------------------------


def test_sqlite_full_during_the_import_changes_nothing(tmp_path):
    """SQLite itself reports SQLITE_FULL (the file may not grow past max_page_count)."""
    path = small_database(tmp_path / "explorer.sqlite")
    before = file_checksums(path)
    db = open_database(path)
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages + 20}")
    with pytest.raises(StoreError, match="is full; nothing was written"):
        import_file(db, write_csv(tmp_path / "big.csv", "big", 20_000), "big")
    db.execute("PRAGMA max_page_count = 1073741823")
    assert file_checksums(path) == before
    assert import_file(db, DATA / "small.csv", "after").imported == 11  # the database still works
    db.close()


def test_a_full_disk_while_copying_the_backup_changes_nothing(tmp_path, monkeypatch):
    path = small_database(tmp_path / "explorer.sqlite")
    before, old_backups = file_checksums(path), sorted(tmp_path.glob("*.bak"))

    def disk_full(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups.os, "replace", disk_full)
    db = open_database(path)
    with pytest.raises(StoreError, match=r"safety copy .*: No space left on device; nothing was imported"):
        import_file(db, DATA / "small.csv", "again")
    db.close()
    assert file_checksums(path) == before
    assert sorted(tmp_path.glob("*.bak")) == old_backups and not list(tmp_path.glob("*.part"))


def test_a_real_full_disk_during_the_import(tmp_path):
    big = write_csv(tmp_path / "big.csv", "big", 30_000)  # about 6 MB once imported
    with tmpfs(tmp_path / "disk", "1m") as disk:
        path = small_database(disk / "explorer.sqlite")  # ~200 KB, and its backup fits
        before = file_checksums(path)
        db = open_database(path)
        with pytest.raises(StoreError, match="is full; nothing was written"):
            import_file(db, big, "big")
        db.close()
        assert file_checksums(path) == before
        code = main(["--db", str(path), "import", str(big)])
        assert code == 1
        assert file_checksums(path) == before
        db = open_database(path)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()


def test_a_real_full_disk_before_the_backup(tmp_path):
    with tmpfs(tmp_path / "disk", "400k") as disk:
        path = small_database(tmp_path / "explorer.sqlite")
        shutil.copy(path, disk / "explorer.sqlite")
        path = disk / "explorer.sqlite"
        filler = disk / "filler"
        free = shutil.disk_usage(disk).free
        filler.write_bytes(b"\0" * max(0, free - 64 * 1024))  # leaves less than the database's size
        before = file_checksums(path)
        db = open_database(path)
        with pytest.raises(StoreError, match="safety copy"):
            import_file(db, DATA / "small.csv", "again")
        db.close()
        assert file_checksums(path) == before
        assert not [p for p in disk.iterdir() if p.name.endswith((".bak", ".part"))]


# --- read-only files -------------------------------------------------------------------------


def test_a_file_the_user_cannot_write_opens_read_only(tmp_path, monkeypatch):
    """Injected: the permission check says no (the suite runs as root, whom chmod does not stop);
    from there on SQLite's own read-only mode refuses every write."""
    path = small_database(tmp_path / "explorer.sqlite")
    before = file_checksums(path)
    real_access = os.access
    monkeypatch.setattr(database.os, "access", lambda p, mode: mode != os.W_OK and real_access(p, mode))
    db = open_database(path)
    assert is_read_only(db)
    assert db.execute("SELECT count(*) FROM positions").fetchone()[0] == 11
    with pytest.raises(StoreError, match="is read-only"):
        import_file(db, DATA / "small.csv", "again")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        db.execute("DELETE FROM positions")
    db.close()
    assert file_checksums(path) == before


def test_a_database_on_a_read_only_filesystem(tmp_path, isolated_home):
    with tmpfs(tmp_path / "disk", "4m") as disk:
        path = small_database(disk / "explorer.sqlite")
        before = file_checksums(path)
        remount_read_only(disk)
        db = open_database(path)
        assert is_read_only(db)
        assert db.execute("SELECT count(*) FROM positions").fetchone()[0] == 11
        db.close()
        env = {**os.environ, "NEGOTIATION_EXPLORER_HOME": str(isolated_home)}

        def cli(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [sys.executable, "-m", "explorer", "--db", str(path), *args],
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )

        imported = cli("import", str(DATA / "small.csv"))
        assert imported.returncode == 1
        assert imported.stderr == (
            f"negotiation-explorer import: error: {path} is read-only (you cannot write to this file); "
            "nothing was changed\n"
        )
        stats = cli("stats", "--dataset", "small")
        assert stats.returncode == 0 and "11 positions" in stats.stdout, stats.stderr
        exported = cli("export-data", "--dataset", "small", "--out", str(tmp_path / "out.csv"))
        assert exported.returncode == 0 and (tmp_path / "out.csv").exists()
        assert file_checksums(path) == before
