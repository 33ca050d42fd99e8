"""The positions format: validation messages, all-or-nothing imports, matching and round trips."""

from __future__ import annotations

import csv
import json

import pytest

from explorer.ingest.exporter import export_positions
from explorer.ingest.importer import ImportCancelled, import_file
from explorer.ingest.rows import ValidationError, read_positions
from explorer.store import queries
from explorer.store.filters import PositionFilter
from tests.conftest import DATA

HEADER = "actor,question,stance,date,source_url\n"


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def table_counts(db):
    return queries.stats(db)


def errors_of(path):
    with pytest.raises(ValidationError) as info:
        read_positions(path)
    return [str(e) for e in info.value.errors]


def test_errors_name_file_line_and_column(tmp_path):
    path = write(
        tmp_path,
        "bad.csv",
        HEADER + "A,q,support,2020-01-01,https://x.org\nB,q,maybe,2020-13-01,ftp://x.org\n,q,support,,https://x.org\n",
    )
    assert errors_of(path) == [
        f"{path}:3: column stance: 'maybe' is not one of support, amend, neutral, reserve, oppose",
        f"{path}:3: column date: '2020-13-01' is not a date written YYYY-MM-DD",
        f"{path}:3: column source_url: 'ftp://x.org' is neither an http(s) URL nor a UN document symbol",
        f"{path}:4: column actor: required value is empty",
        f"{path}:4: column date: a date or a session is required",
    ]


def test_multiline_cells_keep_physical_line_numbers(tmp_path):
    path = write(
        tmp_path,
        "multi.csv",
        "actor,question,stance,date,source_url,summary\n"
        'A,q,support,2020-01-01,https://x.org,"two\nlines"\nB,q,nope,2020-01-01,https://x.org,x\n',
    )
    assert errors_of(path) == [
        f"{path}:4: column stance: 'nope' is not one of support, amend, neutral, reserve, oppose"
    ]


def test_header_problems(tmp_path):
    path = write(tmp_path, "h.csv", "actor,stnace,question\nA,support,q\n")
    errors = errors_of(path)
    assert f"{path}:1: column stnace: unknown column (see docs/FORMAT.md)" in errors
    assert f"{path}:1: column stance: required column is missing" in errors
    assert f"{path}:1: column date: a date or a session column is required" in errors


def test_jsonl_errors(tmp_path):
    path = write(
        tmp_path,
        "p.jsonl",
        '{"actor": "A", "question": "q", "stance": "support", "session": "s",'
        ' "source_url": "https://x.org"}\n\n[1]\n{"actor": "A", "question": ["q"]}\n{broken\n',
    )
    errors = errors_of(path)
    assert errors[0] == f"{path}:3: expected a JSON object {{...}}"
    assert errors[1] == f"{path}:4: column question: expected text, found a JSON list or object"
    assert errors[2].startswith(f"{path}:5: not valid JSON")


def test_failed_import_writes_nothing(small_db, tmp_path):
    before = table_counts(small_db)
    path = write(
        tmp_path,
        "bad.csv",
        HEADER + "New actor,new-q,support,2020-01-01,https://x.org\nOther,new-q,support,not-a-date,https://x.org\n",
    )
    with pytest.raises(ValidationError):
        import_file(small_db, path, "small")
    assert table_counts(small_db) == before


def test_cancelled_import_writes_nothing(small_db, tmp_path):
    before = table_counts(small_db)
    path = write(
        tmp_path, "ok.csv", HEADER + "".join(f"Actor {i},q{i},support,2020-01-01,https://x.org\n" for i in range(20))
    )
    with pytest.raises(ImportCancelled):
        import_file(small_db, path, "other", cancel=lambda: True)
    assert table_counts(small_db) == before


def test_matching_by_alias_and_report(fresh_db, mini_bundle, tmp_path):
    from explorer.ingest.bundled import ensure_bundled

    ensure_bundled(fresh_db, mini_bundle)
    path = write(
        tmp_path,
        "new.csv",
        "actor,question,option,stance,session,source_url\n"
        "republic of atlantis,adoption,adopt,support,s2,https://new.org\n"
        "Newland,adoption,Adopt,oppose,Second session,https://new.org\n",
    )
    report = import_file(fresh_db, path, "mini")
    assert report.imported == 2
    assert report.created["actor"] == 1 and report.created_names["actor"] == ["Newland"]
    assert report.matched["actor"] == 1
    assert report.created["question"] == 0 and report.created["session"] == 0
    assert report.matched["option"] == 2  # by key and by label
    assert "1 matched, 1 created: Newland" in report.summary()


