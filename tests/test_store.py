"""Schema versions, migrations with backups, the bundled dataset loader and safe search."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from explorer.ingest.bundled import ensure_bundled
from explorer.ingest.importer import import_file
from explorer.store import queries, schema
from explorer.store.database import Database, StoreError, open_database
from explorer.store.filters import FilterError, PositionFilter, compile_filter, fts_query, resolve_session
from tests.conftest import DATA


def test_fresh_database_is_at_the_current_version(fresh_db):
    assert schema.schema_version(fresh_db.conn) == schema.SCHEMA_VERSION
    tables = {r[0] for r in fresh_db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"positions", "positions_fts", "actors", "questions", "options"} <= tables


@pytest.mark.parametrize("old_version", range(1, schema.SCHEMA_VERSION))
def test_old_database_is_backed_up_then_migrated_keeping_user_positions(tmp_path, old_version):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    schema.migrate(conn, target=old_version)  # a database written by that schema version
    import_file(Database(conn), DATA / "small.csv", "small")
    conn.close()

    db = open_database(path)
    assert schema.schema_version(db.conn) == schema.SCHEMA_VERSION
    assert queries.stats(db)["positions"] == 11
    hits = queries.count_positions(db, compile_filter(db, PositionFilter("small", text="ratifications")))
    assert hits == 2  # the full-text index covers the rows written before it existed
    backup = sqlite3.connect(tmp_path / f"old.sqlite.v{old_version}.bak")
    assert backup.execute("PRAGMA user_version").fetchone()[0] == old_version
    assert backup.execute("SELECT count(*) FROM positions").fetchone()[0] == 11


def test_newer_database_is_refused_and_untouched(tmp_path):
    path = tmp_path / "future.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE x (y)")
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer Negotiation Explorer"):
        open_database(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("just some text, not SQLite" * 100)
    with pytest.raises(StoreError, match="not a Negotiation Explorer database"):
        open_database(path)


def test_bundled_dataset_loads_once_per_version(fresh_db, mini_bundle):
    assert ensure_bundled(fresh_db, mini_bundle) is True
    assert ensure_bundled(fresh_db, mini_bundle) is False
    totals = queries.dataset_stats(fresh_db)[0]
    assert (totals["name"], totals["origin"], totals["positions"], totals["actors"]) == ("mini", "bundled", 4, 4)
    # aliases and session aliases resolved the records that used them
    detail = [queries.position_detail(fresh_db, i) for i in range(1, 5)]
    assert {d["actor"] for d in detail} == {"Atlantis", "The Union", "Borduria"}
    assert next(d for d in detail if d["ext_id"] == "m-4")["session_key"] == "s1"
    # a position with a session and no date sorts at the session's start
    assert next(d for d in detail if d["ext_id"] == "m-2")["sort_date"] == "2023-05-29"


def test_new_bundled_version_keeps_what_the_user_imported(fresh_db, mini_bundle, tmp_path):
    ensure_bundled(fresh_db, mini_bundle)
    user = tmp_path / "user.csv"
    user.write_text("actor,question,stance,session,source_url\nAtlantis,adoption,oppose,s2,https://mine.org\n")
    import_file(fresh_db, user, "mini")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for f in mini_bundle.iterdir():
        (bundle / f.name).write_text(f.read_text().replace('"1.0.0"', '"1.1.0"'))
    assert ensure_bundled(fresh_db, bundle) is True
    sources = [
        r[0]
        for r in fresh_db.execute("SELECT s.url FROM positions p JOIN sources s ON s.id = p.source_id ORDER BY p.id")
    ]
    assert sources.count("https://mine.org") == 1
    assert len(sources) == 5
    assert fresh_db.execute("SELECT version FROM datasets WHERE name = 'mini'").fetchone()[0] == "1.1.0"


def test_a_new_bundled_version_updates_registries_in_place(fresh_db, mini_bundle, tmp_path):
    """Registries are upserted by key: an actor the new version renames keeps its id, so the
    user's positions still point at it; its aliases and members are the new version's; an actor
    only the user's import created stays."""
    ensure_bundled(fresh_db, mini_bundle)
    user = tmp_path / "user.csv"
    user.write_text(
        "actor,question,stance,session,source_url\n"
        "Atlantis,adoption,oppose,s2,https://mine.org\n"
        "Syldavia,adoption,support,s2,https://mine.org\n"
    )
    import_file(fresh_db, user, "mini")
    actor_id = lambda key: fresh_db.execute("SELECT id FROM actors WHERE key = ?", [key]).fetchone()[0]  # noqa: E731
    atlantis, union = actor_id("atlantis"), actor_id("union")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for f in mini_bundle.iterdir():
        text = f.read_text().replace('"1.0.0"', '"1.1.0"')
        if f.name == "actors.json":
            text = text.replace('"Republic of Atlantis"', '"Atlantica"').replace(
                '"name": "Atlantis"', '"name": "Atlantis Republic"'
            )
            text = text.replace('"members": ["atlantis", "borduria"]', '"members": ["atlantis"]')
        (bundle / f.name).write_text(text)
    assert ensure_bundled(fresh_db, bundle) is True
    assert (actor_id("atlantis"), actor_id("union")) == (atlantis, union)
    mine = fresh_db.execute(
        "SELECT a.name FROM positions p JOIN actors a ON a.id = p.actor_id JOIN sources s ON s.id = p.source_id "
        "WHERE s.url = 'https://mine.org' ORDER BY p.id"
    ).fetchall()
    assert [name for (name,) in mine] == ["Atlantis Republic", "Syldavia"]
    aliases = fresh_db.execute("SELECT alias FROM actor_aliases WHERE actor_id = ?", [atlantis]).fetchall()
    assert aliases == [("Atlantica",)]
    members = fresh_db.execute("SELECT member_id FROM memberships WHERE group_id = ?", [union]).fetchall()
    assert members == [(atlantis,)]
    assert fresh_db.execute("SELECT name_norm FROM actors WHERE id = ?", [atlantis]).fetchone() == (
        "atlantis republic",
    )


