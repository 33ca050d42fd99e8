"""Timeline: who took which stance when, over the sessions. Hover reads, click selects.

What is drawn, the marker budget and every message come from :mod:`explorer.pipeline.timeline`
(the CLI draws the same); this view adds the hover tooltip and turns a click on a marker into
a selection in the application state. Above the budget the chart is a density: hovering a cell
tells what it holds, and a click narrows the filter to its actor and days (markers again).
"""

from __future__ import annotations

import numpy as np
from matplotlib.backend_bases import MouseEvent
from matplotlib.figure import Figure
from PySide6.QtCore import Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QLabel, QToolTip, QWidget

from explorer.charts.style import Theme
from explorer.charts.timeline_chart import TimelineChart
from explorer.charts.timeline_density_chart import TimelineDensityChart
from explorer.pipeline import timeline
from explorer.state import AppState, Selection, TimelineOptions
from explorer.store.records import TimelinePoint
from explorer.ui.chart_view import ChartView, Compute, Draw
from explorer.ui.choice_box import choice_box, show_choice
from explorer.ui.plain_text import rich_tooltip
from explorer.ui.selection_marks import add_outlines, add_rings, set_outlines, set_rings
from explorer.ui.state_binding import subscribe
from explorer.ui.workers import TaskRunner
from explorer.vocabulary import TIMELINE_SIDES_LABELS


class TimelineView(ChartView):
    kind = "timeline"
    position_clicked = Signal(int)

    def __init__(self, state: AppState, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(state, runner, "Timeline chart of positions by actor and date", parent)
        limit = timeline.POINT_LIMIT
        hint = QLabel(
            "Rows are actors, columns time, shaded bands sessions; colour shows the option backed, "
            f"shape the stance. Hover a marker to read it, click to select it. Above {limit:,} positions "
            "each cell counts positions: click one to see them.",
            self,
        )
        hint.setToolTip(
            f"A filter matching more than {limit:,} positions is drawn as a density (positions per "
            "actor and few days); a click on a cell, or a narrower filter, shows them marker by marker."
        )
        hint.setWordWrap(True)
        self.controls.addWidget(hint, 1)
        self.sides_box = choice_box(
            self,
            "&Colours:",
            TIMELINE_SIDES_LABELS,
            "Timeline colours",
            "With several questions: rows grouped per question, colours ranked per question "
            "(1st, 2nd … most backed option), or only the filter's most debated question",
            self.controls,
        )
        self.sides_box.currentIndexChanged.connect(
            lambda _i: self.state.set_timeline_options(TimelineOptions(sides=self.sides_box.currentData()))
        )
        show_choice(self.sides_box, state.timeline_options.sides)
        subscribe(self, state.timeline_options_changed, self._options_changed)
        self.points: dict[int, TimelinePoint] = {}
        self._hovered: int | str | tuple[int, int] | None = None  # a position id, a row's full name, a density cell

    def _options_changed(self, options: TimelineOptions) -> None:
        show_choice(self.sides_box, options.sides)
        self.refresh()  # "most debated" changes which positions are drawn

    def compute_function(self) -> Compute:
        sides = self.state.timeline_options.sides
        return lambda db, compiled, cancel: timeline.timeline_content(db, compiled, sides=sides, cancel=cancel)

    def draw_function(self) -> Draw:
        def draw(
            content: timeline.TimelineContent, theme: Theme, figure: Figure
        ) -> TimelineChart | TimelineDensityChart:
            chart = timeline.draw_timeline(content, theme=theme, figure=figure)
            if isinstance(chart, TimelineDensityChart):
                add_outlines(chart.axes, theme)
            else:
                add_rings(chart.axes, theme)
            return chart

        return draw

    def on_chart(self, content: timeline.TimelineContent, chart: TimelineChart | TimelineDensityChart) -> None:
        self.points = {p.position_id: p for p in chart.points} if isinstance(chart, TimelineChart) else {}

    def mark_selection(self, chart: TimelineChart | TimelineDensityChart, selection: Selection) -> bool:
        """Ring the selected positions' markers; on a density, outline the selected actor's row."""
        if isinstance(chart, TimelineDensityChart):
            box = chart.row_box(selection.actor)
            return set_outlines(chart.axes, [box] if box is not None else [])
        wanted = set(selection.positions)
        xy = [
            np.asarray(artist.get_offsets())[i]
            for artist, ids in chart.points_by_artist
            for i, position_id in enumerate(ids)
            if position_id in wanted
        ]
        return set_rings(chart.axes, xy)

    def connect_events(self) -> None:
        self.canvas.mpl_connect("motion_notify_event", self._hover)
        self.canvas.mpl_connect("button_press_event", self._click)

    def summary_text(self, position_id: int) -> str:
        point = self.points.get(position_id)
        return timeline.describe_point(point) if point is not None else ""

    def _hover(self, event: MouseEvent) -> None:
        """A marker's position, or a row label's full name (rows show short names)."""
        if isinstance(self.chart, TimelineDensityChart):
            self._hover_cell(event, self.chart)
            return
        if self.chart is None:
            return
        position_id = self.chart.hit(event)
        row = self.chart.row_name_at(event) if position_id is None else None
        hovered = position_id if position_id is not None else row
        if hovered == self._hovered:
            return
        self._hovered = hovered
        if position_id is not None:
            QToolTip.showText(QCursor.pos(), rich_tooltip(self.summary_text(position_id)), self.canvas)
        elif row is not None:
            QToolTip.showText(QCursor.pos(), rich_tooltip(row), self.canvas)
        else:
            QToolTip.hideText()

    def _click(self, event: MouseEvent) -> None:
        if self.chart is None or event.button != 1:
            return
        if isinstance(self.chart, TimelineDensityChart):
            cell = self.chart.cell_at(event)
            if cell is not None:
                self.state.navigate(filter=timeline.cell_filter(self.state.filter, self.chart.density, *cell))
            return
        position_id = self.chart.hit(event)
        if position_id is not None:
            self.position_clicked.emit(int(position_id))

    def _hover_cell(self, event: MouseEvent, chart: TimelineDensityChart) -> None:
        cell = chart.cell_at(event)
        if cell == self._hovered:
            return
        self._hovered = cell
        if cell is None:
            QToolTip.hideText()
        else:
            text = f"{timeline.describe_cell(chart.density, *cell)}\nClick to see these positions one by one."
            QToolTip.showText(QCursor.pos(), rich_tooltip(text), self.canvas)
