"""Read a positions file into records: decode its bytes, then CSV, JSON Lines or a JSON array.

Nothing is validated here beyond the shape of the file (a header naming known columns, cells
that match it, JSON objects): :mod:`explorer.ingest.rows` checks the values. Problems are
appended to the caller's list as they are met, each naming file and line.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from explorer.csv_cells import unescape_cells
from explorer.errors import ValidationError
from explorer.ingest.file_format import KNOWN_COLUMNS, MAX_TEXT_CHARS, REQUIRED_COLUMNS, RowError

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

_SCAN_CHUNK = 1 << 20

csv.field_size_limit(4 * MAX_TEXT_CHARS)


Cells = Sequence[str | None]  # one record: CSV cells are all text, JSON values may be None
Batch = tuple[list[int], list[Cells]]  # the lines where records start, and the records


@dataclass
class RecordTable:
    """A file's records in batches of ``(lines, records)``: each record a list of cells in the
    order of ``columns``, each line where its record starts. Iterate once.

    CSV cells are the text as written; JSON values are text or ``None`` (numbers and booleans
    as text), so both kinds of file are checked by the same rules afterwards.
    """

    columns: tuple[str, ...]
    batches: Iterator[Batch]
    lines: int | None  # physical lines of the file, when known: a progress estimate
    source: str | TextIO

    def close(self) -> None:
        if not isinstance(self.source, str):
            self.source.close()


def open_records(
    path: Path, kind: str, name: str, errors: list[RowError], warnings: list[str], batch_rows: int
) -> RecordTable:
    source, lines = _open_text(path, kind, name, warnings)
    if kind == "csv":
        apostrophes = [False]
        text = io.StringIO(source, newline="") if isinstance(source, str) else source
        reader = csv.reader(_noting_apostrophes(text, apostrophes), strict=True)
        columns = _csv_header(reader, name, errors)
        apostrophes[0] = False  # the header's cells are names, never escaped
        batches = _csv_batches(reader, len(columns), batch_rows, name, errors, apostrophes) if columns else iter(())
        return RecordTable(columns, batches, lines, source)
    if kind == "jsonl":
        objects = _jsonl_objects(source, name, errors)
    else:
        assert isinstance(source, str)  # a JSON array is always decoded whole (_open_text)
        objects = _json_objects(source, name, errors)
    records = ((line, [_json_text(obj.get(c)) for c in KNOWN_COLUMNS]) for line, obj in objects)
    return RecordTable(KNOWN_COLUMNS, _batched(records, batch_rows), lines, source)


def _batched(records: Iterator[tuple[int, Cells]], size: int) -> Iterator[Batch]:
    while chunk := list(itertools.islice(records, size)):
        yield [line for line, _ in chunk], [record for _, record in chunk]


def _json_text(value: object) -> str | None:
    """A JSON scalar as the text a CSV cell would hold (``true``, ``12``); ``null`` is None."""
    if value is None or type(value) is str:
        return value
    return str(value).lower() if isinstance(value, bool) else str(value)


def _open_text(path: Path, kind: str, name: str, warnings: list[str]) -> tuple[str | TextIO, int | None]:
    """A text stream over a plain UTF-8 CSV/JSONL file and its line count (both from one first
    pass over the bytes); anything else (UTF-16, Windows-1252, NUL bytes, JSON arrays) is
    decoded whole by :func:`_decode`, as before."""
    try:
        lines = _utf8_lines(path) if kind != "json" else None
        if lines is None:
            return _decode(path.read_bytes(), name, warnings), None
        # CSV quoting handles its own line ends; in JSON Lines only "\n" ends a line.
        return path.open(encoding="utf-8-sig", newline="" if kind == "csv" else "\n"), lines
    except OSError as exc:
        raise ValidationError([RowError(name, 0, None, f"cannot read the file: {exc.strerror}")]) from exc


def _utf8_lines(path: Path) -> int | None:
    """Newlines in a file that is valid UTF-8 without NUL bytes, read in 1 MiB chunks; else None."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_SCAN_CHUNK):
            if b"\x00" in chunk:
                return None
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                return None
            lines += chunk.count(b"\n")
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return lines


