"""Load the bundled dataset (``sessions_data/``) into its own dataset of the user's database.

It is (re)loaded when its version changes. Registries are upserted by key, so positions the
user imported into the same dataset keep their actors and questions; only the positions the
previous bundled load wrote are replaced.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from explorer.errors import StoreError
from explorer.ingest.importer import import_rows
from explorer.ingest.rows import read_positions
from explorer.labels import question_label
from explorer.names import normalize_name
from explorer.paths import bundled_data_dir
from explorer.store.database import Database, open_database
from explorer.store.writing import is_read_only, write_transaction

Record = dict[str, Any]  # one object of the bundled JSON files


def open_with_bundled(path: str | Path | None = None) -> Database:
    """Open the app's database (``None``: the user's default) with the bundled dataset loaded:
    what the CLI and the desktop app open; tests and tools use ``open_database`` alone."""
    db = open_database(path)
    try:
        ensure_bundled(db)
    except BaseException:
        db.close()
        raise
    return db


def ensure_bundled(db: Database, data_dir: Path | None = None) -> bool:
    """Load the bundled dataset unless this version is already in ``db``; True if loaded."""
    data_dir = Path(data_dir) if data_dir else bundled_data_dir()
    meta = _read_json(data_dir / "dataset.json")
    if _loaded_version(db, meta["name"]) == meta["version"] or is_read_only(db):
        return False  # a read-only database shows the version it holds
    load_bundled(db, data_dir, meta)
    return True


def _loaded_version(db: Database, name: str) -> str | None:
    row = db.execute("SELECT version FROM datasets WHERE name = ?", [name]).fetchone()
    return None if row is None else str(row[0])


def load_bundled(db: Database, data_dir: Path, meta: Record) -> None:
    positions = read_positions(data_dir / "positions.jsonl")
    with write_transaction(db):
        if _loaded_version(db, meta["name"]) == meta["version"]:
            return  # another process loaded it while this one waited for the write lock
        db.table("datasets").upsert(
            {
                "name": meta["name"],
                "title": meta.get("title"),
                "version": meta["version"],
                "date": meta.get("date"),
                "description": meta.get("description"),
                "citation": meta.get("citation"),
                "license": meta.get("license"),
                "origin": "bundled",
            },
            pk="name",
        )
        dataset_id = int(db.execute("SELECT id FROM datasets WHERE name = ?", [meta["name"]]).fetchone()[0])
        _load_sessions(db, dataset_id, _read_json(data_dir / "sessions.json"))
        _load_provisions(db, dataset_id, _read_json(data_dir / "provisions.json"))
        _load_actors(db, dataset_id, _read_json(data_dir / "actors.json"))
        _load_questions(db, dataset_id, _read_json(data_dir / "questions.json"))
        old_imports = "SELECT id FROM imports WHERE dataset_id = ? AND origin = 'bundled'"
        db.execute(f"DELETE FROM positions WHERE import_id IN ({old_imports})", [dataset_id])
        db.execute("DELETE FROM imports WHERE dataset_id = ? AND origin = 'bundled'", [dataset_id])
        import_rows(db, positions, meta["name"], file_label="sessions_data/positions.jsonl", origin="bundled")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise StoreError(f"the bundled dataset is damaged: {path}: {exc}") from exc


def _upsert_by_key(db: Database, table: str, dataset_id: int, records: list[Record]) -> dict[str, int]:
    """Insert or update ``records`` of one dataset by their key (what the user imported under
    other keys stays as it is); return key -> id for the dataset's rows."""
    db.table(table).upsert_all(records, pk=("dataset_id", "key"))
    return dict(db.execute(f"SELECT key, id FROM {table} WHERE dataset_id = ?", [dataset_id]).fetchall())


