"""Read-only queries used by the CLI, the GUI and the analysis: counts, pages, registries."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from explorer.labels import actor_short_name, session_label
from explorer.names import normalize_name
from explorer.store.database import Database
from explorer.store.filters import SESSION_ORDER, CompiledFilter
from explorer.store.records import SessionSpan, TimelinePoint
from explorer.vocabulary import PERIOD_SESSION_KINDS

Row = dict[str, Any]  # one result row by column name

TABLE_COLUMNS = (
    "date",
    "session",
    "actor",
    "provision",
    "question",
    "option",
    "stance",
    "summary",
    "source_kind",
    "confidence",
)
# What a table row carries after its columns: the full texts behind the short labels (tooltips).
TABLE_FULL_TEXT = ("session_name", "question_text")
_SORT_SQL = {
    "date": "p.sort_date",
    "session": "s.start",
    "actor": "a.name COLLATE NOCASE",
    "provision": "pr.sort_order",
    "question": "COALESCE(q.label, q.text) COLLATE NOCASE",
    "option": "o.label",
    "stance": "p.stance",
    "summary": "p.summary",
    "source_kind": "src.kind",
    "confidence": "p.confidence",
}

# Every table a position refers to, under the aliases all position queries use. SQLite drops
# the LEFT JOINs whose columns a query does not use.
POSITION_JOINS = """
FROM positions p
JOIN actors a ON a.id = p.actor_id
JOIN questions q ON q.id = p.question_id
JOIN sources src ON src.id = p.source_id
LEFT JOIN provisions pr ON pr.id = q.provision_id
LEFT JOIN options o ON o.id = p.option_id
LEFT JOIN sessions s ON s.id = p.session_id
LEFT JOIN meetings m ON m.id = p.meeting_id
LEFT JOIN actors b ON b.id = p.on_behalf_of_id
"""
_ROW_SELECT = (
    """
SELECT p.id, COALESCE(p.date, '') AS date, COALESCE(s.label, s.name, '') AS session, a.name AS actor,
       COALESCE(pr.key, '') AS provision, COALESCE(q.label, q.text) AS question, COALESCE(o.label, '') AS option,
       p.stance, COALESCE(p.summary, '') AS summary, COALESCE(src.kind, '') AS source_kind, p.confidence,
       COALESCE(s.name, '') AS session_name, q.text AS question_text
