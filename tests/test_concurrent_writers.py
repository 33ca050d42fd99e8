"""Two writers at once (issue #12.2): the second waits its turn and says so, then lands; past the
limit it fails with a clear message (exit code 3); readers are never blocked."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.errors import DatabaseBusyError, ImportCancelled
from explorer.ingest.bundled import open_with_bundled
from explorer.ingest.importer import import_file
from explorer.store import changes, queries
from explorer.store.database import open_database
from explorer.store.writing import WAIT_ENV
from tests.conftest import DATA
from tests.table_checksums import file_checksums


def write_csv(path: Path, prefix: str, rows: int) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("actor,question,stance,date,summary,source_url\n")
        for i in range(rows):
            out.write(f"{prefix} actor {i % 40},{prefix}-q{i % 90},support,2021-{1 + i % 12:02d}-{1 + i % 28:02d},")
            out.write(f"{prefix} row {i},https://example.org/{prefix}/{i}\n")
    return path


@pytest.fixture
def database(tmp_path) -> Path:
    """A WAL database holding tests/data/small.csv, closed."""
    path = tmp_path / "shared.sqlite"
    db = open_database(path)
    import_file(db, DATA / "small.csv", "small")
    db.close()
    return path


class WriteLock:
    """Another program in the middle of an import: holds the write lock with rows written."""

    def __init__(self, path: Path):
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("INSERT INTO datasets (name, origin) VALUES ('half-written', 'user')")

    def release(self, commit: bool = False) -> None:
        self.conn.execute("COMMIT" if commit else "ROLLBACK")
        self.conn.close()


def test_a_writer_waits_then_gives_up_with_a_clear_error(database, tmp_path, monkeypatch):
    monkeypatch.setenv(WAIT_ENV, "1.0")
    before, backups = file_checksums(database), sorted(tmp_path.glob("*.bak"))
    lock = WriteLock(database)
    waits: list[float] = []
    db = open_database(database)
    with pytest.raises(DatabaseBusyError, match="busy: another import") as caught:
        import_file(db, write_csv(tmp_path / "b.csv", "b", 10), "b", waiting=waits.append)
    assert caught.value.exit_code == 3
    assert len(waits) >= 2 and waits == sorted(waits) and waits[-1] < 1.0  # told while waiting
    lock.release()
    db.close()
    assert file_checksums(database) == before
    assert sorted(tmp_path.glob("*.bak")) == backups  # no new backup: the import never started


def test_cancel_while_waiting(database, tmp_path):
    lock = WriteLock(database)
    db = open_database(database)
    waits: list[float] = []
    with pytest.raises(ImportCancelled, match="waiting for another import"):
        import_file(db, write_csv(tmp_path / "b.csv", "b", 10), "b", waiting=waits.append, cancel=lambda: bool(waits))
    lock.release()
    db.close()


def test_readers_are_not_blocked_by_a_writer(database):
    lock = WriteLock(database)
    reader = open_database(database, read_only=True)
    assert "half-written" not in {d["name"] for d in queries.dataset_stats(reader)}  # the last commit
    token = changes.data_token(reader)
    writer = open_database(database)  # a second program opens it too (no bundled data: no write)
    assert queries.stats(writer)["positions"] == queries.stats(reader)["positions"]
    lock.release(commit=True)
    assert "half-written" in {d["name"] for d in queries.dataset_stats(reader)}
    assert changes.changed_since(reader, token) is None  # a dataset alone is not an import
    import_file(writer, DATA / "small.csv", "again")
    assert changes.changed_since(reader, token) is not None
    reader.close()
    writer.close()


def test_the_cli_waits_visibly_then_exits_3(database, tmp_path, monkeypatch, capsys):
    open_with_bundled(database).close()  # the bundled data is loaded: the command only imports
    monkeypatch.setenv(WAIT_ENV, "0.8")
    lock = WriteLock(database)
    code = main(["--db", str(database), "import", str(write_csv(tmp_path / "b.csv", "b", 5))])
    lock.release()
    err = capsys.readouterr().err
    assert code == 3
    lines = err.splitlines()
    assert lines[0] == "negotiation-explorer import: waiting for another import to finish…"
    assert lines[1].startswith(f"negotiation-explorer import: error: {database} is busy: another import")
    assert len(lines) == 2 and "Traceback" not in err


def _positions_by_file(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT i.file, a.name, q.key, p.date, p.summary, s.url FROM positions p JOIN imports i ON i.id = p.import_id "
        "JOIN actors a ON a.id = p.actor_id JOIN questions q ON q.id = p.question_id "
        "JOIN sources s ON s.id = p.source_id ORDER BY p.id"
    ).fetchall()
    conn.close()
    grouped: dict[str, list[tuple]] = {}
    for file, *values in rows:
        grouped.setdefault(Path(file).name, []).append(tuple(values))
    return grouped


def _digest(rows) -> str:
    return hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()


@pytest.mark.slow
def test_two_processes_importing_at_once_both_land_unmixed(database, tmp_path, isolated_home):
    """Both CLI imports start while a third program holds the lock, so both must wait (each says
    so on stderr); when it lets go they run one after the other and both succeed."""
    open_with_bundled(database).close()
    files = [write_csv(tmp_path / f"{p}.csv", p, 20_000) for p in ("first", "second")]
    lock = WriteLock(database)
    env = {**os.environ, "NEGOTIATION_EXPLORER_HOME": str(isolated_home)}
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "explorer", "--db", str(database), "import", str(f), "--dataset", "shared"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for f in files
    ]
    for child in children:  # both are waiting for the lock before it is released
        assert "waiting for another import" in child.stderr.readline()
    lock.release()
    for child in children:
        out, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
        assert "Imported 20000 position(s)" in out and "Traceback" not in err
    grouped = _positions_by_file(database)
    for f, prefix in zip(files, ("first", "second"), strict=True):
        rows = grouped[f.name]
        assert len(rows) == 20_000
        assert all(summary.startswith(f"{prefix} row ") for _, _, _, summary, _ in rows)  # nothing mixed
        expected = [
            (
                f"{prefix} actor {i % 40}",
                f"{prefix}-q{i % 90}",
                f"2021-{1 + i % 12:02d}-{1 + i % 28:02d}",
                f"{prefix} row {i}",
                f"https://example.org/{prefix}/{i}",
            )
            for i in range(20_000)
        ]
        assert _digest(rows) == _digest(expected)
    conn = sqlite3.connect(database)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM datasets WHERE name = 'half-written'").fetchone()[0] == 0
    conn.close()