def _load_sessions(db: Database, dataset_id: int, sessions: list[Record]) -> None:
    ids = _upsert_by_key(
        db,
        "sessions",
        dataset_id,
        [
            {
                "dataset_id": dataset_id,
                "key": s["key"],
                "name": s["name"],
                "label": s.get("label"),
                "kind": s.get("kind"),
                "start": s.get("start"),
                "end": s.get("end"),
                "venue": s.get("venue"),
                "chair": s.get("chair"),
                "documents": s.get("documents") or [],  # lists are stored as JSON
                "source_urls": s.get("source_urls") or [],
                "notes": s.get("notes"),
            }
            for s in sessions
        ],
    )
    for s in sessions:
        db.execute("DELETE FROM session_aliases WHERE session_id = ?", [ids[s["key"]]])
    db.table("session_aliases").insert_all(
        (
            {"session_id": ids[s["key"]], "dataset_id": dataset_id, "alias_norm": normalize_name(alias)}
            for s in sessions
            for alias in s.get("aliases") or []
        ),
        ignore=True,
    )
    db.table("meetings").upsert_all(
        (
            {"session_id": ids[s["key"]], "label": meeting["label"], "date": meeting.get("date")}
            for s in sessions
            for meeting in s.get("meetings") or []
        ),
        pk=("session_id", "label"),
    )


def _load_provisions(db: Database, dataset_id: int, provisions: list[Record]) -> None:
    ids = _upsert_by_key(
        db,
        "provisions",
        dataset_id,
        [
            {
                "dataset_id": dataset_id,
                "key": p["key"],
                "kind": p.get("kind", "topic"),
                "number": p.get("number"),
                "title": p.get("title"),
                "title_status": p.get("title_status"),
                "sort_order": p.get("order", order),
            }
            for order, p in enumerate(provisions)
        ],
    )
    for p in provisions:  # a parent is known by its id only once every provision has one
        db.execute("UPDATE provisions SET parent_id = ? WHERE id = ?", [ids.get(p.get("parent") or ""), ids[p["key"]]])


def _load_actors(db: Database, dataset_id: int, actors: list[Record]) -> None:
    ids = _upsert_by_key(
        db,
        "actors",
        dataset_id,
        [
            {
                "dataset_id": dataset_id,
                "key": a["id"],
                "name": a["name"],
                "kind": a.get("kind", "state"),
                "subkind": a.get("subkind"),
                "iso3": a.get("iso3"),
                "un_region": a.get("un_region"),
                "notes": a.get("notes"),
            }
            for a in actors
        ],
    )
    bundled = {a["id"]: ids[a["id"]] for a in actors}  # members are looked up among the bundle's actors
    for a in actors:
        aid = bundled[a["id"]]
        db.execute("UPDATE actors SET speaks_for_id = ? WHERE id = ?", [bundled.get(a.get("speaks_for") or ""), aid])
        db.execute("DELETE FROM actor_aliases WHERE actor_id = ?", [aid])
        db.execute("DELETE FROM memberships WHERE group_id = ?", [aid])
    db.table("actor_aliases").insert_all(
        (
            {
                "actor_id": bundled[a["id"]],
                "dataset_id": dataset_id,
                "alias": alias,
                "alias_norm": normalize_name(alias),
            }
            for a in actors
            for alias in a.get("aliases") or []
        ),
        ignore=True,
    )
    db.table("memberships").insert_all(
        (
            {"group_id": bundled[a["id"]], "member_id": bundled[member]}
            for a in actors
            for member in a.get("members") or []
            if member in bundled
        ),
        ignore=True,
    )


def _load_questions(db: Database, dataset_id: int, questions: list[Record]) -> None:
    provisions = dict(db.execute("SELECT key, id FROM provisions WHERE dataset_id = ?", [dataset_id]).fetchall())
    ids = _upsert_by_key(
        db,
        "questions",
        dataset_id,
        [
            {
                "dataset_id": dataset_id,
                "key": q["key"],
                "text": q.get("text") or q["key"],
                "label": q.get("label") or question_label(q["key"], q.get("text")),
                "provision_id": provisions.get(q.get("provision")),
            }
            for q in questions
        ],
    )
    db.table("options").upsert_all(
        (
            {"question_id": ids[q["key"]], "key": option["key"], "label": option.get("label") or option["key"]}
            for q in questions
            for option in q.get("options") or []
        ),
        pk=("question_id", "key"),
    )
