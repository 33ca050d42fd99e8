"""Short labels (explorer.labels) and where the store keeps them: question labels (schema v8),
session labels and periods, actors' short names, the provision picker's match rule."""

from __future__ import annotations

import sqlite3

import pytest

from explorer.ingest.bundled import ensure_bundled
from explorer.labels import (
    actor_short_name,
    find_provisions,
    provision_title,
    question_label,
    session_kind_label,
    session_label,
    shorten,
)
from explorer.pipeline.common import chart_title
from explorer.store import queries, schema
from explorer.store.database import open_database
from explorer.store.filters import PositionFilter, compile_filter, resolve_dataset

PROVISIONS = [
    {"key": "chapter-1", "kind": "chapter", "number": "I", "title": "General provisions"},
    {"key": "6", "kind": "article", "number": "6", "title": "Respect for human rights"},
    {"key": "16", "kind": "article", "number": "16", "title": "Non-consensual dissemination of intimate images"},
    {"key": "60", "kind": "article", "number": "60", "title": "Effects of the Convention"},
    {"key": "24", "kind": "article", "number": "24", "title": "Conditions and safeguards"},
    {"key": "chapter-6", "kind": "chapter", "number": "VI", "title": "Preventive measures"},
    {"key": "whole", "kind": "topic", "number": None, "title": "The convention as a whole"},
    {"key": "rights-topic", "kind": "topic", "number": None, "title": "Human rights safeguards (topic)"},
]


# -- the rules -----------------------------------------------------------------------------------
def test_shorten_cuts_at_a_word_when_one_is_near_the_end():
    assert shorten("Short enough", 20) == "Short enough"
    assert shorten("European Union and its Member States", 24) == "European Union and its…"
    assert len(shorten("European Union and its Member States", 24)) <= 24
    assert shorten("Supercalifragilisticexpialidocious", 10) == "Supercali…"  # no space: a hard cut
    assert shorten("  spaces \n and\tbreaks  ", 40) == "spaces and breaks"


def test_actor_short_name_prefers_the_name_then_a_readable_alias_then_the_iso_code():
    assert actor_short_name("Russian Federation", ["Russia"], "RUS") == "Russian Federation"  # fits: kept
    eu = ["european-union", "EU and its Member States", "European Union", "EU"]
    assert actor_short_name("European Union and its Member States", eu) == "EU"  # slug key not shown
    assert actor_short_name("Democratic Republic of the Congo", ["DR Congo", "DRC"], "COD") == "DRC"
    assert actor_short_name("Bolivarian Republic of Venezuela (the)", ["bolivarian-rep"], "VEN") == "VEN"
    long = "Association for Progressive Communications"
    assert actor_short_name(long, []) == "Association for…"
    assert len(actor_short_name(long, [])) <= 24


def test_question_label_keeps_short_texts_and_shortens_long_ones():
    assert question_label("q1", "Scope") == "Scope"
    text = "Article 6 and human-rights language: a robust clause or fewer human-rights references"
    assert question_label("art6", text) == "Article 6 and human-rights…"
    assert question_label("rc00042", None) == "rc00042" == question_label("rc00042", "  ")


def test_session_labels_and_kinds():
    assert session_label("AHC 4", "Fourth session of the Ad Hoc Committee") == "AHC 4"
    assert session_label(None, "Between the AHC fourth session and the fourth consultation").endswith("…")
    assert session_kind_label("ga-decision") == "GA decision"
    assert session_kind_label("interval") == "Period between sessions"
    assert session_kind_label("informal-briefing") == "Informal briefing"  # free text in the data


@pytest.mark.parametrize("query", ["6", " 6 ", "Art. 6", "art 6", "Article 6", "ARTICLE 6"])
def test_typing_a_number_finds_that_article_and_no_other(query):
    assert find_provisions(query, PROVISIONS) == ["6"]


def test_words_find_titles_in_any_case_and_accents_best_first():
    found = find_provisions("human rights", PROVISIONS)
    assert set(found) == {"6", "rights-topic"}
    assert found[0] == "rights-topic"  # the title that begins with the words
    assert find_provisions("HUMÁN   Rights", PROVISIONS) == found
    assert find_provisions("safeguards", PROVISIONS) == ["24", "rights-topic"]  # whole words before parts
    assert find_provisions("chapter VI", PROVISIONS) == ["chapter-6"]
    assert find_provisions("vi", PROVISIONS) == ["chapter-6"]
    assert find_provisions("art 99", PROVISIONS) == []  # an article number nobody has: nothing, not "99" in text
    assert find_provisions("", PROVISIONS) == []


