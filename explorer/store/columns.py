"""Positions as numpy columns for the analysis, kept per dataset in memory and in the database.

The GUI recomputes the network at every filter change, and reading a million positions through
``sqlite3`` costs about a second. So each import ends by writing its dataset's columns as
packed arrays into ``position_columns`` (one row per dataset, schema v7), keyed by the
dataset's imports; the first analysis in a fresh process reads them with one query, and later
ones reuse them from memory while the dataset is unchanged. A filter then only asks SQL which
position ids match. A database without that row (written before v7) is read from positions.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter, compile_filter
from explorer.vocabulary import PERIOD_SESSION_KINDS, STANCE_CODES

_STANCE_SQL = "CASE p.stance " + " ".join(f"WHEN '{s}' THEN {c}" for s, c in STANCE_CODES.items()) + " END"
_DAY_SQL = "CAST(COALESCE(julianday({}), 0) AS INTEGER)"  # the whole day of a sort date, 0 if none
_STANCE_CODING = ",".join(STANCE_CODES)  # the code of each stance is its place in this list
_CHUNK = 50_000
_ID_BITS = 34  # position ids below 2**34 (17 billion); days since 4713 BC fit in the bits above


@dataclass(frozen=True)
class PositionArrays:
    """Positions as columns in time order (``sort_date``, then id): the analysis input."""

    position_id: np.ndarray
    day: np.ndarray  # the sort date as a Julian day number (0 when undated)
    actor_id: np.ndarray
    question_id: np.ndarray
    option_id: np.ndarray  # 0 where the position names no option
    stance: np.ndarray  # int8 codes, see STANCE_CODES

    def __len__(self) -> int:
        return len(self.position_id)

    def take(self, selection: np.ndarray) -> PositionArrays:
        return PositionArrays(*(getattr(self, f.name)[selection] for f in fields(self)))

    @classmethod
    def concatenate(cls, parts: list[PositionArrays]) -> PositionArrays:
        """The parts as one set of columns, in time order."""
        joined = cls(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(cls)))
        order = np.argsort((joined.day.astype(np.int64) << _ID_BITS) | joined.position_id, kind="stable")
        return joined.take(order)


_cache: dict[tuple[str, int], tuple[str, PositionArrays]] = {}
_lock = threading.Lock()


def position_arrays(db: Database, flt: PositionFilter | CompiledFilter) -> PositionArrays:
    """The filtered positions as columns (time order), from the dataset's cached columns."""
    compiled = flt if isinstance(flt, CompiledFilter) else compile_filter(db, flt)
    columns = dataset_columns(db, compiled.dataset_id)
    if compiled.where == "p.dataset_id = ?":
        return columns
    return _without(columns, _ids(db, compiled.where, compiled.params), keep=True)


def timeline_arrays(db: Database, compiled: CompiledFilter) -> tuple[PositionArrays, int]:
    """The filtered positions the timeline places in time, as columns, and how many it leaves
    out: the rule of ``queries.timeline_points`` (a position's date, else the start of its
    session unless that session is a period, ``PERIOD_SESSION_KINDS``)."""
    columns = position_arrays(db, compiled)
    marks = ", ".join("?" * len(PERIOD_SESSION_KINDS))
    periods = [
        row[0]
        for row in db.execute(
            f"SELECT id FROM sessions WHERE dataset_id = ? AND kind IN ({marks})",
            [compiled.dataset_id, *PERIOD_SESSION_KINDS],
        )
    ]
    placed = columns.take(np.flatnonzero(columns.day > 0))
    if periods:  # the dataset's positions placed only by a period: few, found by the session index
        in_periods = _ids(db, f"p.session_id IN ({', '.join('?' * len(periods))}) AND p.date IS NULL", periods)
        placed = _without(placed, in_periods, keep=False)
    return placed, len(columns) - len(placed)


def _ids(db: Database, where: str, params: Sequence[Any]) -> np.ndarray:
    """Ids of the positions matching ``where``: one text from SQLite parsed by numpy (a tuple per
    row through Python was 3× slower at 170,000 rows)."""
    text = db.execute(f"SELECT group_concat(p.id) FROM positions p WHERE {where}", params).fetchone()[0]
    return np.fromstring(text or "", dtype=np.int64, sep=",")


def _without(columns: PositionArrays, ids: np.ndarray, *, keep: bool) -> PositionArrays:
    """The rows of ``columns`` whose position is in ``ids`` (``keep``), or those whose is not."""
    if len(columns) == 0 or (len(ids) == 0 and not keep):
        return columns
    marked = np.zeros(int(columns.position_id.max()) + 1, dtype=bool)
    marked[ids[(ids >= 0) & (ids < len(marked))]] = True
    hit = marked[columns.position_id]
    return columns.take(np.flatnonzero(hit if keep else ~hit))  # indices: one pass over the mask, not six


def dataset_columns(db: Database, dataset_id: int) -> PositionArrays:
    """All positions of a dataset as columns: from memory, else the stored copy, else SQL."""
    token = dataset_token(db, dataset_id)
    path = _file_of(db)
    key = (path or "", dataset_id)
    with _lock:
        cached = _cache.get(key) if path else None
        if cached is not None and cached[0] == token:
            return cached[1]
        columns = _stored_columns(db, dataset_id, token)
        if columns is None:
            columns = _read_columns(db, dataset_id)
        if path:
            _cache[key] = (token, columns)
        return columns


