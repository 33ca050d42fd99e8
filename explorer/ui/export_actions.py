"""File → Export chart / data / network: ask for a path, then write on a worker with the core's writers.

A chart or network still being computed is written as soon as it is ready, so an export
always matches the current filter. Charts are saved as shown on screen, caption included,
from the content the view drew (redrawn into a new figure on a worker). Failures go to the
window's error report: a user-facing error as a message, anything else as a crash report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from explorer.state import AppState
from explorer.store.database import Database
from explorer.ui import dialogs
from explorer.ui.workers import CancelCheck, Progress, TaskRunner

if TYPE_CHECKING:  # the views load matplotlib/networkx: imported when an export runs, not at start
    from explorer.ui.chart_view import ChartView
    from explorer.ui.network_view import NetworkView

CHART_FILES = "PNG image (*.png);;SVG vector image (*.svg);;PDF document (*.pdf)"
DATA_FILES = "CSV table (*.csv);;JSON Lines (*.jsonl)"
NETWORK_FILES = "GraphML for Gephi (*.graphml);;GEXF for Gephi (*.gexf);;CSV edge list (*.csv)"
EXPORT_DPI = 200
FAILED = "Export failed"

ReportError = Callable[[BaseException, str], None]


def when_ready(view: ChartView, action: Callable[[], None]) -> None:
    """Run ``action`` now if the view shows the current chart, else once it has been drawn."""
    if view.chart is not None and not view.is_busy():
        action()
        return

    def once() -> None:
        view.drawn.disconnect(once)
        action()

    view.drawn.connect(once)


class Exporter:
    """The three export commands, given what they need (no window): the state for the filter,
    the runner, the chart views (built on demand), a message line and the error report."""

    def __init__(
        self,
        parent: QWidget,
        state: AppState,
        runner: TaskRunner,
        *,
        chart_view: Callable[[], ChartView],
        network_view: Callable[[], NetworkView],
        show_message: Callable[[str], None],
        report_error: ReportError,
    ):
        self.parent, self.state, self.runner = parent, state, runner
        self.chart_view, self.network_view = chart_view, network_view
        self.show_message, self.report_error = show_message, report_error
        self.folder = str(Path.home())

    def suggested_name(self, what: str, suffix: str) -> str:
        flt = self.state.filter
        about = "-".join((*flt.provisions, *flt.questions, *flt.actors))
        slug = re.sub(r"[^a-z0-9]+", "-", f"{what}-{about}".lower()).strip("-")[:60]
        return str(Path(self.folder) / f"{slug}{suffix}")

    def _ask(self, title: str, what: str, suffix: str, files: str) -> str:
        path = dialogs.ask_save_file(self.parent, title, self.suggested_name(what, suffix), files)
        if path:
            self.folder = str(Path(path).parent)
        return path

    def _failed(self, exc: BaseException) -> None:
        self.report_error(exc, FAILED)

    def export_chart(self) -> None:
        view = self.chart_view()
        path = self._ask(f"Export the {view.kind} chart", view.kind, ".png", CHART_FILES)
        if path:
            when_ready(
                view,
                lambda: view.export(
                    path, EXPORT_DPI, lambda _p: self.show_message(f"Chart written to {path}"), self._failed
                ),
            )

    def export_data(self) -> None:
        compiled = self.state.compiled
        path = self._ask("Export the filtered positions", "positions", ".csv", DATA_FILES)
        if not path:
            return

        def task(db: Database, _progress: Progress, cancel: CancelCheck) -> int:
            from explorer.ingest.exporter import export_positions

            return export_positions(db, compiled, path, cancel=cancel)

        self.runner.submit(
            "export-data",
            task,
            on_done=lambda count: self.show_message(f"{count:,} position(s) written to {path}"),
            on_error=self._failed,
        )

    def export_network(self) -> None:
        view = self.network_view()
        path = self._ask("Export the agreement network", "network", ".graphml", NETWORK_FILES)
        if not path:
            return

        def save() -> None:
            result = view.result
            if result is None:  # when_ready runs this once the network is drawn
                return

            def task(_db: Database, _progress: Progress, _cancel: CancelCheck) -> Path:
                from explorer.analysis.network_files import write_network

                return write_network(result, path)

            def done(_path: Path) -> None:
                nodes = result.graph.number_of_nodes()
                self.show_message(f"Network ({nodes} actors, seed {result.seed}) written to {path}")

            self.runner.submit("export-network", task, on_done=done, on_error=self._failed)

        when_ready(view, save)
