"""Fuzzed imports: whatever file a user feeds in, the answer is a clean import or a
ValidationError naming file, line and column, and a failed import leaves the database as it was.

Three hypothesis properties, each with a fixed number of derandomized examples (so CI runs the
same cases every time; the counts are in docs/ROBUSTNESS.md):

* structured CSV / JSONL files with known injected faults: the errors must be exactly the
  injected ones, at the right line and column (an oracle written from docs/FORMAT.md);
* the same files damaged at the byte level (truncated, NUL bytes, binary, broken encodings,
  100k-character splices): only invariants can be checked, and they are.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.ingest.importer import import_file
from explorer.ingest.rows import KNOWN_COLUMNS, MAX_NAME_CHARS, MAX_TEXT_CHARS, ValidationError
from explorer.store.database import open_database
from explorer.vocabulary import ACTOR_KINDS, CONFIDENCES, SOURCE_KINDS, STANCES
from tests.conftest import DATA
from tests.table_checksums import table_checksums

STRUCTURED_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))  # per format (CSV, JSONL)
DAMAGED_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FUZZ_SETTINGS = {
    "derandomize": True,
    "database": None,
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
}

REQUIRED = ("actor", "question", "stance", "source_url")
LONG_TEXT = ("summary", "proposal", "note", "source_title", "question")
WHOLE_FILE_PROBLEMS = ("unknown file type", "cannot read the file", "no positions in the file")
HOSTILE = (
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<script>alert('x')</script>",
    "\u200fمرحبا\u200f",
    "\u202eevil\u202c",
    "👩\u200d👩\u200d👧 🇺🇳",
    "Robert'); DROP TABLE positions;--",
    '=HYPERLINK("http://evil")',
    'He said "no", then, "yes"',
    "line one\nline two",
    "tab\there",
    "a\r\nb",
    "ʻOkina ẞ ǅ İ",
    "\u2028para\u2029graph\u0085",
    "NULL",
    "None",
    "\\N",
    "%s %n {0}",
)
BAD_DATES = (
    "2020-13-01",
    "2020-02-30",
    "20-01-01",
    "2020/01/01",
    "２０２０-01-01",
    "2020-01-01T10:00",
    "01/02/2020",
    "yesterday",
    "2020-1-1",
    "0000-00-00",
)
BAD_STANCES = ("maybe", "supports", "si", "👍", "oppose!", "true", "1", "<b>support</b>", "for")
BAD_URLS = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(document.cookie)",
    "file:///etc/passwd",
    "file:C:/x",
    "data:text/html,<script>alert(1)</script>",
    "ftp://example.org/x",
    "https://exa mple.org",
    "vbscript:msgbox(1)",
    "//evil.example",
    "www.example.org",
    "a/res/79/243",
    "<a href=x>x</a>",
)
GOOD_URLS = (
    "https://example.org/s?x=1&y=<b>",
    "http://un.org",
    "HTTPS://EXAMPLE.ORG/Doc",
    "A/RES/79/243",
    "A/AC.291/L.4/Rev.1",
    "https://example.org/%E2%80%AE",
)
STANCE_WORDS = (*STANCES, "yes", "no", "abstain", "Support", " OPPOSE ", "Abstention")


def _text(max_size: int = 30, eight_bit: bool = False) -> st.SearchStrategy[str]:
    """Any Unicode minus what a text file cannot carry (NUL, lone surrogates); or, for files
    meant to be saved as Latin-1 / Windows-1252, only what those can encode."""
    if eight_bit:
        alphabet = st.characters(min_codepoint=1, max_codepoint=0xFF, exclude_characters=_C1)
        return st.one_of(st.text(alphabet, min_size=1, max_size=max_size), st.sampled_from(HOSTILE_8BIT))
    alphabet = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")
    return st.one_of(st.text(alphabet, min_size=1, max_size=max_size), st.sampled_from(HOSTILE))


def _names(eight_bit: bool = False) -> st.SearchStrategy[str]:
    return _text(eight_bit=eight_bit).filter(lambda s: s.strip())


_C1 = "".join(chr(c) for c in range(0x7F, 0xA0))
HOSTILE_8BIT = tuple(h for h in HOSTILE if all((" " <= c <= "\xff" and c not in _C1) or c in "\t\r\n" for c in h))
UNKNOWN_COLUMN = st.from_regex(r"[a-z_]{1,20}", fullmatch=True).filter(lambda c: c not in KNOWN_COLUMNS)


@dataclass
class Case:
    """A generated file and what the import must say about it."""

    kind: str  # "csv" or "jsonl"
    data: bytes
    expected: set = field(default_factory=set)  # {(line, column or None)}; empty = must import
    data_rows: int = 0  # position records in the file
    duplicates: set = field(default_factory=set)  # lines that repeat an earlier valid line
    faults: list = field(default_factory=list)  # names of what was injected, for the counts
    encoding: str = "utf-8"
    last_record_line: int = 0  # where the last record starts


@st.composite
def valid_records(draw, eight_bit: bool = False) -> dict[str, object]:
    names = _names(eight_bit)
    record: dict[str, object] = {
        "actor": draw(names),
        "question": draw(names),
        "stance": draw(st.sampled_from(STANCE_WORDS)),
        "source_url": draw(st.sampled_from(GOOD_URLS)),
    }
    when = draw(st.sampled_from(("date", "session", "both")))
    if when != "session":
        record["date"] = draw(st.dates(min_value=dt.date(1900, 1, 1))).isoformat()
    if when != "date":
        record["session"] = draw(names)
    for column in (
        "summary",
        "provision",
        "option",
        "source_title",
        "meeting",
        "paragraph",
        "proposal",
        "note",
        "on_behalf_of",
        "id",
    ):
        if draw(st.integers(0, 3)) == 0:
            record[column] = draw(_text(60, eight_bit))
    if draw(st.integers(0, 40)) == 0:
        record["summary"] = "z" * MAX_TEXT_CHARS  # the longest summary allowed
    for column, allowed in (("actor_kind", ACTOR_KINDS), ("confidence", CONFIDENCES), ("source_kind", SOURCE_KINDS)):
        if draw(st.booleans()):
            record[column] = (
                draw(st.sampled_from(allowed)).upper() if draw(st.booleans()) else draw(st.sampled_from(allowed))
            )
    return record


FAULTY_COLUMNS = ("actor_kind", "confidence", "source_kind", "option", "provision", "summary", "note")
CELL_FAULTS = (
    "empty_required",
    "bad_date",
    "unknown_stance",
    "bad_url",
    "bad_choice",
    "too_long",
    "no_date_no_session",
)


def inject_cell_fault(draw, record: dict, fault: str, blank: object) -> set[str]:
    """Damage one cell of ``record``; return the column(s) the import must name."""
    if fault == "empty_required":
        column = draw(st.sampled_from(REQUIRED))
        record[column] = blank
        return {column}
    if fault == "bad_date":
        record["date"] = draw(st.sampled_from(BAD_DATES))
        return {"date"}
    if fault == "unknown_stance":
        record["stance"] = draw(st.sampled_from(BAD_STANCES))
        return {"stance"}
    if fault == "bad_url":
        record["source_url"] = draw(st.sampled_from(BAD_URLS))
        return {"source_url"}
    if fault == "bad_choice":
        column = draw(st.sampled_from(("actor_kind", "confidence", "source_kind")))
        record[column] = draw(st.sampled_from(("martian", "very high", "<i>state</i>", "ngo ")))
        return {column}
    if fault == "too_long":
        column = draw(st.sampled_from(("actor", "session", "option", "provision", "summary", "note", "question")))
        limit = MAX_TEXT_CHARS if column in LONG_TEXT else MAX_NAME_CHARS
        record[column] = "x" * (limit + draw(st.integers(1, 50)))
        return {column}
    assert fault == "no_date_no_session"
    record["date"] = record["session"] = blank
    return set()  # the oracle names "date" if no later fault fills either again (_oracle_cells)


def _line_breaks(text: str) -> int:
    """Line breaks as Python's csv module counts them (``\\r\\n``, ``\\r`` or ``\\n``)."""
    return len(re.findall(r"\r\n|\r|\n", text))


