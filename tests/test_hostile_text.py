"""Hostile text in the core: HTML, bidi controls, emoji and 10,000-character strings survive an
import -> export -> import round trip unchanged; javascript:/file:/data: sources are refused at
import; search text of any kind never raises and never changes the data.
(The GUI side, plain-text display and link opening, is tests/ui/test_hostile_text.py.)
"""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.csv_cells import unescape_cell
from explorer.ingest.exporter import export_positions
from explorer.ingest.importer import import_file
from explorer.ingest.rows import ValidationError
from explorer.store import queries
from explorer.store.database import open_database
from explorer.store.filters import PositionFilter, compile_filter
from tests.table_checksums import table_checksums

HOSTILE = {
    "img": "<img src=x onerror=alert(1)>",
    "link": '<a href="javascript:alert(1)">x</a>',
    "script": "<script>document.location='http://evil'</script>",
    "rtl": "\u200fحقوق الإنسان\u200f \u202eevil.exe\u202c",
    "emoji": "👩\u200d👩\u200d👧 🇺🇳 ✊🏿",
    "long": "Ten thousand characters " + "x" * (10_000 - 24),
    "quotes": "He said \"no\", then 'yes'; -- DROP TABLE positions;",
    "lines": "first line\nsecond line\r\nthird\rfourth\u2028fifth",
    "formula": '=HYPERLINK("http://evil","click")',
}
# Actor and question names are matched by name, so each is distinct; names are capped at 1,000
# characters (a longer "name" is a shifted column), so the 10,000-character string is a summary.
SHORT = {k: v for k, v in HOSTILE.items() if len(v) <= 1_000}
COLUMNS = (
    "actor",
    "question",
    "option",
    "stance",
    "date",
    "session",
    "summary",
    "proposal",
    "note",
    "source_url",
    "source_title",
)


def hostile_rows() -> list[dict]:
    rows = []
    for i, (key, text) in enumerate(HOSTILE.items()):
        short = SHORT.get(key, f"long name {i}")
        rows.append(
            {
                "actor": f"{short} #{i}",
                "question": f"{text} ?",
                "option": short,
                "stance": "support",
                "date": f"2024-01-{i + 1:02d}",
                "session": f"{short} session",
                "summary": text,
                "proposal": f"proposal: {text}",
                "note": text,
                "source_url": f"https://example.org/{i}?q=<b>",
                "source_title": text,
            }
        )
    return rows


def write_jsonl(path, rows) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def exported(path) -> list[dict]:
    """The values a file stands for: CSV cells with the formula escaping undone (docs/FORMAT.md)."""
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return [{k: unescape_cell(v) for k, v in row.items() if k in COLUMNS} for row in csv.DictReader(handle)]
    return [
        {k: v for k, v in json.loads(line).items() if k in COLUMNS}
        for line in path.read_text(encoding="utf-8").split("\n")
        if line
    ]


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_hostile_text_round_trips_unchanged(fresh_db, tmp_path, suffix):
    rows = hostile_rows()
    source = tmp_path / "hostile.jsonl"
    write_jsonl(source, rows)
    assert import_file(fresh_db, source, "first").imported == len(rows)
    first, second = tmp_path / f"first{suffix}", tmp_path / f"second{suffix}"
    assert export_positions(fresh_db, PositionFilter("first"), first) == len(rows)
    by_date = sorted(rows, key=lambda r: r["date"])
    assert exported(first) == by_date  # every character as it was given
    assert import_file(fresh_db, first, "second").imported == len(rows)
    export_positions(fresh_db, PositionFilter("second"), second)
    assert second.read_bytes() == first.read_bytes()
    detail = queries.position_detail(fresh_db, 1)
    assert detail["summary"] == rows[0]["summary"] and detail["actor"] == rows[0]["actor"]


TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=200)


