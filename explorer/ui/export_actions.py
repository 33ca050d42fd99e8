"""File → Export chart / data / network: ask for a path, then write with the core's writers.

A chart or network still being computed is written as soon as it is ready, so an export
always matches the current filter. Charts are saved as shown on screen, caption included.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.errors import ExportError
from explorer.ui import dialogs

if TYPE_CHECKING:  # the writers load matplotlib/networkx: imported when an export runs, not at start
    from explorer.ui.chart_view import ChartView
    from explorer.ui.main_window import MainWindow

CHART_FILES = "PNG image (*.png);;SVG vector image (*.svg);;PDF document (*.pdf)"
DATA_FILES = "CSV table (*.csv);;JSON Lines (*.jsonl)"
NETWORK_FILES = "GraphML for Gephi (*.graphml);;GEXF for Gephi (*.gexf);;CSV edge list (*.csv)"
EXPORT_DPI = 200


def when_ready(view: ChartView, action: Callable[[], None]) -> None:
    """Run ``action`` now if the view shows the current chart, else once it has been drawn."""
    if view.chart is not None and not view.is_busy():
        action()
        return

    def once() -> None:
        view.drawn.disconnect(once)
        action()

    view.drawn.connect(once)


def suggested_name(window: MainWindow, what: str, suffix: str) -> str:
    flt = window.filter
    about = "-".join((*flt.provisions, *flt.questions, *flt.actors)) if flt else ""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{what}-{about}".lower()).strip("-")[:60]
    return str(Path(window.last_export_folder) / f"{slug}{suffix}")


def export_chart(window: MainWindow) -> None:
    view = window.current_chart_view()
    what = "network" if view is window.network_view else "timeline"
    path = dialogs.ask_save_file(window, f"Export the {what} chart", suggested_name(window, what, ".png"), CHART_FILES)
    if not path:
        return
    window.remember_export_folder(path)

    def save() -> None:
        from explorer.charts.export import save_figure

        try:
            save_figure(view.canvas.figure, path, dpi=EXPORT_DPI)
        except Exception as exc:  # noqa: BLE001 - ExportError and the chart builders' own errors
            dialogs.show_error(window, "Export failed", str(exc))
            return
        window.show_message(f"Chart written to {path}")

    when_ready(view, save)


def export_data(window: MainWindow) -> None:
    if window.filter is None:
        return
    path = dialogs.ask_save_file(
        window, "Export the filtered positions", suggested_name(window, "positions", ".csv"), DATA_FILES
    )
    if not path:
        return
    window.remember_export_folder(path)
    from explorer.ingest.exporter import export_positions

    try:
        count = export_positions(window.db, window.filter, path)
    except ExportError as exc:
        dialogs.show_error(window, "Export failed", str(exc))
        return
    window.show_message(f"{count:,} position(s) written to {path}")


def export_network(window: MainWindow) -> None:
    view = window.network_view
    path = dialogs.ask_save_file(
        window, "Export the agreement network", suggested_name(window, "network", ".graphml"), NETWORK_FILES
    )
    if not path:
        return
    window.remember_export_folder(path)

    def save() -> None:
        from explorer.analysis.network_files import write_network

        try:
            write_network(view.result, path)
        except ExportError as exc:
            dialogs.show_error(window, "Export failed", str(exc))
            return
        window.show_message(
            f"Network ({view.result.graph.number_of_nodes()} actors, seed {view.result.seed}) written to {path}"
        )

    when_ready(view, save)
