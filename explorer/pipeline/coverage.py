"""The Coverage view (issue #11): where the record is thin. The provisions × sessions table
(positions per cell, how many from machine-written summaries) and the UN member states with and
without a position of their own on an article, the title or the scope, against the depth targets.
The counting rules are in :mod:`explorer.analysis.coverage`; the data card uses the same ones."""

from __future__ import annotations

from dataclasses import dataclass, field

from explorer.analysis import coverage
from explorer.labels import provision_title
from explorer.pipeline.common import NO_POSITIONS
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
    provision_labels: dict[str, str] = field(default_factory=dict)  # "Art. 6 — Respect for human rights"
    session_names: dict[str, str] = field(default_factory=dict)  # in full, for tooltips

    def provision_label(self, key: str) -> str:
        return self.provision_labels.get(key) or self.provision_titles.get(key) or key or "No provision"

    def session_label(self, key: str) -> str:
        """The short label ("AHC 1", "after AHC 1"); :meth:`session_name` in full."""
        return self.session_labels.get(key) or key or "No session"

    def session_name(self, key: str) -> str:
        return self.session_names.get(key) or self.session_label(key)

    @property
    def status(self) -> str:
        """The line under the view (and what the CLI reports): totals and the depth targets."""
        total = sum(c.positions for c in self.cells.values())
        if not total:
            return f"{NO_POSITIONS}."
        machine = sum(c.machine_written for c in self.cells.values())
        depth = self.depth
        return (
            f"{total:,} position(s) under {len(self.provisions)} provision(s) in {len(self.sessions)} session(s); "
            f"{machine / total:.0%} from machine-written summaries. {len(depth.states_with)} UN member state(s) "
            f"have a position of their own on an article, the title or the scope "
            f"(target {coverage.TARGET_MEMBER_STATES}), {len(depth.states_without)} have none; median "
            f"{depth.median_actors:g} actors on the contested articles (target {coverage.TARGET_MEDIAN_ACTORS})."
        )

    def cell_text(self, provision: str, session: str) -> str:
        """One cell in words (the tooltip): where, how many positions, how many machine-written."""
        where = f"{self.provision_label(provision)} in {self.session_label(session)}"
        cell = self.cells.get((provision, session))
        if cell is None or not cell.positions:
            return f"{where}: no position"
        return (
            f"{where}: {cell.positions} position(s), {cell.machine_written} of them "
            f"({cell.machine_share:.0%}) from machine-written summaries"
        )


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
        provision_labels={p["key"]: provision_title(p["kind"], p["number"], p["title"], p["key"]) for p in provisions},
        session_names={s["key"]: s["name"] for s in sessions},
    )
