"""Write validated rows into a dataset: match or create what they name, in one transaction.

If anything fails (a bad row, a cancel, a crash) nothing is written: the import runs inside
``db.atomic()`` and SQLite's journal undoes a half-written transaction after a crash.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from explorer.errors import ImportCancelled
from explorer.ingest.rows import PositionRow, PositionStream, ReadResult
from explorer.names import normalize_name
from explorer.store.database import Database
from explorer.store.filters import resolve_dataset
from explorer.store.writing import Waiting, write_transaction
from explorer.vocabulary import DEFAULT_CONFIDENCE, STANCE_CODES

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]
BATCH = 5_000


@dataclass
class ImportReport:
    dataset: str
    file: str
    imported: int = 0
    skipped_existing: int = 0
    created: Counter = field(default_factory=Counter)
    matched: Counter = field(default_factory=Counter)
    created_names: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"Imported {self.imported} position(s) from {self.file} into dataset {self.dataset!r}."]
        if self.skipped_existing:
            lines.append(f"Skipped {self.skipped_existing} position(s) already in the dataset.")
        for kind in ("actor", "question", "option", "provision", "session", "source"):
            created, matched = self.created[kind], self.matched[kind]
            if created or matched:
                names = self.created_names.get(kind, [])
                shown = f": {', '.join(names[:8])}{' …' if len(names) > 8 else ''}" if names else ""
                lines.append(f"{kind}s: {matched} matched, {created} created{shown}")
        lines.extend(self.warnings[:20])
        return "\n".join(lines)


def import_file(
    db: Database,
    path: str | Path,
    dataset: str | None = None,
    *,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    waiting: Waiting | None = None,
) -> ImportReport:
    """Validate ``path`` and import it into ``dataset`` (created if new), all or nothing.

    The file is streamed (a million rows would take GBs as objects): rows are written batch by
    batch inside one transaction, and an invalid row anywhere raises ValidationError at the
    end, which rolls the whole import back.
    """
    stream = PositionStream(path)
    return import_rows(db, stream, dataset, file_label=str(path), progress=progress, cancel=cancel, waiting=waiting)


def import_rows(
    db: Database,
    result: ReadResult | PositionStream | list[PositionRow],
    dataset: str | None,
    *,
    file_label: str,
    origin: str = "user",
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    waiting: Waiting | None = None,
) -> ImportReport:
    """Write validated rows into ``dataset`` in one transaction.

    The transaction is :func:`~explorer.store.writing.write_transaction`: it waits while another
    process imports (calling ``waiting(seconds)``), refuses a damaged or read-only file and,
    for a user's import, first takes a rolling backup of the database.
    """
    rows = result.rows if isinstance(result, ReadResult) else result
    with write_transaction(db, waiting=waiting, cancel=cancel, backup=origin == "user"):
        dataset_id, dataset_name = _target_dataset(db, dataset)
        report = ImportReport(dataset_name, file_label)
        registry = _Registry(db, dataset_id, report)
        import_id = db.execute(
            "INSERT INTO imports (dataset_id, file, imported_at, rows, origin) VALUES (?, ?, ?, 0, ?)",
            [dataset_id, file_label, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), origin],
        ).lastrowid
        with _text_index_deferred(db, import_id):
            _write_positions(db, registry, rows, import_id, report, progress, cancel)
        db.execute("UPDATE imports SET rows = ? WHERE id = ?", [report.imported, import_id])
        # fresh statistics let SQLite pick the selective index for each filter (without them a
        # provision filter on a million positions scanned the dataset: 600 ms instead of 30)
        db.execute("ANALYZE")
        if isinstance(result, (ReadResult, PositionStream)):
            report.warnings[:0] = result.warnings  # the file's warnings first, as they were met first
    return report


def _write_positions(
    db: Database,
    registry: _Registry,
    rows: Iterable[PositionRow],
    import_id: int,
    report: ImportReport,
    progress: Progress | None,
    cancel: Cancel | None,
) -> None:
    """Resolve and insert rows in batches; every BATCH rows, honour cancel and report progress."""
    stream = rows if isinstance(rows, PositionStream) else None
    existing = registry.existing_positions()
    batch: list[tuple] = []
    done = 0
    for row in rows:
        done += 1
        if stream is not None and stream.failed:
            continue  # it will raise and roll back at the end: only validation is still worth doing
        values = registry.position_values(row, import_id)
        identity = registry.identity(*values[2:6], values[9], values[15])
        if identity in existing:
            report.skipped_existing += 1
        else:
            existing.add(identity)
            batch.append(values)
        if done % BATCH == 0:
            _insert_positions(db, batch)
            report.imported += len(batch)
            batch = []
            _checkpoint(done, _total(rows, stream, done), progress, cancel)
    _insert_positions(db, batch)
    report.imported += len(batch)
    _checkpoint(done, done, progress, cancel)


def _total(rows, stream: PositionStream | None, done: int) -> int:
    """Rows in all: known for a list; for a stream, estimated from its line count."""
    if stream is None:
        return len(rows)
    return max(done, (stream.lines or 0) - (stream.kind == "csv"))


def _checkpoint(done: int, total: int, progress: Progress | None, cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise ImportCancelled("import cancelled; nothing was written")
    if progress is not None:
        progress(done, total)


@contextlib.contextmanager
def _text_index_deferred(db: Database, import_id: int):
    """Index the import's summaries and proposals for full-text search in one statement at
    the end, instead of through the per-row trigger that made 3/4 of an import's time
    (100k positions: 5.0 s -> 1.5 s). Inside the import's transaction: an error rolls the
    dropped trigger back with everything else."""
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'positions_fts_ai'").fetchone()
    if row is None:
        yield
        return
    db.execute("DROP TRIGGER positions_fts_ai")
    yield
    db.execute(
        "INSERT INTO positions_fts (rowid, summary, proposal) "
        "SELECT id, summary, proposal FROM positions WHERE import_id = ?",
        [import_id],
    )
    db.execute(row[0])


def _target_dataset(db: Database, name: str | None) -> tuple[int, str]:
    if name is None:
        dataset_id = resolve_dataset(db, None)
    else:
        row = db.execute("SELECT id FROM datasets WHERE name = ?", [name]).fetchone()
        dataset_id = (
            row[0]
            if row
            else db.execute("INSERT INTO datasets (name, title, origin) VALUES (?, ?, 'user')", [name, name]).lastrowid
        )
    return dataset_id, db.execute("SELECT name FROM datasets WHERE id = ?", [dataset_id]).fetchone()[0]


_POSITION_COLUMNS = (
    "dataset_id, ext_id, actor_id, question_id, option_id, stance, session_id, meeting_id, date, "
    "sort_date, summary, proposal, paragraph, note, on_behalf_of_id, source_id, confidence, import_id"
)


def _insert_positions(db: Database, batch: list[tuple]) -> None:
    if batch:
        marks = ", ".join("?" * len(batch[0]))
        db.conn.executemany(f"INSERT INTO positions ({_POSITION_COLUMNS}) VALUES ({marks})", batch)


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", normalize_name(text)).strip("-")
    return slug[:80] or "item"


def _looks_like_key(text: str) -> bool:
    return len(text) <= 80 and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:\-]*", text) is not None


class _Registry:
    """Name → id lookups for one dataset, creating what is missing (inside the transaction)."""

    def __init__(self, db: Database, dataset_id: int, report: ImportReport):
        self.db, self.dataset_id, self.report = db, dataset_id, report
        q = lambda sql: db.execute(sql, [dataset_id]).fetchall()  # noqa: E731
        self.actors: dict[str, int] = {}
        actors = q("SELECT id, key, name FROM actors WHERE dataset_id = ?")
        for aid, key, name in actors:
            self.actors.setdefault(key, aid)
            self.actors.setdefault(normalize_name(name), aid)
        for aid, alias in q("SELECT actor_id, alias_norm FROM actor_aliases WHERE dataset_id = ?"):
            self.actors.setdefault(alias, aid)
        self.actor_keys = {key for _, key, _ in actors}
        self.questions: dict[str, int] = {}
        for qid, key, text in q("SELECT id, key, text FROM questions WHERE dataset_id = ?"):
            self.questions.setdefault(key, qid)
            self.questions.setdefault(text, qid)
        self.question_keys = set(self.questions)
        self.options: dict[tuple[int, str], int] = {}
        for oid, qid, key, label in q(
            "SELECT o.id, o.question_id, o.key, o.label FROM options o JOIN questions q ON q.id = o.question_id "
            "WHERE q.dataset_id = ?"
        ):
            self.options.setdefault((qid, key), oid)
            self.options.setdefault((qid, normalize_name(label)), oid)
        self.provisions = {key: pid for pid, key in q("SELECT id, key FROM provisions WHERE dataset_id = ?")}
        self.sessions: dict[str, tuple[int, str | None]] = {}
        starts: dict[int, str | None] = {}
        for sid, key, name, start in q("SELECT id, key, name, start FROM sessions WHERE dataset_id = ?"):
            starts[sid] = start
            self.sessions.setdefault(key, (sid, start))
            self.sessions.setdefault(normalize_name(name), (sid, start))
        for sid, alias in q("SELECT session_id, alias_norm FROM session_aliases WHERE dataset_id = ?"):
            self.sessions.setdefault(alias, (sid, starts[sid]))
        self.sources = {
            url: (sid, kind) for sid, url, kind in q("SELECT id, url, kind FROM sources WHERE dataset_id = ?")
        }
        self.meetings: dict[tuple[int, str], int] = {}
        self.warned_sources: set[str] = set()
        self.memo: dict[tuple, object] = {}
        self.dates: dict[str, int] = {}

    def existing_positions(self) -> set[int]:
        return {
            self.identity(*row)
            for row in self.db.execute(
                "SELECT actor_id, question_id, option_id, stance, sort_date, source_id "
                "FROM positions WHERE dataset_id = ?",
                [self.dataset_id],
            )
        }

    def identity(
        self, actor_id: int, question_id: int, option_id: int | None, stance: str, sort_date: str, source_id: int
    ) -> int:
        """What makes two positions the same, packed exactly into one int (ids and the date's
        index each get 64 bits): a tuple costs ~250 bytes a row, 200 MB at a million rows."""
        date = self.dates.setdefault(sort_date, len(self.dates))
        packed = (((actor_id << 64 | question_id) << 64 | (option_id or 0)) << 64 | date) << 64 | source_id
        return packed << 3 | STANCE_CODES[stance]

    def _cached(self, kind: str, value, resolve, *args):
        """``resolve(*args)`` once per distinct value: a million rows name a few thousand things."""
        found = self.memo.get((kind, value))
        if found is None:
            found = self.memo[(kind, value)] = resolve(*args)
        else:
            self.report.matched[kind] += 1
        return found

    def position_values(self, row: PositionRow, import_id: int) -> tuple:
        v, cached = row.values, self._cached
        actor_id = cached("actor", v["actor"], self.actor, v["actor"], v["actor_kind"])
        provision_id = cached("provision", v["provision"], self.provision, v["provision"]) if v["provision"] else None
        question_id = cached("question", v["question"], self.question, v["question"], provision_id)
        option_id = (
            cached("option", (question_id, v["option"]), self.option, question_id, v["option"]) if v["option"] else None
        )
        session_id, session_start = (
            cached("session", v["session"], self.session, v["session"]) if v["session"] else (None, None)
        )
        meeting_id = self.meeting(session_id, v["meeting"], v["date"]) if session_id and v["meeting"] else None
        behalf_id = (
            cached("actor", v["on_behalf_of"], self.actor, v["on_behalf_of"], "group") if v["on_behalf_of"] else None
        )
        source_id = self.source(v["source_url"], v["source_title"], v["source_kind"])
        sort_date = v["date"] or session_start or ""
        return (
            self.dataset_id,
            v["id"],
            actor_id,
            question_id,
            option_id,
            v["stance"],
            session_id,
            meeting_id,
            v["date"],
            sort_date,
            v["summary"],
            v["proposal"],
            v["paragraph"],
            v["note"],
            behalf_id,
            source_id,
            v["confidence"] or DEFAULT_CONFIDENCE,
            import_id,
        )

    def _count(self, kind: str, created_name: str | None = None) -> None:
        if created_name is None:
            self.report.matched[kind] += 1
        else:
            self.report.created[kind] += 1
            self.report.created_names.setdefault(kind, []).append(created_name)

    def actor(self, value: str, kind: str | None) -> int:
        found = self.actors.get(value) or self.actors.get(normalize_name(value))
        if found:
            self._count("actor")
            return found
        key = _unique(slugify(value), self.actor_keys)
        aid = self.db.execute(
            "INSERT INTO actors (dataset_id, key, name, kind) VALUES (?, ?, ?, ?)",
            [self.dataset_id, key, value, kind or "state"],
        ).lastrowid
        self.actors[key] = self.actors[normalize_name(value)] = aid
        self._count("actor", value)
        return aid

    def question(self, value: str, provision_id: int | None) -> int:
        found = self.questions.get(value)
        if found:
            self._count("question")
            return found
        key = _unique(value if _looks_like_key(value) else slugify(value), self.question_keys)
        qid = self.db.execute(
            "INSERT INTO questions (dataset_id, key, text, provision_id) VALUES (?, ?, ?, ?)",
            [self.dataset_id, key, value, provision_id],
        ).lastrowid
        self.questions[key] = self.questions[value] = qid
        self._count("question", value)
        return qid

    def option(self, question_id: int, value: str) -> int:
        found = self.options.get((question_id, value)) or self.options.get((question_id, normalize_name(value)))
        if found:
            self._count("option")
            return found
        taken = {k for (k,) in self.db.execute("SELECT key FROM options WHERE question_id = ?", [question_id])}
        key = _unique(value if _looks_like_key(value) else slugify(value), taken)  # "😀" and "😃" both slug to "item"
        oid = self.db.execute(
            "INSERT INTO options (question_id, key, label) VALUES (?, ?, ?)", [question_id, key, value]
        ).lastrowid
        self.options[(question_id, key)] = self.options[(question_id, normalize_name(value))] = oid
        self._count("option", value)
        return oid

    def provision(self, value: str) -> int:
        found = self.provisions.get(value)
        if found:
            self._count("provision")
            return found
        kind = "article" if value.isdigit() else "topic"
        pid = self.db.execute(
            "INSERT INTO provisions (dataset_id, key, kind, number, title) VALUES (?, ?, ?, ?, ?)",
            [self.dataset_id, value, kind, value if kind == "article" else None, None],
        ).lastrowid
        self.provisions[value] = pid
        self._count("provision", value)
        return pid

    def session(self, value: str) -> tuple[int, str | None]:
        found = self.sessions.get(value) or self.sessions.get(normalize_name(value))
        if found:
            self._count("session")
            return found
        sid = self.db.execute(
            "INSERT INTO sessions (dataset_id, key, name) VALUES (?, ?, ?)", [self.dataset_id, value, value]
        ).lastrowid
        self.sessions[value] = self.sessions[normalize_name(value)] = (sid, None)
        self._count("session", value)
        return sid, None

    def meeting(self, session_id: int, label: str, date: str | None) -> int:
        key = (session_id, label)
        if key not in self.meetings:
            row = self.db.execute(
                "SELECT id FROM meetings WHERE session_id = ? AND label = ?", [session_id, label]
            ).fetchone()
            self.meetings[key] = (
                row[0]
                if row
                else self.db.execute(
                    "INSERT INTO meetings (session_id, label, date) VALUES (?, ?, ?)", [session_id, label, date]
                ).lastrowid
            )
        return self.meetings[key]

    def source(self, url: str, title: str | None, kind: str | None) -> int:
        found = self.sources.get(url)
        if found:
            self._count("source")
            if kind and kind != found[1] and url not in self.warned_sources:
                self.warned_sources.add(url)
                self.report.warnings.append(f"source {url} is already known as {found[1]!r}; {kind!r} ignored")
            return found[0]
        sid = self.db.execute(
            "INSERT INTO sources (dataset_id, url, title, kind) VALUES (?, ?, ?, ?)",
            [self.dataset_id, url, title, kind or "other"],
        ).lastrowid
        self.sources[url] = (sid, kind or "other")
        self._count("source", url)
        return sid


def _unique(key: str, taken: set[str]) -> str:
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}-{n}", n + 1
    taken.add(candidate)
    return candidate