def test_provision_titles():
    assert provision_title("article", "6", "Respect for human rights", "6") == "Art. 6 — Respect for human rights"
    assert provision_title("article", "6", "Respect", "6", full=True) == "Article 6 — Respect"
    assert provision_title("chapter", "I", "General provisions", "chapter-1") == "Chapter I — General provisions"
    assert provision_title("topic", None, None, "whole") == "whole"


# -- where the store keeps them ---------------------------------------------------------------------
def test_a_new_question_gets_a_derived_label_and_keeps_a_given_one(fresh_db):
    fresh_db.execute("INSERT INTO datasets (name) VALUES ('d')")
    text = "Whether the convention should cover content-related offences at all"
    fresh_db.execute("INSERT INTO questions (dataset_id, key, text) VALUES (1, 'content', ?)", [text])
    fresh_db.execute("INSERT INTO questions (dataset_id, key, text, label) VALUES (1, 'given', 'x', 'Given')")
    labels = dict(fresh_db.execute("SELECT key, label FROM questions").fetchall())
    assert labels == {"content": question_label("content", text), "given": "Given"}
    # a new text relabels a derived label, never a given one
    fresh_db.execute("UPDATE questions SET text = 'Content offences' WHERE key = 'content'")
    fresh_db.execute(
        "UPDATE questions SET text = 'Something else entirely, and long enough to cut' WHERE key = 'given'"
    )
    labels = dict(fresh_db.execute("SELECT key, label FROM questions").fetchall())
    assert labels == {"content": "Content offences", "given": "Given"}


def test_migration_v8_labels_the_questions_a_database_already_has(tmp_path):
    path = tmp_path / "v7.sqlite"
    conn = sqlite3.connect(path)
    schema.migrate(conn, target=7)
    conn.execute("INSERT INTO datasets (name) VALUES ('d')")
    long = "Article 65: the number of ratifications needed before the convention enters into force"
    conn.execute("INSERT INTO questions (dataset_id, key, text) VALUES (1, 'art65', ?)", [long])
    conn.commit()
    conn.close()
    db = open_database(path)
    assert db.execute("SELECT label FROM questions").fetchone()[0] == question_label("art65", long)
    assert len(question_label("art65", long)) <= 32
    db.close()


def test_the_bundled_dataset_stores_its_curated_labels_and_period_labels(fresh_db):
    ensure_bundled(fresh_db)
    dataset_id = resolve_dataset(fresh_db, None)
    labels = {q["key"]: q["label"] for q in queries.list_questions(fresh_db, dataset_id)}
    assert labels["art6-human-rights"] == "Art. 6 human-rights clause"
    assert all(0 < len(label) <= 32 for label in labels.values())
    assert len(set(labels.values())) == len(labels)  # no two questions read the same
    sessions = {s["key"]: s for s in queries.list_sessions(fresh_db, dataset_id)}
    assert sessions["ahc-reconvened-concluding"]["label"] == "Reconv."
    assert not sessions["ahc-reconvened-concluding"]["period"]
    assert sessions["after-ahc-4"]["label"] == "after AHC 4" and sessions["after-ahc-4"]["period"]
    assert sessions["undated-negotiation-period"]["period"]


def test_the_table_shows_short_labels_and_keeps_the_full_texts(small_db):
    small_db.execute("UPDATE sessions SET label = 'S1' WHERE key = 's1'")
    small_db.execute("UPDATE questions SET label = 'Art. 6 list' WHERE key = 'art6-list'")
    compiled = compile_filter(small_db, PositionFilter(dataset="small", questions=("art6-list",)))
    row = queries.position_page(small_db, compiled, limit=1)[0]
    shown = dict(zip(queries.TABLE_COLUMNS, row[1:], strict=False))
    full = dict(zip(queries.TABLE_FULL_TEXT, row[1 + len(queries.TABLE_COLUMNS) :], strict=True))
    assert (shown["session"], shown["question"]) == ("S1", "Art. 6 list")
    assert full == {"session_name": "s1", "question_text": "art6-list"}
    assert chart_title(small_db, compiled.filter, "Positions") == "Positions — Art. 6 list"


def test_actor_attributes_carry_the_short_name(fresh_db):
    ensure_bundled(fresh_db)
    dataset_id = resolve_dataset(fresh_db, None)
    ids = dict(fresh_db.execute("SELECT name, id FROM actors WHERE dataset_id = ?", [dataset_id]).fetchall())
    rows = queries.actor_attributes(fresh_db, [ids["European Union and its Member States"], ids["Russian Federation"]])
    assert sorted(r["short_name"] for r in rows.values()) == ["EU", "Russian Federation"]