def test_the_connection_is_a_sqlite_utils_database(tmp_path):
    """The store's connection type is sqlite-utils' Database (the design card's stack): its own
    writes run the schema's triggers (normalize_name is registered on the connection), and its
    dict-row queries work on a read-only connection too."""
    path = tmp_path / "explorer.sqlite"
    db = open_database(path)
    assert isinstance(db, sqlite_utils.Database)
    dataset_id = db.table("datasets").insert({"name": "d"}).last_pk
    db.table("actors").insert({"dataset_id": dataset_id, "key": "tr", "name": "  Türkiye "})
    assert list(db.query("SELECT name, name_norm FROM actors")) == [{"name": "  Türkiye ", "name_norm": "turkiye"}]
    db.close()
    reader = open_database(path, read_only=True)
    assert isinstance(reader, sqlite_utils.Database)
    assert [(row["name"], row["origin"]) for row in queries.list_datasets(reader)] == [("d", "user")]
    assert reader.table("actors").count == 1
    reader.close()


def test_atomic_is_one_transaction_and_nested_blocks_are_savepoints(fresh_db):
    """Outside a block every statement commits at once; a block commits as a whole or not at
    all; a failing nested block undoes only itself."""
    names = lambda: [row["name"] for row in fresh_db.query("SELECT name FROM datasets ORDER BY id")]  # noqa: E731
    fresh_db.execute("INSERT INTO datasets (name) VALUES ('at once')")
    assert not fresh_db.conn.in_transaction
    with pytest.raises(RuntimeError), fresh_db.atomic():
        fresh_db.execute("INSERT INTO datasets (name) VALUES ('outer')")
        with fresh_db.atomic():
            fresh_db.execute("INSERT INTO datasets (name) VALUES ('inner')")
        raise RuntimeError
    with fresh_db.atomic():
        fresh_db.execute("INSERT INTO datasets (name) VALUES ('kept')")
        with pytest.raises(RuntimeError), fresh_db.atomic():
            fresh_db.execute("INSERT INTO datasets (name) VALUES ('undone')")
            raise RuntimeError
    assert names() == ["at once", "kept"]
    assert not fresh_db.conn.in_transaction


def test_groups_and_chapters_filter_their_members(fresh_db, mini_bundle):
    ensure_bundled(fresh_db, mini_bundle)
    count = lambda **kw: queries.count_positions(fresh_db, compile_filter(fresh_db, PositionFilter("mini", **kw)))  # noqa: E731
    assert count(groups=("EU-like",)) == 4  # the group and its two members
    assert count(provisions=("chapter-1",)) == 2  # Article 6 is in chapter 1
    assert count(actors=("Republic of Atlantis",)) == 2
    assert count(regions=("WEOG",)) == 2
    assert count(source_kinds=("ai-meeting-summary",)) == 1
    with pytest.raises(FilterError, match="unknown actor 'Nobody'"):
        count(actors=("Nobody",))


@pytest.mark.parametrize(
    "text",
    ['"', "*", "NEAR(", "NOT", "-", 'a "b', "'; DROP TABLE positions; --", "U.S.", "don't", "AND OR", "()", "^", "ñ*"],
)
def test_hostile_search_text_never_raises_or_changes_data(small_db, text):
    before = queries.stats(small_db)
    compiled = compile_filter(small_db, PositionFilter("small", text=text))
    queries.count_positions(small_db, compiled)
    queries.position_page(small_db, compiled)
    assert queries.stats(small_db) == before


