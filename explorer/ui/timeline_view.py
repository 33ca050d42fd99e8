"""Timeline: who took which stance when, over the sessions. Hover reads, click selects.

Hovering a marker shows the actor, date, stance and summary as a plain-text tooltip; a click
emits the position id so the main window selects it in the table.

The timeline is for a provision, question, session or a few actors: a filter matching more
than :data:`POINT_LIMIT` positions gets a message asking to narrow it instead of a cloud of
markers, which would be unreadable, slow and big in memory (per-session counts are in the
Sessions tab).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QLabel, QToolTip, QWidget

from explorer import pipeline
from explorer.charts.export import caption_text
from explorer.charts.style import stance_style
from explorer.charts.timeline_chart import build_timeline_notice
from explorer.store import queries
from explorer.store.filters import PositionFilter, compile_filter
from explorer.ui.chart_view import ChartView
from explorer.ui.plain_text import rich_tooltip
from explorer.ui.workers import TaskRunner

POINT_LIMIT = 5_000


def too_many_message(count: int) -> str:
    return (
        f"{count:,} positions match the filter: too many to show one by one.\n"
        "Choose a provision, question, session or actors to see them."
    )


class TimelineView(ChartView):
    kind = "timeline"
    position_clicked = Signal(int)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(runner, "Timeline chart of positions by actor and date", parent)
        hint = QLabel(
            "Rows are actors, columns time, shaded bands sessions; marker shape and colour show "
            f"the stance. Hover a marker to read it, click to select it. Up to {POINT_LIMIT:,} are drawn.",
            self,
        )
        hint.setToolTip(
            f"A filter matching more than {POINT_LIMIT:,} positions is not drawn marker by marker: "
            "narrow it to a provision, question, session or actors."
        )
        hint.setWordWrap(True)
        self.controls.addWidget(hint)
        self.points: dict[int, object] = {}
        self._hovered: int | None = None

    def chart_task(self, flt: PositionFilter, figure):
        theme = self.theme

        def draw(db, _progress, _cancel):
            count = queries.count_positions(db, compile_filter(db, flt))
            if count > POINT_LIMIT:
                name, version = pipeline.dataset_label(db, flt)
                chart = build_timeline_notice(
                    too_many_message(count),
                    title=pipeline.chart_title(db, flt, "Positions over time"),
                    caption=caption_text(dataset=name, version=version, filters=flt.describe()),
                    theme=theme,
                    figure=figure,
                )
                return chart, ({}, 0, count)
            chart = pipeline.timeline_chart_for(db, flt, theme=theme, figure=figure)
            return chart, ({p.position_id: p for p in chart.points}, count - len(chart.points), count)

        return draw

    def on_chart(self, chart, extra) -> str:
        self.points, undated, count = extra
        if count > POINT_LIMIT:
            return too_many_message(count).replace("\n", " ")
        actors = len(chart.actors)
        text = f"{len(self.points):,} position(s) by {actors:,} actor(s) on the time axis"
        if undated:
            text += f"; {undated:,} without a date are in the table only"
        return text + "."

    def connect_events(self) -> list[int]:
        return [
            self.canvas.mpl_connect("motion_notify_event", self._hover),
            self.canvas.mpl_connect("button_press_event", self._click),
        ]

    def summary_text(self, position_id: int) -> str:
        p = self.points.get(position_id)
        if p is None:
            return ""
        option = f" — {p.option}" if p.option else ""
        return (
            f"{p.actor}, {p.date.isoformat()}: {stance_style(p.stance).label}{option}\n{p.question}\n\n{p.summary}"
        ).strip()

    def _hover(self, event) -> None:
        if self.chart is None:
            return
        position_id = self.chart.hit(event)
        if position_id == self._hovered:
            return
        self._hovered = position_id
        if position_id is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(QCursor.pos(), rich_tooltip(self.summary_text(position_id)), self.canvas)

    def _click(self, event) -> None:
        if self.chart is None or event.button != 1:
            return
        position_id = self.chart.hit(event)
        if position_id is not None:
            self.position_clicked.emit(int(position_id))
