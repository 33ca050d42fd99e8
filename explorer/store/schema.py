"""The database schema and its migrations.

The schema version is SQLite's ``PRAGMA user_version``. ``MIGRATIONS[i]`` brings a database
from version ``i`` to ``i + 1``; each runs in its own transaction. A database newer than
``SCHEMA_VERSION`` is refused (see :mod:`explorer.store.database`).
"""

from __future__ import annotations

import sqlite3

from explorer.labels import question_label
from explorer.names import normalize_name

# Shipped migrations never change: the CHECK lists below are literal text, frozen as v1 shipped
# them (the vocabulary's display order may change; these may not).
_V1 = """
CREATE TABLE datasets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    title TEXT, version TEXT, date TEXT, description TEXT, citation TEXT, license TEXT,
    origin TEXT NOT NULL DEFAULT 'user' CHECK (origin IN ('bundled', 'user'))
);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    key TEXT NOT NULL, name TEXT NOT NULL, kind TEXT,
    start TEXT, "end" TEXT, venue TEXT, chair TEXT,
    documents TEXT NOT NULL DEFAULT '[]', source_urls TEXT NOT NULL DEFAULT '[]', notes TEXT,
    UNIQUE (dataset_id, key)
);
CREATE TABLE session_aliases (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    alias_norm TEXT NOT NULL,
    UNIQUE (dataset_id, alias_norm)
);
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    label TEXT NOT NULL, date TEXT,
    UNIQUE (session_id, label)
);
CREATE TABLE provisions (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    key TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'topic',
    parent_id INTEGER REFERENCES provisions(id),
    number TEXT, title TEXT, title_status TEXT, sort_order INTEGER,
    UNIQUE (dataset_id, key)
);
CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    key TEXT NOT NULL, text TEXT NOT NULL,
    provision_id INTEGER REFERENCES provisions(id),
    UNIQUE (dataset_id, key)
);
CREATE INDEX idx_questions_provision ON questions (provision_id);
CREATE TABLE options (
    id INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions(id),
    key TEXT NOT NULL, label TEXT NOT NULL,
    UNIQUE (question_id, key)
);
CREATE TABLE actors (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    key TEXT NOT NULL, name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'state', subkind TEXT, iso3 TEXT, un_region TEXT,
    speaks_for_id INTEGER REFERENCES actors(id), notes TEXT,
    UNIQUE (dataset_id, key)
);
CREATE INDEX idx_actors_kind ON actors (dataset_id, kind);
CREATE INDEX idx_actors_region ON actors (dataset_id, un_region);
CREATE TABLE actor_aliases (
    actor_id INTEGER NOT NULL REFERENCES actors(id),
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    alias TEXT NOT NULL, alias_norm TEXT NOT NULL,
    UNIQUE (dataset_id, alias_norm)
);
CREATE TABLE memberships (
    group_id INTEGER NOT NULL REFERENCES actors(id),
    member_id INTEGER NOT NULL REFERENCES actors(id),
    PRIMARY KEY (group_id, member_id)
);
CREATE INDEX idx_memberships_member ON memberships (member_id);
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    url TEXT NOT NULL, title TEXT, kind TEXT,
    UNIQUE (dataset_id, url)
);
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    file TEXT NOT NULL, imported_at TEXT NOT NULL, rows INTEGER NOT NULL,
    origin TEXT NOT NULL DEFAULT 'user' CHECK (origin IN ('bundled', 'user'))
);
CREATE TABLE positions (
    id INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL REFERENCES datasets(id),
    ext_id TEXT,
    actor_id INTEGER NOT NULL REFERENCES actors(id),
    question_id INTEGER NOT NULL REFERENCES questions(id),
    option_id INTEGER REFERENCES options(id),
    stance TEXT NOT NULL CHECK (stance IN ('support', 'oppose', 'amend', 'reserve', 'neutral')),
    session_id INTEGER REFERENCES sessions(id),
    meeting_id INTEGER REFERENCES meetings(id),
    date TEXT,
    sort_date TEXT NOT NULL,
    summary TEXT, proposal TEXT, paragraph TEXT, note TEXT,
    on_behalf_of_id INTEGER REFERENCES actors(id),
    source_id INTEGER NOT NULL REFERENCES sources(id),
    confidence TEXT NOT NULL CHECK (confidence IN ('high', 'medium', 'low')),
    import_id INTEGER NOT NULL REFERENCES imports(id)
);
CREATE INDEX idx_positions_dataset_date ON positions (dataset_id, sort_date);
CREATE INDEX idx_positions_actor ON positions (actor_id, sort_date);
CREATE INDEX idx_positions_question ON positions (question_id, sort_date);
CREATE INDEX idx_positions_session ON positions (session_id);
CREATE INDEX idx_positions_stance ON positions (dataset_id, stance);
CREATE INDEX idx_positions_source ON positions (source_id);
CREATE INDEX idx_positions_confidence ON positions (dataset_id, confidence);
CREATE INDEX idx_positions_import ON positions (import_id);
"""