def test_search_is_prefix_and_accent_insensitive(small_db):
    count = lambda text: queries.count_positions(small_db, compile_filter(small_db, PositionFilter("small", text=text)))  # noqa: E731
    assert count("ratif") == 2
    assert count("RATIFICATIONS 60") == 1
    assert fts_query('a "b" NOT') == '"a"* "b"* "NOT"*'


def test_sorting_and_paging_happen_in_sql(small_db):
    compiled = compile_filter(small_db, PositionFilter("small"))
    page = queries.position_page(small_db, compiled, sort="actor", descending=True, offset=0, limit=3)
    assert [row[3] for row in page] == ["Dorlandia", "Carpania", "Carpania"]
    assert len(queries.position_page(small_db, compiled, offset=10, limit=5)) == 1


def test_rows_of_many_positions_are_numbered_in_one_query_under_the_sort(small_db):
    compiled = compile_filter(small_db, PositionFilter("small"))
    page = queries.position_page(small_db, compiled, sort="actor", descending=True, offset=0, limit=11)
    ids = [row[0] for row in page]
    wanted = [ids[10], ids[0], ids[4], -1]  # -1: no such position, so no row
    assert queries.position_indexes(small_db, compiled, wanted, sort="actor", descending=True) == {
        ids[10]: 10,
        ids[0]: 0,
        ids[4]: 4,
    }
    assert queries.position_index(small_db, compiled, ids[4], sort="actor", descending=True) == 4
    only_dorlandia = compile_filter(small_db, PositionFilter("small", actors=("Dorlandia",)))
    assert page[10][3] != "Dorlandia" and queries.position_indexes(small_db, only_dorlandia, [ids[10]]) == {}
    assert queries.position_indexes(small_db, compiled, []) == {}


def test_session_range_follows_session_start_order(fresh_db, mini_bundle):
    """from/to name sessions by key, name or alias; the range runs in start order (not creation
    order), both ends included, reversed ends swapped, an open end runs to the first/last session."""
    ensure_bundled(fresh_db, mini_bundle)
    dataset_id = fresh_db.execute("SELECT id FROM datasets WHERE name = 'mini'").fetchone()[0]
    fresh_db.execute(  # created last, but it met first
        "INSERT INTO sessions (dataset_id, key, name, start) VALUES (?, 's0', 'Opening', '2022-12-01')", [dataset_id]
    )

    def sessions_of(**kw):
        compiled = compile_filter(fresh_db, PositionFilter("mini", **kw))
        return sorted(
            r[0]
            for r in fresh_db.execute(
                f"SELECT s.key FROM positions p JOIN sessions s ON s.id = p.session_id WHERE {compiled.where}",
                compiled.params,
            )
        )

    assert sessions_of(session_from="s2") == ["s2", "s2"]
    assert sessions_of(session_to="s1") == ["s1", "s1"]
    assert sessions_of(session_from="s0", session_to="s1") == ["s1", "s1"]
    assert sessions_of(session_from="Second session", session_to="first-session") == ["s1", "s1", "s2", "s2"]
    assert sessions_of(session_from="s1", session_to="s1", sessions=("s2",)) == []
    with pytest.raises(FilterError, match="unknown session 'nope'"):
        sessions_of(session_from="nope")


def test_regions_come_from_the_data(fresh_db, mini_bundle):
    """The region filter offers the regional groups the dataset's actors belong to, not a list
    written into the code."""
    ensure_bundled(fresh_db, mini_bundle)
    dataset_id = fresh_db.execute("SELECT id FROM datasets WHERE name = 'mini'").fetchone()[0]
    assert queries.list_regions(fresh_db, dataset_id) == ["Eastern European", "WEOG"]


def test_sessions_resolve_by_the_importers_rule(fresh_db, mini_bundle):
    """A session is found by key, by name in any case/accent/spacing, or by alias, as an import
    matches it."""
    ensure_bundled(fresh_db, mini_bundle)
    dataset_id = fresh_db.execute("SELECT id FROM datasets WHERE name = 'mini'").fetchone()[0]
    first = resolve_session(fresh_db, dataset_id, "s1")
    spellings = ("First session", " FIRST  SESSION", "first-session", "S1")
    assert {resolve_session(fresh_db, dataset_id, v) for v in spellings} == {first}
    with pytest.raises(FilterError, match="unknown session 'Third session'"):
        resolve_session(fresh_db, dataset_id, "Third session")
