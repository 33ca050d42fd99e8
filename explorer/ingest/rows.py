"""Read a positions file (CSV, JSON Lines or a JSON array) into validated rows.

Nothing here touches the database: every problem is collected as ``FILE:LINE: column C:
message``. :func:`read_positions` reads a file completely; :class:`PositionStream` yields the
same rows one at a time and raises at the end, so the importer can write a million-row file
batch by batch inside one transaction that rolls back on any problem.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from explorer.csv_cells import unescape_cells
from explorer.errors import ValidationError
from explorer.vocabulary import ACTOR_KINDS, CONFIDENCES, SOURCE_KINDS, STANCES, is_valid_source

COLUMNS = (
    "actor",
    "actor_kind",
    "provision",
    "question",
    "option",
    "stance",
    "date",
    "session",
    "summary",
    "source_url",
    "source_title",
    "source_kind",
    "confidence",
)
EXTRA_COLUMNS = ("id", "meeting", "paragraph", "proposal", "on_behalf_of", "note")
KNOWN_COLUMNS = COLUMNS + EXTRA_COLUMNS
REQUIRED_COLUMNS = ("actor", "question", "stance", "source_url")
STANCE_SYNONYMS = {"yes": "support", "no": "oppose", "abstain": "neutral", "abstention": "neutral"}
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}

MAX_NAME_CHARS = 1_000
MAX_TEXT_CHARS = 100_000
MAX_ERRORS = 200
_LONG_TEXT = {"summary", "proposal", "note", "source_title", "question"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SCAN_CHUNK = 1 << 20

csv.field_size_limit(4 * MAX_TEXT_CHARS)


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: column {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass(frozen=True)
class PositionRow:
    """One validated record; text fields are stripped, empty ones are ``None``."""

    line: int
    values: dict[str, str | None]

    def __getitem__(self, column: str) -> str | None:
        return self.values.get(column)


@dataclass
class ReadResult:
    rows: list[PositionRow]
    warnings: list[str]


def read_positions(path: str | Path) -> ReadResult:
    """Read and validate a whole file; raise :class:`ValidationError` listing every problem."""
    stream = PositionStream(path)
    rows = list(stream)
    return ReadResult(rows, stream.warnings)


class PositionStream:
    """The validated rows of one file, read while they are iterated (iterate once).

    A large file never sits in memory whole. Problems are collected as they are met and raised
    as one :class:`ValidationError` when the iteration ends, so a caller that rolls back on it
    writes nothing; ``failed`` tells it early that further work on the rows is wasted.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = str(self.path)
        self.kind = FORMATS.get(self.path.suffix.lower())
        if self.kind is None:
            raise ValidationError([RowError(self.name, 0, None, "unknown file type; use .csv, .jsonl or .json")])
        self.warnings: list[str] = []
        self.errors: list[RowError] = []
        self.lines: int | None = None  # physical lines, once the file is opened: a progress estimate

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def __iter__(self) -> Iterator[PositionRow]:
        name, errors = self.name, self.errors
        source, self.lines = _open_text(self.path, self.kind, name, self.warnings)
        reader = {"csv": _csv_records, "jsonl": _jsonl_records, "json": _json_records}[self.kind]
        seen: dict[bytes, int] = {}
        count = 0
        try:
            for line, record in reader(source, name, errors):
                row = _validate(record, line, name, errors)
                if row is None:
                    continue
                key = _row_digest(row)
                if key in seen:
                    self.warnings.append(f"{name}:{line}: repeats line {seen[key]}; skipped")
                    continue
                seen[key] = line
                count += 1
                yield row
                if len(errors) >= MAX_ERRORS:
                    break
        finally:
            if not isinstance(source, str):
                source.close()
        if errors:
            raise ValidationError(errors[:MAX_ERRORS])
        if not count:
            raise ValidationError([RowError(name, 0, None, "no positions in the file")])


def _row_digest(row: PositionRow) -> bytes:
    """128-bit digest of a row's values, to spot repeated lines: a key holding the values
    themselves would keep every row of a streamed file alive (~1 KB each)."""
    text = repr(tuple(row.values.values()))  # values are always in KNOWN_COLUMNS order
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


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
                raise ValidationError(
                    [
                        RowError(
                            name,
                            line,
                            None,
                            "the file ends in the middle of a character: it was cut short (save or copy it again)",
                        )
                    ]
                ) from exc
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


