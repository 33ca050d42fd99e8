"""The main window: filters on the left, the charts and sessions above, the table and details below.

A filter change compiles once (:func:`compile_filter`), refreshes the table's count and first
page on the GUI thread (milliseconds) and sends the charts to workers, whose stale results are
dropped. See docs/ARCHITECTURE.md.

The window opens on the Sessions tab with the table filled; the chart views (matplotlib,
numpy, networkx: most of the start-up time) are built just after the first paint, or on
first use, so the window shows without waiting for them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import FilterError, PositionFilter, compile_filter, resolve_dataset
from explorer.ui import dialogs
from explorer.ui.about_dialog import about_text
from explorer.ui.detail_pane import DetailPane
from explorer.ui.filter_panel import FilterPanel
from explorer.ui.import_dialog import IMPORTABLE_SUFFIXES, ImportController
from explorer.ui.menus import build_menus
from explorer.ui.positions_model import PositionsTableModel
from explorer.ui.sessions_view import SessionsView
from explorer.ui.settings import AppSettings
from explorer.ui.theme import ThemeController
from explorer.ui.workers import TaskRunner

if TYPE_CHECKING:
    from explorer.ui.network_view import NetworkView
    from explorer.ui.timeline_view import TimelineView

SESSIONS_TAB, TIMELINE_TAB, NETWORK_TAB = range(3)


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        db_path: str | Path,
        settings: AppSettings | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowTitle("Negotiation Explorer")
        self.setAcceptDrops(True)
        self.db, self.db_path = db, Path(db_path)
        self.settings = settings or AppSettings()
        self.filter: PositionFilter | None = None
        self.last_export_folder = str(Path.home())
        self.runner = TaskRunner(self.db_path, self)
        self.theme = ThemeController(self.settings.theme(), self)
        self.dataset_id = resolve_dataset(db, None)
        self.dataset_name = queries.dataset_name_version(db, self.dataset_id)[0]

        self._build_widgets()
        self.importer = ImportController(self.runner, self, self.dataset_name)
        self.importer.imported.connect(self._after_import)
        self.importer.message.connect(self.show_message)
        self.menu_actions = build_menus(self)
        self._wire()
        self.theme.changed.connect(self._theme_changed)
        if not self.settings.restore_window(self, self.splitters):
            self.resize(1500, 950)
        self.reload_registries()
        self.filter_panel.set_filter(self.settings.last_filter().with_(dataset=self.dataset_name))

    # construction --------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.filter_panel = FilterPanel(self)
        self.filter_panel.dataset = self.dataset_name
        filter_scroll = QScrollArea(self)
        filter_scroll.setWidget(self.filter_panel)
        filter_scroll.setWidgetResizable(True)
        filter_scroll.setMinimumWidth(280)

        self.sessions_view = SessionsView(self)
        self._chart_pages = (QWidget(self), QWidget(self))  # the chart views go in here once built
        self._charts: tuple[TimelineView, NetworkView] | None = None
        for page in self._chart_pages:
            QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("views")
        self.tabs.addTab(self.sessions_view, "&Sessions")
        self.tabs.addTab(self._chart_pages[0], "&Timeline")
        self.tabs.addTab(self._chart_pages[1], "&Network")
        self.tabs.setCurrentIndex(SESSIONS_TAB)

        self.model = PositionsTableModel(self.db, self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Positions")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((90, 200, 160, 70, 260, 220, 80, 420, 120, 90)):
            self.table.setColumnWidth(column, width)
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        table_box = QWidget(self)
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(4, 0, 4, 0)
        table_layout.addWidget(self.count_label)
        table_layout.addWidget(self.table)
        self.detail = DetailPane(self.db, self)

        self.lower_split = QSplitter(Qt.Orientation.Horizontal, self)
        self.lower_split.addWidget(table_box)
        self.lower_split.addWidget(self.detail)
        self.lower_split.setSizes([900, 380])
        self.right_split = QSplitter(Qt.Orientation.Vertical, self)
        self.right_split.addWidget(self.tabs)
        self.right_split.addWidget(self.lower_split)
        self.right_split.setSizes([560, 340])
        self.main_split = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_split.addWidget(filter_scroll)
        self.main_split.addWidget(self.right_split)
        self.main_split.setSizes([340, 1260])
        self.main_split.setStretchFactor(1, 1)
        self.splitters = {"main": self.main_split, "right": self.right_split, "lower": self.lower_split}
        self.setCentralWidget(self.main_split)
        self.status_counts = QLabel(self)
        self.busy_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.busy_label)
        self.statusBar().addPermanentWidget(self.status_counts)

    def _wire(self) -> None:
        self.filter_panel.filter_changed.connect(self.apply_filter)
        self.sessions_view.session_chosen.connect(self.filter_panel.set_session)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.detail.show_position(self.model.position_id(current.row()))
        )
        self.model.modelReset.connect(lambda: self.detail.show_position(None))

    # chart views, built after the first paint --------------------------------------------
    @property
    def timeline_view(self) -> TimelineView:
        return self._chart_views()[0]

    @property
    def network_view(self) -> NetworkView:
        return self._chart_views()[1]

    def _chart_views(self) -> tuple[TimelineView, NetworkView]:
        if self._charts is None:
            from explorer.ui.network_view import NetworkView
            from explorer.ui.timeline_view import TimelineView

            timeline = TimelineView(self.runner, self._chart_pages[0])
            network = NetworkView(self.runner, self._chart_pages[1])
            self._charts = (timeline, network)
            for page, view in zip(self._chart_pages, self._charts, strict=True):
                page.layout().addWidget(view)
                view.busy_changed.connect(self._update_busy)
                view.theme = self.theme.chart_theme
            timeline.position_clicked.connect(self.select_position)
            network.actor_clicked.connect(lambda name: self.filter_panel.set_actors([name]))
            network.set_options(self.settings.network_options())
            if self.filter is not None:
                for view in self._charts:
                    view.set_filter(self.filter)
        return self._charts

    def _build_charts_when_idle(self) -> None:
        if self._charts is None and self.isVisible():
            self._chart_views()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._charts is None:
            QTimer.singleShot(0, self, self._build_charts_when_idle)

    # filtering -----------------------------------------------------------------------------
    def apply_filter(self, flt: PositionFilter) -> None:
        flt = flt.with_(dataset=self.dataset_name)
        try:
            compiled = compile_filter(self.db, flt)
        except FilterError as exc:
            self.show_message(f"Filter not applied: {exc}")
            return
        self.filter = flt
        self.model.set_filter(compiled)
        total, actors = self.model.rowCount(), queries.count_actors(self.db, compiled)
        self.count_label.setText(f"{total:,} position(s) from {actors:,} actor(s) — filter: {flt.describe()}")
        self.status_counts.setText(f"{total:,} positions · {actors:,} actors")
        self.sessions_view.select_session(flt.sessions[0] if len(flt.sessions) == 1 else None)
        for view in self._charts or ():
            view.set_filter(flt)

    def clear_filters(self) -> None:
        self.filter_panel.set_filter(PositionFilter(dataset=self.dataset_name))

    def switch_dataset(self, name: str) -> None:
        """Show another negotiation held in the same database; imports then go into it."""
        if name == self.dataset_name:
            return
        self.dataset_id = resolve_dataset(self.db, name)
        self.dataset_name = self.importer.dataset = self.filter_panel.dataset = name
        self.reload_registries()
        self.clear_filters()
        self.show_message(f"Showing dataset {name!r}")

    def reload_registries(self) -> None:
        self.filter_panel.load(self.db, self.dataset_id)
        self.sessions_view.load(self.db, self.dataset_id)

    def select_position(self, position_id: int) -> None:
        """Select ``position_id`` in the table (from a timeline click) and show its details."""
        row = self.model.row_of(position_id)
        if row is None:
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def selected_position(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.position_id(index.row()) if index.isValid() else None

    def current_chart_view(self):
        return self.network_view if self.tabs.currentIndex() == NETWORK_TAB else self.timeline_view

    def is_busy(self) -> bool:
        """True while a worker runs, or while the chart views of a shown window are still to be built."""
        return self.runner.is_busy() or (self._charts is None and self.isVisible())

    # imports -------------------------------------------------------------------------------
    def ask_import(self) -> None:
        paths = dialogs.ask_open_files(self, "Import positions")
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[str]) -> None:
        self.importer.start(paths)

    def _after_import(self, report) -> None:
        self.settings.add_recent_import(report.file)
        self.reload_registries()
        self.apply_filter(self.filter_panel.current_filter())
        self.show_message(f"Imported {report.imported:,} position(s) from {Path(report.file).name}")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _importable(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _importable(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    # misc ----------------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)

    def remember_export_folder(self, path: str) -> None:
        self.last_export_folder = str(Path(path).parent)

    def show_about(self) -> None:
        dialogs.show_about(self, about_text(self.db, self.dataset_id))

    def set_theme_choice(self, choice: str) -> None:
        self.settings.set_theme(choice)
        self.theme.set_choice(choice)

    def _theme_changed(self, chart_theme) -> None:
        for view in self._charts or ():
            view.set_theme(chart_theme)

    def _update_busy(self, *_args) -> None:
        busy = [v.kind for v in self._charts or () if v.is_busy()]
        self.busy_label.setText(f"Drawing {' and '.join(busy)}…" if busy else "")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.save_window(self, self.splitters)
        if self.filter is not None:
            self.settings.save_filter(self.filter)
        if self._charts is not None:
            self.settings.save_network_options(self.network_view.options())
        self.settings.sync()
        self.runner.shutdown()
        super().closeEvent(event)


def _importable(urls) -> list[str]:
    return [u.toLocalFile() for u in urls if u.isLocalFile() and u.toLocalFile().lower().endswith(IMPORTABLE_SUFFIXES)]
