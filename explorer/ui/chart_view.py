"""Shared machinery of the chart views: one long-lived canvas, charts drawn off the GUI thread.

A chart is computed *and drawn* on a worker by the core's single path
(:mod:`explorer.pipeline`) into a fresh Figure sized like the canvas; the GUI thread only
swaps that figure into the canvas. Matplotlib keeps event connections on the figure, so they
are re-made after each swap. Changing the filter, theme or canvas size recomputes.
"""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from explorer.charts.style import LIGHT, Theme
from explorer.store.filters import PositionFilter
from explorer.ui.workers import TaskRunner

BASE_DPI = 100
RESIZE_DEBOUNCE_MS = 300


class ChartCanvas(FigureCanvasQTAgg):
    """A canvas whose figure can be replaced by one drawn elsewhere."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Figure(dpi=BASE_DPI))
        self.setParent(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(320, 240)

    def draw(self) -> None:
        """Skip drawing while hidden (a hidden tab's size is meaningless); draw when shown."""
        if self.isVisible():
            super().draw()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.draw_idle()

    def swap_figure(self, figure: Figure) -> None:
        old = self.figure
        figure.set_dpi(BASE_DPI * self.device_pixel_ratio)
        figure.set_canvas(self)
        self.figure = figure
        if old is not figure:
            old.clear()  # release the previous chart's artists now, not at the next garbage collection
        if self.isVisible():  # a hidden canvas's size is stale; resizeEvent sizes it when shown
            figure.set_size_inches(self.width() / BASE_DPI, self.height() / BASE_DPI, forward=False)
            self.draw_idle()


class ChartView(QWidget):
    """Base of the timeline and network views; subclasses provide :meth:`chart_task` and
    :meth:`on_chart` and may add controls to :attr:`controls`."""

    kind = "chart"
    busy_changed = Signal(bool)
    drawn = Signal()

    def __init__(self, runner: TaskRunner, accessible_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.runner = runner
        self.filter: PositionFilter | None = None
        self.theme: Theme = LIGHT
        self.chart: Any = None
        self.canvas = ChartCanvas(self)
        self.canvas.setAccessibleName(accessible_name)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.controls = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self.controls)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.status)
        self._built_size = None
        self._resize_timer = QTimer(self, singleShot=True, interval=RESIZE_DEBOUNCE_MS)
        self._resize_timer.timeout.connect(self._size_settled)
        self._connections: list[int] = []

    # public -------------------------------------------------------------------------------
    def set_filter(self, flt: PositionFilter) -> None:
        self.filter = flt
        self.refresh()

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.refresh()

    def refresh(self) -> None:
        """Recompute and redraw the chart for the current filter on a worker."""
        if self.filter is None:
            return
        size = self._canvas_size()
        self._built_size = size
        figure = Figure(figsize=(size[0] / BASE_DPI, size[1] / BASE_DPI), dpi=BASE_DPI)
        self.status.setText("Computing…")
        self.busy_changed.emit(True)
        self.runner.submit(
            self.kind, self.chart_task(self.filter, figure), on_done=self._chart_ready, on_error=self._chart_failed
        )

    def is_busy(self) -> bool:
        return self.runner.is_busy(self.kind)

    # for subclasses -----------------------------------------------------------------------
    def chart_task(self, flt: PositionFilter, figure: Figure):
        """Return ``fn(db, progress, cancel) -> (chart, extra)`` drawing into ``figure``."""
        raise NotImplementedError

    def on_chart(self, chart, extra) -> str:
        """Keep what the view needs from a new chart; return the status line to show."""
        raise NotImplementedError

    def connect_events(self) -> list[int]:
        """Connect matplotlib events on the current figure; return the connection ids."""
        return []

    # internals ----------------------------------------------------------------------------
    def _chart_ready(self, payload) -> None:
        chart, extra = payload
        self.chart = chart
        self.canvas.swap_figure(chart.figure)
        self._connections = self.connect_events()
        text = self.on_chart(chart, extra)
        self.status.setText(text)
        self.canvas.setAccessibleDescription(text)
        self.busy_changed.emit(False)
        self.drawn.emit()

    def _chart_failed(self, exc: BaseException) -> None:
        self.status.setText(f"Could not draw the chart: {exc}")
        self.busy_changed.emit(False)

    def _canvas_size(self) -> tuple[int, int]:
        # A canvas not laid out yet (hidden tab, window not shown) has a meaningless size;
        # draw at a typical size then, and redraw at the real one once shown.
        low = (320, 240) if self.canvas.isVisible() else (900, 520)
        return max(self.canvas.width(), low[0]), max(self.canvas.height(), low[1])

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._resize_timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._resize_timer.start()

    def _size_settled(self) -> None:
        if self._built_size is None or not self.isVisible():
            return
        width, height = self._canvas_size()
        old_w, old_h = self._built_size
        if abs(width - old_w) > 0.05 * old_w or abs(height - old_h) > 0.05 * old_h:
            self.refresh()
