"""The positions file format (docs/FORMAT.md): its columns, limits and how a problem is reported.

Reading (:mod:`explorer.ingest.records`) and validating (:mod:`explorer.ingest.rows`) both
speak in these terms; a problem is always ``FILE:LINE: column C: message`` (a :class:`RowError`;
:class:`explorer.errors.ValidationError` carries them).
"""

from __future__ import annotations

from dataclasses import dataclass

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
Values = list[str | None]  # one column of a batch of rows: text, or None where empty
LONG_TEXT_COLUMNS = frozenset({"summary", "proposal", "note", "source_title", "question"})


def max_chars(column: str) -> int:
    return MAX_TEXT_CHARS if column in LONG_TEXT_COLUMNS else MAX_NAME_CHARS


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: column {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
