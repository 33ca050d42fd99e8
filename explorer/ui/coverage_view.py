"""Coverage: where the record is thin (issue #11). Provisions × sessions with the positions in
each cell and the share from machine-written summaries, and the UN member states with and
without a position of their own on an article, the title or the scope.

Computed on a worker by :func:`explorer.pipeline.coverage.coverage_for` for the state's filter
(the data card counts the same way); the view only shows the report. Like the costlier chart
views it computes while shown: a filter changed meanwhile is computed when the tab is opened.
Double-clicking a cell filters to that provision and session (Back returns).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.pipeline.coverage import CoverageReport, coverage_for
from explorer.state import AppState
from explorer.store.database import Database
from explorer.ui.coverage_model import CoverageTableModel
from explorer.ui.state_binding import subscribe
from explorer.ui.workers import CancelCheck, Progress, TaskRunner

COLUMN_MAX_PX = 84
HINT = (
    "Each cell: positions on the provision in the session (· share from machine-written summaries). "
    "Hover for details; double-click to filter to that provision and session."
)


def _plain_label(parent: QWidget, text: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label


class CoverageView(QWidget):
    kind = "coverage"
    busy_changed = Signal(bool)
    shown = Signal()  # a report is on screen (tests, screenshots)

    def __init__(self, state: AppState, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.runner = state, runner
        self.report: CoverageReport | None = None
        self._stale = True
        self.status = _plain_label(self)
        self.model = CoverageTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Positions per provision and session")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setDefaultSectionSize(64)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.verticalHeader().setMaximumWidth(320)
        self.table.doubleClicked.connect(self._cell_chosen)
        self.with_title, self.without_title = _plain_label(self), _plain_label(self)
        self.states_with, self.states_without = QListWidget(self), QListWidget(self)
        self.states_with.setAccessibleName("Member states with a position of their own on an article")
        self.states_without.setAccessibleName("Member states without a position of their own on an article")
        self.articles = _plain_label(self)
        lists = QWidget(self)
        column = QVBoxLayout(lists)
        column.setContentsMargins(0, 0, 0, 0)
        for widget in (self.articles, self.with_title, self.states_with, self.without_title, self.states_without):
            column.addWidget(widget)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.table)
        split.addWidget(lists)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(_plain_label(self, HINT))
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        subscribe(self, state.filter_changed, lambda _compiled: self.refresh_when_shown())

    def refresh_when_shown(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def refresh(self) -> None:
        """Count the state's filter again, on a worker."""
        self._stale = False
        flt = self.state.filter
        self.status.setText("Counting…")
        self.busy_changed.emit(True)

        def task(db: Database, _progress: Progress, _cancel: CancelCheck) -> CoverageReport:
            return coverage_for(db, flt)

        self.runner.submit(self.kind, task, on_done=self._report_ready, on_error=self._failed)

    def is_busy(self) -> bool:
        return self.runner.is_busy(self.kind)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _report_ready(self, report: CoverageReport) -> None:
        self.report = report
        self.model.show(report)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):  # long period keys: elided, named in the tooltip
            header.resizeSection(column, min(header.sectionSize(column), COLUMN_MAX_PX))
        depth = report.depth
        via = set(depth.states_only_via_group)
        self.with_title.setText(
            f"With a position of their own on an article, the title or the scope: {len(depth.states_with)} "
            f"UN member state(s){f' ({len(via)} only through a group, marked)' if via else ''}"
        )
        self.without_title.setText(f"Without: {len(depth.states_without)}")
        self._fill(self.states_with, [(report.state_names.get(k, k), k in via) for k in depth.states_with])
        self._fill(self.states_without, [(report.state_names.get(k, k), False) for k in depth.states_without])
        per_article = ", ".join(f"Art. {a}: {n}" for a, n in depth.actors_per_article.items())
        self.articles.setText(f"Actors per contested article (median {depth.median_actors:g}): {per_article}")
        self.status.setText(report.status)
        self.busy_changed.emit(False)
        self.shown.emit()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText("Could not count the coverage (see the error report).")
        self.busy_changed.emit(False)
        self.runner.report_error(exc)

    @staticmethod
    def _fill(widget: QListWidget, names: list[tuple[str, bool]]) -> None:
        widget.clear()
        widget.addItems(sorted(f"{name} (through a group)" if via else name for name, via in names))

    def _cell_chosen(self, index: QModelIndex) -> None:
        keys = self.model.keys(index)
        if keys is None:
            return
        provision, session = keys
        changes: dict[str, object] = {"provisions": (provision,) if provision else ()}
        if session:
            changes["sessions"] = (session,)
        self.state.navigate(filter=self.state.filter.with_(**changes))
