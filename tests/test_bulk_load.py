"""What a large import sets aside comes back: indexes, triggers, constraint checks, text index.

``explorer.store.bulk_load`` drops the positions table's indexes and triggers and switches off
per-row foreign key and CHECK enforcement while an import writes; these tests make every
import "large" and check that the database afterwards is exactly what it would have been.
"""

from __future__ import annotations

import contextlib
import sqlite3

import pytest

from explorer.ingest import importer
from explorer.ingest.importer import ImportCancelled, import_file
from explorer.ingest.registry import Registry
from explorer.ingest.rows import ValidationError
from explorer.store import bulk_load
from explorer.store.database import open_database
from tests.conftest import DATA

HEADER = "actor,question,option,stance,date,session,summary,source_url\n"


def schema_of(db) -> list:
    return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def switches(db) -> tuple[int, int]:
    return (
        db.execute("PRAGMA foreign_keys").fetchone()[0],
        db.execute("PRAGMA ignore_check_constraints").fetchone()[0],
    )


@pytest.fixture
def every_import_is_large(monkeypatch):
    monkeypatch.setattr(bulk_load, "REBUILD_AT_LEAST", 1)
    monkeypatch.setattr(importer, "TEXT_INDEX_EVERY", 3)  # the text index is filled several times


@pytest.fixture
def file_db(tmp_path):
    db = open_database(tmp_path / "bulk.sqlite")
    import_file(db, DATA / "small.csv", "small")
    yield db
    db.close()


def write_rows(path, count: int, start: int = 0):
    lines = [
        f"Actor {i % 7},q{i % 11},o{i % 3},support,2024-01-{1 + i % 28:02d},s{i % 2},"
        f"summary number {i} about retention,https://x.org/{i % 5}\n"
        for i in range(start, start + count)
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def test_a_large_import_leaves_the_schema_and_checks_as_they_were(file_db, tmp_path, every_import_is_large):
    before = schema_of(file_db)
    dropped: list[str] = []
    real_positions = bulk_load.positions

    def watching(conn, expected_rows):
        with real_positions(conn, expected_rows) as load:
            dropped.extend(load.set_aside)
            yield load

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bulk_load, "positions", contextlib.contextmanager(watching))
        report = import_file(file_db, write_rows(tmp_path / "big.csv", 40), "big")
    assert report.imported == 40
    assert sum("CREATE INDEX" in sql for sql in dropped) == 9 and sum("TRIGGER" in sql for sql in dropped) == 3
    assert schema_of(file_db) == before  # every index and trigger back, from the same SQL
    assert switches(file_db) == (1, 0)  # foreign keys and CHECKs enforced again
    assert file_db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert file_db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    file_db.execute("INSERT INTO positions_fts (positions_fts) VALUES ('integrity-check')")  # index == rows
    hits = file_db.execute("SELECT count(*) FROM positions_fts WHERE positions_fts MATCH 'retention'").fetchone()[0]
    assert hits == 40
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        file_db.execute(
            "INSERT INTO positions (dataset_id, actor_id, question_id, stance, sort_date, source_id, confidence, "
            "import_id) SELECT dataset_id, actor_id, question_id, 'maybe', sort_date, source_id, confidence, "
            "import_id FROM positions LIMIT 1"
        )
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        file_db.execute(
            "INSERT INTO positions (dataset_id, actor_id, question_id, stance, sort_date, source_id, confidence, "
            "import_id) SELECT dataset_id, 999999, question_id, stance, sort_date, source_id, confidence, "
            "import_id FROM positions LIMIT 1"
        )


def test_new_positions_get_consecutive_ids_and_every_one_is_searchable(file_db, tmp_path, every_import_is_large):
    first = file_db.execute("SELECT max(id) FROM positions").fetchone()[0] + 1
    import_file(file_db, write_rows(tmp_path / "a.csv", 25), "big")
    import_file(file_db, write_rows(tmp_path / "b.csv", 10, start=25), "big")  # into the same dataset
    ids = [r[0] for r in file_db.execute("SELECT id FROM positions WHERE id >= ? ORDER BY id", [first])]
    assert ids == list(range(first, first + 35))
    indexed = file_db.execute("SELECT rowid FROM positions_fts WHERE positions_fts MATCH 'summary' ORDER BY rowid")
    assert [r[0] for r in indexed] == ids


@pytest.mark.parametrize("failure", ["invalid row", "cancel"])
def test_a_failed_large_import_restores_everything(file_db, tmp_path, every_import_is_large, failure):
    before = schema_of(file_db)
    count = file_db.execute("SELECT count(*) FROM positions").fetchone()[0]
    path = write_rows(tmp_path / "bad.csv", 30)
    if failure == "invalid row":
        path.write_text(path.read_text() + "Late,q1,o1,maybe,2024-01-01,s1,x,https://x.org/1\n")
        with pytest.raises(ValidationError):
            import_file(file_db, path, "big")
    else:
        with pytest.raises(ImportCancelled):
            import_file(file_db, path, "big", cancel=lambda: True)
    assert schema_of(file_db) == before
    assert switches(file_db) == (1, 0)
    assert file_db.execute("SELECT count(*) FROM positions").fetchone()[0] == count
    assert file_db.execute("SELECT count(*) FROM datasets WHERE name = 'big'").fetchone()[0] == 0


def test_an_import_inside_a_larger_write_keeps_foreign_keys_on(file_db, tmp_path):
    with file_db.atomic():  # as the bundled loader does: foreign keys cannot be switched in a transaction
        seen = []
        import_file(
            file_db, write_rows(tmp_path / "n.csv", 5), "nested", progress=lambda *_: seen.append(switches(file_db))
        )
        assert set(seen) == {(1, 1)}  # foreign keys stayed on; CHECKs were off only while it wrote
    assert switches(file_db) == (1, 0)
    nested = "SELECT count(*) FROM positions p JOIN datasets d ON d.id = p.dataset_id WHERE d.name = 'nested'"
    assert file_db.execute(nested).fetchone()[0] == 5


def test_ids_that_name_nothing_are_caught_before_the_commit(file_db):
    from explorer.ingest.importer import ImportReport

    registry = Registry(file_db, 1, ImportReport("small", "x"))
    registry.memo["actor"]["Ghost"] = 987654
    with pytest.raises(RuntimeError, match="1 actors id"):
        registry.verify_references()
