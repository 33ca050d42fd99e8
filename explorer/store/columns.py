"""Positions as numpy columns for the analysis, cached per dataset.

Reading a million positions through ``sqlite3`` costs about a second, and the GUI recomputes
the network at every filter change. So the columns of a whole dataset are read once, packed
into three integers per row, and kept while the dataset is unchanged (token: its newest import
and the newest position id; every write goes through an import). A filter then only asks SQL
which position ids match.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter, compile_filter
from explorer.vocabulary import STANCE_CODES

_STANCE_SQL = "CASE p.stance " + " ".join(f"WHEN '{s}' THEN {c}" for s, c in STANCE_CODES.items()) + " END"
_CHUNK = 50_000
_ID_BITS = 34  # position ids below 2**34 (17 billion); days since 4713 BC fit in the bits above


@dataclass(frozen=True)
class PositionArrays:
    """Positions as columns in time order (``sort_date``, then id): the analysis input."""

    position_id: np.ndarray
    actor_id: np.ndarray
    question_id: np.ndarray
    option_id: np.ndarray  # 0 where the position names no option
    stance: np.ndarray  # int8 codes, see STANCE_CODES

    def __len__(self) -> int:
        return len(self.position_id)

    def take(self, mask: np.ndarray) -> PositionArrays:
        return PositionArrays(
            *(
                column[mask]
                for column in (self.position_id, self.actor_id, self.question_id, self.option_id, self.stance)
            )
        )


_cache: dict[tuple[str, int], tuple[tuple[int | None, int | None], PositionArrays]] = {}
_lock = threading.Lock()


def position_arrays(db: Database, flt: PositionFilter | CompiledFilter) -> PositionArrays:
    """The filtered positions as columns (time order), from the dataset's cached columns."""
    compiled = flt if isinstance(flt, CompiledFilter) else compile_filter(db, flt)
    columns = dataset_columns(db, compiled.dataset_id)
    if compiled.where == "p.dataset_id = ?":
        return columns
    ids = np.fromiter(
        (row[0] for row in db.execute(f"SELECT p.id FROM positions p WHERE {compiled.where}", compiled.params)),
        dtype=np.int64,
    )
    if len(columns) == 0 or len(ids) == 0:
        return columns.take(np.zeros(len(columns), dtype=bool))
    wanted = np.zeros(int(columns.position_id.max()) + 1, dtype=bool)
    wanted[ids[ids < len(wanted)]] = True
    return columns.take(wanted[columns.position_id])


def dataset_columns(db: Database, dataset_id: int) -> PositionArrays:
    """All positions of a dataset as columns; cached for file databases while unchanged."""
    path = _file_of(db)
    if path is None:
        return _read_columns(db, dataset_id)
    token = db.execute(
        "SELECT (SELECT max(id) FROM imports WHERE dataset_id = ?), (SELECT max(id) FROM positions)", [dataset_id]
    ).fetchone()
    key = (path, dataset_id)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == token:
            return cached[1]
        columns = _read_columns(db, dataset_id)
        _cache[key] = (token, columns)
        return columns


def _file_of(db: Database) -> str | None:
    for _, name, file in db.execute("PRAGMA database_list"):
        if name == "main":
            return file or None
    return None


def _read_columns(db: Database, dataset_id: int) -> PositionArrays:
    cursor = db.execute(
        f"SELECT (p.actor_id << 32) | p.question_id, (COALESCE(p.option_id, 0) << 3) | {_STANCE_SQL}, "
        f"(CAST(COALESCE(julianday(p.sort_date), 0) AS INTEGER) << {_ID_BITS}) | p.id "
        f"FROM positions p WHERE p.dataset_id = ?",
        [dataset_id],
    )
    chunks = [np.zeros((0, 3), dtype=np.int64)]
    while rows := cursor.fetchmany(_CHUNK):  # a million rows as tuples at once peaked at +400 MB
        chunks.append(np.array(rows, dtype=np.int64))
    packed = np.concatenate(chunks)
    packed = packed[np.argsort(packed[:, 2], kind="stable")]  # (day, id) order
    low32 = (1 << 32) - 1
    return PositionArrays(
        position_id=packed[:, 2] & ((1 << _ID_BITS) - 1),
        actor_id=packed[:, 0] >> 32,
        question_id=packed[:, 0] & low32,
        option_id=packed[:, 1] >> 3,
        stance=(packed[:, 1] & 7).astype(np.int8),
    )