@st.composite
def encodings(draw, text: str) -> tuple[str, bytes]:
    """Encode as a colleague's spreadsheet might have; only choices that decode back to ``text``."""
    name = draw(st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "latin-1", "cp1252")))
    if name == "utf-16-be-bom":
        return name, codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    try:
        data = text.encode(name)
    except UnicodeEncodeError:
        return "utf-8", text.encode("utf-8")
    if name in ("latin-1", "cp1252"):
        # Latin-1 C1 controls read back as Windows-1252 letters, and bytes that happen to be valid
        # UTF-8 are read as UTF-8: both would change the text, so such files are written as UTF-8.
        try:
            if data.decode("utf-8") != text:
                return "utf-8", text.encode("utf-8")
        except UnicodeDecodeError:
            pass
        if re.search("[\x80-\x9f]", text):
            return "utf-8", text.encode("utf-8")
    return name, data


@st.composite
def csv_cases(draw, faults: bool = True) -> Case:
    eight_bit = draw(st.booleans())  # half the files could be saved as Latin-1 / Windows-1252
    records = draw(st.lists(valid_records(eight_bit), min_size=0, max_size=12))
    columns = [*REQUIRED, "date", "session", *FAULTY_COLUMNS]  # a fault never lands outside
    columns += sorted({c for r in records for c in r} - set(columns))
    columns = draw(st.permutations(columns))
    case = Case("csv", b"")
    header = [draw(st.sampled_from((c, c.upper(), f" {c} ", c.title()))) for c in columns]
    mode = draw(st.sampled_from(("rows",) * 4 + ("header",))) if faults else "rows"
    if mode == "header":
        fault = draw(st.sampled_from(("missing_column", "unknown_column", "duplicate_column")))
        case.faults.append(fault)
        if fault == "missing_column":
            gone = draw(st.sets(st.sampled_from(REQUIRED), min_size=1, max_size=2))
            if draw(st.booleans()):
                gone |= {"date", "session"}
            keep = [i for i, c in enumerate(columns) if c not in gone]
            columns, header = [columns[i] for i in keep], [header[i] for i in keep]
            case.expected |= {(1, c) for c in gone if c in REQUIRED}
            if "date" not in columns and "session" not in columns:
                case.expected.add((1, "date"))
        elif fault == "unknown_column":
            extra = draw(UNKNOWN_COLUMN)
            columns, header = [*columns, extra], [*header, extra]
            case.expected.add((1, extra))
        else:
            twice = draw(st.sampled_from(columns))
            columns, header = [*columns, twice], [*header, twice]
            case.expected.add((1, twice))
    newline = draw(st.sampled_from(("\n", "\r\n")))
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerow(header)
    text, line = out.getvalue(), 2
    seen_rows: set[str] = set()
    faults = faults and draw(st.booleans())  # half the files have no injected fault at all
    if draw(st.booleans()) and records:  # repeat some rows verbatim
        for _ in range(draw(st.integers(1, 3))):
            records.insert(draw(st.integers(0, len(records))), dict(draw(st.sampled_from(records))))
    for record in records:
        expected: set = set()
        row_faults = (
            draw(st.lists(st.sampled_from((*CELL_FAULTS, "missing_cells", "extra_cells")), max_size=3))
            if faults and mode == "rows" and draw(st.integers(0, 2)) == 0
            else []
        )
        case.faults.extend(row_faults)
        faulty: set[str] = set()  # columns whose last fault the import must name
        for fault in row_faults:
            if fault in CELL_FAULTS:
                blank = draw(st.sampled_from(("", "   ", "\t")))
                named = inject_cell_fault(draw, record, fault, blank)
                written = {"date", "session"} if fault == "no_date_no_session" else named
                faulty = (faulty - written) | named  # a later fault on a cell replaces an earlier one
        expected |= {(line, c) for c in faulty}
        cells = ["" if record.get(c) is None else str(record[c]) for c in columns]
        if "missing_cells" in row_faults:
            cells = cells[: draw(st.integers(2, len(cells) - 1))]
            expected = {(line, None)}
        elif "extra_cells" in row_faults:
            cells = cells + draw(st.lists(_text(10, eight_bit), min_size=1, max_size=3))
            expected = {(line, None)}
        elif mode == "rows":
            expected |= _oracle_cells(record, line)
        out = io.StringIO()
        quoting = csv.QUOTE_ALL if any("\r" in c for c in cells) else csv.QUOTE_MINIMAL
        csv.writer(out, lineterminator=newline, quoting=quoting).writerow(cells)
        rendered = out.getvalue()
        if mode == "rows":
            case.expected |= expected
            if not expected:
                if rendered in seen_rows:
                    case.duplicates.add(line)
                seen_rows.add(rendered)
        case.last_record_line = line
        text += rendered
        line += _line_breaks(rendered)
        case.data_rows += 1
    if mode == "rows" and case.data_rows == 0:
        case.expected.add((0, None))  # "no positions in the file"
    case.encoding, case.data = draw(encodings(text))
    return case


