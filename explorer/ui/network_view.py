"""The agreement network of the current filter, with the controls that keep 190 states readable.

The controls write :class:`~explorer.state.NetworkOptions` into the application state and show
what it holds. Layout positions are remembered by actor id and passed back as ``previous_pos``,
so a filter change moves nodes a little instead of reshuffling the picture. A click on a node
emits the actor's id; hovering names the node (text from :mod:`explorer.pipeline.network`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from matplotlib.backend_bases import MouseEvent, PickEvent
from matplotlib.figure import Figure
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout, QLabel, QSpinBox, QToolTip, QWidget

from explorer.analysis.network import NetworkResult
from explorer.charts.network_chart import NetworkChart
from explorer.charts.style import Theme
from explorer.pipeline import network
from explorer.state import AppState, NetworkOptions, Selection
from explorer.ui.chart_view import ChartView, Compute, Draw
from explorer.ui.plain_text import rich_tooltip
from explorer.ui.selection_marks import add_rings, ring_area, set_rings
from explorer.ui.state_binding import subscribe
from explorer.ui.workers import TaskRunner
from explorer.vocabulary import COLOR_BY_LABELS, METRIC_LABELS

CONTROL_DEBOUNCE_MS = 250


class NetworkView(ChartView):
    kind = "network"
    hint = "Click a node to filter to that actor."
    actor_clicked = Signal(int)  # the actor's id

    def __init__(self, state: AppState, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(state, runner, "Agreement network chart: actors linked by how often they agreed", parent)
        self.result: NetworkResult | None = None
        self.layout_memory: dict[str, tuple[float, float]] = {}
        self._hovered: str | None = None
        self.metric_box = QComboBox(self)
        for key, title in METRIC_LABELS.items():
            self.metric_box.addItem(title, key)
        self.min_shared_box = QSpinBox(self, minimum=1, maximum=500)
        self.min_shared_box.setToolTip(
            "Link two actors only if they addressed at least this many of the same questions"
        )
        self.min_weight_box = QDoubleSpinBox(self, minimum=0.0, maximum=1.0, singleStep=0.05, decimals=2)
        self.min_weight_box.setToolTip("Draw only edges whose agreement exceeds this value")
        self.color_by_box = QComboBox(self)
        for key, title in COLOR_BY_LABELS.items():
            self.color_by_box.addItem(title, key)
        self.seed_box = QSpinBox(self, minimum=0, maximum=2**31 - 1)
        self.seed_box.setToolTip("Seed of the community detection and layout: same seed, same picture")
        self.conflict_box = QCheckBox("Conflict t&ies", self)
        self.conflict_box.setToolTip(
            "Draw dashed vermillion ties between actors who took opposite sides more often than the same"
        )
        self.conflict_box.setAccessibleName("Show conflict ties")
        self.all_ties_box = QCheckBox("Draw every &tie", self)
        self.all_ties_box.setAccessibleName("Draw every tie of a dense network")
        self.all_ties_box.setToolTip(
            "A network of many actors with many ties is drawn as its backbone (each actor's strongest ties); "
            "tick to draw every tie. Exported networks always hold every tie."
        )
        grid = QGridLayout()
        for n, (caption, widget, name) in enumerate(
            (
                ("&Metric:", self.metric_box, "Agreement metric"),
                ("&Colour by:", self.color_by_box, "Colour nodes by"),
                ("See&d:", self.seed_box, "Layout seed"),
                ("Min. &shared questions:", self.min_shared_box, "Minimum shared questions"),
                ("Min. &edge strength:", self.min_weight_box, "Minimum edge strength"),
            )
        ):
            label = QLabel(caption, self)
            label.setBuddy(widget)
            widget.setAccessibleName(name)
            grid.addWidget(label, n // 3, 2 * (n % 3))
            grid.addWidget(widget, n // 3, 2 * (n % 3) + 1)
        grid.addWidget(self.conflict_box, 1, 4, 1, 2)
        grid.addWidget(self.all_ties_box, 2, 4, 1, 2)
        grid.setColumnStretch(6, 1)
        self.controls.addLayout(grid)
        self._show_options(state.network_options)
        self._controls_timer = QTimer(self, singleShot=True, interval=CONTROL_DEBOUNCE_MS)
        self._controls_timer.timeout.connect(self._write_options)
        for signal in (
            self.metric_box.currentIndexChanged,
            self.min_shared_box.valueChanged,
            self.min_weight_box.valueChanged,
            self.color_by_box.currentIndexChanged,
            self.seed_box.valueChanged,
            self.conflict_box.toggled,
            self.all_ties_box.toggled,
        ):
            signal.connect(lambda *_: self._controls_timer.start())
        subscribe(self, state.network_options_changed, self._options_changed)

    # the options: written into the state, shown from it ---------------------------------------
    def write_pending(self) -> None:
        """Write a control change still waiting for its debounce (the window is closing)."""
        if self._controls_timer.isActive():
            self._controls_timer.stop()
            self._write_options()

    def _write_options(self) -> None:
        self.state.set_network_options(
            NetworkOptions(
                metric=self.metric_box.currentData(),
                min_shared=self.min_shared_box.value(),
                min_weight=self.min_weight_box.value(),
                color_by=self.color_by_box.currentData(),
                seed=self.seed_box.value(),
                show_conflict=self.conflict_box.isChecked(),
                all_ties=self.all_ties_box.isChecked(),
            )
        )

    def _options_changed(self, options: NetworkOptions) -> None:
        shown = self._options
        self._show_options(options)
        if (
            replace(shown, color_by=options.color_by, show_conflict=options.show_conflict, all_ties=options.all_ties)
            == options
        ):
            if self.content is not None and self.content.all_ties != options.all_ties:
                self.content = replace(self.content, all_ties=options.all_ties)  # drawn otherwise, not recomputed
            self.redraw()  # only how it is drawn changed: nothing to recompute
        else:
            self.refresh()

    def _show_options(self, options: NetworkOptions) -> None:
        widgets = (
            self.metric_box,
            self.min_shared_box,
            self.min_weight_box,
            self.color_by_box,
            self.seed_box,
            self.conflict_box,
            self.all_ties_box,
        )
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.metric_box.setCurrentIndex(max(self.metric_box.findData(options.metric), 0))
            self.color_by_box.setCurrentIndex(max(self.color_by_box.findData(options.color_by), 0))
            self.min_shared_box.setValue(options.min_shared)
            self.min_weight_box.setValue(options.min_weight)
            self.seed_box.setValue(options.seed)
            self.conflict_box.setChecked(options.show_conflict)
            self.all_ties_box.setChecked(options.all_ties)
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self._options = options

    # computing and drawing -----------------------------------------------------------------
    def compute_function(self) -> Compute:
        options = self.state.network_options
        request = network.NetworkRequest(
            metric=options.metric, min_shared=options.min_shared, min_weight=options.min_weight, seed=options.seed
        )
        previous = dict(self.layout_memory) or None
        return lambda db, compiled, cancel: network.network_content(
            db, compiled, request, previous_pos=previous, cancel=cancel, all_ties=options.all_ties
        )

    def draw_function(self) -> Draw:
        color_by, show_conflict = self.state.network_options.color_by, self.state.network_options.show_conflict

        def draw(content: network.NetworkContent, theme: Theme, figure: Figure) -> NetworkChart:
            chart = network.draw_network(
                content, color_by=color_by, theme=theme, figure=figure, show_conflict=show_conflict
            )
            add_rings(chart.axes, theme)
            return chart

        return draw

    def on_chart(self, content: network.NetworkContent, chart: NetworkChart) -> None:
        self.result = content.result
        self.layout_memory.update(content.result.pos)

    def mark_selection(self, chart: NetworkChart, selection: Selection) -> bool:
        """Ring the selected actor's node."""
        node = str(selection.actor) if selection.actor is not None else None
        if node is None or node not in chart.node_order:
            return set_rings(chart.axes, [])
        index = chart.node_order.index(node)
        sizes = chart.node_artist.get_sizes()
        area = float(sizes[index] if len(sizes) > index else sizes[0])
        return set_rings(chart.axes, [np.asarray(chart.node_artist.get_offsets())[index]], [ring_area(area)])

    def node_label(self, node: str) -> str:
        return str(self.result.graph.nodes[node].get("label", node)) if self.result else node

    # mouse ---------------------------------------------------------------------------------
    def connect_events(self) -> None:
        self.canvas.mpl_connect("pick_event", self._pick)
        self.canvas.mpl_connect("motion_notify_event", self._hover)

    def _node_under(self, event: MouseEvent) -> str | None:
        if self.chart is None or not self.chart.node_order or event.inaxes is not self.chart.axes:
            return None
        inside, info = self.chart.node_artist.contains(event)
        indices: Sequence[int] = info.get("ind", ()) if inside else ()
        return self.chart.node_at(int(indices[-1])) if len(indices) else None

    def _pick(self, event: PickEvent) -> None:
        indices: Sequence[int] = getattr(event, "ind", ())  # set by the collection that was picked
        if self.chart is None or event.artist is not self.chart.node_artist or not len(indices):
            return
        if getattr(event.mouseevent, "button", 1) != 1:
            return
        self.actor_clicked.emit(int(self.chart.node_at(int(indices[-1]))))

    def _hover(self, event: MouseEvent) -> None:
        node = self._node_under(event)
        if node == self._hovered:
            return
        self._hovered = node
        if node is None or self.content is None:
            QToolTip.hideText()
            return
        text = network.describe_node(self.content, node, shown_as=self.chart.categories.get(node, ""))
        QToolTip.showText(QCursor.pos(), rich_tooltip(f"{text}\n{self.hint}"), self.canvas)
