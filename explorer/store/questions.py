"""Questions with their place in the treaty, and their options: what the contest views label
columns, legends and tooltips with."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

_CHUNK = 900  # bound parameters per statement (SQLite's default limit is 999 on old builds)


def provision_label(kind: str, number: str | None, title: str | None, key: str) -> str:
    """Short heading of a provision: "Art. 6", "Ch. IV", or its title (topics)."""
    if kind == "article":
        return f"Art. {number or key}"
    if kind == "chapter":
        return f"Ch. {number or key}"
    return title or key


def question_catalog(db: sqlite_utils.Database, question_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Question id → key, text, provision and chapter (a provision outside any chapter, such as
    a topic, is its own chapter), with the field names of ``analysis.matrix.QuestionInfo``."""
    ids = sorted({int(q) for q in question_ids})
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows = db.execute(
            f"""
            SELECT q.id, q.key, q.text,
                   pr.key, pr.kind, pr.number, pr.title, pr.sort_order,
                   ch.key, ch.kind, ch.number, ch.title, ch.sort_order
            FROM questions q
            LEFT JOIN provisions pr ON pr.id = q.provision_id
            LEFT JOIN provisions ch ON ch.id = pr.parent_id
            WHERE q.id IN ({", ".join("?" * len(chunk))})""",
            chunk,
        ).fetchall()
        for qid, key, text, pkey, pkind, pnum, ptitle, porder, ckey, ckind, cnum, ctitle, corder in rows:
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
            }
    return out


def options_of_questions(db: sqlite_utils.Database, question_ids: Iterable[int]) -> dict[int, tuple[int, str, str]]:
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


def dataset_options(db: sqlite_utils.Database, dataset_id: int) -> dict[int, list[int]]:
    """Question id → its option ids (in id order) for a whole dataset."""
    out: dict[int, list[int]] = {}
    for oid, qid in db.execute(
        "SELECT o.id, o.question_id FROM options o JOIN questions q ON q.id = o.question_id "
        "WHERE q.dataset_id = ? ORDER BY o.id",
        [dataset_id],
    ):
        out.setdefault(qid, []).append(oid)
    return out