# v2: full-text search over what actors said (summary) and wanted (proposal).
_V2 = """
CREATE VIRTUAL TABLE positions_fts USING fts5(
    summary, proposal, content='positions', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER positions_fts_ai AFTER INSERT ON positions BEGIN
    INSERT INTO positions_fts (rowid, summary, proposal) VALUES (new.id, new.summary, new.proposal);
END;
CREATE TRIGGER positions_fts_ad AFTER DELETE ON positions BEGIN
    INSERT INTO positions_fts (positions_fts, rowid, summary, proposal)
    VALUES ('delete', old.id, old.summary, old.proposal);
END;
CREATE TRIGGER positions_fts_au AFTER UPDATE ON positions BEGIN
    INSERT INTO positions_fts (positions_fts, rowid, summary, proposal)
    VALUES ('delete', old.id, old.summary, old.proposal);
    INSERT INTO positions_fts (rowid, summary, proposal) VALUES (new.id, new.summary, new.proposal);
END;
INSERT INTO positions_fts (positions_fts) VALUES ('rebuild');
"""

# v3: a compact session label for chart axes ("AHC 1"), beside the full name.
_V3 = """
ALTER TABLE sessions ADD COLUMN label TEXT;
"""

# v4: one session's positions come back in time order straight from the index (the table's
# first page no longer sorts every position of the session).
_V4 = """
DROP INDEX idx_positions_session;
CREATE INDEX idx_positions_session_date ON positions (session_id, sort_date);
"""

# v5: meetings count their positions from an index (the Sessions view scanned a million
# positions per meeting), and statistics for the query planner, which imports now refresh.
_V5 = """
CREATE INDEX IF NOT EXISTS idx_positions_meeting ON positions (meeting_id);
ANALYZE;
"""

# v6: each actor's name in the form of the one name rule (explorer.names: case, accents and spacing
# ignored), indexed, so that --actor, the panel's completion and the importer find "Türkiye" as
# "TURKIYE" or "turkiye " alike. Triggers keep it in step with the name, through the SQL function
# normalize_name() that open_database() and migrate() register on every connection.
_V6 = """
ALTER TABLE actors ADD COLUMN name_norm TEXT;
UPDATE actors SET name_norm = normalize_name(name);
CREATE INDEX idx_actors_name_norm ON actors (dataset_id, name_norm);
CREATE TRIGGER actors_name_norm_ai AFTER INSERT ON actors BEGIN
    UPDATE actors SET name_norm = normalize_name(new.name) WHERE id = new.id;
END;
CREATE TRIGGER actors_name_norm_au AFTER UPDATE OF name ON actors BEGIN
    UPDATE actors SET name_norm = normalize_name(new.name) WHERE id = new.id;
END;
"""

# v7: each dataset's positions as packed analysis columns, written at the end of every import
# (explorer/store/columns.py): the first network in a fresh process reads one row, not a million.
_V7 = """
CREATE TABLE position_columns (
    dataset_id INTEGER PRIMARY KEY REFERENCES datasets(id),
    token TEXT NOT NULL,
    rows INTEGER NOT NULL,
    position_id BLOB NOT NULL, day BLOB NOT NULL, actor_id BLOB NOT NULL,
    question_id BLOB NOT NULL, option_id BLOB NOT NULL, stance BLOB NOT NULL
);
"""

# v8: a short label for each question ("Art. 6 rights list"), beside its full text, as sessions have
# had since v3: the table, chart axes and headings show it, tooltips the text. A dataset may give
# one (sessions_data/questions.json); otherwise the rule explorer.labels.question_label derives it,
# through the SQL function question_label() that every connection registers (as v6 does for names).
_V8 = """
ALTER TABLE questions ADD COLUMN label TEXT;
UPDATE questions SET label = question_label(key, text);
CREATE TRIGGER questions_label_ai AFTER INSERT ON questions WHEN new.label IS NULL BEGIN
    UPDATE questions SET label = question_label(new.key, new.text) WHERE id = new.id;
END;
CREATE TRIGGER questions_label_au AFTER UPDATE OF text ON questions
WHEN new.label IS NULL OR new.label IS question_label(old.key, old.text) BEGIN
    UPDATE questions SET label = question_label(new.key, new.text) WHERE id = new.id;
END;
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8)
SCHEMA_VERSION = len(MIGRATIONS)


def register_functions(conn: sqlite3.Connection) -> None:
    """The SQL functions the schema's triggers call: every connection that writes needs them."""
    conn.create_function("normalize_name", 1, normalize_name, deterministic=True)
    conn.create_function("question_label", 2, question_label, deterministic=True)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> list[int]:
    """Apply the pending migrations up to ``target``; return the versions reached."""
    reached = []
    register_functions(conn)
    for version in range(schema_version(conn), target):
        conn.execute("BEGIN")
        try:
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        reached.append(version + 1)
    return reached


def _statements(script: str) -> list[str]:
    """Split a script on complete statements (triggers contain inner semicolons)."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    return statements
