"""Validate the records of a positions file, column by column, into rows ready to import.

Nothing here touches the database: every problem is collected as ``FILE:LINE: column C:
message``. :func:`read_positions` reads a file completely; :class:`PositionStream` yields
:class:`PositionBatch` es of a few thousand valid rows and raises at the end, so the importer
can write a million-row file batch by batch inside one transaction that rolls back on any
problem.

A batch is checked column-wise: each distinct value of a column is judged once
(:func:`check_value`) and a column with no problem costs a few C-level passes. Only a batch
that holds a problem is walked row by row (:func:`row_problems`) to word each message in the
order the format promises.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from explorer.errors import ValidationError
from explorer.ingest.file_format import (
    COLUMNS,
    EXTRA_COLUMNS,
    FORMATS,
    KNOWN_COLUMNS,
    MAX_ERRORS,
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    REQUIRED_COLUMNS,
    STANCE_SYNONYMS,
    RowError,
    Values,
    max_chars,
)
from explorer.ingest.records import Cells, encodable, open_records
from explorer.vocabulary import ACTOR_KINDS, CONFIDENCES, SOURCE_KINDS, STANCES, is_valid_source

__all__ = [
    "BATCH_ROWS",
    "COLUMNS",
    "EXTRA_COLUMNS",
    "KNOWN_COLUMNS",
    "MAX_ERRORS",
    "MAX_NAME_CHARS",
    "MAX_TEXT_CHARS",
    "REQUIRED_COLUMNS",
    "CheckedValue",
    "PositionBatch",
    "PositionRow",
    "PositionStream",
    "ReadResult",
    "RowError",
    "ValidationError",
    "check_value",
    "read_positions",
    "repeat_warning",
    "row_problems",
]

BATCH_ROWS = 5_000
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MEMO_LIMIT = 100_000  # distinct values remembered per column (a million distinct URLs stay bounded)


@dataclass(frozen=True)
class PositionRow:
    """One validated record; text fields are stripped, empty ones are ``None``."""

    line: int
    values: dict[str, str | None]

    def __getitem__(self, column: str) -> str | None:
        return self.values.get(column)


@dataclass(frozen=True)
class PositionBatch:
    """Valid rows of one file as columns: the importer maps each column's distinct values once.

    ``columns`` holds the file's columns only (a column the file lacks, or that is empty
    throughout the batch, is absent); values are stripped, ``None`` when empty, stances and kinds
    normalised. ``repeats`` maps a row (by index) to the earlier line it seems to repeat: see
    :class:`_Repeats`.
    """

    lines: list[int]
    columns: dict[str, Values]
    repeats: dict[int, int] = field(default_factory=dict)
    last_line: int = 0  # the last physical line read for this batch: how far the file is done

    def __len__(self) -> int:
        return len(self.lines)

    def rows(self) -> Iterator[PositionRow]:
        present = [(c, self.columns.get(c)) for c in KNOWN_COLUMNS]
        for i, line in enumerate(self.lines):
            yield PositionRow(line, {c: None if values is None else values[i] for c, values in present})

    @classmethod
    def of_rows(cls, rows: list[PositionRow]) -> PositionBatch:
        """Rows already validated and free of repeats (:func:`read_positions`) as one batch."""
        columns = {c: [r.values.get(c) for r in rows] for c in KNOWN_COLUMNS}
        present = {c: values for c, values in columns.items() if values.count(None) < len(values)}
        return cls([r.line for r in rows], present, {}, rows[-1].line if rows else 0)


@dataclass
class ReadResult:
    rows: list[PositionRow]
    warnings: list[str]


def read_positions(path: str | Path) -> ReadResult:
    """Read and validate a whole file; raise :class:`ValidationError` listing every problem.
    A row equal to an earlier one is left out with a warning."""
    stream = PositionStream(path)
    rows: list[PositionRow] = []
    by_line: dict[int, PositionRow] = {}
    for batch in stream.batches():
        for i, row in enumerate(batch.rows()):
            first = batch.repeats.get(i)
            if first is not None and by_line[first].values == row.values:
                stream.warnings.append(repeat_warning(stream.name, row.line, first))
                continue
            rows.append(row)
            by_line[row.line] = row
    return ReadResult(rows, stream.warnings)


def repeat_warning(file: str, line: int, first: int) -> str:
    return f"{file}:{line}: repeats line {first}; skipped"


class PositionStream:
    """The validated rows of one file, read in batches while they are iterated (iterate once).

    A large file never sits in memory whole. Problems are collected as they are met and raised
    as one :class:`ValidationError` when the iteration ends, so a caller that rolls back on it
    writes nothing; ``failed`` tells it early that further work on the rows is wasted.
    """

    def __init__(self, path: str | Path, batch_rows: int = BATCH_ROWS):
        self.path = Path(path)
        self.name = str(self.path)
        kind = FORMATS.get(self.path.suffix.lower())
        if kind is None:
            raise ValidationError([RowError(self.name, 0, None, "unknown file type; use .csv, .jsonl or .json")])
        self.kind = kind
        self.batch_rows = batch_rows
        self.warnings: list[str] = []
        self.errors: list[RowError] = []
        self.lines: int | None = None  # physical lines, once the file is opened: a progress estimate

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def batches(self) -> Iterator[PositionBatch]:
        """Batches of valid rows; after a problem they are empty but still come, so a caller can
        report progress and cancel while the rest of the file is checked."""
        name, errors = self.name, self.errors
        table = open_records(self.path, self.kind, name, errors, self.warnings, self.batch_rows)
        self.lines = table.lines
        checker = _ColumnChecker(name, table.columns)
        repeats = _Repeats()
        count = 0
        try:
            for lines, records in table.batches:
                columns, valid = checker.check(lines, records, errors)
                batch = _batch(lines, columns, valid, repeats)
                count += len(batch)
                yield batch if not errors else PositionBatch([], {}, {}, lines[-1])
                if len(errors) >= MAX_ERRORS:
                    break
        finally:
            table.close()
        if errors:  # the reader's problems and ours, in line order (a stable sort keeps each line's order)
            raise ValidationError(sorted(errors, key=lambda e: e.line)[:MAX_ERRORS])
        if not count:
            raise ValidationError([RowError(name, 0, None, "no positions in the file")])


def _batch(lines: list[int], columns: dict[str, Values], valid: list[int] | None, repeats: _Repeats) -> PositionBatch:
    """The valid rows (all, when ``valid`` is None) as a batch; empty columns left out."""
    last_line = lines[-1]
    if valid is not None:
        lines = [lines[i] for i in valid]
        columns = {c: [values[i] for i in valid] for c, values in columns.items()}
    seems_repeated = repeats.candidates(lines, list(columns.values()))
    present = {c: values for c, values in columns.items() if values.count(None) < len(values)}
    return PositionBatch(lines, present, seems_repeated, last_line)


@dataclass
class _Repeats:
    """Which rows may repeat an earlier one: rows are remembered by a 64-bit hash of their values
    (a key holding the values would keep every row of a streamed file alive, ~1 KB each). A hash
    is not proof, so whoever drops a row confirms the repeat exactly: :func:`read_positions`
    compares the values, the importer the position the row names."""

    seen: dict[int, int] = field(default_factory=dict)

    def candidates(self, lines: list[int], columns: list[Values]) -> dict[int, int]:
        """``{row index: earlier line}`` for the rows that hash like an earlier row."""
        firsts = list(map(self.seen.setdefault, map(hash, zip(*columns, strict=True)), lines))
        if firsts == lines:
            return {}
        return {i: first for i, (line, first) in enumerate(zip(lines, firsts, strict=True)) if first != line}


# --- what a valid value is ---------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedValue:
    """One cell judged: ``value`` is what is stored (stance and kinds normalised; ``None`` when
    empty or unstorable), ``shape`` a length/encoding problem, ``vocabulary`` a wrong word."""

    text: str | None
    value: str | None
    shape: str | None = None
    vocabulary: str | None = None

    @property
    def ok(self) -> bool:
        return self.shape is None and self.vocabulary is None


def _choice(allowed: tuple[str, ...]) -> Callable[[str], tuple[str, str | None]]:
    def check(value: str) -> tuple[str, str | None]:
        lowered = value.lower()
        return lowered, None if lowered in allowed else f"{value!r} is not one of {', '.join(allowed)}"

    return check


def _stance(value: str) -> tuple[str, str | None]:
    stance = STANCE_SYNONYMS.get(value.lower(), value.lower())
    return stance, None if stance in STANCES else f"{value!r} is not one of {', '.join(STANCES)}"


def _date(value: str) -> tuple[str, str | None]:
    return value, None if _valid_date(value) else f"{value!r} is not a date written YYYY-MM-DD"


def _source(value: str) -> tuple[str, str | None]:
    problem = None if is_valid_source(value) else f"{value[:80]!r} is neither an http(s) URL nor a UN document symbol"
    return value, problem


# columns whose words are checked, in the order their problems are reported
_VOCABULARY = {
    "stance": _stance,
    "actor_kind": _choice(ACTOR_KINDS),
    "source_kind": _choice(SOURCE_KINDS),
    "confidence": _choice(CONFIDENCES),
    "date": _date,
    "source_url": _source,
}


def check_value(column: str, text: str | None) -> CheckedValue:
    """Judge one stripped cell (``None`` when empty) of ``column``."""
    if text is None:
        return CheckedValue(None, None)
    value, shape = text, None
    limit = max_chars(column)
    if len(text) > limit:
        shape = f"{len(text):,} characters; at most {limit:,} allowed"
    elif not encodable(text):  # a JSON "\ud800" escape: SQLite cannot store it
        return CheckedValue(text, None, "contains an unpaired surrogate (a broken \\uD800-\\uDFFF escape)")
    rule = _VOCABULARY.get(column)
    if rule is None:
        return CheckedValue(text, value, shape)
    value, word = rule(value)
    return CheckedValue(text, value, shape, word)


def row_problems(cells: dict[str, CheckedValue]) -> list[tuple[str, str]]:
    """A row's problems as ``(column, message)`` in the order they are reported: empty required
    values, then lengths and encodings column by column, a missing date and session, then words."""
    missing = CheckedValue(None, None)
    problems = [(c, "required value is empty") for c in REQUIRED_COLUMNS if cells.get(c, missing).text is None]
    problems += [(c, shape) for c in KNOWN_COLUMNS if c in cells and (shape := cells[c].shape)]
    if cells.get("date", missing).value is None and cells.get("session", missing).value is None:
        problems.append(("date", "a date or a session is required"))
    problems += [(c, word) for c in _VOCABULARY if c in cells and (word := cells[c].vocabulary)]
    return problems


@functools.lru_cache(maxsize=4096)  # a file repeats few distinct dates
def _valid_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


# --- checking a batch column by column ---------------------------------------------------------


class _ColumnChecker:
    """Checks batches of one file; the verdict on each distinct cell of a checked-word column
    (stance, kinds, date, source) is remembered, so a million rows judge a few thousand words."""

    def __init__(self, name: str, columns: tuple[str, ...]):
        self.name = name
        self.columns = columns
        self.judged: dict[str, dict[str | None, CheckedValue]] = {c: {} for c in columns if c in _VOCABULARY}
        self.stored: dict[str, dict[str | None, str | None]] = {c: {} for c in self.judged}
        self.troubling: dict[str, set[str | None]] = {c: set() for c in self.judged}

    def check(
        self, lines: list[int], records: list[Cells], errors: list[RowError]
    ) -> tuple[dict[str, Values], list[int] | None]:
        """The batch's stored values by column and the indices of its valid rows (None: all)."""
        stored: dict[str, Values] = {}
        troubled = False
        for column, cells in zip(self.columns, _transposed(records, len(self.columns)), strict=True):
            if column in self.judged:
                values, trouble = self._words(column, cells)
            else:
                values, trouble = self._texts(column, cells)
            troubled |= trouble
            stored[column] = values
        if not troubled and _rows_complete(stored):
            return stored, None
        return stored, self._report(lines, records, errors)

    def _words(self, column: str, cells: Values) -> tuple[Values, bool]:
        judged, stored, troubling = self.judged[column], self.stored[column], self.troubling[column]
        if len(judged) > _MEMO_LIMIT:
            for memo in (judged, stored, troubling):
                memo.clear()
        distinct = set(cells)
        for cell in distinct.difference(judged):
            verdict = judged[cell] = check_value(column, _stripped(cell))
            stored[cell] = verdict.value
            if not verdict.ok:
                troubling.add(cell)
        return list(map(stored.__getitem__, cells)), not troubling.isdisjoint(distinct)

    @staticmethod
    def _texts(column: str, cells: Values) -> tuple[Values, bool]:
        texts = _stripped_all(cells)
        present = list(filter(None, texts))
        if max(map(len, present), default=0) <= max_chars(column) and encodable("".join(present)):
            return texts, False
        return [check_value(column, t).value for t in texts], True  # unpaired surrogates are stored as None

    def _report(self, lines: list[int], records: list[Cells], errors: list[RowError]) -> list[int]:
        """Word every problem of the batch, row by row; return the rows that have none."""
        valid: list[int] = []
        for i, (line, record) in enumerate(zip(lines, records, strict=True)):
            cells: dict[str, CheckedValue] = {}
            for column, cell in zip(self.columns, record, strict=True):
                judged = self.judged.get(column)
                found = judged.get(cell) if judged is not None else None
                cells[column] = found if found is not None else check_value(column, _stripped(cell))
            problems = row_problems(cells)
            errors.extend(RowError(self.name, line, column, message) for column, message in problems)
            if not problems:
                valid.append(i)
        return valid