"""
    + POSITION_JOINS
)


def stats(db: Database) -> dict[str, int]:
    tables = ("datasets", "sessions", "provisions", "questions", "actors", "positions", "sources")
    return {t: db.table(t).count for t in tables}


def dataset_stats(db: Database) -> list[Row]:
    """Per-dataset counts, bundled first."""
    return list(
        db.query("""
        SELECT d.name, d.version, d.origin,
          (SELECT count(*) FROM sessions WHERE dataset_id = d.id) AS sessions,
          (SELECT count(*) FROM provisions WHERE dataset_id = d.id) AS provisions,
          (SELECT count(*) FROM questions WHERE dataset_id = d.id) AS questions,
          (SELECT count(*) FROM actors WHERE dataset_id = d.id) AS actors,
          (SELECT count(*) FROM positions WHERE dataset_id = d.id) AS positions,
          (SELECT count(*) FROM sources WHERE dataset_id = d.id) AS sources
        FROM datasets d ORDER BY d.origin = 'user', d.id""")
    )


def count_positions(db: Database, compiled: CompiledFilter) -> int:
    return int(db.execute(f"SELECT count(*) FROM positions p WHERE {compiled.where}", compiled.params).fetchone()[0])


def position_page(
    db: Database,
    compiled: CompiledFilter,
    *,
    sort: str = "date",
    descending: bool = False,
    offset: int = 0,
    limit: int = 200,
) -> list[tuple[Any, ...]]:
    """Rows ``(id, *TABLE_COLUMNS, *TABLE_FULL_TEXT)`` for one page of the positions table, sorted
    in SQL: sessions and questions by their short labels, their full texts at the end."""
    direction = "DESC" if descending else "ASC"
    order = f"{_SORT_SQL[sort]} {direction}, p.id {direction}"
    sql = f"{_ROW_SELECT} WHERE {compiled.where} ORDER BY {order} LIMIT ? OFFSET ?"
    return db.execute(sql, [*compiled.params, limit, offset]).fetchall()


def position_detail(db: Database, position_id: int) -> Row | None:
    """Everything known about one position, for the detail pane."""
    rows = db.query(
        """
        SELECT p.id, p.ext_id, p.date, p.sort_date, p.stance, p.summary, p.proposal, p.paragraph, p.note,
               p.confidence, a.name AS actor, a.kind AS actor_kind, a.key AS actor_key,
               b.name AS on_behalf_of, q.key AS question_key, q.text AS question,
               COALESCE(q.label, q.text) AS question_label, COALESCE(s.label, s.name) AS session_label,
               o.label AS option, pr.key AS provision, pr.title AS provision_title,
               s.key AS session_key, s.name AS session, s.start AS session_start, s."end" AS session_end,
               m.label AS meeting, src.url AS source_url, src.title AS source_title, src.kind AS source_kind,
               d.name AS dataset, d.version AS dataset_version
        """
        + POSITION_JOINS
        + """
        JOIN datasets d ON d.id = p.dataset_id
        WHERE p.id = ?""",
        [position_id],
    )
    return next(rows, None)


def actor_of_position(db: Database, position_id: int) -> int | None:
    """The actor id of a position (None if there is no such position)."""
    row = db.execute("SELECT actor_id FROM positions WHERE id = ?", [position_id]).fetchone()
    return int(row[0]) if row else None


def list_datasets(db: Database) -> list[Row]:
    return list(db.query("SELECT * FROM datasets ORDER BY origin = 'user', id"))


def list_actors(db: Database, dataset_id: int) -> list[Row]:
    """Actors with their aliases (comma-joined) and position counts."""
    return list(
        db.query(
            """
        SELECT a.id, a.key, a.name, a.kind, a.subkind, a.iso3, a.un_region,
               (SELECT group_concat(alias, ', ') FROM actor_aliases WHERE actor_id = a.id) AS aliases,
               (SELECT count(*) FROM positions WHERE actor_id = a.id) AS positions
        FROM actors a WHERE a.dataset_id = ? ORDER BY a.name COLLATE NOCASE""",
            [dataset_id],
        )
    )


def list_groups(db: Database, dataset_id: int) -> list[Row]:
    return list(
        db.query(
            """
        SELECT a.id, a.key, a.name, count(m.member_id) AS members FROM actors a
        JOIN memberships m ON m.group_id = a.id WHERE a.dataset_id = ?
        GROUP BY a.id ORDER BY a.name COLLATE NOCASE""",
            [dataset_id],
        )
    )


def list_sessions(db: Database, dataset_id: int) -> list[Row]:
    """Sessions in time order with their meetings, documents and position counts; ``label`` is
    the short label (explorer.labels.session_label), ``period`` is true for the stretches
    between sessions (kinds in explorer.vocabulary.PERIOD_SESSION_KINDS), which are not sessions."""
    rows = list(
        db.query(
            """
        SELECT s.id, s.key, s.name, s.label, s.kind, s.start, s."end", s.venue, s.chair,
               s.documents, s.source_urls, s.notes,
               (SELECT count(*) FROM positions WHERE session_id = s.id) AS positions,
               (SELECT count(*) FROM meetings WHERE session_id = s.id) AS meetings
        FROM sessions s WHERE s.dataset_id = ? ORDER BY """
            + SESSION_ORDER,
            [dataset_id],
        )
    )
    for row in rows:
        row["documents"] = json.loads(row["documents"] or "[]")
        row["document_labels"] = document_labels(row["documents"])
        row["source_urls"] = json.loads(row["source_urls"] or "[]")
        row["label"] = session_label(row["label"], row["name"])
        row["period"] = row["kind"] in PERIOD_SESSION_KINDS  # a stretch of time, not a meeting
    return rows


def document_labels(documents: list[object]) -> list[str]:
    """One short label per session document: its UN symbol, or its title when it has none
    (several AHC documents were only published without a symbol)."""
    labels = []
    for doc in documents:
        if isinstance(doc, dict):
            label = (doc.get("symbol") or doc.get("title") or "").strip()
            if label:
                labels.append(label)
    return labels


def list_provisions(db: Database, dataset_id: int) -> list[Row]:
    """Provisions in reading order with their parent key and position counts (subtree excluded)."""
    return list(
        db.query(
            """
        SELECT pr.id, pr.key, pr.kind, pr.number, pr.title, pr.title_status, par.key AS parent,
               (SELECT count(*) FROM positions p JOIN questions q ON q.id = p.question_id
                 WHERE q.provision_id = pr.id) AS positions
        FROM provisions pr LEFT JOIN provisions par ON par.id = pr.parent_id
        WHERE pr.dataset_id = ? ORDER BY pr.sort_order IS NULL, pr.sort_order, pr.id""",
            [dataset_id],
        )
    )


def list_questions(db: Database, dataset_id: int) -> list[Row]:
    return list(
        db.query(
            """
        SELECT q.id, q.key, q.text, COALESCE(q.label, q.text) AS label, pr.key AS provision,
               (SELECT count(*) FROM positions WHERE question_id = q.id) AS positions
        FROM questions q LEFT JOIN provisions pr ON pr.id = q.provision_id
        WHERE q.dataset_id = ? ORDER BY q.text COLLATE NOCASE""",
            [dataset_id],
        )
    )


def actor_attributes(db: Database, actor_ids: Iterable[int]) -> dict[int, Row]:
    """Display attributes of the given actors (for network nodes), with ``short_name``, the name
    rows and nodes show (explorer.labels.actor_short_name: the name, an alias or the ISO code)."""
    ids = [int(a) for a in actor_ids]
    out: dict[int, Row] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for row in db.query(
            "SELECT id, key, name, kind, COALESCE(subkind, '') AS subkind, COALESCE(iso3, '') AS iso3, "
            "COALESCE(un_region, '') AS un_region, "
            "(SELECT group_concat(alias, char(31)) FROM actor_aliases WHERE actor_id = actors.id) AS aliases "
            f"FROM actors WHERE id IN ({', '.join('?' * len(chunk))})",
            chunk,
        ):
            aliases = row.pop("aliases")
            row["short_name"] = actor_short_name(row["name"], (aliases or "").split("\x1f"), row["iso3"])
            out[row["id"]] = row
    return out


def option_keys(db: Database, option_ids: Iterable[int]) -> dict[int, str]:
    """Option id → option key (0 → ''), used to make choices comparable across questions."""
    ids = [int(o) for o in _distinct(option_ids) if o]
    out = {0: ""}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        out.update(
            db.execute(f"SELECT id, key FROM options WHERE id IN ({', '.join('?' * len(chunk))})", chunk).fetchall()
        )
    return out


def position_index(
    db: Database,
    compiled: CompiledFilter,
    position_id: int,
    *,
    sort: str = "date",
    descending: bool = False,
) -> int | None:
    """Row number (0-based) of ``position_id`` in :func:`position_page`'s order, or None if the
    filter excludes it; lets a table jump to a position picked elsewhere (e.g. on a chart)."""
    return position_indexes(db, compiled, [position_id], sort=sort, descending=descending).get(position_id)


def position_indexes(
    db: Database,
    compiled: CompiledFilter,
    position_ids: Iterable[int],
    *,
    sort: str = "date",
    descending: bool = False,
) -> dict[int, int]:
    """:func:`position_index` of several positions in one pass over the filter (numbering the
    rows costs the same for one position as for many): position id -> row, for those shown."""
    ids = sorted({int(p) for p in position_ids})
    if not ids:
        return {}
    direction = "DESC" if descending else "ASC"
    order = f"{_SORT_SQL[sort]} {direction}, p.id {direction}"
    rows = db.execute(
        f"SELECT pid, n FROM (SELECT p.id AS pid, ROW_NUMBER() OVER (ORDER BY {order}) - 1 AS n {POSITION_JOINS} "
        f"WHERE {compiled.where}) WHERE pid IN ({', '.join('?' * len(ids))})",
        [*compiled.params, *ids],
    ).fetchall()
    return {int(pid): int(n) for pid, n in rows}


def count_actors(db: Database, compiled: CompiledFilter) -> int:
    """How many distinct actors the filtered positions come from (for the status bar)."""
    return int(
        db.execute(
            f"SELECT count(DISTINCT p.actor_id) FROM positions p WHERE {compiled.where}", compiled.params
        ).fetchone()[0]
    )


def list_meetings(db: Database, dataset_id: int) -> list[Row]:
    """Meetings of every session of the dataset, in date order, with their position counts."""
    return list(
        db.query(
            """
        SELECT m.id, m.session_id, m.label, m.date,
               (SELECT count(*) FROM positions WHERE meeting_id = m.id) AS positions
        FROM meetings m JOIN sessions s ON s.id = m.session_id
        WHERE s.dataset_id = ? ORDER BY m.session_id, m.date IS NULL, m.date, m.id""",
            [dataset_id],
        )
    )


def _distinct(values: Iterable[int]) -> list[int]:
    """Distinct values of a (possibly million-long) numpy array or sequence."""
    import numpy as np

    return [int(v) for v in np.unique(np.asarray(values))]


def dataset_name_version(db: Database, dataset_id: int) -> tuple[str, str]:
    """A dataset's name and version ('' when unversioned), as chart captions cite them."""
    name, version = db.execute("SELECT name, COALESCE(version, '') FROM datasets WHERE id = ?", [dataset_id]).fetchone()
    return name, version