def _decode(raw: bytes, name: str, warnings: list[str]) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; other bytes are read as Windows-1252."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start - exc.start % 2].decode("utf-16", errors="replace").count("\n") + 1
            raise ValidationError([RowError(name, line, None, f"broken UTF-16 text at byte {exc.start}")]) from exc
    else:
        body = raw.removeprefix(codecs.BOM_UTF8)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            if _cut_mid_character(body, exc):
                line = body.count(b"\n", 0, exc.start) + 1
                message = "the file ends in the middle of a character: it was cut short (save or copy it again)"
                raise ValidationError([RowError(name, line, None, message)]) from exc
            text = body.decode("cp1252", errors="replace") if b"\x00" not in body else body.decode("latin-1")
            warnings.append(f"{name}: not UTF-8; read as Windows-1252 (save as UTF-8 to be sure)")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        message = "contains a NUL byte: this is not a text file"
        if _looks_like_bomless_utf16(raw):
            message += " (or UTF-16 without a byte-order mark: save it as UTF-8)"
        raise ValidationError([RowError(name, line, None, message)])
    return text


def _cut_mid_character(body: bytes, exc: UnicodeDecodeError) -> bool:
    """UTF-8 that stops inside a multi-byte character (a truncated download or copy), as opposed
    to a Windows-1252 file that merely ends in a byte such as "é"."""
    if exc.reason != "unexpected end of data" or exc.end != len(body):
        return False
    return exc.end - exc.start >= 2 or any(b >= 0x80 for b in body[: exc.start])