def _transposed(records: list[Cells], width: int) -> list[Values]:
    """Records of ``width`` cells as ``width`` columns (one flat list, sliced: 3× faster than
    ``zip(*records)`` on a few thousand records)."""
    cells: Values = list(itertools.chain.from_iterable(records))
    return [cells[i::width] for i in range(width)]


def _stripped_all(cells: Values) -> Values:
    """Every cell stripped, empty ones ``None`` (CSV cells are all text: one C-level pass)."""
    try:
        texts: Values = list(map(str.strip, cells))  # type: ignore[arg-type]  # None raises, below
    except TypeError:  # JSON: None among the cells
        return list(map(_stripped, cells))
    return texts if "" not in texts else [t or None for t in texts]


def _stripped(cell: str | None) -> str | None:
    return (cell.strip() or None) if cell else None


def _rows_complete(stored: dict[str, Values]) -> bool:
    """No required value empty, and every row has a date or a session (a fast, exact pre-check of
    the first and third rules of :func:`row_problems` for a whole batch)."""
    if any(None in stored[c] for c in REQUIRED_COLUMNS):
        return False
    dates, sessions = stored.get("date"), stored.get("session")
    if dates is None or sessions is None:
        return (dates is not None and None not in dates) or (sessions is not None and None not in sessions)
    return None not in dates or all(d is not None or s is not None for d, s in zip(dates, sessions, strict=True))