def provision_headings(db: Database, dataset_id: int, keys: Sequence[str]) -> list[str]:
    """How chart titles name provisions: "Article 6: Title" for articles, else the title or key."""
    headings = []
    for key in keys:
        row = db.execute(
            "SELECT kind, number, title FROM provisions WHERE dataset_id = ? AND key = ?", [dataset_id, key]
        ).fetchone()
        if row and row[0] == "article":
            headings.append(f"Article {row[1] or key}" + (f": {row[2]}" if row[2] else ""))
        else:
            headings.append(row[2] if row and row[2] else key)
    return headings


def question_labels(db: Database, dataset_id: int, keys: Sequence[str]) -> list[str]:
    """The short labels of the questions ``keys`` (a key the dataset lacks stands for itself)."""
    marks = ", ".join("?" * len(keys))
    sql = f"SELECT key, COALESCE(label, text) FROM questions WHERE dataset_id = ? AND key IN ({marks})"
    found = dict(db.execute(sql, [dataset_id, *keys]).fetchall())
    return [str(found.get(key, key)) for key in keys]


def timeline_points(db: Database, compiled: CompiledFilter) -> tuple[list[TimelinePoint], int]:
    """Positions placed in time (their date, or failing that the start of a meeting session) in
    time order, and how many were left out because nothing places them in time."""
    marks = ", ".join("?" * len(PERIOD_SESSION_KINDS))
    rows = db.execute(
        f"""
        SELECT p.id, a.name, COALESCE(p.date, CASE WHEN s.kind IN ({marks}) THEN NULL ELSE s.start END) AS day,
               p.stance, COALESCE(p.summary, ''), q.text, COALESCE(o.key, ''),
               q.id, q.key, COALESCE(p.option_id, 0), COALESCE(o.label, ''), COALESCE(q.label, q.text), a.id
        FROM positions p JOIN actors a ON a.id = p.actor_id JOIN questions q ON q.id = p.question_id
        LEFT JOIN options o ON o.id = p.option_id LEFT JOIN sessions s ON s.id = p.session_id
        WHERE {compiled.where} ORDER BY p.sort_date, p.id""",
        [*PERIOD_SESSION_KINDS, *compiled.params],
    ).fetchall()
    points = [
        TimelinePoint(
            pid,
            actor,
            dt.date.fromisoformat(day),
            stance,
            summary,
            question,
            option,
            question_id=qid,
            question_key=qkey,
            option_id=oid,
            option_label=olabel,
            question_label=qlabel,
            actor_id=aid,
        )
        for pid, actor, day, stance, summary, question, option, qid, qkey, oid, olabel, qlabel, aid in rows
        if day
    ]
    return points, len(rows) - len(points)


