"""Formula-safe CSV (issue #12, docs/FORMAT.md "Formulas"): no cell the app writes can start a
spreadsheet formula, and the importer undoes exactly that escaping, so every value round-trips."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal, InvalidOperation

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import pipeline
from explorer.analysis.network_files import write_network
from explorer.csv_cells import FORMULA_STARTS, FormulaSafeWriter, escape_cell, unescape_cell, unescape_cells
from explorer.ingest.exporter import export_positions
from explorer.ingest.importer import import_file
from explorer.store.database import open_database
from explorer.store.filters import PositionFilter

# What a spreadsheet would run, by the four usual vectors, plus their look-alikes with apostrophes.
ATTACKS = (
    '=HYPERLINK("http://evil","click")',
    "@SUM(A1)",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    "'=1+1",
    "''=1+1",
    "'",
    "''",
    "'plain",
    "'-",
    "-",
    "+",
    "@",
    "=",
)
SETTINGS = settings(
    max_examples=300, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# text weighted towards the characters that matter: formula starts and apostrophes at the front
FRONT = st.text(st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", " ", "1", "."]), max_size=4)
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=30)
CELLS = st.builds(lambda front, rest: front + rest, FRONT, ANY_TEXT)


def runs_as_formula(cell: str) -> bool:
    """What a spreadsheet does with a cell it reads: a formula if it starts with one of these
    (a bare number such as -0.5 is read as a number)."""
    if not cell.startswith(FORMULA_STARTS):
        return False
    try:
        return not (Decimal(cell).is_finite() and cell.strip() == cell and "_" not in cell)
    except InvalidOperation:
        return True


def test_the_rule_by_hand():
    assert escape_cell("=1+1") == "'=1+1"
    assert escape_cell("'=1+1") == "''=1+1"
    assert escape_cell("@SUM(A1)") == "'@SUM(A1)"
    assert escape_cell("\tx") == "'\tx"
    assert escape_cell("'plain") == "'plain"  # an apostrophe before ordinary text is left alone
    assert escape_cell("-0.25") == "-0.25" and escape_cell("+3") == "+3" and escape_cell("1e-5") == "1e-5"
    assert escape_cell("-0.25 ") == "'-0.25 "  # not only a number
    assert unescape_cell("'=1+1") == "=1+1"
    assert unescape_cell("''=1+1") == "'=1+1"
    assert unescape_cell("'plain") == "'plain"
    assert unescape_cell("'") == "'"


@pytest.mark.parametrize("value", ATTACKS)
def test_named_attacks_are_neutralised_and_restored(value):
    cell = escape_cell(value)
    assert not runs_as_formula(cell)
    assert unescape_cell(cell) == value


@SETTINGS
@given(value=CELLS)
def test_escaping_is_undone_exactly(value):
    cell = escape_cell(value)
    assert unescape_cell(cell) == value
    assert not runs_as_formula(cell)
    assert cell == value or cell == "'" + value  # at most one apostrophe is ever added


@SETTINGS
@given(rows=st.lists(st.lists(CELLS, min_size=1, max_size=5), min_size=1, max_size=5))
def test_a_written_file_reads_back_to_the_same_cells(rows):
    handle = io.StringIO(newline="")
    FormulaSafeWriter(handle, lineterminator="\n").writerows(rows)
    read = list(csv.reader(io.StringIO(handle.getvalue(), newline=""), strict=True))
    assert all(not runs_as_formula(cell) for row in read for cell in row)
    assert [unescape_cells(row) for row in read] == rows


def test_numbers_stay_numbers():
    handle = io.StringIO(newline="")
    FormulaSafeWriter(handle, lineterminator="\n").writerow([-0.25, 3, None, "-0.25", "-x"])
    assert handle.getvalue() == "-0.25,3,,-0.25,'-x\n"


def _rows(values: list[str]) -> list[dict]:
    return [
        {
            "actor": f"{value} #{i}",
            "question": value,
            "option": value,
            "stance": "support",
            "date": f"2024-02-{i % 28 + 1:02d}",
            "session": f"{value} s",
            "summary": value,
            "proposal": value,
            "note": value,
            "source_url": f"https://example.org/{i}",
            "source_title": value,
        }
        for i, value in enumerate(values)
    ]


def _import_jsonl(db, folder, rows, dataset):
    path = folder / f"{dataset}.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return import_file(db, path, dataset)


def _csv_cells(path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [cell for row in csv.reader(handle) for cell in row]


def test_positions_export_is_safe_and_reimports_every_value(fresh_db, tmp_path):
    values = [v for v in ATTACKS if v.strip()]  # import trims cells: whitespace-only names are empty
    _import_jsonl(fresh_db, tmp_path, _rows(values), "first")
    out = tmp_path / "first.csv"
    export_positions(fresh_db, PositionFilter("first"), out)
    assert not [cell for cell in _csv_cells(out) if runs_as_formula(cell)]
    import_file(fresh_db, out, "second")
    again = tmp_path / "second.csv"
    export_positions(fresh_db, PositionFilter("second"), again)
    assert again.read_bytes() == out.read_bytes()
    stored = {r[0] for r in fresh_db.execute("SELECT summary FROM positions WHERE dataset_id = 2")}
    assert stored == {v.strip() for v in values}


@settings(max_examples=60, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=st.lists(CELLS.map(str.strip).filter(bool), min_size=1, max_size=6, unique=True))
def test_any_escaped_text_round_trips_through_a_csv_export(tmp_path_factory, values):
    folder = tmp_path_factory.mktemp("formulas")
    db = open_database(":memory:")
    _import_jsonl(db, folder, _rows(values), "first")
    export_positions(db, PositionFilter("first"), folder / "out.csv")
    assert not [cell for cell in _csv_cells(folder / "out.csv") if runs_as_formula(cell)]
    import_file(db, folder / "out.csv", "second")
    for column in ("summary", "proposal", "note"):
        got = [r[0] for r in db.execute(f"SELECT {column} FROM positions WHERE dataset_id = 2 ORDER BY id")]
        want = [r[0] for r in db.execute(f"SELECT {column} FROM positions WHERE dataset_id = 1 ORDER BY id")]
        assert got == want
    db.close()


def test_network_edges_csv_is_safe(fresh_db, tmp_path):
    rows = []
    for i, name in enumerate(("=evil()", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3")):
        for q in ("q1", "q2"):
            rows.append(
                {
                    "actor": name,
                    "question": q,
                    "stance": "support",
                    "date": f"2024-03-0{i + 1}",
                    "source_url": "A/RES/79/243",
                }
            )
    _import_jsonl(fresh_db, tmp_path, rows, "net")
    result = pipeline.network_for(fresh_db, PositionFilter("net"), pipeline.NetworkRequest(seed=1))
    out = tmp_path / "edges.csv"
    write_network(result, out)
    cells = _csv_cells(out)
    assert len(cells) == 5 * (1 + 6)  # header and the 6 pairs of 4 actors who agree on everything (5 columns)
    assert not [cell for cell in cells if runs_as_formula(cell)]
    assert {unescape_cell(c) for c in cells[5:] if not c[:1].isdigit()} - {"agreement"} == {
        "=evil()",
        "@SUM(A1)",
        "+cmd|' /C calc'!A0",
        "-2+3",
    }


def test_matrix_and_pair_tables_are_safe(small_db, tmp_path):
    from explorer.pipeline.matrix import matrix_for, write_matrix_csv
    from explorer.pipeline.pairs import pairs_for, write_pairs_csv

    names = {
        "Atlantis": '=HYPERLINK("http://evil")',
        "Borduria": "@SUM(A1)",
        "Carpania": "+cmd|' /C calc'!A0",
        "Dorlandia": "-2+3",
    }
    for old, new in names.items():
        small_db.execute("UPDATE actors SET name = ? WHERE name = ?", [new, old])
    flt = PositionFilter("small")
    matrix = tmp_path / "matrix.csv"
    write_matrix_csv(matrix_for(small_db, flt), matrix)
    table, labels = pairs_for(small_db, flt)
    pairs = tmp_path / "pairs.csv"
    write_pairs_csv(table, labels, pairs)
    for path in (matrix, pairs):
        cells = _csv_cells(path)
        assert not [cell for cell in cells if runs_as_formula(cell)], path.name
        assert set(names.values()) <= {unescape_cell(cell) for cell in cells}, path.name


def test_every_csv_writer_in_the_app_is_the_formula_safe_one():
    """A new CSV export cannot bypass the rule: only explorer/csv_cells.py may make a csv writer."""
    from pathlib import Path

    import explorer

    package = Path(explorer.__file__).parent
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "csv_cells.py"
        and re.search(r"\bcsv\.(writer|DictWriter)\b|\bDictWriter\(", path.read_text("utf-8"))
    ]
    assert offenders == []