@settings(
    max_examples=150, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(actor=TEXT.filter(lambda s: s.strip()), summary=TEXT, title=TEXT)
def test_any_text_round_trips_through_csv_and_jsonl(tmp_path_factory, actor, summary, title):
    folder = tmp_path_factory.mktemp("any")
    db = open_database(":memory:")
    row = {
        "actor": actor,
        "question": "q",
        "stance": "oppose",
        "session": "s1",
        "summary": summary,
        "source_url": "A/RES/79/243",
        "source_title": title,
    }
    write_jsonl(folder / "in.jsonl", [row])
    import_file(db, folder / "in.jsonl", "d")
    expected = {k: (v.strip() or None) for k, v in row.items()}  # cells are trimmed; empty = missing
    for suffix in (".csv", ".jsonl"):
        out = folder / f"out{suffix}"
        export_positions(db, PositionFilter("d"), out)
        (got,) = exported(out)
        for key in ("actor", "summary", "source_title"):
            assert (got.get(key) or None) == expected[key], (suffix, key)
        import_file(db, out, f"again{suffix[1:]}")
    again = [queries.position_detail(db, i) for i in (2, 3)]
    assert all(d["summary"] == expected["summary"] and d["actor"] == expected["actor"] for d in again)
    db.close()


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "  javascript:alert(1)",
        "javascript://%0Aalert(1)",
        "file:///etc/passwd",
        "FILE://server/share",
        "file:C:/Windows",
        "data:text/html,<script>alert(1)</script>",
        "data:image/svg+xml;base64,PHN2Zz4=",
        "vbscript:msgbox(1)",
        "blob:https://x.org/uuid",
        "//evil.example/x",
        "https://exa mple.org",
        "http://x.org/\u202e",
        "ftp://x.org",
    ],
)
def test_unsafe_source_urls_are_refused_at_import(tmp_path, fresh_db, url):
    path = tmp_path / "bad.jsonl"
    write_jsonl(path, [{"actor": "A", "question": "q", "stance": "support", "date": "2024-01-01", "source_url": url}])
    before = table_checksums(fresh_db.conn)
    with pytest.raises(ValidationError) as info:
        import_file(fresh_db, path, "d")
    (error,) = info.value.errors
    assert (error.line, error.column) == (1, "source_url")
    assert "http(s) URL" in error.message
    assert table_checksums(fresh_db.conn) == before


SEARCHES = [
    '"',
    '""',
    "*",
    "**",
    "NEAR(",
    "NEAR(a b",
    "NOT",
    "NOT a",
    "a NOT",
    "-",
    "-a",
    "a -b",
    'a "b',
    "'; DROP TABLE positions; --",
    "1=1 OR 1=1",
    "summary:x",
    "^a",
    "a AND",
    "OR",
    "(",
    ")",
    "a:b",
    "\\",
    "%",
    "_",
    "\u202e",
    "👩\u200d👩",
    "x" * 10_000,
    "<img src=x onerror=alert(1)>",
    "ｆｕｌｌ",
    "\x00",
]


@pytest.fixture(scope="module")
def search_db():
    db = open_database(":memory:")
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hostile.jsonl"
        write_jsonl(path, hostile_rows())
        import_file(db, path, "d")
    yield db
    db.close()


def search(db, text: str) -> int:
    compiled = compile_filter(db, PositionFilter("d", text=text))
    queries.position_page(db, compiled, limit=5)
    return queries.count_positions(db, compiled)


@pytest.mark.parametrize("text", SEARCHES)
def test_hostile_search_text_never_raises_or_changes_data(search_db, text):
    before = table_checksums(search_db.conn)
    search(search_db, text)
    assert table_checksums(search_db.conn) == before


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(
    text=st.text(max_size=60) | st.lists(st.sampled_from([*SEARCHES[:24], "a", "x", "ten"]), max_size=6).map(" ".join)
)
def test_any_search_text_never_raises_or_changes_data(search_db, text):
    before = table_checksums(search_db.conn)
    assert search(search_db, text) >= 0
    assert table_checksums(search_db.conn) == before


def test_search_still_finds_words_inside_hostile_text(search_db):
    assert search(search_db, "onerror") == 1
    assert search(search_db, "alert") >= 2
    assert search(search_db, "الإنسان") == 1