def _looks_like_bomless_utf16(raw: bytes) -> bool:
    head = raw[:2000]
    return len(head) >= 4 and max(head[0::2].count(0), head[1::2].count(0)) >= 0.9 * (len(head) // 2)


def _csv_header(reader: CsvReader, name: str, errors: list[RowError]) -> tuple[str, ...]:
    """The header's column names, lower-cased; empty if the header is unusable (problems appended)."""
    try:
        header = next(reader, None)
    except csv.Error as exc:
        errors.append(RowError(name, 1, None, f"unreadable header: {exc}"))
        return ()
    if header is None or not any(h.strip() for h in header):
        errors.append(RowError(name, 1, None, "empty file: expected a header row naming the columns"))
        return ()
    columns = [h.strip().lower() for h in header]
    return tuple(columns) if _check_columns(columns, name, 1, errors) else ()


def _csv_batches(
    reader: CsvReader, width: int, size: int, name: str, errors: list[RowError], apostrophes: list[bool]
) -> Iterator[Batch]:
    """Records of ``width`` cells, ``size`` at a time (read by ``list.extend`` in C); a record of
    another width is a problem, a blank line is skipped, malformed CSV ends the file.

    ``apostrophes[0]`` is set by the line source when a line holds an apostrophe: only then can a
    cell carry the export's formula escaping, which is undone here (explorer.csv_cells)."""
    while True:
        start = reader.line_num  # physical lines read before this batch
        rows: list[list[str]] = []
        failure = None
        try:
            rows.extend(itertools.islice(reader, size))  # keeps what was read if a record fails
        except csv.Error as exc:
            failure = exc
        if failure is None and reader.line_num - start == len(rows):
            lines, next_line = list(range(start + 1, start + 1 + len(rows))), start + 1 + len(rows)
        else:  # a record spans lines: count the line ends inside its cells, as the reader did
            lines, next_line = _record_lines(rows, start + 1)
        if failure is not None:
            errors.append(RowError(name, next_line, None, f"malformed CSV: {failure}"))
        if set(map(len, rows)) - {width}:
            lines, rows = _whole_records(lines, rows, width, name, errors)
        if apostrophes[0]:
            apostrophes[0] = False
            rows = [unescape_cells(cells) for cells in rows]
        if rows:
            yield lines, list(rows)
        if failure is not None or reader.line_num == start:
            return


def _record_lines(rows: list[list[str]], first: int) -> tuple[list[int], int]:
    """The line each record starts on, and the line after the last: a cell's ``\\r\\n``, ``\\r``
    or ``\\n`` each ended a physical line (the file is read with universal newlines, untranslated)."""
    lines, line = [], first
    for cells in rows:
        lines.append(line)
        line += 1 + sum(c.count("\n") + c.count("\r") - c.count("\r\n") for c in cells)
    return lines, line


def _whole_records(
    lines: list[int], rows: list[list[str]], width: int, name: str, errors: list[RowError]
) -> tuple[list[int], list[list[str]]]:
    """The records that have the header's width; blank lines are dropped, others are problems."""
    kept_lines, kept = [], []
    for line, cells in zip(lines, rows, strict=True):
        if len(cells) == width:
            kept_lines.append(line)
            kept.append(cells)
        elif cells and (len(cells) > 1 or cells[0].strip()):
            errors.append(RowError(name, line, None, f"{len(cells)} cells, but the header has {width} columns"))
    return kept_lines, kept


def _noting_apostrophes(lines: Iterable[str], seen: list[bool]) -> Iterator[str]:
    """The lines of a CSV file, noting in ``seen[0]`` that one holds an apostrophe (a C-level
    search per line, instead of one per cell)."""
    for line in lines:
        if "'" in line:
            seen[0] = True
        yield line


def _check_columns(columns: list[str], name: str, line: int, errors: list[RowError]) -> bool:
    ok = True
    for column in columns:
        if column not in KNOWN_COLUMNS:
            errors.append(RowError(name, line, _shown_column(column), "unknown column (see docs/FORMAT.md)"))
            ok = False
    for column in {c for c in columns if columns.count(c) > 1}:
        errors.append(RowError(name, line, column, "column appears more than once"))
        ok = False
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            errors.append(RowError(name, line, column, "required column is missing"))
            ok = False
    if "date" not in columns and "session" not in columns:
        errors.append(RowError(name, line, "date", "a date or a session column is required"))
        ok = False
    return ok


def _jsonl_objects(text: str | TextIO, name: str, errors: list[RowError]) -> Iterator[tuple[int, dict[str, Any]]]:
    # Only "\n" ends a line: str.splitlines() would also split on U+2028, U+0085 and form
    # feeds, which JSON strings (and our own exports, written with ensure_ascii=False) may hold.
    lines = text.split("\n") if isinstance(text, str) else (line.removesuffix("\n") for line in text)
    for number, raw_line in enumerate(lines, start=1):
        if not raw_line.strip():
            continue
        try:
            record = json.loads(raw_line)
        except json.JSONDecodeError as exc:
            errors.append(RowError(name, number, None, f"not valid JSON ({exc.msg} at character {exc.colno})"))
            continue
        except (ValueError, RecursionError) as exc:  # 4,300+ digit numbers, [[[[… nested too deeply
            errors.append(RowError(name, number, None, f"not valid JSON ({_json_problem(exc)})"))
            continue
        if not isinstance(record, dict):
            errors.append(RowError(name, number, None, "expected a JSON object {...}"))
            continue
        if _record_columns_ok(record, name, number, errors):
            yield number, record


def _json_objects(text: str, name: str, errors: list[RowError]) -> Iterator[tuple[int, dict[str, Any]]]:
    decoder = json.JSONDecoder()
    index = _skip_ws(text, 0)
    if index >= len(text) or text[index] != "[":
        errors.append(RowError(name, 1, None, "expected a JSON array of objects [ {...}, ... ]"))
        return
    index = _skip_ws(text, index + 1)
    number, counted = 1, 0
    while index < len(text) and text[index] != "]":
        number += text.count("\n", counted, index)  # counted incrementally: large arrays stay linear
        counted = index
        try:
            record, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError as exc:
            errors.append(RowError(name, exc.lineno, None, f"not valid JSON ({exc.msg})"))
            return
        except (ValueError, RecursionError) as exc:
            errors.append(RowError(name, number, None, f"not valid JSON ({_json_problem(exc)})"))
            return
        if not isinstance(record, dict):
            errors.append(RowError(name, number, None, "expected a JSON object {...}"))
        elif _record_columns_ok(record, name, number, errors):
            yield number, record
        index = _skip_ws(text, index)
        if index < len(text) and text[index] == ",":
            index = _skip_ws(text, index + 1)
    if index >= len(text):
        errors.append(RowError(name, text.count("\n") + 1, None, "the JSON array is not closed with ]"))


def _json_problem(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "lists or objects nested too deeply"
    return "a number too long to read" if "digits" in str(exc) else str(exc)


def _skip_ws(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _shown_column(column: str) -> str:
    """An unknown column name as it can be printed: short, and with no unpaired surrogate."""
    if not column:
        return "(blank)"
    shown = column if encodable(column) else ascii(column)[1:-1]
    return shown if len(shown) <= 60 else shown[:60] + "…"


def encodable(text: str) -> bool:
    """True unless ``text`` holds an unpaired surrogate (from a JSON ``\\ud800`` escape)."""
    if text.isascii():  # nearly every value: skips an encode per cell
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _record_columns_ok(record: dict[str, Any], name: str, line: int, errors: list[RowError]) -> bool:
    ok = True
    for key, value in record.items():
        if key not in KNOWN_COLUMNS:
            errors.append(RowError(name, line, _shown_column(key), "unknown column (see docs/FORMAT.md)"))
            ok = False
        elif isinstance(value, (list, dict)):
            errors.append(RowError(name, line, key, "expected text, found a JSON list or object"))
            ok = False
    return ok
