"""The analysis columns stored at the end of each import are the dataset's positions, exactly.

``explorer.store.columns`` answers from memory, else from ``position_columns`` (written by the
import, keyed by the dataset's imports), else from the positions table. Whatever the path, the
arrays must equal a fresh read of the positions table.
"""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from explorer.ingest.bundled import ensure_bundled
from explorer.ingest.importer import import_file
from explorer.store import columns
from explorer.store.database import Database, open_database
from explorer.store.filters import PositionFilter, resolve_dataset
from tests.conftest import DATA

HEADER = "actor,question,option,stance,date,session,source_url\n"


def same(a: columns.PositionArrays, b: columns.PositionArrays) -> bool:
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in a.__dataclass_fields__)


def from_positions(db, dataset: str) -> columns.PositionArrays:
    return columns._read_columns(db, resolve_dataset(db, dataset))


def stored(db, dataset: str) -> columns.PositionArrays | None:
    dataset_id = resolve_dataset(db, dataset)
    return columns._stored_columns(db, dataset_id, columns.dataset_token(db, dataset_id))


@pytest.fixture
def file_db(tmp_path):
    columns._cache.clear()
    db = open_database(tmp_path / "columns.sqlite")
    yield db
    db.close()
    columns._cache.clear()


def write(tmp_path, name: str, rows: list[str]):
    path = tmp_path / name
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_an_import_stores_its_datasets_columns(file_db):
    import_file(file_db, DATA / "small.csv", "small")
    kept = stored(file_db, "small")
    assert kept is not None and len(kept) == 11
    assert same(kept, from_positions(file_db, "small"))
    assert kept.actor_id.dtype == np.int32 and kept.stance.dtype == np.int8  # packed narrow


def test_a_second_import_into_the_dataset_merges_in_time_order(file_db, tmp_path, monkeypatch):
    import_file(file_db, DATA / "small.csv", "small")
    reads = []
    real_read = columns._read_columns
    monkeypatch.setattr(columns, "_read_columns", lambda db, d: reads.append(d) or real_read(db, d))
    # dated between the small file's positions, and undated (session only): the merge must interleave
    later = write(
        tmp_path,
        "more.csv",
        ["Atlantis,art6-list,keep-list,oppose,2023-01-11,s1,https://x.org", "Newland,q9,,support,,s9,https://x.org"],
    )
    import_file(file_db, later, "small")
    assert reads == []  # merged with the stored copy, not read back from positions
    kept = stored(file_db, "small")
    assert len(kept) == 13 and same(kept, from_positions(file_db, "small"))
    assert list(kept.day) == sorted(kept.day)


def test_columns_come_from_memory_then_the_stored_copy_then_the_table(file_db, tmp_path, monkeypatch):
    import_file(file_db, DATA / "small.csv", "small")
    dataset_id = resolve_dataset(file_db, "small")
    reads = []
    real_read = columns._read_columns
    monkeypatch.setattr(columns, "_read_columns", lambda db, d: reads.append(d) or real_read(db, d))
    first = columns.dataset_columns(file_db, dataset_id)
    assert reads == []  # the stored copy, not a million-row SELECT
    assert columns.dataset_columns(file_db, dataset_id) is first  # then memory
    file_db.execute("UPDATE position_columns SET token = 'stale'")  # a copy that does not match the imports
    columns._cache.clear()
    again = columns.dataset_columns(file_db, dataset_id)
    assert reads == [dataset_id] and same(again, first)


def test_a_new_import_changes_the_token_and_the_answer(file_db, tmp_path):
    import_file(file_db, DATA / "small.csv", "small")
    dataset_id = resolve_dataset(file_db, "small")
    before = columns.dataset_columns(file_db, dataset_id)
    import_file(file_db, write(tmp_path, "one.csv", ["Zembla,q1,,support,2023-02-01,s1,https://x.org"]), "small")
    after = columns.dataset_columns(file_db, dataset_id)
    assert len(after) == len(before) + 1
    assert columns.position_arrays(file_db, PositionFilter("small", actors=("Zembla",))).actor_id.size == 1


def test_a_reloaded_bundled_dataset_is_read_afresh(file_db, mini_bundle, tmp_path):
    ensure_bundled(file_db, mini_bundle)
    import_file(file_db, write(tmp_path, "user.csv", ["Atlantis,adoption,adopt,oppose,,s2,https://u.org"]), "mini")
    copy = tmp_path / "bundle"
    copy.mkdir()
    for f in mini_bundle.iterdir():
        (copy / f.name).write_bytes(f.read_bytes())
    meta = (copy / "dataset.json").read_text().replace('"1.0.0"', '"1.0.1"')
    (copy / "dataset.json").write_text(meta)
    ensure_bundled(file_db, copy)  # deletes the old bundled positions, keeps the user's
    assert same(stored(file_db, "mini"), from_positions(file_db, "mini"))


def test_a_database_from_before_the_stored_columns_still_answers(tmp_path):
    from explorer.store import schema

    path = tmp_path / "v6.sqlite"
    conn = sqlite3.connect(path)
    schema.migrate(conn, target=6)  # the columns came with v7
    conn.close()
    columns._cache.clear()
    db = Database(sqlite3.connect(path))
    import_file(db, DATA / "small.csv", "small")  # no position_columns table: nothing stored
    dataset_id = resolve_dataset(db, "small")
    assert columns._stored_columns(db, dataset_id, columns.dataset_token(db, dataset_id)) is None
    assert len(columns.dataset_columns(db, dataset_id)) == 11
    db.close()
    columns._cache.clear()


def test_a_copy_stored_under_another_stance_coding_is_not_trusted(file_db, monkeypatch):
    import_file(file_db, DATA / "small.csv", "small")
    dataset_id = resolve_dataset(file_db, "small")
    monkeypatch.setattr(columns, "_STANCE_CODING", "oppose,support,amend,reserve,neutral")  # a later vocabulary
    assert columns._stored_columns(file_db, dataset_id, columns.dataset_token(file_db, dataset_id)) is None