def session_spans(db: Database, dataset_id: int) -> list[SessionSpan]:
    """The dated meeting sessions of a dataset, in time order (periods are not spans). Reads
    the sessions only: their counts (``list_sessions``) cost 30 ms at a million positions, at
    every timeline redraw."""
    spans = []
    rows = db.execute(
        f'SELECT s.key, s.label, s.name, s.kind, s.start, s."end" FROM sessions s WHERE s.dataset_id = ? '
        f"ORDER BY {SESSION_ORDER}",
        [dataset_id],
    )
    for key, label, name, kind, start, end in rows:
        if start and kind not in PERIOD_SESSION_KINDS:
            first = dt.date.fromisoformat(start)
            spans.append(
                SessionSpan(key, session_label(label, name), first, dt.date.fromisoformat(end) if end else first)
            )
    return spans


def list_regions(db: Database, dataset_id: int) -> list[str]:
    """The UN regional groups the dataset's actors belong to, sorted (for the region filter)."""
    rows = db.execute(
        "SELECT DISTINCT un_region FROM actors WHERE dataset_id = ? AND COALESCE(un_region, '') != '' "
        "ORDER BY un_region COLLATE NOCASE",
        [dataset_id],
    )
    return [region for (region,) in rows]


def find_actors(db: Database, dataset_id: int, text: str, limit: int = 20) -> list[Row]:
    """Actors whose name or an alias begins with ``text`` by the name rule (explorer.names), for
    completion: rows ``(id, name, spelling)``, ``spelling`` being the name or alias that matched;
    names come before aliases. Both lookups are range scans of an index."""
    prefix = normalize_name(text)
    upper = prefix + "\U0010ffff"  # the largest code point: every text that begins with prefix sorts below
    return list(
        db.query(
            """
        SELECT id, name, spelling FROM (
            SELECT id, name, name AS spelling, 0 AS via_alias FROM actors
            WHERE dataset_id = ? AND name_norm >= ? AND name_norm < ?
            UNION ALL
            SELECT a.id, a.name, al.alias, 1 FROM actor_aliases al JOIN actors a ON a.id = al.actor_id
            WHERE al.dataset_id = ? AND al.alias_norm >= ? AND al.alias_norm < ?
        ) ORDER BY via_alias, name COLLATE NOCASE, spelling COLLATE NOCASE LIMIT ?""",
            [dataset_id, prefix, upper, dataset_id, prefix, upper, limit],
        )
    )
