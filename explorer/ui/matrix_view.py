"""Who wants what: the positions matrix (actors × questions, each cell the side the actor took).

What is drawn, its order, the binning of wide matrices and every message come from
:mod:`explorer.pipeline.matrix` (``export-chart --kind matrix`` draws the same). This view adds
the row and column order and the collapsed chapters (written into the state's
:class:`~explorer.state.MatrixOptions`), the hover text, and turns a click on a cell into a
selection of the positions behind it; the selection is outlined without redrawing the matrix.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from matplotlib.backend_bases import MouseEvent
from matplotlib.figure import Figure
from PySide6.QtGui import QAction, QCursor
from PySide6.QtWidgets import QMenu, QToolButton, QToolTip, QWidget

from explorer.charts.matrix_chart import MatrixCell, MatrixChart, natural_size
from explorer.charts.style import Theme
from explorer.pipeline import matrix
from explorer.state import AppState, MatrixOptions, NetworkOptions, Selection
from explorer.store.database import Database
from explorer.ui.chart_view import ChartView, Compute, Draw, grow_figure
from explorer.ui.choice_box import choice_box, show_choice
from explorer.ui.plain_text import rich_tooltip
from explorer.ui.selection_marks import add_outlines, set_outlines
from explorer.ui.state_binding import subscribe
from explorer.ui.workers import TaskRunner
from explorer.vocabulary import MATRIX_COLUMN_LABELS, MATRIX_ROW_LABELS


class MatrixView(ChartView):
    kind = "matrix"
    hint = "Hover a cell to read it; click it to select its positions in the table."
    compute_when_hidden = False
    scrolls = True  # 200 actors keep rows tall enough to read

    def __init__(self, state: AppState, db: Database, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(
            state, runner, "Positions matrix: actors by questions, each cell the side the actor took", parent
        )
        self.db = db  # the GUI thread's connection: hover texts read one position
        self.rows_box = choice_box(
            self,
            "Ro&ws:",
            MATRIX_ROW_LABELS,
            "Row order",
            "Order the actors by similarity, or group them by community or UN regional group",
            self.controls,
        )
        self.columns_box = choice_box(
            self,
            "Colu&mns:",
            MATRIX_COLUMN_LABELS,
            "Column order",
            "Questions in treaty order (grouped by provision), or the most divisive first",
            self.controls,
        )
        self.chapters_button = QToolButton(self)
        self.chapters_button.setText("C&hapters")
        self.chapters_button.setToolTip("Collapse a chapter into one column (each cell: the side taken most often)")
        self.chapters_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.chapters_menu = QMenu(self.chapters_button)
        self.chapters_button.setMenu(self.chapters_menu)
        self.controls.addWidget(self.chapters_button)
        self.controls.addStretch(1)
        self.rows_box.currentIndexChanged.connect(lambda _i: self._write(rows=self.rows_box.currentData()))
        self.columns_box.currentIndexChanged.connect(lambda _i: self._write(columns=self.columns_box.currentData()))
        self._options = state.matrix_options
        self._show_options(state.matrix_options)
        self._hovered: tuple[int, int] | None = None
        subscribe(self, state.matrix_options_changed, self._options_changed)
        subscribe(self, state.network_options_changed, self._network_options_changed)

    # options -------------------------------------------------------------------------------
    def _write(self, **changes: Any) -> None:
        self.state.set_matrix_options(replace(self.state.matrix_options, **changes))

    def set_collapsed(self, chapter: str, collapsed: bool) -> None:
        """Draw ``chapter`` (its key) as one column, or open it again."""
        keys = [k for k in self.state.matrix_options.collapsed if k != chapter] + ([chapter] if collapsed else [])
        self._write(collapsed=tuple(keys))

    def _options_changed(self, options: MatrixOptions) -> None:
        shown, self._options = self._options, options
        self._show_options(options)
        if (shown.rows, shown.columns) == (options.rows, options.columns):
            self.redraw()  # only chapters collapsed or opened: the same content, drawn again
        else:
            self.refresh_when_shown()

    def _network_options_changed(self, options: NetworkOptions) -> None:
        if self.state.matrix_options.rows == "community":  # communities use the network's settings
            self.refresh_when_shown()

    def _show_options(self, options: MatrixOptions) -> None:
        show_choice(self.rows_box, options.rows)
        show_choice(self.columns_box, options.columns)

    def _fill_chapters(self, content: matrix.MatrixContent) -> None:
        self.chapters_menu.clear()
        chapters = content.result.matrix.chapter_groups
        collapsed = set(self.state.matrix_options.collapsed)
        for group in chapters:
            action = QAction(group.label, self.chapters_menu)
            action.setCheckable(True)
            action.setChecked(group.key in collapsed)
            action.toggled.connect(lambda on, key=group.key: self.set_collapsed(key, on))
            self.chapters_menu.addAction(action)
        self.chapters_button.setEnabled(bool(chapters))

    # computing and drawing -----------------------------------------------------------------
    def compute_function(self) -> Compute:
        options, network = self.state.matrix_options, self.state.network_options
        request = matrix.MatrixRequest(
            rows=options.rows, columns=options.columns, min_shared=network.min_shared, seed=network.seed
        )
        return lambda db, compiled, cancel: matrix.matrix_content(db, compiled, request, cancel=cancel)

    def draw_function(self) -> Draw:
        collapsed = self.state.matrix_options.collapsed

        def draw(content: matrix.MatrixContent, theme: Theme, figure: Figure) -> MatrixChart:
            rows, columns = content.result.matrix.shape
            grow_figure(figure, natural_size(rows, min(columns, content.max_columns))[1])
            chart = matrix.draw_matrix(content, theme=theme, figure=figure, collapsed_chapters=collapsed)
            add_outlines(chart.axes, theme)
            return chart

        return draw

    def on_chart(self, content: matrix.MatrixContent, chart: MatrixChart) -> None:
        self._hovered = None
        self._fill_chapters(content)

    def mark_selection(self, chart: MatrixChart, selection: Selection) -> bool:
        """Outline the cells of the selected positions, or the selected actor's row."""
        if chart.mesh is None:
            return False
        boxes = [(col, row, col + 1, row + 1) for row, col in chart.cells_of_positions(selection.positions)]
        if not boxes and selection.actor is not None:
            rows = np.flatnonzero(chart.matrix.actor_ids == selection.actor)
            boxes = [(0, int(r), len(chart.bins), int(r) + 1) for r in rows[:1]]
        return set_outlines(chart.axes, boxes)

    # mouse ---------------------------------------------------------------------------------
    def connect_events(self) -> None:
        self.canvas.mpl_connect("motion_notify_event", self._hover)
        self.canvas.mpl_connect("button_press_event", self._click)

    def cell_text(self, cell: MatrixCell) -> str:
        return matrix.describe_cell(self.db, self.content, cell)

    def _hover(self, event: MouseEvent) -> None:
        cell = self.chart.cell_at(event) if self.chart is not None and self.content is not None else None
        where = (cell.row, cell.column) if cell is not None else None
        if where == self._hovered:
            return
        self._hovered = where
        if cell is None:
            QToolTip.hideText()
            return
        text = self.cell_text(cell)
        if cell.position_ids:
            text += "\n\nClick to select its position(s) in the table."
        QToolTip.showText(QCursor.pos(), rich_tooltip(text), self.canvas)

    def _click(self, event: MouseEvent) -> None:
        if self.chart is None or event.button != 1:
            return
        cell = self.chart.cell_at(event)
        if cell is None:
            return
        if cell.position_ids:
            self.state.select_positions(cell.position_ids)
        else:
            self.state.select_actor(cell.actor_id)
