"""Name → id for one dataset during an import: match what a batch names, create what is new.

Each distinct name of a batch column is resolved once, in the order the file first names it
(so ids and the report read as they would row by row); a million rows name a few thousand
things. Everything is created inside the import's transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from explorer.ingest.file_format import Values
from explorer.ingest.rows import PositionBatch
from explorer.names import normalize_name
from explorer.store.database import Database

if TYPE_CHECKING:
    from explorer.ingest.importer import ImportReport

Session = tuple[int, str | None]  # a session's id and start
# what makes two positions the same: actor, question, option, stance, sort date, source
PositionIdentity = tuple[int, int, int | None, str, str, int]
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# the columns that name something in a registry, and which registry
_NAME_COLUMNS = {
    "actor": "actor",
    "on_behalf_of": "actor",
    "provision": "provision",
    "question": "question",
    "option": "option",
    "session": "session",
    "source_url": "source",
}


@dataclass(frozen=True)
class ResolvedBatch:
    """A batch's names as ids, one per row (``None`` where the row names nothing)."""

    actor: list[int]
    question: list[int]
    option: list[int | None]
    session: list[int | None] | None
    meeting: list[int | None] | None
    on_behalf_of: list[int | None] | None
    source: list[int]
    sort_date: list[str]  # the date, else the session's start, else ""


