"""One name rule (explorer.names), stored with every actor: every spelling an import takes for an
actor also finds it with --actor, in the core and on the command line."""

from __future__ import annotations

import csv
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.errors import FilterError
from explorer.ingest.importer import import_file
from explorer.names import names_containing, normalize_name
from explorer.store import queries
from explorer.store.filters import PositionFilter, compile_filter, resolve_actor, resolve_dataset

ROOT = Path(__file__).resolve().parents[1]


def test_completion_offers_every_name_containing_the_typed_text_by_the_rule():
    names = ["Côte d'Ivoire", "Republic of Türkiye → Türkiye", "Türkiye", "Turkmenistan"]  # sorted
    keyed = [(normalize_name(n), n) for n in names]
    assert names_containing("turki", keyed, 10) == ["Türkiye", "Republic of Türkiye → Türkiye"]
    assert names_containing(" TÜRK ", keyed, 10) == ["Türkiye", "Turkmenistan", "Republic of Türkiye → Türkiye"]
    assert names_containing("turk", keyed, 2) == ["Türkiye", "Turkmenistan"]  # the first ``limit``, in order
    assert names_containing("cote d", keyed, 10) == ["Côte d'Ivoire"]
    assert names_containing("of t", keyed, 10) == ["Republic of Türkiye → Türkiye"]  # inside a name too
    assert names_containing("   ", keyed, 10) == [] and names_containing("zz", keyed, 10) == []


def test_the_name_rule():
    assert normalize_name("Türkiye") == normalize_name("TURKIYE") == normalize_name("  türkiye ") == "turkiye"
    assert normalize_name("Côte  d'Ivoire") == "cote d'ivoire"
    assert normalize_name("Straße") == "strasse"
    assert normalize_name("İstanbul") == "istanbul"  # dotted capital I: the dot is an accent
    assert normalize_name("Russian\u00a0Federation") == "russian federation"  # no-break space is space


@given(st.text(max_size=30))
def test_the_name_rule_is_idempotent(text):
    """The importer compares a stored normalised name with the normalised input: normalising twice
    must change nothing, or a name would not find itself."""
    assert normalize_name(normalize_name(text)) == normalize_name(text)


def test_names_imports_nothing_outside_the_standard_library():
    """sessions_data/tools/build_dataset.py runs on a bare Python and imports explorer.names."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import explorer.names; "
        "stdlib = set(sys.stdlib_module_names); "
        "other = sorted({m.split('.')[0] for m in sys.modules} - stdlib - {'explorer', '__main__'}); "
        "assert not other, other"
    )
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code, str(ROOT)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr


def write(tmp_path: Path, name: str, actors: list[str], question: str = "q") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["actor", "question", "stance", "date", "source_url"])
        for i, actor in enumerate(actors):
            writer.writerow([actor, f"{question}-{i}", "support", "2024-01-01", f"https://example.org/{i}"])
    return path


@pytest.mark.parametrize("spelling", ["Türkiye", "Turkiye", "TÜRKIYE", "türkiye ", " TURKIYE", "turkiye"])
def test_every_spelling_filters_to_the_imported_actor(fresh_db, tmp_path, spelling):
    import_file(fresh_db, write(tmp_path, "t.csv", ["Türkiye"]), "t")
    dataset_id = resolve_dataset(fresh_db, "t")
    actor_id = resolve_actor(fresh_db, dataset_id, spelling)
    assert fresh_db.execute("SELECT name FROM actors WHERE id = ?", [actor_id]).fetchone()[0] == "Türkiye"
    compiled = compile_filter(fresh_db, PositionFilter("t", actors=(spelling,)))
    assert queries.count_positions(fresh_db, compiled) == 1


def test_a_name_that_is_not_there_is_a_filter_error(fresh_db, tmp_path):
    import_file(fresh_db, write(tmp_path, "t.csv", ["Türkiye"]), "t")
    with pytest.raises(FilterError, match="unknown actor 'Turkey'"):
        resolve_actor(fresh_db, resolve_dataset(fresh_db, "t"), "Turkey")


def _respell(draw, name: str) -> str:
    """A spelling of ``name`` that differs in case, accents and spacing only."""
    out = []
    for original in name:
        ch = original
        if ch.isalpha():
            ch = ch.upper() if draw(st.booleans()) else ch.lower()
            if draw(st.integers(0, 4)) == 0:
                ch = unicodedata.normalize("NFC", ch + draw(st.sampled_from(["\u0301", "\u0308", "\u0327"])))
        elif ch == " ":
            ch = draw(st.sampled_from([" ", "  ", "\t", "\u00a0"]))
        out.append(ch)
    pad = draw(st.sampled_from(["", " ", "  "]))
    return pad + "".join(out) + pad


@st.composite
def names_and_spellings(draw):
    words = draw(
        st.lists(
            st.text(st.characters(whitelist_categories=("Ll", "Lu")), min_size=1, max_size=8), min_size=1, max_size=3
        )
    )
    name = " ".join(words)
    return name, [_respell(draw, name) for _ in range(3)]


@settings(max_examples=40, deadline=None)
@given(case=names_and_spellings())
def test_whatever_the_importer_matches_also_resolves(tmp_path_factory, case):
    """Import a name, then files spelling it differently: whichever actor the importer wrote a
    spelling's position to, --actor with that spelling finds that same actor."""
    from explorer.store.database import open_database

    name, spellings = case
    folder = tmp_path_factory.mktemp("names")
    db = open_database(":memory:")
    try:
        for i, spelling in enumerate([name, *spellings]):
            if not spelling.strip():
                continue
            import_file(db, write(folder, f"s{i}.csv", [spelling], question=f"file{i}"), "d")
            (used,) = db.execute(
                "SELECT p.actor_id FROM positions p JOIN questions q ON q.id = p.question_id WHERE q.key = ?",
                [f"file{i}-0"],
            ).fetchone()
            assert resolve_actor(db, resolve_dataset(db, "d"), spelling) == used, spelling
    finally:
        db.close()


def test_cli_actor_finds_every_spelling(tmp_path, isolated_home):
    db_path = tmp_path / "db.sqlite"
    env = {**__import__("os").environ, "NEGOTIATION_EXPLORER_HOME": str(isolated_home)}

    def cli(*args):
        return subprocess.run(
            [sys.executable, "-m", "explorer", "--db", str(db_path), *map(str, args)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=300,
        )

    assert cli("import", write(tmp_path, "t.csv", ["Türkiye", "Chile"]), "--dataset", "t").returncode == 0
    for spelling in ("Turkiye", "TÜRKIYE", "türkiye "):
        out = tmp_path / "out.csv"
        proc = cli("export-data", "--dataset", "t", "--actor", spelling, "--out", out)
        assert proc.returncode == 0, proc.stderr
        assert [r["actor"] for r in csv.DictReader(out.open(encoding="utf-8"))] == ["Türkiye"]


def test_completion_finds_names_and_aliases_by_the_name_rule(fresh_db, mini_bundle):
    from explorer.ingest.bundled import ensure_bundled

    ensure_bundled(fresh_db, mini_bundle)
    dataset_id = resolve_dataset(fresh_db, "mini")
    found = queries.find_actors(fresh_db, dataset_id, "  REPUB")
    assert found and all(normalize_name(r["spelling"]).startswith("repub") for r in found)
    assert queries.find_actors(fresh_db, dataset_id, "zzz") == []
