"""Write filtered positions in the positions format, so that an export re-imports as it was."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from explorer.csv_cells import FormulaSafeWriter
from explorer.errors import ExportError, stop_if_cancelled
from explorer.files import atomic_output
from explorer.ingest.rows import COLUMNS, EXTRA_COLUMNS
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter, compile_filter
from explorer.store.queries import POSITION_JOINS

EXPORT_COLUMNS = COLUMNS + EXTRA_COLUMNS

_SELECT = (
    """
SELECT a.name AS actor, a.kind AS actor_kind, pr.key AS provision, q.text AS question,
       o.label AS option, p.stance, p.date, s.key AS session, p.summary,
       src.url AS source_url, src.title AS source_title, src.kind AS source_kind, p.confidence,
       p.ext_id AS id, m.label AS meeting, p.paragraph, p.proposal, b.name AS on_behalf_of, p.note
"""
    + POSITION_JOINS
    + """
WHERE {where}
ORDER BY p.sort_date, p.id
"""
)


CANCEL_CHECK_ROWS = 1_000


def iter_export_rows(db: Database, flt: PositionFilter | CompiledFilter) -> Iterator[dict[str, Any]]:
    compiled = flt if isinstance(flt, CompiledFilter) else compile_filter(db, flt)
    yield from db.query(_SELECT.format(where=compiled.where), compiled.params)


def export_positions(
    db: Database,
    flt: PositionFilter | CompiledFilter,
    out: str | Path,
    *,
    cancel: Callable[[], bool] | None = None,
) -> int:
    """Write ``.csv`` or ``.jsonl``; return the number of positions written. A cancelled export
    raises :class:`~explorer.errors.Cancelled` and leaves no file."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".jsonl"):
        raise ExportError(f"cannot write {out}: use a .csv or .jsonl file name")
    count = 0
    rows = _stopping_when_cancelled(iter_export_rows(db, flt), cancel)
    with atomic_output(out) as temp, temp.open("w", encoding="utf-8", newline="") as handle:
        if suffix == ".csv":
            count = FormulaSafeWriter(handle, lineterminator="\n").writedicts(EXPORT_COLUMNS, rows)
        else:
            for row in rows:
                handle.write(json.dumps({k: v for k, v in row.items() if v is not None}, ensure_ascii=False) + "\n")
                count += 1
    return count


def _stopping_when_cancelled(
    rows: Iterator[dict[str, Any]], cancel: Callable[[], bool] | None
) -> Iterator[dict[str, Any]]:
    """``rows``, asking ``cancel`` every thousand rows (the atomic output then discards the file)."""
    for count, row in enumerate(rows, 1):
        if count % CANCEL_CHECK_ROWS == 0:
            stop_if_cancelled(cancel, "export cancelled; nothing was written")
        yield row
