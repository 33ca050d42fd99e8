"""One home for filtering positions: a plain value object turned into a SQL ``WHERE``.

The CLI, the GUI, the exports and the analysis all filter through :func:`compile_filter`, so
a filter means the same thing everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sized
from dataclasses import dataclass, field, fields, replace
from typing import Any

from explorer.errors import FilterError
from explorer.names import normalize_name
from explorer.store.database import Database
from explorer.vocabulary import provision_subtree as subtree


@dataclass(frozen=True)
class PositionFilter:
    """What the user asked to see. Empty tuples and ``None`` mean "no restriction".

    Names are resolved against the dataset: actors by id, name or alias; provisions by key
    (a chapter includes its articles); questions and sessions by key or name.
    ``session_from``/``session_to`` keep the positions of the sessions from one to the other
    (both included, in session start order; one end alone runs to the first or last session).
    """

    dataset: str | None = None
    actors: tuple[str, ...] = ()
    actor_kinds: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    provisions: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    sessions: tuple[str, ...] = ()
    session_from: str | None = None
    session_to: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    stances: tuple[str, ...] = ()
    source_kinds: tuple[str, ...] = ()
    confidences: tuple[str, ...] = ()
    text: str = ""

    def with_(self, **changes: Any) -> PositionFilter:
        return replace(self, **changes)

    def describe(self) -> str:
        """Short human-readable summary, used in chart captions."""
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "dataset" or value in ((), None, ""):
                continue
            shown = ", ".join(value) if isinstance(value, tuple) else str(value)
            parts.append(f"{f.name.replace('_', ' ')}={shown}")
        return "; ".join(parts) if parts else "none"


@dataclass(frozen=True)
class CompiledFilter:
    """``where`` uses the alias ``p`` for positions; ``dataset_id`` is resolved. Like a compiled
    regex its pattern, it keeps the filter it came from, so a worker handed only this (compiled
    once, on the GUI thread) can also describe what it shows."""

    filter: PositionFilter
    dataset_id: int
    where: str
    params: list[object] = field(default_factory=list)


def fts_query(text: str) -> str | None:
    """Turn free text into a safe FTS5 query: every word quoted, prefix-matched, AND-ed.

    Quoting each token makes ``U.S.``, ``don't``, ``NOT``, ``NEAR(`` and stray quotes plain
    words instead of FTS5 syntax; the ``*`` outside the quotes keeps search-as-you-type.
    """
    tokens = re.findall(r"\w+", text)
    return " ".join(f'"{token}"*' for token in tokens) or None


def resolve_dataset(db: Database, name: str | None) -> int:
    """The dataset id for ``name``; without a name, the bundled dataset or the only one."""
    rows = db.execute("SELECT id, name, origin FROM datasets ORDER BY id").fetchall()
    if name is not None:
        for dataset_id, dataset_name, _ in rows:
            if dataset_name == name:
                return int(dataset_id)
        known = ", ".join(r[1] for r in rows) or "none"
        raise FilterError(f"unknown dataset {name!r} (datasets: {known})")
    bundled = [r[0] for r in rows if r[2] == "bundled"]
    if bundled:
        return int(bundled[0])
    if len(rows) == 1:
        return int(rows[0][0])
    if not rows:
        raise FilterError("the database holds no dataset yet; import one first")
    raise FilterError("several datasets; choose one with --dataset: " + ", ".join(r[1] for r in rows))


def compile_filter(db: Database, flt: PositionFilter) -> CompiledFilter:
    dataset_id = resolve_dataset(db, flt.dataset)
    clauses: list[str] = ["p.dataset_id = ?"]
    params: list[object] = [dataset_id]

    def add(clause: str, values: list[Any]) -> None:
        clauses.append(clause)
        params.extend(values)

    if flt.actors:
        ids = [resolve_actor(db, dataset_id, a) for a in flt.actors]
        add(f"p.actor_id IN ({_marks(ids)})", ids)
    if flt.actor_kinds:
        add(
            f"p.actor_id IN (SELECT id FROM actors WHERE dataset_id = ? AND kind IN ({_marks(flt.actor_kinds)}))",
            [dataset_id, *flt.actor_kinds],
        )
    if flt.groups:
        ids = [resolve_actor(db, dataset_id, g) for g in flt.groups]
        add(
            f"(p.actor_id IN ({_marks(ids)}) OR p.actor_id IN "
            f"(SELECT member_id FROM memberships WHERE group_id IN ({_marks(ids)})))",
            ids + ids,
        )
    if flt.regions:
        add(
            f"p.actor_id IN (SELECT id FROM actors WHERE dataset_id = ? AND un_region IN ({_marks(flt.regions)}))",
            [dataset_id, *flt.regions],
        )
    if flt.provisions:
        ids = provision_subtree(db, dataset_id, flt.provisions)
        questions = [r[0] for r in db.execute(f"SELECT id FROM questions WHERE provision_id IN ({_marks(ids)})", ids)]
        # a literal id list lets SQLite use the question index (a subquery made it scan the dataset)
        add(f"p.question_id IN ({_marks(questions)})" if questions else "0", questions)
    if flt.questions:
        ids = [_resolve_key_or_name(db, "questions", "text", dataset_id, q, "question") for q in flt.questions]
        add(f"p.question_id IN ({_marks(ids)})", ids)
    if flt.sessions:
        ids = [resolve_session(db, dataset_id, s) for s in flt.sessions]
        add(f"p.session_id IN ({_marks(ids)})", ids)
    if flt.session_from or flt.session_to:
        ids = session_range(db, dataset_id, flt.session_from, flt.session_to)
        add(f"p.session_id IN ({_marks(ids)})" if ids else "0", ids)
    if flt.date_from:
        add("p.sort_date >= ?", [flt.date_from])
    if flt.date_to:
        add("p.sort_date <= ?", [flt.date_to])
    if flt.stances:
        add(f"p.stance IN ({_marks(flt.stances)})", list(flt.stances))
    if flt.source_kinds:
        add(
            f"p.source_id IN (SELECT id FROM sources WHERE dataset_id = ? AND kind IN ({_marks(flt.source_kinds)}))",
            [dataset_id, *flt.source_kinds],
        )
    if flt.confidences:
        add(f"p.confidence IN ({_marks(flt.confidences)})", list(flt.confidences))
    query = fts_query(flt.text)
    if query:
        add("p.id IN (SELECT rowid FROM positions_fts WHERE positions_fts MATCH ?)", [query])
    elif flt.text.strip():
        clauses.append("0")  # text with no searchable word matches nothing
    if flt.actors or flt.provisions or flt.questions or flt.sessions or flt.session_from or flt.session_to:
        # those ids already belong to the dataset; without the redundant test SQLite can count
        # from the (actor|question|session, sort_date) index alone
        clauses.pop(0)
        params.pop(0)
    return CompiledFilter(flt, dataset_id, " AND ".join(clauses), params)


def provision_subtree(db: Database, dataset_id: int, keys: tuple[str, ...]) -> list[int]:
    """Ids of the provisions ``keys`` name and of every provision below them."""
    rows = db.execute("SELECT id, key, parent_id FROM provisions WHERE dataset_id = ?", [dataset_id]).fetchall()
    by_key = {key: pid for pid, key, _ in rows}
    for key in keys:
        if key not in by_key:
            raise FilterError(f"unknown provision {key!r}")
    return subtree(((pid, parent) for pid, _, parent in rows), (by_key[key] for key in keys))


# Sessions in time order: dated ones by start, then undated ones, each in the order they were made.
SESSION_ORDER = "start IS NULL, start, id"


def session_range(db: Database, dataset_id: int, first: str | None, last: str | None) -> list[int]:
    """Ids of the sessions from ``first`` to ``last`` (keys, names or aliases) in time order,
    both included; a missing end runs to the first or last session; reversed ends are swapped."""
    order = [
        row[0]
        for row in db.execute(f"SELECT id FROM sessions WHERE dataset_id = ? ORDER BY {SESSION_ORDER}", [dataset_id])
    ]
    lo = order.index(resolve_session(db, dataset_id, first)) if first else 0
    hi = order.index(resolve_session(db, dataset_id, last)) if last else len(order) - 1
    lo, hi = min(lo, hi), max(lo, hi)
    return order[lo : hi + 1]


def resolve_session(db: Database, dataset_id: int, value: str) -> int:
    """Session id for a key, name or alias, matched as the importer matches them: the text as
    given or by the name rule (a dataset has a few dozen sessions, so this reads them all)."""
    norm = normalize_name(value)
    found: dict[str, int] = {}
    for sid, key, name in db.execute(
        "SELECT id, key, name FROM sessions WHERE dataset_id = ? ORDER BY id", [dataset_id]
    ):
        found.setdefault(key, sid)
        found.setdefault(normalize_name(name), sid)
    for sid, alias in db.execute(
        "SELECT session_id, alias_norm FROM session_aliases WHERE dataset_id = ?", [dataset_id]
    ):
        found.setdefault(alias, sid)
    session_id = found.get(value) or found.get(norm)
    if session_id is None:
        raise FilterError(f"unknown session {value!r}")
    return int(session_id)


def resolve_actor(db: Database, dataset_id: int, value: str) -> int:
    """Actor id for an id, key, name or alias.

    Matching is the importer's: the text as given, or in the form of the name rule
    (:func:`explorer.names.normalize_name`), against keys, names and aliases; so every spelling
    an import took for an actor finds that actor here ("Türkiye", "TURKIYE", "turkiye ").
    """
    if value.isdigit():
        row = db.execute("SELECT id FROM actors WHERE dataset_id = ? AND id = ?", [dataset_id, int(value)]).fetchone()
        if row:
            return int(row[0])
    norm = normalize_name(value)
    row = db.execute(
        "SELECT id FROM actors WHERE dataset_id = ? AND (key IN (?, ?) OR name_norm = ?) "
        "UNION ALL SELECT actor_id FROM actor_aliases WHERE dataset_id = ? AND alias_norm IN (?, ?) LIMIT 1",
        [dataset_id, value, norm, norm, dataset_id, value, norm],
    ).fetchone()
    if row is None:
        raise FilterError(f"unknown actor {value!r}")
    return int(row[0])


def _resolve_key_or_name(db: Database, table: str, name_col: str, dataset_id: int, value: str, what: str) -> int:
    row = db.execute(
        f"SELECT id FROM {table} WHERE dataset_id = ? AND (key = ? OR {name_col} = ?) LIMIT 1",
        [dataset_id, value, value],
    ).fetchone()
    if row is None:
        raise FilterError(f"unknown {what} {value!r}")
    return int(row[0])


def _marks(values: Sized) -> str:
    return ", ".join("?" * len(values))