class Registry:
    """Name → id lookups for one dataset, creating what is missing (inside the transaction)."""

    def __init__(self, db: Database, dataset_id: int, report: ImportReport):
        self.conn, self.dataset_id, self.report = db.conn, dataset_id, report

        def q(sql: str) -> list[tuple[Any, ...]]:
            return self.conn.execute(sql, [dataset_id]).fetchall()

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
        self.option_keys: dict[int, set[str]] = {}
        for oid, qid, key, label in q(
            "SELECT o.id, o.question_id, o.key, o.label FROM options o JOIN questions q ON q.id = o.question_id "
            "WHERE q.dataset_id = ?"
        ):
            self.options.setdefault((qid, key), oid)
            self.options.setdefault((qid, normalize_name(label)), oid)
            self.option_keys.setdefault(qid, set()).add(key)
        self.provisions: dict[str, int] = {
            key: pid for pid, key in q("SELECT id, key FROM provisions WHERE dataset_id = ?")
        }
        self.sessions: dict[str, Session] = {}
        starts: dict[int, str | None] = {}
        for sid, key, name, start in q("SELECT id, key, name, start FROM sessions WHERE dataset_id = ?"):
            starts[sid] = start
            self.sessions.setdefault(key, (sid, start))
            self.sessions.setdefault(normalize_name(name), (sid, start))
        for sid, alias in q("SELECT session_id, alias_norm FROM session_aliases WHERE dataset_id = ?"):
            self.sessions.setdefault(alias, (sid, starts[sid]))
        self.sources: dict[str, tuple[int, str]] = {
            url: (sid, kind) for sid, url, kind in q("SELECT id, url, kind FROM sources WHERE dataset_id = ?")
        }
        self.warned_sources: set[str] = set()
        # what each distinct value of a column resolved to in this import (None names nothing)
        self.memo: dict[str, dict[Any, Any]] = {
            kind: {None: None} for kind in ("actor", "provision", "question", "option", "session", "meeting", "source")
        }

    def existing_positions(self) -> set[PositionIdentity]:
        """The dataset's positions as (actor, question, option, stance, sort date, source): what
        makes two positions the same."""
        return set(
            self.conn.execute(
                "SELECT actor_id, question_id, option_id, stance, sort_date, source_id "
                "FROM positions WHERE dataset_id = ?",
                [self.dataset_id],
            )
        )

    def resolve(self, batch: PositionBatch) -> ResolvedBatch:
        column = batch.columns.get
        rows = len(batch)
        actor, behalf = self._actors(batch.columns["actor"], column("actor_kind"), column("on_behalf_of"))
        provisions = column("provision")
        provision = self._ids("provision", provisions, lambda value, _: self.provision(value)) if provisions else None
        question = self._ids(
            "question",
            batch.columns["question"],
            lambda value, i: self.question(value, provision[i] if provision else None),
        )
        options = column("option")
        option: list[int | None] = [None] * rows
        if options:  # an option is named within its question: (question id, option) pairs, C-built
            named = len(options) - options.count(None)
            option = self._ids("option", list(zip(question, options, strict=True)), self.option, named)
        sessions, meetings, dates = column("session"), column("meeting"), column("date")
        session: list[Session | None] | None = None
        meeting: list[int | None] | None = None
        if sessions:
            session = self._ids("session", sessions, lambda value, _: self.session(value))
            if meetings:
                labels = [(s[0], m) if s and m else None for s, m in zip(session, meetings, strict=True)]
                meeting = self._ids(
                    "meeting", labels, lambda key, i: self.meeting(key[0], key[1], dates[i] if dates else None)
                )
        source = self._sources(batch.columns["source_url"], column("source_title"), column("source_kind"))
        return ResolvedBatch(
            actor=actor,
            question=question,
            option=option,
            session=[s and s[0] for s in session] if session else None,
            meeting=meeting,
            on_behalf_of=behalf,
            source=source,
            sort_date=_sort_dates(dates, [s and s[1] for s in session] if session else None, rows),
        )

    def _ids(
        self, kind: str, keys: list[K | None], resolve: Callable[[K, int], V], named: int | None = None
    ) -> list[Any]:
        """``resolve(key, row)`` once per new key, in the order of first mention; one ``V`` per key
        (``None`` for a key that is None). The report counts a row as matched unless its key was
        created by it."""
        memo = self.memo[kind]
        new = set(keys).difference(memo)
        if new:
            first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
            created = self.report.created[kind]
            for key in sorted(new, key=first.__getitem__):
                memo[key] = resolve(key, first[key])  # type: ignore[arg-type]  # None is in memo
            new_count = self.report.created[kind] - created
        else:
            new_count = 0
        matched = (len(keys) - keys.count(None) if named is None else named) - new_count
        if matched and kind != "meeting":
            self.report.matched[kind] += matched
        return list(map(memo.__getitem__, keys))

    def forget_row(self, batch: PositionBatch, row: int) -> None:
        """Take back what a row counted as matched: it repeats an earlier line, so it is skipped
        as if it had never been read (every name it holds was known by then)."""
        for column, kind in _NAME_COLUMNS.items():
            values = batch.columns.get(column)
            if values is not None and values[row] is not None:
                self.report.matched[kind] -= 1
                if not self.report.matched[kind]:
                    del self.report.matched[kind]

    def _actors(
        self, actors: Values, kinds: Values | None, behalf: Values | None
    ) -> tuple[list[int], list[int | None] | None]:
        """Actors and the groups they spoke for share one registry: a name is created by its first
        mention, as an actor (its row's kind, else "state") or as a group."""

        def kind_of(mention: int) -> str:
            if behalf is not None:
                if mention % 2:
                    return "group"
                mention //= 2
            return (kinds[mention] if kinds else None) or "state"

        mentions = actors if behalf is None else [name for pair in zip(actors, behalf, strict=True) for name in pair]
        ids = self._ids("actor", mentions, lambda value, i: self.actor(value, kind_of(i)))
        return (ids, None) if behalf is None else (ids[0::2], ids[1::2])

    def _sources(self, urls: Values, titles: Values | None, kinds: Values | None) -> list[int]:
        """Sources by URL; a kind other than the one a URL is known by is ignored, with a warning."""
        ids = self._ids(
            "source",
            urls,
            lambda url, i: self.source(url, titles[i] if titles else None, kinds[i] if kinds else None),
        )
        if kinds:
            conflicts = {(u, k) for u, k in set(zip(urls, kinds, strict=True)) if u and k and k != self.sources[u][1]}
            if conflicts:
                pairs = list(zip(urls, kinds, strict=True))
                first = dict(zip(reversed(pairs), range(len(pairs) - 1, -1, -1), strict=True))
                for url, kind in sorted(conflicts, key=first.__getitem__):
                    if url not in self.warned_sources:
                        self.warned_sources.add(url)
                        known = self.sources[url][1]
                        self.report.warnings.append(f"source {url} is already known as {known!r}; {kind!r} ignored")
        return ids

    def _created(self, kind: str, name: str) -> None:
        self.report.created[kind] += 1
        self.report.created_names.setdefault(kind, []).append(name)

    def _insert(self, sql: str, values: list[object]) -> int:
        row_id = self.conn.execute(sql, values).lastrowid
        assert row_id is not None  # an INSERT always gives one
        return row_id

    def actor(self, value: str, kind: str) -> int:
        found = self.actors.get(value) or self.actors.get(normalize_name(value))
        if found:
            return found
        key = _unique(slugify(value), self.actor_keys)
        aid = self._insert(
            "INSERT INTO actors (dataset_id, key, name, kind) VALUES (?, ?, ?, ?)", [self.dataset_id, key, value, kind]
        )
        self.actors[key] = self.actors[normalize_name(value)] = aid
        self._created("actor", value)
        return aid

    def question(self, value: str, provision_id: int | None) -> int:
        found = self.questions.get(value)
        if found:
            return found
        key = _unique(value if _looks_like_key(value) else slugify(value), self.question_keys)
        qid = self._insert(
            "INSERT INTO questions (dataset_id, key, text, provision_id) VALUES (?, ?, ?, ?)",
            [self.dataset_id, key, value, provision_id],
        )
        self.questions[key] = self.questions[value] = qid
        self._created("question", value)
        return qid

    def option(self, question_and_value: tuple[int, str | None], _row: int) -> int | None:
        question_id, value = question_and_value
        if value is None:
            return None  # the row names no option
        found = self.options.get((question_id, value)) or self.options.get((question_id, normalize_name(value)))
        if found:
            return found
        taken = self.option_keys.setdefault(question_id, set())
        key = _unique(value if _looks_like_key(value) else slugify(value), taken)  # "😀" and "😃" both slug to "item"
        oid = self._insert("INSERT INTO options (question_id, key, label) VALUES (?, ?, ?)", [question_id, key, value])
        self.options[(question_id, key)] = self.options[(question_id, normalize_name(value))] = oid
        self._created("option", value)
        return oid

    def provision(self, value: str) -> int:
        found = self.provisions.get(value)
        if found:
            return found
        kind = "article" if value.isdigit() else "topic"
        pid = self._insert(
            "INSERT INTO provisions (dataset_id, key, kind, number, title) VALUES (?, ?, ?, ?, ?)",
            [self.dataset_id, value, kind, value if kind == "article" else None, None],
        )
        self.provisions[value] = pid
        self._created("provision", value)
        return pid

    def session(self, value: str) -> tuple[int, str | None]:
        found = self.sessions.get(value) or self.sessions.get(normalize_name(value))
        if found:
            return found
        sid = self._insert(
            "INSERT INTO sessions (dataset_id, key, name) VALUES (?, ?, ?)", [self.dataset_id, value, value]
        )
        self.sessions[value] = self.sessions[normalize_name(value)] = (sid, None)
        self._created("session", value)
        return sid, None

    def meeting(self, session_id: int, label: str, date: str | None) -> int:
        row = self.conn.execute("SELECT id FROM meetings WHERE session_id = ? AND label = ?", [session_id, label])
        found = row.fetchone()
        if found:
            return int(found[0])
        return self._insert(
            "INSERT INTO meetings (session_id, label, date) VALUES (?, ?, ?)", [session_id, label, date]
        )

    def source(self, url: str, title: str | None, kind: str | None) -> int:
        found = self.sources.get(url)
        if found:
            return found[0]
        sid = self._insert(
            "INSERT INTO sources (dataset_id, url, title, kind) VALUES (?, ?, ?, ?)",
            [self.dataset_id, url, title, kind or "other"],
        )
        self.sources[url] = (sid, kind or "other")
        self._created("source", url)
        return sid

    def verify_references(self) -> None:
        """Every id this import wrote into positions names an existing row: the per-row foreign
        key checks are off during an import (:func:`explorer.store.bulk_load.unchecked_references`),
        so they are made here once per distinct id."""
        tables = {
            "actors": self.memo["actor"].values(),
            "questions": self.memo["question"].values(),
            "options": self.memo["option"].values(),
            "sessions": (s and s[0] for s in self.memo["session"].values()),
            "meetings": self.memo["meeting"].values(),
            "sources": self.memo["source"].values(),
            "provisions": self.memo["provision"].values(),
        }
        for table, ids in tables.items():
            wanted = sorted({i for i in ids if i is not None})
            found = self.conn.execute(
                f"SELECT count(*) FROM {table} WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(wanted)]
            ).fetchone()[0]
            if found != len(wanted):
                raise RuntimeError(f"import bug: {len(wanted) - found} {table} id(s) written do not exist")


def _sort_dates(dates: Values | None, starts: Values | None, rows: int) -> list[str]:
    """The date, else the session's start, else "" (positions.sort_date is never NULL)."""
    if dates is not None and None not in dates:
        return cast(list[str], dates)
    if starts is None:
        return [d or "" for d in dates] if dates is not None else [""] * rows
    if dates is None:
        return [s or "" for s in starts]
    return [d or s or "" for d, s in zip(dates, starts, strict=True)]


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", normalize_name(text)).strip("-")
    return slug[:80] or "item"


def _looks_like_key(text: str) -> bool:
    return len(text) <= 80 and re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:\-]*", text) is not None


def _unique(key: str, taken: set[str]) -> str:
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}-{n}", n + 1
    taken.add(candidate)
    return candidate
