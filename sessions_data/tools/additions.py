"""Read the checked records that research passes add: ``curation/additions/*.jsonl``.

One file per research pass, read in file-name order, so the build stays deterministic. Each record
is in the dossier's format (``../shared/research/SCHEMA.md``) plus ``option`` (an option key of its
question in ``curation/questions.json``, or null) and a required ``note`` saying what was checked
against the source. How to add records: ``sessions_data/tools/README.md``. Standard library only.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

REQUIRED = (
    "id",
    "actor",
    "actor_kind",
    "provision",
    "question",
    "question_key",
    "stance",
    "proposal",
    "summary",
    "source_url",
    "source_title",
    "source_kind",
    "confidence",
    "note",
)
OPTIONAL = (
    "session",
    "meeting",
    "date",
    "on_behalf_of",
    "paragraph",
    "draft_article",
    "option",
    "audit",
    "language",
    "check",
    "checked",
)
STANCES = ("support", "oppose", "amend", "reserve", "neutral")
SOURCE_KINDS = ("un-official", "ai-meeting-summary", "ngo-analysis", "news", "academic", "government", "other")
CONFIDENCES = ("high", "medium", "low")
ACTOR_KINDS = ("state", "group", "stakeholder", "chair", "secretariat")
ID_PATTERN = re.compile(r"[a-z][a-z0-9]*-[0-9]+")


class AdditionError(Exception):
    """A record in an additions file is malformed: the message names file, line and field."""


def read_additions(folder: Path) -> list[dict]:
    """Every record of every ``*.jsonl`` file in ``folder`` (sorted by name), validated."""
    records, seen = [], {}
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{number}"
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AdditionError(f"{where}: not valid JSON ({exc.msg})") from None
            check_record(rec, where)
            if rec["id"] in seen:
                raise AdditionError(f"{where}: field id: {rec['id']!r} already used at {seen[rec['id']]}")
            seen[rec["id"]] = where
            rec["_file"] = f"additions/{path.name}"
            rec["_where"] = where
            records.append(rec)
    return records


def check_record(rec, where: str) -> None:
    """Field-level checks; the build then resolves actor, session, provision and option."""
    if not isinstance(rec, dict):
        raise AdditionError(f"{where}: a record must be a JSON object")
    unknown = sorted(set(rec) - set(REQUIRED) - set(OPTIONAL))
    if unknown:
        raise AdditionError(f"{where}: field {unknown[0]}: unknown field")
    for field in REQUIRED:
        value = rec.get(field)
        if not isinstance(value, str) or not value.strip():
            raise AdditionError(f"{where}: field {field}: required, a non-empty string")
    for field in OPTIONAL:
        if rec.get(field) is not None and not isinstance(rec[field], str):
            raise AdditionError(f"{where}: field {field}: a string or null")
    if not ID_PATTERN.fullmatch(rec["id"]):
        raise AdditionError(f"{where}: field id: {rec['id']!r} is not '<prefix>-<number>' (e.g. 'd2-14')")
    choices = {"stance": STANCES, "source_kind": SOURCE_KINDS, "confidence": CONFIDENCES, "actor_kind": ACTOR_KINDS}
    for field, allowed in choices.items():
        if rec[field] not in allowed:
            raise AdditionError(f"{where}: field {field}: {rec[field]!r} is not one of {', '.join(allowed)}")
    if not rec.get("session") and not rec.get("date"):
        raise AdditionError(f"{where}: field date: a record needs a date or a session")
    if rec.get("date") and not re.fullmatch(r"\d{4}-\d\d-\d\d", rec["date"]):
        raise AdditionError(f"{where}: field date: {rec['date']!r} is not YYYY-MM-DD")
    if not re.match(r"https?://\S+$", rec["source_url"]) and not re.fullmatch(r"[A-Z]+/\S+", rec["source_url"]):
        raise AdditionError(f"{where}: field source_url: neither an http(s) URL nor a UN document symbol")
