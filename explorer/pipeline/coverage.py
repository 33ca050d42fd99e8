"""The Coverage view (issue #11): where the record is thin. The provisions × sessions table
(positions per cell, how many from machine-written summaries) and the UN member states with and
without a position of their own on an article, the title or the scope, against the depth targets.
The counting rules are in :mod:`explorer.analysis.coverage`; the data card uses the same ones."""

from __future__ import annotations

from dataclasses import dataclass

from explorer.analysis import coverage
from explorer.store import queries
from explorer.store.coverage import coverage_rows, dataset_states, state_names
from explorer.store.database import Database
from explorer.store.filters import PositionFilter, compile_filter


@dataclass(frozen=True)
class CoverageReport:
    """What the Coverage view shows (issue #11): the provisions × sessions table (positions per
    cell and how many come from machine-written summaries) and the member states with and without
    a position of their own on an article, the title or the scope, with the depth targets."""

    provisions: list[str]  # row keys, reading order
    sessions: list[str]  # column keys, time order
    cells: dict[tuple[str, str], coverage.Cell]
    depth: coverage.Depth
    provision_titles: dict[str, str]
    session_labels: dict[str, str]
    state_names: dict[str, str]


def coverage_for(db: Database, flt: PositionFilter) -> CoverageReport:
    """The Coverage view's content for ``flt`` (the table follows the filter; the member-state
    lists count only the filtered positions)."""
    compiled = compile_filter(db, flt)
    facts = [coverage.Fact(*row) for row in coverage_rows(db, compiled)]
    provisions = queries.list_provisions(db, compiled.dataset_id)
    sessions = queries.list_sessions(db, compiled.dataset_id)
    rows, columns, cells = coverage.matrix(facts, [p["key"] for p in provisions], [s["key"] for s in sessions])
    states = dataset_states(db, compiled.dataset_id)
    return CoverageReport(
        provisions=rows,
        sessions=columns,
        cells=cells,
        depth=coverage.depth(facts, states),
        provision_titles={p["key"]: p["title"] or p["key"] for p in provisions},
        session_labels={s["key"]: s["label"] for s in sessions},
        state_names=state_names(db, compiled.dataset_id),
    )