def _oracle_cells(record: dict, line: int) -> set:
    """Problems a fault-free record still has: only "no date and no session" (docs/FORMAT.md)."""

    def empty(c):
        return record.get(c) is None or not str(record[c]).strip()

    return {(line, "date")} if empty("date") and empty("session") else set()


@st.composite
def jsonl_cases(draw, faults: bool = True) -> Case:
    eight_bit = draw(st.booleans())  # half the files could be saved as Latin-1 / Windows-1252
    records = draw(st.lists(valid_records(eight_bit), min_size=0, max_size=12))
    case = Case("jsonl", b"")
    faults = faults and draw(st.booleans())
    if draw(st.booleans()) and records:
        for _ in range(draw(st.integers(1, 3))):
            records.insert(draw(st.integers(0, len(records))), dict(draw(st.sampled_from(records))))
    lines: list[str] = []
    seen_records: set[str] = set()
    for record in records:
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(("", "   ", "\t", "\r"))))  # blank lines count, are skipped
        number = len(lines) + 1
        expected: set = set()
        line_text, ascii_only = None, draw(st.booleans())
        if faults and draw(st.integers(0, 2)) == 0:
            fault = draw(
                st.sampled_from(
                    (
                        *CELL_FAULTS,
                        "broken_json",
                        "not_object",
                        "unknown_key",
                        "list_value",
                        "huge_number",
                        "deep_nesting",
                        "lone_surrogate",
                    )
                )
            )
            case.faults.append(fault)
            if fault in CELL_FAULTS:
                expected = {
                    (number, c) for c in inject_cell_fault(draw, record, fault, draw(st.sampled_from(("", " ", None))))
                }
            elif fault == "broken_json":
                whole = json.dumps(record, ensure_ascii=draw(st.booleans()))
                line_text = whole[: draw(st.integers(1, len(whole) - 1))]
                expected = {(number, None)}
            elif fault == "not_object":
                line_text = draw(st.sampled_from(("[1]", "42", "null", '"actor"', "true", "[]", "[{}]")))
                expected = {(number, None)}
            elif fault == "unknown_key":
                key = draw(st.one_of(UNKNOWN_COLUMN, st.sampled_from(("Actor", "STANCE", " actor", ""))))
                record[key] = draw(_text(10, eight_bit))
                expected = {(number, key or "(blank)")}
            elif fault == "list_value":
                column = draw(st.sampled_from(("actor", "summary", "stance", "date")))
                record[column] = draw(st.sampled_from(([record.get(column)], {"text": "x"}, [])))
                expected = {(number, column)}
            elif fault == "huge_number":
                line_text = json.dumps(record)[:-1] + ', "paragraph": ' + "9" * 5000 + "}"
                expected = {(number, None)}
            elif fault == "deep_nesting":
                line_text = "[" * 100_000 + "]" * 100_000
                expected = {(number, None)}
            else:
                column = draw(st.sampled_from(("actor", "summary", "question")))
                record[column] = "A\ud800B"  # written as the escape \ud800 (the only way into a file)
                expected = {(number, column)}
                ascii_only = True
        if line_text is None:
            line_text = json.dumps(record, ensure_ascii=ascii_only)
        if not expected:
            expected = _oracle_cells(record, number)
            if not expected:
                key = json.dumps(record, sort_keys=True)
                if key in seen_records:
                    case.duplicates.add(number)
                seen_records.add(key)
        case.expected |= expected
        lines.append(line_text)
        case.last_record_line = number
        case.data_rows += 1
    if case.data_rows == 0:
        case.expected.add((0, None))
    text = "\n".join(lines) + draw(st.sampled_from(("\n", "")))
    case.encoding, case.data = draw(encodings(text))
    return case


