"""The main window: filters on the left, the views above, the table and details below.

The window composes; it holds no copy of what is shown. The application state
(:class:`~explorer.state.AppState`) is the truth: the filter panel, the sessions view, the
table, the network's node clicks write into it, and every widget renders what its events
announce. A filter change is compiled once by the state; the table's count and first page and
each chart are computed on workers, stale results dropped (docs/ARCHITECTURE.md, "The path of
one filter change").

A new user starts on the Overview (what was contested, and by whom); a returning user on the
view they left. Once the table is filled the chart views (matplotlib, numpy, networkx: most of
the start-up time) are built, or on first use, so the window shows without waiting for them.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QStyle,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.errors import FilterError
from explorer.pipeline.positions import PositionsSummary, positions_summary
from explorer.state import (
    AppState,
    EvolutionOptions,
    MatrixOptions,
    NavigationHistory,
    NetworkOptions,
    Selection,
    TimelineOptions,
)
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter
from explorer.store.writing import is_read_only
from explorer.ui import dialogs
from explorer.ui.about_dialog import about_text
from explorer.ui.database_watch import DatabaseWatch
from explorer.ui.detail_pane import DetailPane
from explorer.ui.error_report import ErrorReporter
from explorer.ui.export_actions import Exporter
from explorer.ui.filter_panel import FilterPanel
from explorer.ui.garbage_collection import collect_on_gui_thread, freeze_long_lived
from explorer.ui.import_dialog import IMPORTABLE_SUFFIXES, ImportController
from explorer.ui.menus import DatasetChoice, MenuCommands, build_menus
from explorer.ui.overview_view import OverviewView
from explorer.ui.positions_model import PositionsTableModel
from explorer.ui.sessions_view import SessionsView
from explorer.ui.settings import AppSettings
from explorer.ui.state_binding import subscribe
from explorer.ui.theme import ThemeController
from explorer.ui.workers import CancelCheck, Progress, TaskRunner

if TYPE_CHECKING:
    from explorer.charts.style import Theme
    from explorer.ingest.importer import ImportReport
    from explorer.ui.chart_view import ChartView
    from explorer.ui.coverage_view import CoverageView
    from explorer.ui.evolution_view import EvolutionView
    from explorer.ui.matrix_view import MatrixView
    from explorer.ui.network_view import NetworkView
    from explorer.ui.profile_view import ProfileView
    from explorer.ui.timeline_view import TimelineView

# The views, in tab order: (state name, tab and menu text). The timeline and all after it are
# built once the table is filled (they load matplotlib, numpy, networkx).
VIEWS = (
    ("overview", "&Overview"),
    ("sessions", "&Sessions"),
    ("timeline", "&Timeline"),
    ("network", "&Network"),
    ("matrix", "&Who wants what"),
    ("actor", "Actor profi&le"),
    ("evolution", "&Evolution"),
    ("coverage", "Co&verage"),
)
VIEW_NAMES = tuple(name for name, _ in VIEWS)
READ_ONLY_NOTE = "Read-only: you cannot write to this database, so importing is off"
FIRST_VIEW = "overview"  # what a new user sees first
# Where a question of the Overview opens: the positions matrix once it exists, else the timeline.
QUESTION_VIEW = "matrix" if "matrix" in VIEW_NAMES else "timeline"
# Default widths of the table's columns (queries.TABLE_COLUMNS); the user's widths are remembered.
COLUMN_WIDTHS = (86, 78, 170, 64, 210, 190, 70, 420, 110, 80)
MARKED_ROWS = 200  # at most this many selected positions are selected in the table


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
        self.errors = ErrorReporter(self, self.show_message)
        self.runner = TaskRunner(self.db_path, self, report_error=self.errors.report)
        # The window and the state form reference cycles: never freed by a worker. Collections
        # wait while tasks run (a weak reference: the collector outlives this window).
        runner = weakref.ref(self.runner)
        collect_on_gui_thread(busy=lambda: (r := runner()) is not None and shiboken6.isValid(r) and r.is_busy())
        self.theme = ThemeController(self.settings.theme(), self)
        options = {
            "network_options": NetworkOptions.from_mapping(self.settings.network_options()),
            "timeline_options": TimelineOptions.from_mapping(self.settings.view_options("timeline")),
            "matrix_options": MatrixOptions.from_mapping(self.settings.view_options("matrix")),
            "evolution_options": EvolutionOptions.from_mapping(self.settings.view_options("evolution")),
        }
        view = self.settings.last_view(VIEW_NAMES, FIRST_VIEW)
        try:  # the last filter, if it still names something
            last = self.settings.last_filter().with_(dataset=None)
            self.state = AppState(db, filter=last, view=view, **options)  # type: ignore[arg-type]
        except FilterError as exc:
            self.state = AppState(db, view=view, **options)  # type: ignore[arg-type]
            self.show_message(f"The last filter was not restored: {exc}")

        self._build_widgets()
        self.importer = ImportController(
            self.runner, self, dataset=lambda: self.state.dataset.name, report_error=self.errors.report
        )
        self.importer.imported.connect(self._after_import)
        self.importer.message.connect(self.show_message)
        self.exporter = Exporter(
            self,
            self.state,
            self.runner,
            chart_view=self.current_chart_view,
            network_view=lambda: self.network_view,
            show_message=self.show_message,
            report_error=self.errors.report,
        )
        self.menus = build_menus(self.menuBar(), self._menu_commands(), VIEWS)
        self._build_navigation()
        self._wire()
        self.watch = DatabaseWatch(self.db, self)  # imports by other programs (the CLI, another window)
        self.watch.changed.connect(self._changed_elsewhere)
        self.read_only = is_read_only(self.db)
        if self.read_only:
            self._imports_off()
        if not self.settings.restore_window(self, self.splitters):
            self.resize(1500, 950)
        self._refresh_table(self.state.compiled)

    # construction --------------------------------------------------------------------------
    def _build_widgets(self) -> None:
        self.filter_panel = FilterPanel(self.state, self.db, self, runner=self.runner)
        filter_scroll = QScrollArea(self)
        filter_scroll.setWidget(self.filter_panel)
        filter_scroll.setWidgetResizable(True)
        filter_scroll.setMinimumWidth(280)

        self.overview = OverviewView(self.state, self.runner, self.settings, self)
        self.overview.question_opened.connect(lambda flt: self.state.navigate(filter=flt, view=QUESTION_VIEW))
        self.sessions_view = SessionsView(self.state, self.db, self)
        # the other views go in these pages once built
        self._pages = {name: QWidget(self) for name in VIEW_NAMES if name not in ("overview", "sessions")}
        self._views: dict[str, ChartView | CoverageView] | None = None
        for page in self._pages.values():
            QVBoxLayout(page).setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("views")
        first_pages = {"overview": self.overview, "sessions": self.sessions_view}
        for name, text in VIEWS:
            self.tabs.addTab(first_pages.get(name) or self._pages[name], text)
        self.tabs.setCurrentIndex(VIEW_NAMES.index(self.state.view))

        self.model = PositionsTableModel(self.db, self, runner=self.runner)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Positions")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)  # a click in a chart selects more
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.table.setColumnWidth(column, width)
        self.settings.restore_header("positions", header)
        self.count_label = QLabel(self)
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)
        table_box = QWidget(self)
        table_layout = QVBoxLayout(table_box)
        table_layout.setContentsMargins(4, 0, 4, 0)
        table_layout.addWidget(self.count_label)
        table_layout.addWidget(self.table)
        self.detail = DetailPane(self.state, self.db, self)

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

    def _menu_commands(self) -> MenuCommands:
        return MenuCommands(
            ask_import=self.ask_import,
            import_files=self.import_files,
            recent_imports=self.settings.recent_imports,
            export_chart=self.exporter.export_chart,
            export_data=self.exporter.export_data,
            export_network=self.exporter.export_network,
            back=self.state.back,
            forward=self.state.forward,
            quit=self.close,
            find=self.filter_panel.focus_text,
            clear_filters=self.clear_filters,
            show_view=self.state.set_view,
            datasets=self._dataset_choices,
            switch_dataset=self.switch_dataset,
            theme=lambda: self.theme.choice,
            set_theme=self.set_theme_choice,
            about=self.show_about,
        )

    def _wire(self) -> None:
        state = self.state
        subscribe(self, state.filter_changed, self._refresh_table)
        subscribe(self, state.selection_changed, self._show_selection)
        subscribe(self, state.view_changed, lambda view: self.tabs.setCurrentIndex(VIEW_NAMES.index(view)))
        subscribe(self, state.dataset_changed, lambda dataset: self.show_message(f"Showing dataset {dataset.name!r}"))
        self.tabs.currentChanged.connect(lambda index: state.set_view(VIEW_NAMES[index]))
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.theme.changed.connect(self._theme_changed)
        subscribe(self, state.history_changed, self._history_changed)
        self._history_changed(state.history)

    def _build_navigation(self) -> None:
        """Back and Forward (Alt+Left, Alt+Right) in a toolbar too: the menu's actions."""
        toolbar = self.addToolBar("Navigation")
        toolbar.setObjectName("navigation")
        toolbar.setMovable(False)
        style = self.style()
        for name, icon in (
            ("back", QStyle.StandardPixmap.SP_ArrowBack),
            ("forward", QStyle.StandardPixmap.SP_ArrowForward),
        ):
            action = self.menus.actions[name]
            action.setIcon(style.standardIcon(icon))
            toolbar.addAction(action)

    def _history_changed(self, history: NavigationHistory) -> None:
        self.menus.actions["back"].setEnabled(history.can_go_back)
        self.menus.actions["forward"].setEnabled(history.can_go_forward)

    # chart views, built once the table is filled ---------------------------------------------
    @property
    def timeline_view(self) -> TimelineView:
        return self._built("timeline")  # type: ignore[return-value]

    @property
    def network_view(self) -> NetworkView:
        return self._built("network")  # type: ignore[return-value]

    @property
    def matrix_view(self) -> MatrixView:
        return self._built("matrix")  # type: ignore[return-value]

    @property
    def profile_view(self) -> ProfileView:
        return self._built("actor")  # type: ignore[return-value]

    @property
    def evolution_view(self) -> EvolutionView:
        return self._built("evolution")  # type: ignore[return-value]

    @property
    def coverage_view(self) -> CoverageView:
        return self._built("coverage")  # type: ignore[return-value]

    def _built(self, name: str) -> ChartView | CoverageView:
        if self._views is None:
            self._views = self._build_views()
        return self._views[name]

    def _build_views(self) -> dict[str, ChartView | CoverageView]:
        import explorer.charts  # noqa: F401  matplotlib whole first, one thread at a time (see there)
        from explorer.ui.chart_view import ChartView
        from explorer.ui.coverage_view import CoverageView
        from explorer.ui.evolution_view import EvolutionView
        from explorer.ui.matrix_view import MatrixView
        from explorer.ui.network_view import NetworkView
        from explorer.ui.profile_view import ProfileView
        from explorer.ui.timeline_view import TimelineView

        pages, state, runner = self._pages, self.state, self.runner
        timeline = TimelineView(state, runner, pages["timeline"])
        network = NetworkView(state, runner, pages["network"])
        views: dict[str, ChartView | CoverageView] = {
            "timeline": timeline,
            "network": network,
            "matrix": MatrixView(state, self.db, runner, pages["matrix"]),
            "actor": ProfileView(state, self.db, runner, pages["actor"]),
            "evolution": EvolutionView(state, runner, pages["evolution"]),
            "coverage": CoverageView(state, runner, pages["coverage"]),
        }
        for name, view in views.items():
            layout = pages[name].layout()
            assert layout is not None  # made in _build_widgets
            layout.addWidget(view)
            view.busy_changed.connect(self._update_busy)
            if isinstance(view, ChartView):
                view.theme = self.theme.chart_theme
            view.refresh_when_shown()  # the timeline and network at once, the others when shown
        timeline.position_clicked.connect(lambda position_id: self.state.select_positions([position_id]))
        network.actor_clicked.connect(self.focus_actor)
        freeze_long_lived()  # matplotlib, numpy and networkx are loaded: never walk them again
        return views

    def _build_charts_when_idle(self) -> None:
        if self._views is None and self.isVisible():
            self._built("timeline")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._views is None and not self.runner.is_busy("table"):
            QTimer.singleShot(0, self, self._build_charts_when_idle)

    def _chart_views(self) -> list[ChartView]:
        """The views built so far that draw a chart (not the coverage tables)."""
        if self._views is None:
            return []
        from explorer.ui.chart_view import ChartView

        return [view for view in self._views.values() if isinstance(view, ChartView)]

    def current_chart_view(self) -> ChartView:
        """The chart shown (File → Export chart); the timeline when the tab shows no chart."""
        self._built("timeline")
        return next((view for view in self._chart_views() if view.kind == self.state.view), self.timeline_view)

    def is_busy(self) -> bool:
        """True while a worker runs, a chart waits to be drawn at a new size, or the chart views of
        a shown window are still to be built."""
        if self._views is None:
            return self.runner.is_busy() or self.isVisible()
        return self.runner.is_busy() or any(view.is_busy() for view in self._views.values())

    # the table: count and first page on a worker ----------------------------------------------
    def _refresh_table(self, compiled: CompiledFilter) -> None:
        sort, descending = self.model.sort_key()
        page = self.model.PAGE_SIZE

        def task(db: Database, _progress: Progress, cancel: CancelCheck) -> PositionsSummary:
            return positions_summary(db, compiled, sort=sort, descending=descending, page_size=page, cancel=cancel)

        self.runner.submit("table", task, on_done=self._table_ready)

    def _table_ready(self, summary: PositionsSummary) -> None:
        self.model.show(summary.compiled, summary.count, summary.first_page)
        self.count_label.setText(summary.text)
        self.status_counts.setText(summary.short_text)
        self._show_selection(self.state.selection)
        self.overview.start()
        if self._views is None and self.isVisible():
            QTimer.singleShot(0, self, self._build_charts_when_idle)  # after the filled table is painted

    # selection -----------------------------------------------------------------------------
    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        position_id = self.model.position_id(current.row()) if current.isValid() else None
        if position_id is not None and position_id not in self.state.selection.positions:
            self.state.select_positions([position_id])

    def _show_selection(self, selection: Selection) -> None:
        """Select the rows of the selected positions the filter shows (the first one current):
        at once for rows on pages read already, else once a worker has numbered them (at a
        million positions that takes a second, so never on the GUI thread)."""
        wanted = selection.positions[:MARKED_ROWS]
        self.model.find_rows(
            wanted, lambda rows: self._show_rows(wanted, rows) if self.state.selection == selection else None
        )

    def _show_rows(self, wanted: tuple[int, ...], found: dict[int, int]) -> None:
        rows = [found[p] for p in wanted if p in found]
        chosen = self.table.selectionModel()
        if not rows:
            chosen.clearSelection()
            return
        flags = QItemSelectionModel.SelectionFlag
        if self.table.currentIndex().row() != rows[0]:
            chosen.setCurrentIndex(self.model.index(rows[0], 0), flags.ClearAndSelect | flags.Rows)
        picked = QItemSelection()
        for row in rows:
            picked.select(self.model.index(row, 0), self.model.index(row, self.model.columnCount() - 1))
        chosen.select(picked, flags.ClearAndSelect | flags.Rows)
        first = self.model.index(rows[0], 0)
        # A row in sight stays where it is: a row clicked in the table is selected while Qt still
        # handles the press, and scrolling then would put another row under the mouse.
        if not self.table.viewport().rect().intersects(self.table.visualRect(first)):
            self.table.scrollTo(first, QAbstractItemView.ScrollHint.PositionAtCenter)

    def focus_actor(self, actor_id: int) -> None:
        """A node was clicked: select that actor and filter to it (its ego network)."""
        actor = queries.actor_attributes(self.db, [actor_id]).get(actor_id)
        if actor is not None:
            name = actor["name"]
            self.state.navigate(
                filter=self.state.filter.with_(actors=(name,)),
                selection=Selection(actor=actor_id),
            )

    # filters and datasets ------------------------------------------------------------------
    def clear_filters(self) -> None:
        self.state.set_filter(PositionFilter())  # the state keeps the dataset

    def switch_dataset(self, name: str) -> None:
        """Show another negotiation held in the same database; imports then go into it."""
        self.state.set_dataset(name)

    def _dataset_choices(self) -> list[DatasetChoice]:
        return [
            DatasetChoice(d["name"], d["title"] or d["name"], d["name"] == self.state.dataset.name)
            for d in queries.list_datasets(self.db)
        ]

    # imports -------------------------------------------------------------------------------
    def ask_import(self) -> None:
        paths = dialogs.ask_open_files(self, "Import positions")
        if paths:
            self.import_files(paths)

    def import_files(self, paths: list[str]) -> None:
        if self.read_only:
            self.show_message(READ_ONLY_NOTE)
            return
        self.importer.start(paths)

    def _after_import(self, report: ImportReport) -> None:
        self.settings.add_recent_import(report.file)
        self.watch.seen()
        self.state.reload()
        self.show_message(f"Imported {report.imported:,} position(s) from {Path(report.file).name}")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _importable(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _importable(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    def _changed_elsewhere(self) -> None:
        """Another program imported into this database: show its data (after our own import the
        window reloads anyway)."""
        if not self.importer.is_busy():
            self.state.reload()
            self.show_message("Another program changed the database; the views show the new data.")

    def _imports_off(self) -> None:
        """A database this user cannot write: everything but importing works, and the window says so."""
        self.menus.actions["import"].setEnabled(False)
        self.menus.recent.setEnabled(False)
        self.setAcceptDrops(False)
        note = QLabel(READ_ONLY_NOTE, self)
        note.setObjectName("read_only_note")
        note.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(note)

    # misc ----------------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 10_000)

    def show_about(self) -> None:
        dialogs.show_about(self, about_text(self.db, self.state.dataset.id))

    def set_theme_choice(self, choice: str) -> None:
        self.settings.set_theme(choice)
        self.theme.set_choice(choice)

    def _theme_changed(self, chart_theme: Theme) -> None:
        for view in self._chart_views():
            view.set_theme(chart_theme)

    def _update_busy(self, *_args: object) -> None:
        busy = [v.kind for v in (self._views or {}).values() if v.is_busy()]
        self.busy_label.setText(f"Drawing {' and '.join(busy)}…" if busy else "")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.filter_panel.write_pending()
        if self._views is not None:
            self.network_view.write_pending()
            self.profile_view.write_pending()
        self.settings.save_window(self, self.splitters)
        self.settings.save_filter(self.state.filter)
        self.settings.save_view(self.state.view)
        self.settings.save_header("positions", self.table.horizontalHeader())
        self.settings.save_network_options(self.state.network_options.as_dict())
        for view in ("timeline", "matrix", "evolution"):
            self.settings.save_view_options(view, getattr(self.state, f"{view}_options").as_dict())
        self.settings.sync()
        self.watch.stop()
        self.runner.shutdown()
        super().closeEvent(event)


def _importable(urls: list[QUrl]) -> list[str]:
    return [u.toLocalFile() for u in urls if u.isLocalFile() and u.toLocalFile().lower().endswith(IMPORTABLE_SUFFIXES)]
