"""Change over time: polarisation and the bloc gap per session for the current filter (a
provision, typically), and each session's network or matrix as small multiples on one layout.

Computed and worded by :mod:`explorer.pipeline.evolution` (``export-chart --kind evolution``
draws the same). The controls write :class:`~explorer.state.EvolutionOptions`; switching
between networks and matrices only redraws. Metric, minimum of shared questions and seed are
the network view's. A click on a node selects that actor everywhere; the selected actor is
ringed in every session's panel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from matplotlib.backend_bases import MouseEvent, PickEvent
from matplotlib.figure import Figure
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QToolTip, QWidget

from explorer.charts.evolution_chart import EvolutionChart, natural_height
from explorer.charts.style import Theme
from explorer.pipeline import evolution
from explorer.state import AppState, EvolutionOptions, Selection
from explorer.ui.chart_view import ChartView, Compute, Draw, grow_figure
from explorer.ui.choice_box import choice_box, show_choice
from explorer.ui.plain_text import rich_tooltip
from explorer.ui.selection_marks import add_rings, set_rings
from explorer.ui.state_binding import subscribe
from explorer.ui.workers import TaskRunner
from explorer.vocabulary import COLOR_BY_LABELS, EVOLUTION_VIEW_LABELS, EVOLUTION_WINDOW_LABELS


class EvolutionView(ChartView):
    kind = "evolution"
    hint = "Every session on the same layout; click a node to select that actor."
    compute_when_hidden = False
    scrolls = True  # nine sessions' panels keep a readable size

    def __init__(self, state: AppState, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(state, runner, "Change over time: polarisation and each session's network or matrix", parent)
        self.view_box = choice_box(
            self, "&Show:", EVOLUTION_VIEW_LABELS, "Small multiples", "Each session's network or matrix", self.controls
        )
        self.window_box = choice_box(
            self,
            "Sess&ions:",
            EVOLUTION_WINDOW_LABELS,
            "Time window",
            "Each session's positions alone, or all positions up to the end of each session",
            self.controls,
        )
        self.blocs_box = choice_box(
            self,
            "&Blocs:",
            COLOR_BY_LABELS,
            "Blocs of the bloc gap",
            "The bloc gap compares agreement within and between these blocs (of the whole filter)",
            self.controls,
        )
        self.controls.addStretch(1)
        for box, field in ((self.view_box, "view"), (self.window_box, "window"), (self.blocs_box, "blocs")):
            box.currentIndexChanged.connect(lambda _i, box=box, field=field: self._write(**{field: box.currentData()}))
        self._options = state.evolution_options
        self._show_options(state.evolution_options)
        self._hovered: tuple[int, str] | None = None
        subscribe(self, state.evolution_options_changed, self._options_changed)
        subscribe(self, state.network_options_changed, lambda _o: self.refresh_when_shown())

    # options -------------------------------------------------------------------------------
    def _write(self, **changes: Any) -> None:
        self.state.set_evolution_options(replace(self.state.evolution_options, **changes))

    def _options_changed(self, options: EvolutionOptions) -> None:
        shown, self._options = self._options, options
        self._show_options(options)
        if replace(shown, view=options.view) == options:
            self.redraw()  # networks or matrices of the same sessions: nothing to recompute
        else:
            self.refresh_when_shown()

    def _show_options(self, options: EvolutionOptions) -> None:
        show_choice(self.view_box, options.view)
        show_choice(self.window_box, options.window)
        show_choice(self.blocs_box, options.blocs)

    # computing and drawing -----------------------------------------------------------------
    def compute_function(self) -> Compute:
        options, network = self.state.evolution_options, self.state.network_options
        request = evolution.EvolutionRequest(
            window=options.window,
            blocs=options.blocs,
            metric=network.metric,
            min_shared=network.min_shared,
            seed=network.seed,
        )
        return lambda db, compiled, cancel: evolution.evolution_content(db, compiled, request, cancel=cancel)

    def draw_function(self) -> Draw:
        view = self.state.evolution_options.view

        def draw(content: evolution.EvolutionContent, theme: Theme, figure: Figure) -> EvolutionChart:
            grow_figure(figure, natural_height(len(content.result.panels)))
            chart = evolution.draw_evolution(content, view=view, theme=theme, figure=figure)
            for ax in chart.panel_axes if chart.node_artists else ():
                add_rings(ax, theme)
            return chart

        return draw

    def on_chart(self, content: evolution.EvolutionContent, chart: EvolutionChart) -> None:
        self._hovered = None

    def mark_selection(self, chart: EvolutionChart, selection: Selection) -> bool:
        """Ring the selected actor in every session where it has a node."""
        node = str(selection.actor) if selection.actor is not None else ""
        moved = False
        for ax, artist, order in zip(chart.panel_axes, chart.node_artists, chart.node_orders, strict=False):
            xy = [np.asarray(artist.get_offsets())[order.index(node)]] if node in order else []
            moved = set_rings(ax, xy) or moved
        return moved

    # mouse ---------------------------------------------------------------------------------
    def connect_events(self) -> None:
        self.canvas.mpl_connect("pick_event", self._pick)
        self.canvas.mpl_connect("motion_notify_event", self._hover)

    def node_under(self, event: MouseEvent) -> tuple[int, str] | None:
        """(panel, node id) under the mouse, or None."""
        chart: EvolutionChart | None = self.chart
        if chart is None:
            return None
        for panel, artist in enumerate(chart.node_artists):
            if event.inaxes is artist.axes:
                inside, info = artist.contains(event)
                indices: Sequence[int] = info.get("ind", ()) if inside else ()
                return (panel, chart.node_at(panel, int(indices[-1]))) if len(indices) else None
        return None

    def _pick(self, event: PickEvent) -> None:
        chart: EvolutionChart | None = self.chart
        indices: Sequence[int] = getattr(event, "ind", ())
        if chart is None or not len(indices) or getattr(event.mouseevent, "button", 1) != 1:
            return
        for panel, artist in enumerate(chart.node_artists):
            if event.artist is artist:
                self.state.select_actor(int(chart.node_at(panel, int(indices[-1]))))
                return

    def _hover(self, event: MouseEvent) -> None:
        hit = self.node_under(event)
        if hit == self._hovered:
            return
        self._hovered = hit
        if hit is None or self.content is None:
            QToolTip.hideText()
            return
        panel, node = hit
        text = evolution.describe_node(self.content, self.chart.panel_keys[panel], node)
        QToolTip.showText(QCursor.pos(), rich_tooltip(f"{text}\n{self.hint}"), self.canvas)