@st.composite
def damaged_files(draw) -> tuple[str, bytes, str, int]:
    """A generated file damaged byte by byte: (suffix, bytes, name of the damage, last record line).

    A last line cut short is applied to a file that was valid, so every problem reported must
    then be on the last record (or be "no positions" when nothing but the header is left).
    """
    kind = draw(st.sampled_from(("csv", "jsonl", "json")))
    last = 0
    if kind == "json":
        records = draw(st.lists(valid_records(), min_size=1, max_size=5))
        data = json.dumps(records, indent=draw(st.sampled_from((None, 1)))).encode()
    else:
        case = draw(csv_cases(faults=False) if kind == "csv" else jsonl_cases(faults=False))
        data, last, encoding = case.data, case.last_record_line, case.encoding
    damage = draw(
        st.sampled_from(
            (
                "truncate",
                "truncate_last_line",
                "nul",
                "binary",
                "binary_png",
                "flip_bytes",
                "splice_100k",
                "wrong_bom",
                "utf16_no_bom",
                "concatenate",
            )
        )
    )
    if damage == "truncate" and data:
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif damage == "truncate_last_line":
        if kind == "json":
            data = data[: draw(st.integers(0, max(0, len(data) - 1)))]
        else:  # cut anywhere in the last line, even inside a UTF-16 code unit or a UTF-8 character
            text = data.decode("utf-16" if encoding.startswith("utf-16") else encoding)
            head = text[: text.rstrip("\r\n").rfind("\n") + 1]
            start = _encoded_length(head, encoding)
            # decoding problems are placed by "\n" alone; CSV records by csv's count, which includes a
            # lone "\r" inside a quoted cell: the earlier of the two is where the cut line may start
            last = min(last, head.count("\n") + 1)
            end = _encoded_length(text.rstrip("\r\n"), encoding)
            data = data[: draw(st.integers(start, max(start, end - 1)))]
    elif damage == "nul":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" * draw(st.integers(1, 3)) + data[at:]
    elif damage == "binary":
        data = draw(st.binary(min_size=0, max_size=2000))
    elif damage == "binary_png":
        data = b"\x89PNG\r\n\x1a\n" + draw(st.binary(min_size=0, max_size=500))
    elif damage == "flip_bytes" and data:
        buffer = bytearray(data)
        for _ in range(draw(st.integers(1, 10))):
            buffer[draw(st.integers(0, len(buffer) - 1))] = draw(st.integers(0, 255))
        data = bytes(buffer)
    elif damage == "splice_100k":
        at = draw(st.integers(0, len(data)))
        filler = draw(st.sampled_from(("x", "é", '"', ",", "\n", "😀", "{")))
        data = data[:at] + (filler * (100_000 // len(filler))).encode() + data[at:]
    elif damage == "wrong_bom":
        data = draw(st.sampled_from((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8 * 2))) + data
    elif damage == "utf16_no_bom":
        data = data.decode("utf-8", "replace").encode(draw(st.sampled_from(("utf-16-le", "utf-16-be"))))
    elif damage == "concatenate":
        data = data + draw(st.sampled_from((codecs.BOM_UTF8, b""))) + data
    return kind, data, damage, last


def _encoded_length(text: str, encoding: str) -> int:
    """Bytes that ``text`` takes at the start of a file written by :func:`encodings`."""
    if encoding == "utf-16-be-bom":
        return len(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))
    return len(text.encode(encoding))


# --- running one file against a database -------------------------------------------------


class Baseline:
    """A template database (tests/data/small.csv imported) copied afresh for every example."""

    def __init__(self):
        self.template = open_database(":memory:")
        import_file(self.template, DATA / "small.csv", "small")
        self.checksums = table_checksums(self.template.conn)

    def copy(self):
        from explorer.store.database import Database

        conn = sqlite3.connect(":memory:")
        self.template.conn.backup(conn)
        conn.execute("PRAGMA foreign_keys = ON")
        return Database(conn)


def import_and_check(baseline: Baseline, path, dataset: str = "fuzz"):
    """Import ``path``; return the report or the ValidationError, after checking the invariants."""
    db = baseline.copy()
    before = baseline.checksums
    try:
        report = import_file(db, path, dataset)
    except ValidationError as exc:
        assert exc.errors, "a ValidationError lists at least one problem"
        for error in exc.errors:
            assert error.file == str(path)
            assert error.message.strip()
            assert error.line > 0 or error.message.startswith(WHOLE_FILE_PROBLEMS), error
            assert error.column is None or (isinstance(error.column, str) and error.column.strip())
            str(error).encode("utf-8")  # printable: no lone surrogate can reach a terminal
        assert table_checksums(db.conn) == before, "a failed import changed the database"
        db.close()
        return exc
    after = table_checksums(db.conn)
    added = after["positions"][0] - before["positions"][0]
    assert added == report.imported
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()
    return report


def check_structured(case: Case, path, baseline: Baseline) -> None:
    path.write_bytes(case.data)
    outcome = import_and_check(baseline, path)
    if isinstance(outcome, ValidationError):
        found = {(e.line, e.column) for e in outcome.errors}
        assert case.expected, f"a valid {case.kind} file was refused: {outcome}"
        assert found == case.expected, (
            f"expected problems at {sorted(case.expected, key=str)}, the import said:\n{outcome}"
        )
    else:
        assert not case.expected, f"expected problems at {sorted(case.expected, key=str)}; the file imported"
        repeats = {int(w.split(":")[-2]) for w in outcome.warnings if "repeats line" in w}
        assert case.duplicates <= repeats, "every verbatim repeat is reported (equal-after-cleaning ones too)"
        assert outcome.imported + outcome.skipped_existing + len(repeats) == case.data_rows


def _run_structured(strategy, suffix: str, tmp_path, capsys) -> Counter:
    baseline = Baseline()
    path = tmp_path / f"fuzz{suffix}"
    counts: Counter = Counter()

    @settings(max_examples=STRUCTURED_EXAMPLES, **FUZZ_SETTINGS)
    @given(case=strategy)
    def run(case: Case) -> None:
        check_structured(case, path, baseline)
        counts["cases"] += 1
        counts["refused" if case.expected else "imported"] += 1
        counts[f"encoding {case.encoding}"] += 1
        counts.update(case.faults)
        if case.duplicates:
            counts["duplicate rows"] += 1

    run()
    with capsys.disabled():
        print(f"\n{suffix} fuzz: {dict(sorted(counts.items()))}")
    return counts


def _check_mix(counts: Counter) -> None:
    # Which faults a derandomized run draws depends on the modules loaded before it (hypothesis
    # mixes in constants found in them), so only the overall mix is asserted; every named hard
    # case is also written out in test_every_named_hard_case_once.
    assert counts["cases"] >= STRUCTURED_EXAMPLES * 0.9
    assert counts["imported"] >= counts["cases"] * 0.1 and counts["refused"] >= counts["cases"] * 0.1, counts


@pytest.mark.slow
def test_fuzzed_csv_files_import_cleanly_or_name_every_problem(tmp_path, capsys):
    _check_mix(_run_structured(csv_cases(), ".csv", tmp_path, capsys))


@pytest.mark.slow
def test_fuzzed_jsonl_files_import_cleanly_or_name_every_problem(tmp_path, capsys):
    _check_mix(_run_structured(jsonl_cases(), ".jsonl", tmp_path, capsys))


@pytest.mark.slow
def test_damaged_files_never_raise_anything_but_a_validation_error(tmp_path, capsys):
    baseline = Baseline()
    counts: Counter = Counter()

    @settings(max_examples=DAMAGED_EXAMPLES, **FUZZ_SETTINGS)
    @given(damaged=damaged_files())
    def run(damaged) -> None:
        kind, data, damage, last = damaged
        path = tmp_path / f"damaged.{kind}"
        path.write_bytes(data)
        outcome = import_and_check(baseline, path)
        counts["cases"] += 1
        counts[damage] += 1
        counts["refused" if isinstance(outcome, ValidationError) else "imported"] += 1
        if damage == "truncate_last_line" and kind != "json" and isinstance(outcome, ValidationError):
            assert all(e.line >= last or e.line == 0 for e in outcome.errors), f"line {last} was cut:\n{outcome}"
            counts["truncated and refused"] += 1

    run()
    with capsys.disabled():
        print(f"\ndamaged-file fuzz: {dict(sorted(counts.items()))}")
    assert counts["cases"] >= DAMAGED_EXAMPLES * 0.9


def test_every_named_hard_case_once(tmp_path):
    """The cases the issue names, written out by hand so they run even if the generators drift."""
    baseline = Baseline()
    header = "actor,question,stance,date,source_url,summary\n"
    good = "Atlantis,q,support,2020-01-01,https://x.org,fine\n"
    cases = {
        "utf16.csv": ((header + good).encode("utf-16"), None),
        "latin1.csv": ((header + "Côte d'Ivoire,q,support,2020-01-01,https://x.org,é\n").encode("latin-1"), None),
        "bom.csv": (codecs.BOM_UTF8 + (header + good).encode(), None),
        "nul.csv": ((header + good).encode().replace(b"fine", b"fi\x00ne"), {(2, None)}),
        "long.csv": ((header + good.replace("fine", "x" * 100_000)).encode(), None),
        "toolong.csv": ((header + good.replace("fine", "x" * 100_001)).encode(), {(2, "summary")}),
        "dupes.csv": ((header + good + good).encode(), None),
        "truncated.csv": ((header + good + 'Borduria,q,support,2020-01-01,https://x.org,"half').encode(), {(3, None)}),
        "missing.csv": ((header + "Atlantis,q,support\n").encode(), {(2, None)}),
        "extra.csv": ((header + good.rstrip() + ",more\n").encode(), {(2, None)}),
        "image.csv": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), {(3, None)}),
        "cut-mid-character.csv": ((header + good + "Côte").encode()[:-1], {(3, None)}),
        "utf16-cut.csv": ((header + good + "B,q,").encode("utf-16")[:-1], {(3, None)}),
    }
    record = '{"actor":"A","question":"q","stance":"support","date":"2020-01-01","source_url":"https://x.org"'
    jsonl = {
        "js.jsonl": (record.replace("https://x.org", "javascript:alert(1)") + "}\n", {(1, "source_url")}),
        "file.jsonl": (record.replace("https://x.org", "file:///etc/passwd") + "}\n", {(1, "source_url")}),
        "data.jsonl": (record.replace("https://x.org", "data:text/html,<b>") + "}\n", {(1, "source_url")}),
        "u2028.jsonl": (record + ',"summary":"para\u2028graph\u0085 \u2029"}\n', None),
        "huge.jsonl": (record + ',"paragraph":' + "9" * 5000 + "}\n", {(1, None)}),
        "deep.jsonl": ("\n" + "[" * 100_000 + "]" * 100_000 + "\n", {(2, None)}),
        "surrogate.jsonl": (record + ',"summary":"\\ud800"}\n', {(1, "summary")}),
        "broken.jsonl": (record + "}\n" + record + "\n", {(2, None)}),
        "unknown.jsonl": (record + ',"stnace":"x","":"y"}\n', {(1, "stnace"), (1, "(blank)")}),
        "list.jsonl": (record + ',"summary":["a"]}\n', {(1, "summary")}),
        "not-object.jsonl": (record + "}\n[1]\n", {(2, None)}),
        "dupes.jsonl": (record + "}\n" + record + "}\n", None),
        "empty.jsonl": ("\n\n", {(0, None)}),
    }
    cases.update({name: (text.encode(), expected) for name, (text, expected) in jsonl.items()})
    for name, (data, expected) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        outcome = import_and_check(baseline, path)
        if expected is None:
            assert not isinstance(outcome, ValidationError), f"{name}: {outcome}"
        else:
            assert isinstance(outcome, ValidationError), name
            assert {(e.line, e.column) for e in outcome.errors} == expected, f"{name}: {outcome}"