def test_reimporting_the_same_file_adds_nothing(small_db):
    report = import_file(small_db, DATA / "small.csv", "small")
    assert report.imported == 0 and report.skipped_existing == 11


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_export_import_round_trip(small_db, tmp_path, suffix):
    first = tmp_path / f"first{suffix}"
    second = tmp_path / f"second{suffix}"
    assert export_positions(small_db, PositionFilter("small"), first) == 11
    report = import_file(small_db, first, "copy")
    assert report.imported == 11
    export_positions(small_db, PositionFilter("copy"), second)
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")
    if suffix == ".csv":
        rows = list(csv.DictReader(first.open(encoding="utf-8")))
        assert rows[0]["actor"] == "Atlantis" and rows[0]["option"] == "keep-list"
    else:
        assert json.loads(first.read_text().splitlines()[0])["source_kind"] == "un-official"


def test_json_array_and_encodings(tmp_path, fresh_db):
    arr = write(
        tmp_path,
        "a.json",
        json.dumps(
            [
                {
                    "actor": "Côte d’Ivoire",
                    "question": "q",
                    "stance": "YES",
                    "session": "s1",
                    "source_url": "A/RES/74/247",
                },
                {
                    "actor": "Türkiye",
                    "question": "q",
                    "stance": "abstain",
                    "session": "s1",
                    "source_url": "A/RES/74/247",
                },
            ],
            indent=1,
        ),
    )
    rows = read_positions(arr).rows
    assert [r["stance"] for r in rows] == ["support", "neutral"]
    assert [r.line for r in rows] == [2, 9]
    text = HEADER + "Türkiye,q,support,2020-01-01,https://x.org\n"
    for encoding in ("utf-16", "utf-8-sig", "cp1252"):
        path = write(tmp_path, f"{encoding}.csv", text, encoding)
        assert read_positions(path).rows[0]["actor"] == "Türkiye"
    assert read_positions(tmp_path / "cp1252.csv").warnings  # told it was not UTF-8


def test_binary_and_empty_files_are_refused(tmp_path):
    binary = tmp_path / "image.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert errors_of(binary) == [f"{binary}:3: contains a NUL byte: this is not a text file"]
    empty = write(tmp_path, "empty.csv", "")
    assert errors_of(empty) == [f"{empty}:1: empty file: expected a header row naming the columns"]
    other = write(tmp_path, "notes.txt", "hello")
    assert errors_of(other) == [f"{other}: unknown file type; use .csv, .jsonl or .json"]


def test_duplicate_rows_in_a_file_are_skipped_with_a_warning(tmp_path):
    line = "A,q,support,2020-01-01,https://x.org\n"
    result = read_positions(write(tmp_path, "d.csv", HEADER + line + line))
    assert len(result.rows) == 1
    assert result.warnings == [f"{tmp_path / 'd.csv'}:3: repeats line 2; skipped"]


def test_a_name_is_created_by_its_first_mention_even_across_columns(fresh_db, tmp_path):
    path = write(
        tmp_path,
        "behalf.csv",
        "actor,on_behalf_of,question,stance,date,source_url,source_kind\n"
        "Atlantis,The Group,q1,support,2020-01-01,https://x.org,news\n"
        "The Group,,q1,support,2020-01-02,https://x.org,academic\n"
        "Borduria,,q1,oppose,2020-01-03,https://x.org,government\n",
    )
    report = import_file(fresh_db, path, "d")
    kinds = dict(fresh_db.execute("SELECT name, kind FROM actors").fetchall())
    assert kinds == {"Atlantis": "state", "The Group": "group", "Borduria": "state"}
    assert report.created_names["actor"] == ["Atlantis", "The Group", "Borduria"]
    assert report.created["actor"] == 3 and report.matched["actor"] == 1  # the group's own row
    assert report.created["source"] == 1 and report.matched["source"] == 2
    # the source keeps its first kind; the others are ignored with one warning for the URL
    assert report.warnings == ["source https://x.org is already known as 'news'; 'academic' ignored"]


def test_a_repeated_line_is_warned_of_and_a_restated_position_is_counted(fresh_db, tmp_path):
    line = "A,q,support,2020-01-01,https://x.org"
    path = write(tmp_path, "r.csv", HEADER + f"{line}\n{line}\nA,q, support ,2020-01-01,https://x.org\n")
    report = import_file(fresh_db, path, "d")
    assert report.imported == 1 and report.skipped_existing == 0
    assert report.warnings == [f"{path}:3: repeats line 2; skipped", f"{path}:4: repeats line 2; skipped"]
    assert report.matched["actor"] == 0  # repeats are skipped as if never read
    summary_only = write(tmp_path, "s.csv", "actor,question,stance,date,source_url,summary\n" + line + ",other words\n")
    again = import_file(fresh_db, summary_only, "d")
    assert again.imported == 0 and again.skipped_existing == 1 and not again.warnings
