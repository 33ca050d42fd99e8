"""Queries of the contest views (matrix, pairs, actor profile, evolution): questions with their
place in the treaty, options, an actor's record, sources and sessions of positions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from explorer.labels import provision_label
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter

_CHUNK = 900  # bound parameters per statement (SQLite's default limit is 999 on old builds)


def question_catalog(db: Database, question_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Question id → key, text, short label, provision and chapter (a provision outside any chapter, such as
    a topic, is its own chapter), with the field names of ``analysis.matrix.QuestionInfo``."""
    ids = sorted({int(q) for q in question_ids})
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = db.execute(
            f"""
            SELECT q.id, q.key, q.text, COALESCE(q.label, q.text),
                   pr.key, pr.kind, pr.number, pr.title, pr.sort_order,
                   ch.key, ch.kind, ch.number, ch.title, ch.sort_order
            FROM questions q
            LEFT JOIN provisions pr ON pr.id = q.provision_id
            LEFT JOIN provisions ch ON ch.id = pr.parent_id
            WHERE q.id IN ({", ".join("?" * len(chunk))})""",
            chunk,
        ).fetchall()
        for qid, key, text, short, pkey, pkind, pnum, ptitle, porder, ckey, ckind, cnum, ctitle, corder in rows:
            label = provision_label(pkind or "", pnum, ptitle, pkey or "") if pkey else ""
            big = 1 << 30
            if ckey:
                chapter = (
                    ckey,
                    provision_label(ckind or "", cnum, ctitle, ckey),
                    corder if corder is not None else big,
                )
            else:  # a topic or an article without chapter stands for itself
                chapter = (pkey or "", label, porder if porder is not None else big)
            out[qid] = {
                "key": key,
                "text": text,
                "provision_key": pkey or "",
                "provision_label": label,
                "provision_order": porder if porder is not None else big,
                "chapter_key": chapter[0],
                "chapter_label": chapter[1],
                "chapter_order": chapter[2],
                "label": short,
            }
    return out


def provisions_of_questions(db: Database, question_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """Question id → (provision key, provision kind); ('', '') for a question without provision."""
    ids = sorted({int(q) for q in question_ids})
    out: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for qid, key, kind in db.execute(
            f"SELECT q.id, pr.key, pr.kind FROM questions q LEFT JOIN provisions pr ON pr.id = q.provision_id "
            f"WHERE q.id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ):
            out[int(qid)] = (key or "", kind or "")
    return out


def options_of_questions(db: Database, question_ids: Iterable[int]) -> dict[int, tuple[int, str, str]]:
    """Option id → (question id, key, label) for the options of the given questions."""
    ids = sorted({int(q) for q in question_ids})
    out: dict[int, tuple[int, str, str]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for oid, qid, key, label in db.execute(
            f"SELECT id, question_id, key, label FROM options WHERE question_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ):
            out[oid] = (qid, key, label)
    return out


def dataset_options(db: Database, dataset_id: int) -> dict[int, list[int]]:
    """Question id → its option ids (in id order) for a whole dataset."""
    out: dict[int, list[int]] = {}
    for oid, qid in db.execute(
        "SELECT o.id, o.question_id FROM options o JOIN questions q ON q.id = o.question_id "
        "WHERE q.dataset_id = ? ORDER BY o.id",
        [dataset_id],
    ):
        out.setdefault(qid, []).append(oid)
    return out


_RECORD_SQL = """
SELECT p.id AS position_id, COALESCE(p.date, s.start, '') AS date, COALESCE(s.label, s.name, '') AS session,
       COALESCE(pr.kind, '') AS kind, pr.number, pr.title, COALESCE(pr.key, '') AS provision_key,
       q.id AS question_id, q.key AS question_key, q.text AS question, COALESCE(p.option_id, 0) AS option_id,
       COALESCE(o.key, '') AS option_key, COALESCE(o.label, '') AS option,
       p.stance, COALESCE(src.url, '') AS source_url, COALESCE(p.summary, '') AS summary
FROM positions p
JOIN questions q ON q.id = p.question_id
JOIN sources src ON src.id = p.source_id
LEFT JOIN provisions pr ON pr.id = q.provision_id
LEFT JOIN options o ON o.id = p.option_id
LEFT JOIN sessions s ON s.id = p.session_id
WHERE ({where}) AND p.actor_id = ?
ORDER BY pr.sort_order IS NULL, pr.sort_order, q.key, p.sort_date, p.id
"""


def actor_record(db: Database, compiled: CompiledFilter, actor_id: int) -> list[dict[str, Any]]:
    """An actor's positions within a filter, by provision then date, with question, option,
    provision heading, session label and source (for the actor profile)."""
    out = []
    for entry in db.query(_RECORD_SQL.format(where=compiled.where), [*compiled.params, actor_id]):
        kind, number, title, key = (entry.pop(k) for k in ("kind", "number", "title", "provision_key"))
        entry["provision"] = provision_label(kind, number, title, key) if key else ""
        out.append(entry)
    return out


def position_sources(db: Database, position_ids: Iterable[int]) -> dict[int, str]:
    """Position id → its source (URL or UN symbol)."""
    ids = sorted({int(p) for p in position_ids})
    out: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        out.update(
            db.execute(
                "SELECT p.id, src.url FROM positions p JOIN sources src ON src.id = p.source_id "
                f"WHERE p.id IN ({', '.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
        )
    return out


def session_of_positions(db: Database, compiled: CompiledFilter, position_id: np.ndarray) -> np.ndarray:
    """The session id of each of ``position_id`` (0 when it has none), aligned with it."""
    pairs = np.array(
        db.execute(
            f"SELECT p.id, COALESCE(p.session_id, 0) FROM positions p WHERE {compiled.where}", compiled.params
        ).fetchall(),
        dtype=np.int64,
    ).reshape(-1, 2)
    size = int(max(int(position_id.max(initial=0)), int(pairs[:, 0].max(initial=0)))) + 1
    lookup = np.zeros(size, dtype=np.int64)
    lookup[pairs[:, 0]] = pairs[:, 1]
    result: np.ndarray = lookup[position_id]
    return result