def dataset_token(db: Database, dataset_id: int, without_import: int | None = None) -> str:
    """What the dataset's positions are made of: its imports and their sizes (every write of
    positions is an import; a reloaded bundled dataset deletes its import rows and adds one),
    and how stances are coded, since the stored columns hold the codes."""
    row = db.execute(
        "SELECT group_concat(id || ':' || rows, ',') FROM "
        "(SELECT id, rows FROM imports WHERE dataset_id = ? AND id IS NOT ? ORDER BY id)",
        [dataset_id, without_import],
    ).fetchone()
    return f"{row[0] or ''}|{_STANCE_CODING}"


class ColumnsBuilder:
    """The columns of the positions one import writes, gathered batch by batch (their ids are
    consecutive from the load's first id, in the order they were added)."""

    def __init__(self, db: Database):
        self.db = db
        self.parts: list[tuple[np.ndarray, ...]] = []
        self.days: dict[str, int] = {}

    def add(
        self,
        actor: Sequence[Any],
        question: Sequence[Any],
        option: Sequence[Any],
        stance: Sequence[Any],
        sort_date: Sequence[Any],
    ) -> None:
        """One batch of written positions: ids (option None when there is none), stance names,
        sort dates."""
        for date in set(sort_date).difference(self.days):
            self.days[date] = self.db.execute(f"SELECT {_DAY_SQL.format('?')}", [date]).fetchone()[0]
        self.parts.append(
            (
                np.fromiter(map(self.days.__getitem__, sort_date), np.int32, len(sort_date)),
                np.array(actor, dtype=np.int64),
                np.array(question, dtype=np.int64),
                np.array([o or 0 for o in option] if None in option else option, dtype=np.int64),
                np.fromiter(map(STANCE_CODES.__getitem__, stance), np.int8, len(stance)),
            )
        )

    def arrays(self, first_id: int) -> PositionArrays:
        day, actor, question, option, stance = (
            np.concatenate([p[i] for p in self.parts]) if self.parts else np.zeros(0, np.int64) for i in range(5)
        )
        position_id = np.arange(first_id, first_id + len(actor), dtype=np.int64)
        return PositionArrays.concatenate([PositionArrays(position_id, day, actor, question, option, stance)])


def save_dataset_columns(
    db: Database, dataset_id: int, new: PositionArrays, *, import_id: int, had_positions: bool
) -> None:
    """Store the dataset's columns after an import wrote ``new``: merged with the stored copy
    when that copy was current before this import, else read back from positions."""
    if not db.table("position_columns").exists():
        return  # a database still at schema v6 (the upgrade tests write one)
    columns = new
    if had_positions:
        before = _stored_columns(db, dataset_id, dataset_token(db, dataset_id, without_import=import_id))
        columns = PositionArrays.concatenate([before, new]) if before is not None else _read_columns(db, dataset_id)
    names = [f.name for f in fields(PositionArrays)]
    db.execute(
        f"INSERT OR REPLACE INTO position_columns (dataset_id, token, rows, {', '.join(names)}) "
        f"VALUES (?, ?, ?, {', '.join('?' * len(names))})",
        [dataset_id, dataset_token(db, dataset_id), len(columns), *(_pack(getattr(columns, n)) for n in names)],
    )


def _pack(values: np.ndarray) -> bytes:
    """Little-endian, in the narrowest of int8/int32/int64 that holds the values."""
    if values.dtype == np.int8:
        return values.astype("<i1").tobytes()
    fits = len(values) == 0 or (values.min() >= -(2**31) and values.max() < 2**31)
    return values.astype("<i4" if fits else "<i8").tobytes()


def _stored_columns(db: Database, dataset_id: int, token: str) -> PositionArrays | None:
    names = [f.name for f in fields(PositionArrays)]
    try:
        row = db.execute(
            f"SELECT rows, {', '.join(names)} FROM position_columns WHERE dataset_id = ? AND token = ?",
            [dataset_id, token],
        ).fetchone()
    except sqlite3.OperationalError:  # no such table: a read-only database older than v7
        return None
    if row is None:
        return None
    rows, blobs = row[0], row[1:]
    return PositionArrays(*(np.frombuffer(b, dtype=f"<i{len(b) // rows}") if rows else np.zeros(0, int) for b in blobs))


def _file_of(db: Database) -> str | None:
    for _, name, file in db.execute("PRAGMA database_list"):
        if name == "main":
            return file or None
    return None


def _read_columns(db: Database, dataset_id: int) -> PositionArrays:
    # tuples straight into numpy through db.execute; db.query's dict per row takes twice as long
    cursor = db.execute(
        f"SELECT (p.actor_id << 32) | p.question_id, (COALESCE(p.option_id, 0) << 3) | {_STANCE_SQL}, "
        f"({_DAY_SQL.format('p.sort_date')} << {_ID_BITS}) | p.id "
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
        day=packed[:, 2] >> _ID_BITS,
        actor_id=packed[:, 0] >> 32,
        question_id=packed[:, 0] & low32,
        option_id=packed[:, 1] >> 3,
        stance=(packed[:, 1] & 7).astype(np.int8),
    )