def _csv_records(text: str | TextIO, name: str, errors: list[RowError]):
    reader = csv.reader(io.StringIO(text, newline="") if isinstance(text, str) else text, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        errors.append(RowError(name, 1, None, f"unreadable header: {exc}"))
        return
    if header is None or not any(h.strip() for h in header):
        errors.append(RowError(name, 1, None, "empty file: expected a header row naming the columns"))
        return
    columns = [h.strip().lower() for h in header]
    if not _check_columns(columns, name, 1, errors):
        return
    line = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            errors.append(RowError(name, line, None, f"malformed CSV: {exc}"))
            return
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            line = reader.line_num + 1
            continue
        if len(cells) != len(columns):
            errors.append(RowError(name, line, None, f"{len(cells)} cells, but the header has {len(columns)} columns"))
        else:
            yield line, dict(zip(columns, unescape_cells(cells), strict=True))  # undo the export's formula escaping
        line = reader.line_num + 1


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


def _jsonl_records(text: str | TextIO, name: str, errors: list[RowError]):
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


def _json_records(text: str, name: str, errors: list[RowError]):
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
    shown = column if _encodable(column) else ascii(column)[1:-1]
    return shown if len(shown) <= 60 else shown[:60] + "…"


def _encodable(text: str) -> bool:
    if text.isascii():  # nearly every value: skips an encode per cell
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _record_columns_ok(record: dict, name: str, line: int, errors: list[RowError]) -> bool:
    ok = True
    for key, value in record.items():
        if key not in KNOWN_COLUMNS:
            errors.append(RowError(name, line, _shown_column(key), "unknown column (see docs/FORMAT.md)"))
            ok = False
        elif isinstance(value, (list, dict)):
            errors.append(RowError(name, line, key, "expected text, found a JSON list or object"))
            ok = False
    return ok


def _clean(value: object) -> str | None:
    if type(value) is str:  # every CSV cell: the fast path
        return value.strip() or None
    if value is None or isinstance(value, bool):
        return None if value is None else str(value).lower()
    text = str(value).strip()
    return text or None


def _validate(record: dict, line: int, name: str, errors: list[RowError]) -> PositionRow | None:
    get = record.get  # inlined str case of _clean: this line runs 19 times per row
    values = {c: (v.strip() or None) if type(v := get(c)) is str else _clean(v) for c in KNOWN_COLUMNS}
    before = len(errors)

    def bad(column: str, message: str) -> None:
        errors.append(RowError(name, line, column, message))

    for column in REQUIRED_COLUMNS:
        if values[column] is None:
            bad(column, "required value is empty")
    for column, value in values.items():
        if value is not None:
            limit = MAX_TEXT_CHARS if column in _LONG_TEXT else MAX_NAME_CHARS
            if len(value) > limit:
                bad(column, f"{len(value):,} characters; at most {limit:,} allowed")
            elif not value.isascii() and not _encodable(value):  # a JSON "\ud800" escape: SQLite cannot store it
                bad(column, "contains an unpaired surrogate (a broken \\uD800-\\uDFFF escape)")
                values[column] = None
    if values["date"] is None and values["session"] is None:
        bad("date", "a date or a session is required")
    stance = values["stance"]
    if stance is not None:
        stance = STANCE_SYNONYMS.get(stance.lower(), stance.lower())
        if stance not in STANCES:
            bad("stance", f"{values['stance']!r} is not one of {', '.join(STANCES)}")
        values["stance"] = stance
    _check_choice(values, "actor_kind", ACTOR_KINDS, bad)
    _check_choice(values, "source_kind", SOURCE_KINDS, bad)
    _check_choice(values, "confidence", CONFIDENCES, bad)
    if values["date"] is not None and not _valid_date(values["date"]):
        bad("date", f"{values['date']!r} is not a date written YYYY-MM-DD")
    url = values["source_url"]
    if url is not None and not is_valid_source(url):
        bad("source_url", f"{url[:80]!r} is neither an http(s) URL nor a UN document symbol")
    return PositionRow(line, values) if len(errors) == before else None


def _check_choice(values: dict, column: str, allowed: tuple[str, ...], bad) -> None:
    value = values[column]
    if value is not None:
        if value.lower() not in allowed:
            bad(column, f"{value!r} is not one of {', '.join(allowed)}")
        values[column] = value.lower()


@functools.lru_cache(maxsize=4096)  # a file repeats few distinct dates
def _valid_date(value: str) -> bool:
    if not _DATE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True
