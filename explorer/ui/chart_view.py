"""Shared machinery of the chart views: one long-lived canvas, charts made off the GUI thread.

A view subscribes to the application state. On a filter change a worker computes the chart's
*content* with the core (:mod:`explorer.pipeline`: data, title, caption, status line) and
draws it into a fresh Figure sized like the canvas; the GUI thread only swaps that figure into
the canvas and shows the content's status. A theme change or a resize redraws the content kept
from the last computation without recomputing it; an export draws it into a new figure on a
worker. Figures are built, drawn and saved only under :data:`~explorer.ui.workers.FIGURE_LOCK`.
Matplotlib keeps event connections on the figure, so they are re-made after each swap.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from explorer.charts.style import LIGHT, Theme
from explorer.errors import stop_if_cancelled
from explorer.state import AppState, Selection
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter
from explorer.ui.state_binding import subscribe
from explorer.ui.workers import FIGURE_LOCK, CancelCheck, Progress, TaskRunner, drawing

BASE_DPI = 100
RESIZE_DEBOUNCE_MS = 300
LOCKED_RETRY_MS = 40  # a worker holds the figure lock: paint the previous picture, try again soon

Compute = Callable[[Any, CompiledFilter, CancelCheck], Any]
Draw = Callable[[Any, Theme, Figure], Any]


class ChartCanvas(FigureCanvasQTAgg):
    """A canvas whose figure can be replaced by one drawn elsewhere."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Figure(dpi=BASE_DPI))
        self.setParent(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(320, 240)
        self._retry = QTimer(self, singleShot=True, interval=LOCKED_RETRY_MS)
        self._retry.timeout.connect(self.draw_idle)

    def draw(self) -> None:
        """Draw when shown (a hidden tab's size is meaningless) and when no worker is using
        matplotlib; otherwise the previous picture stays until the retry."""
        if not self.isVisible():
            return
        if not FIGURE_LOCK.acquire(blocking=False):
            self._retry.start()
            return
        try:
            super().draw()
        finally:
            FIGURE_LOCK.release()

    def showEvent(self, event: QShowEvent) -> None:
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
    """Base of the timeline and network views. Subclasses provide :meth:`compute_function`
    and :meth:`draw_function` (plain functions a worker runs) and :meth:`on_chart`, and may
    add controls to :attr:`controls`."""

    kind = "chart"
    hint = ""  # what the user can do with the chart, after the core's status line
    compute_when_hidden = True  # False: a hidden view recomputes once shown (views that cost more)
    scrolls = False  # True: a chart taller than the view (see grow_figure) scrolls vertically
    busy_changed = Signal(bool)
    drawn = Signal()

    def __init__(self, state: AppState, runner: TaskRunner, accessible_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.runner = state, runner
        self.theme: Theme = LIGHT
        self.content: Any = None  # what the core computed for the current filter
        self.chart: Any = None  # what is drawn from it
        self.canvas = ChartCanvas(self)
        self.canvas.setAccessibleName(accessible_name)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.controls = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(self.controls)
        self.scroll_area: QScrollArea | None = None
        if self.scrolls:
            self.scroll_area = QScrollArea(self)
            self.scroll_area.setWidgetResizable(True)
            self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.scroll_area.setWidget(self.canvas)
            layout.addWidget(self.scroll_area, 1)
        else:
            layout.addWidget(self.canvas, 1)
        layout.addWidget(self.status)
        self._built_size: tuple[int, int] | None = None
        self._resize_timer = QTimer(self, singleShot=True, interval=RESIZE_DEBOUNCE_MS)
        self._resize_timer.timeout.connect(self._size_settled)
        self._stale = False  # the content is not the state's any more; recompute when shown
        subscribe(self, state.filter_changed, lambda _compiled: self.refresh_when_shown())
        subscribe(self, state.selection_changed, lambda _selection: self._mark_selection())

    # public -------------------------------------------------------------------------------
    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.redraw()

    def refresh_when_shown(self) -> None:
        """Recompute now, or, for a hidden view that computes only when shown, once shown."""
        if self.compute_when_hidden or self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def refresh(self) -> None:
        """Recompute the content for the state's filter and draw it, on a worker."""
        self._stale = False
        compiled, compute, draw, theme = self.state.compiled, self.compute_function(), self.draw_function(), self.theme
        size = self._start()

        def task(db: Database, _progress: Progress, cancel: CancelCheck) -> tuple[Any, Any]:
            content = compute(db, compiled, cancel)
            stop_if_cancelled(cancel)
            with drawing(cancel):
                return content, draw(content, theme, _figure(size))

        self.runner.submit(self.kind, task, on_done=self._chart_ready, on_error=self._chart_failed)

    def redraw(self) -> None:
        """Draw the content again (theme or size changed), or compute it if there is none yet."""
        if self.content is None or self.runner.is_busy(self.kind):
            self.refresh()
            return
        content, draw, theme = self.content, self.draw_function(), self.theme
        size = self._start()

        def task(_db: Database, _progress: Progress, cancel: CancelCheck) -> tuple[Any, Any]:
            with drawing(cancel):
                return content, draw(content, theme, _figure(size))

        self.runner.submit(self.kind, task, on_done=self._chart_ready, on_error=self._chart_failed)

    def export(
        self, path: str, dpi: int, on_done: Callable[[str], None], on_error: Callable[[BaseException], None]
    ) -> None:
        """Save the chart as shown (same content, size and theme) to ``path``, on a worker."""
        from explorer.charts.export import save_figure

        content, draw, theme = self.content, self.draw_function(), self.theme
        size = self._built_size or self._canvas_size()

        def task(_db: Database, _progress: Progress, cancel: CancelCheck) -> str:
            with drawing(cancel):
                save_figure(draw(content, theme, _figure(size)).figure, path, dpi=dpi)
            return path

        self.runner.submit(f"export-{self.kind}", task, on_done=on_done, on_error=on_error)

    def is_busy(self) -> bool:
        return self.runner.is_busy(self.kind)

    # for subclasses -----------------------------------------------------------------------
    def compute_function(self) -> Compute:
        """A function ``(db, compiled, cancel) -> content`` run on a worker (it must not read
        widgets: take what it needs from the view now)."""
        raise NotImplementedError

    def draw_function(self) -> Draw:
        """A function ``(content, theme, figure) -> chart`` run on a worker under the figure lock."""
        raise NotImplementedError

    def on_chart(self, content: Any, chart: Any) -> None:
        """Keep what the view needs from a new chart (lookups for hover and click)."""

    def connect_events(self) -> None:
        """Connect matplotlib events on the current figure (they live on the figure)."""

    def mark_selection(self, selection: Selection) -> bool:
        """Mark the state's selection on the drawn chart (see :mod:`explorer.ui.selection_marks`)
        without rebuilding it; True if a mark moved, so the canvas repaints."""
        return False

    # internals ----------------------------------------------------------------------------
    def _start(self) -> tuple[int, int]:
        size = self._built_size = self._canvas_size()
        self.status.setText("Computing…")
        self.busy_changed.emit(True)
        return size

    def _chart_ready(self, payload: tuple[Any, Any]) -> None:
        self.content, self.chart = payload
        if self.scroll_area is not None:  # the canvas takes the chart's height; the area scrolls
            self.canvas.setMinimumHeight(round(self.chart.figure.get_figheight() * BASE_DPI))
            self.canvas.resize(self.canvas.width(), self.canvas.minimumHeight())
        self.canvas.swap_figure(self.chart.figure)
        self.connect_events()
        self.on_chart(self.content, self.chart)
        self._mark_selection()
        text = f"{self.content.status} {self.hint}".strip()
        self.status.setText(text)
        self.canvas.setAccessibleDescription(text)
        self.busy_changed.emit(False)
        self.drawn.emit()

    def _mark_selection(self) -> None:
        if self.chart is not None and self.mark_selection(self.state.selection):
            self.canvas.draw_idle()

    def _chart_failed(self, exc: BaseException) -> None:
        self.status.setText("Could not draw the chart (see the error report).")
        self.busy_changed.emit(False)
        self.runner.report_error(exc)

    def _canvas_size(self) -> tuple[int, int]:
        # A canvas not laid out yet (hidden tab, window not shown) has a meaningless size;
        # draw at a typical size then, and redraw at the real one once shown.
        low = (320, 240) if self.canvas.isVisible() else (900, 520)
        area = self.scroll_area.viewport() if self.scroll_area is not None else self.canvas
        return max(area.width(), low[0]), max(area.height(), low[1])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._resize_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
        self._resize_timer.start()

    def _size_settled(self) -> None:
        if self._built_size is None or not self.isVisible():
            return
        width, height = self._canvas_size()
        old_w, old_h = self._built_size
        if abs(width - old_w) > 0.05 * old_w or abs(height - old_h) > 0.05 * old_h:
            self.redraw()


def _figure(size: tuple[int, int]) -> Figure:
    return Figure(figsize=(size[0] / BASE_DPI, size[1] / BASE_DPI), dpi=BASE_DPI)


def grow_figure(figure: Figure, height_in: float) -> None:
    """Make ``figure`` (sized like the view) at least ``height_in`` tall: in a view that
    ``scrolls``, a chart keeps the height its rows need to stay readable (call it in the draw
    function, before drawing)."""
    if height_in > figure.get_figheight():
        figure.set_size_inches(figure.get_figwidth(), height_in, forward=False)
