"""Shared machinery of the chart views: one long-lived canvas, charts made *and rendered* off the GUI thread.

A view subscribes to the application state. On a filter change a worker computes the chart's
*content* with the core (:mod:`explorer.pipeline`: data, title, caption, status line), draws it
into a fresh Figure sized like the canvas (at the screen's device pixel ratio) and renders its
pixels with Agg; the GUI thread only shows that picture, keeps the figure for hit-testing (hover
and click use the chart's artists and transforms, which match the picture) and shows the
content's status. Rendering 200 actor rows or 20,000 ties takes 100-400 ms, which on the GUI
thread froze the window at every filter change (issue #13: no GUI-thread call over 16 ms).

A theme change or a resize redraws the content kept from the last computation without
recomputing it; until it arrives the previous picture stays (anchored top left). An export draws
the content into a new figure on a worker. Figures are built, drawn, rendered and saved only
under :data:`~explorer.ui.workers.FIGURE_LOCK`. Matplotlib keeps event connections on the
figure, so they are re-made after each swap.

The GUI thread never changes a figure: a worker may be rendering it. The selection is marked
(:meth:`ChartView.mark_selection`) on the worker that draws a chart, before its picture is
rendered; when only the selection changes, a worker marks the shown figure under the lock and
renders it again, and the new picture replaces the old (a hidden view's once it is shown).
Code that changes the shown figure anyway (a test, a tool) calls ``canvas.draw_idle()`` as with
any matplotlib canvas: it ends in the same worker task.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from matplotlib.backend_bases import FigureCanvasBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_qt import FigureCanvasQT
from matplotlib.figure import Figure
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from explorer.charts.style import LIGHT, Theme
from explorer.errors import Cancelled, stop_if_cancelled
from explorer.state import AppState, Selection
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter
from explorer.ui.state_binding import subscribe
from explorer.ui.workers import CancelCheck, Progress, Task, TaskRunner, drawing

BASE_DPI = 100
RESIZE_DEBOUNCE_MS = 300

Compute = Callable[[Any, CompiledFilter, CancelCheck], Any]
Draw = Callable[[Any, Theme, Figure], Any]
Mark = Callable[[Any, Selection], bool]
Drawn = tuple[Any, Any, QImage, Selection]  # content, chart, its picture, the selection marked on it


class ChartCanvas(FigureCanvasQT):
    """A canvas that shows a figure a worker has rendered: painting is one image blit.

    The figure stays attached (``figure.canvas is self``) so matplotlib's mouse events, picking
    and ``artist.contains`` work; its size and dpi are those the picture was rendered at, which
    is what maps a mouse position to figure pixels (``mouseEventCoords``). Nothing here renders:
    :meth:`draw` only repaints the picture, and a resize does not resize the figure (the view
    redraws on a worker once the size settles).
    """

    pixel_ratio_changed = Signal()  # the screen's ratio differs from the picture's: draw again
    figure_changed = Signal()  # draw()/draw_idle(): the shown figure changed, render it again

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Figure(dpi=BASE_DPI))
        self.setParent(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(320, 240)
        self.picture: QImage | None = None
        self._background = QColor(Qt.GlobalColor.white)
        self._ratio_reported = 0.0

    def draw(self) -> None:
        """The figure changed (``draw_idle`` ends here): its view renders it again on a worker;
        nothing is rendered on the GUI thread."""
        self.figure_changed.emit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        QWidget.resizeEvent(self, event)  # the figure keeps the size its picture was rendered at

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.fillRect(event.rect(), self._background)
            if self.picture is not None:
                painter.drawImage(QPointF(0, 0), self.picture)
        finally:
            painter.end()
        ratio = self.devicePixelRatioF() or 1.0
        stale = self.picture is not None and abs(self.picture.devicePixelRatio() - ratio) > 1e-3
        if stale and ratio != self._ratio_reported:  # once per new ratio
            self._ratio_reported = ratio
            self.pixel_ratio_changed.emit()

    def show_picture(self, figure: Figure, picture: QImage) -> Figure | None:
        """Show ``picture``, rendered from ``figure``; the figure answers mouse events from now on.
        Returns the figure shown before, detached from this canvas (None if it was ``figure``)."""
        old: Figure | None = self.figure
        if old is figure:
            old = None
        else:
            FigureCanvasBase(old)  # the old figure no longer refers to this widget
            figure.set_canvas(self)
            self.figure = figure
        self._set_device_pixel_ratio(picture.devicePixelRatio())  # mouse coordinates of this picture
        self.picture = picture
        self._background = QColor.fromRgbF(*figure.get_facecolor())
        self.update()
        return old


def render_picture(figure: Figure) -> QImage:
    """The figure's pixels as a QImage (rendered with Agg; call under the figure lock). A QImage
    may be made in any thread; it carries the figure's device pixel ratio. The figure keeps its
    canvas: a shown figure rendered again still answers that canvas's mouse events (matplotlib's
    hit tests ignore events from a canvas other than the figure's; while it renders, a hover
    misses until the next mouse move)."""
    shown_on = figure.canvas
    canvas = FigureCanvasAgg(figure)  # becomes the figure's canvas while it renders
    try:
        canvas.draw()
    finally:
        if figure.canvas is canvas:  # not detached meanwhile (a new chart replaced this one)
            figure.set_canvas(shown_on)
    buffer = canvas.buffer_rgba()
    height, width = buffer.shape[:2]
    image = QImage(buffer, width, height, 4 * width, QImage.Format.Format_RGBA8888)
    picture = image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)  # a copy, painted as is
    picture.setDevicePixelRatio(figure.dpi / BASE_DPI)
    return picture


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
        self._built_ratio = 1.0
        self._resize_timer = QTimer(self, singleShot=True, interval=RESIZE_DEBOUNCE_MS)
        self._resize_timer.timeout.connect(self._size_settled)
        self.canvas.pixel_ratio_changed.connect(self._size_settled)
        self._stale = False  # the content is not the state's any more; recompute when shown
        self._picture_stale = False  # the figure was marked while hidden: render it again when shown
        self._again: Task | None = None  # the last task marking and rendering the shown figure again
        self.canvas.figure_changed.connect(lambda: self._render_again(changed=True))
        subscribe(self, state.filter_changed, lambda _compiled: self.refresh_when_shown())
        subscribe(self, state.selection_changed, lambda _selection: self._render_again())

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
        mark, selection = self.mark_selection, self.state.selection
        size, ratio = self._start()

        def task(db: Database, _progress: Progress, cancel: CancelCheck) -> Drawn:
            content = compute(db, compiled, cancel)
            stop_if_cancelled(cancel)
            return _draw_and_render(content, draw, theme, (mark, selection), size, ratio, cancel)

        self.runner.submit(self.kind, task, on_done=self._chart_ready, on_error=self._chart_failed)

    def redraw(self) -> None:
        """Draw the content again (theme or size changed), or compute it if there is none yet."""
        if self.content is None or self.runner.is_busy(self.kind):
            self.refresh()
            return
        content, draw, theme = self.content, self.draw_function(), self.theme
        mark, selection = self.mark_selection, self.state.selection
        size, ratio = self._start()

        def task(_db: Database, _progress: Progress, cancel: CancelCheck) -> Drawn:
            return _draw_and_render(content, draw, theme, (mark, selection), size, ratio, cancel)

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
                figure = draw(content, theme, _figure(size)).figure
                try:
                    save_figure(figure, path, dpi=dpi)
                finally:
                    release_figure(figure)
            return path

        self.runner.submit(f"export-{self.kind}", task, on_done=on_done, on_error=on_error)

    def is_busy(self) -> bool:
        """A chart is being computed, drawn or marked, or a new size is waiting to be drawn."""
        runner = self.runner
        return runner.is_busy(self.kind) or runner.is_busy(f"{self.kind}-again") or self._resize_timer.isActive()

    # for subclasses -----------------------------------------------------------------------
    def compute_function(self) -> Compute:
        """A function ``(db, compiled, cancel) -> content`` run on a worker (it must not read
        widgets: take what it needs from the view now)."""
        raise NotImplementedError

    def draw_function(self) -> Draw:
        """A function ``(content, theme, figure) -> chart`` run on a worker under the figure lock;
        ``chart.figure`` is then rendered there too."""
        raise NotImplementedError

    def on_chart(self, content: Any, chart: Any) -> None:
        """Keep what the view needs from a new chart (lookups for hover and click)."""

    def connect_events(self) -> None:
        """Connect matplotlib events on the current figure (they live on the figure)."""

    def mark_selection(self, chart: Any, selection: Selection) -> bool:
        """Mark ``selection`` on ``chart`` (see :mod:`explorer.ui.selection_marks`) without
        rebuilding it; True if ``chart`` has marks, so its picture is rendered again. Runs on a
        worker under the figure lock: it reads only ``chart`` and ``selection``, never widgets."""
        return False

    # internals ----------------------------------------------------------------------------
    def _start(self) -> tuple[tuple[int, int], float]:
        size = self._built_size = self._canvas_size()
        ratio = self._built_ratio = self.canvas.devicePixelRatioF() or 1.0
        self.status.setText("Computing…")
        self.busy_changed.emit(True)
        return size, ratio

    def _render_again(self, changed: bool = False) -> None:
        """Mark the state's selection on the shown chart and render it again, on a worker, if it
        has marks or ``changed`` otherwise (a hidden view's figure is rendered once shown)."""
        chart = self.chart
        if chart is None:
            return
        mark, selection, shown = self.mark_selection, self.state.selection, self.isVisible()
        changed = changed or self.runner.is_busy(f"{self.kind}-again")  # this task replaces that one

        def task(_db: Database, _progress: Progress, cancel: CancelCheck) -> QImage | None:
            with drawing(cancel):
                marked = mark(chart, selection)
                return render_picture(chart.figure) if (marked or changed) and shown else None

        def done(picture: QImage | None) -> None:
            if self.chart is not chart:  # replaced by a new chart meanwhile (marked when drawn)
                return
            if picture is not None:
                self.canvas.show_picture(chart.figure, picture)
            elif not shown:
                self._picture_stale = True

        def failed(exc: BaseException) -> None:
            if self.chart is chart and not isinstance(exc, Cancelled):  # else its figure is gone anyway
                self._chart_failed(exc)

        self._picture_stale = False
        self._again = self.runner.submit(f"{self.kind}-again", task, on_done=done, on_error=failed)

    def _chart_ready(self, payload: Drawn) -> None:
        self.content, self.chart, picture, marked = payload
        if self.scroll_area is not None:  # the canvas takes the chart's height; the area scrolls
            self.canvas.setMinimumHeight(round(self.chart.figure.get_figheight() * BASE_DPI))
            self.canvas.resize(self.canvas.width(), self.canvas.minimumHeight())
        old = self.canvas.show_picture(self.chart.figure, picture)
        if old is not None:
            if self._again is not None:  # a worker may be about to mark the old figure: it must not
                self._again.cancel()  # (it stops when it has the figure lock, or the release waits for it)
            self._release(old)
        self.connect_events()
        self.on_chart(self.content, self.chart)
        if marked != self.state.selection:  # the selection changed while the chart was drawn
            self._render_again()
        text = f"{self.content.status} {self.hint}".strip()
        self.status.setText(text)
        self.canvas.setAccessibleDescription(text)
        self.busy_changed.emit(False)
        self.drawn.emit()

    def _release(self, figure: Figure) -> None:
        """Take a figure no longer shown apart on a worker (see :func:`release_figure`)."""

        def task(_db: Database, _progress: Progress, _cancel: CancelCheck) -> None:
            with drawing(lambda: False):
                release_figure(figure)

        self.runner.submit("release-figure", task, on_done=lambda _none: None)  # runs even if superseded

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
        self._resize_timer.start(RESIZE_DEBOUNCE_MS)  # while the user drags, the old picture stays

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()
        elif self._picture_stale:
            self._render_again(changed=True)
        self._resize_timer.start(0)  # a tab just shown: its size is known once laid out

    def _size_settled(self) -> None:
        """Draw again at the canvas's size and pixel ratio once they differ from the picture's."""
        if self._built_size is None or not self.isVisible():
            return
        width, height = self._canvas_size()
        old_w, old_h = self._built_size
        ratio = self.canvas.devicePixelRatioF() or 1.0
        if abs(width - old_w) > 0.05 * old_w or abs(height - old_h) > 0.05 * old_h or ratio != self._built_ratio:
            self.redraw()


def grow_figure(figure: Figure, height_in: float) -> None:
    """Make ``figure`` (sized like the view) at least ``height_in`` tall: in a view that
    ``scrolls``, a chart keeps the height its rows need to stay readable (call it in the draw
    function, before drawing)."""
    if height_in > figure.get_figheight():
        figure.set_size_inches(figure.get_figwidth(), height_in, forward=False)


def _figure(size: tuple[int, int], ratio: float = 1.0) -> Figure:
    """A figure of ``size`` logical pixels; ``ratio`` > 1 renders it sharp on a HiDPI screen
    (same inches, more dots; fonts and lines keep their size in points)."""
    figure = Figure(figsize=(size[0] / BASE_DPI, size[1] / BASE_DPI), dpi=BASE_DPI)
    if ratio != 1.0:
        figure.set_dpi(BASE_DPI * ratio)  # its canvas keeps BASE_DPI as the original dpi
    return figure


def release_figure(figure: Figure) -> None:
    """Free a figure's artists now, in this thread. Artists refer to each other in cycles
    (figure, axes, ticks, callbacks), so a dropped figure waits for the cyclic garbage
    collector, which runs on the GUI thread: freeing ~10,000 artists of each old chart there took
    20-50 ms. Emptying every artist's attributes breaks the cycles, and reference counting frees
    them where this runs. Call it under the figure lock, with the figure shown nowhere."""
    artists = figure.findobj()
    for artist in artists:
        artist.__dict__.clear()


def _draw_and_render(
    content: Any,
    draw: Draw,
    theme: Theme,
    marks: tuple[Mark, Selection],
    size: tuple[int, int],
    ratio: float,
    cancel: CancelCheck,
) -> Drawn:
    """On a worker: draw ``content`` into a new figure, mark the selection on it and render its
    pixels, under the figure lock."""
    mark, selection = marks
    with drawing(cancel):
        chart = draw(content, theme, _figure(size, ratio))
        if cancel():
            release_figure(chart.figure)  # superseded: nobody will show it
            stop_if_cancelled(cancel)
        mark(chart, selection)
        return content, chart, render_picture(chart.figure), selection
