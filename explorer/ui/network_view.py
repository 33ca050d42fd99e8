"""The agreement network of the current filter, with the controls that keep 190 states readable.

Layout positions are remembered by actor id and passed back as ``previous_pos``, so a filter
change moves nodes a little instead of reshuffling the picture. A click on a node emits the
actor's name (the main window filters to it); hovering names the node.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QGridLayout, QLabel, QSpinBox, QToolTip, QWidget

from explorer import pipeline
from explorer.store.filters import PositionFilter
from explorer.ui.chart_view import ChartView
from explorer.ui.plain_text import rich_tooltip
from explorer.ui.workers import TaskRunner
from explorer.vocabulary import DEFAULT_SEED, METRIC_LABELS

CONTROL_DEBOUNCE_MS = 250


class NetworkView(ChartView):
    kind = "network"
    actor_clicked = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(runner, "Agreement network chart: actors linked by how often they agreed", parent)
        self.result = None
        self.layout_memory: dict[str, tuple[float, float]] = {}
        self._hovered: str | None = None
        self.metric_box = QComboBox(self)
        for key, label in METRIC_LABELS.items():
            self.metric_box.addItem(label, key)
        self.min_shared = QSpinBox(self, minimum=1, maximum=500, value=1)
        self.min_shared.setToolTip("Link two actors only if they addressed at least this many of the same questions")
        self.min_weight = QDoubleSpinBox(self, minimum=0.0, maximum=1.0, singleStep=0.05, decimals=2, value=0.0)
        self.min_weight.setToolTip("Draw only edges whose agreement exceeds this value")
        self.color_by = QComboBox(self)
        self.color_by.addItem("Community", "community")
        self.color_by.addItem("UN regional group", "region")
        self.seed = QSpinBox(self, minimum=0, maximum=2**31 - 1, value=DEFAULT_SEED)
        self.seed.setToolTip("Seed of the community detection and layout: same seed, same picture")
        grid = QGridLayout()
        for n, (text, widget, name) in enumerate(
            (
                ("&Metric:", self.metric_box, "Agreement metric"),
                ("&Colour by:", self.color_by, "Colour nodes by"),
                ("See&d:", self.seed, "Layout seed"),
                ("Min. &shared questions:", self.min_shared, "Minimum shared questions"),
                ("Min. &edge strength:", self.min_weight, "Minimum edge strength"),
            )
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            widget.setAccessibleName(name)
            grid.addWidget(label, n // 3, 2 * (n % 3))
            grid.addWidget(widget, n // 3, 2 * (n % 3) + 1)
        grid.setColumnStretch(6, 1)
        self.controls.addLayout(grid)
        self._controls_timer = QTimer(self, singleShot=True, interval=CONTROL_DEBOUNCE_MS)
        self._controls_timer.timeout.connect(self.refresh)
        for signal in (
            self.metric_box.currentIndexChanged,
            self.min_shared.valueChanged,
            self.min_weight.valueChanged,
            self.color_by.currentIndexChanged,
            self.seed.valueChanged,
        ):
            signal.connect(lambda *_: self._controls_timer.start())

    def options(self) -> dict:
        return {
            "metric": self.metric_box.currentData(),
            "min_shared": self.min_shared.value(),
            "min_weight": self.min_weight.value(),
            "color_by": self.color_by.currentData(),
            "seed": self.seed.value(),
        }

    def set_options(self, options: dict) -> None:
        widgets = (self.metric_box, self.min_shared, self.min_weight, self.color_by, self.seed)
        for widget in widgets:
            widget.blockSignals(True)
        try:
            if options.get("metric") is not None:
                self.metric_box.setCurrentIndex(max(self.metric_box.findData(options["metric"]), 0))
            if options.get("color_by") is not None:
                self.color_by.setCurrentIndex(max(self.color_by.findData(options["color_by"]), 0))
            for key, widget in (("min_shared", self.min_shared), ("min_weight", self.min_weight), ("seed", self.seed)):
                if isinstance(options.get(key), (int, float)):
                    widget.setValue(type(widget.value())(options[key]))
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def request(self) -> pipeline.NetworkRequest:
        o = self.options()
        return pipeline.NetworkRequest(
            metric=o["metric"], min_shared=o["min_shared"], min_weight=o["min_weight"], seed=o["seed"]
        )

    def chart_task(self, flt: PositionFilter, figure):
        request, color_by, theme = self.request(), self.color_by.currentData(), self.theme
        previous = dict(self.layout_memory) or None

        def draw(db, _progress, _cancel):
            result, chart = pipeline.network_chart_for(
                db, flt, request, color_by=color_by, theme=theme, figure=figure, previous_pos=previous
            )
            return chart, result

        return draw

    def on_chart(self, chart, result) -> str:
        self.result = result
        self.layout_memory.update(result.pos)
        graph = result.graph
        text = (
            f"{graph.number_of_nodes():,} actor(s), {graph.number_of_edges():,} link(s), "
            f"{len(result.communities):,} communit{'y' if len(result.communities) == 1 else 'ies'}; "
            f"seed {result.seed}. Click a node to filter to that actor."
        )
        if graph.graph.get("focus"):
            text += f" Showing {graph.graph['focus']} (ringed) and the actors linked to it."
        if graph.number_of_nodes() < 2:
            text += " A network needs at least two actors: widen the filter."
        return text

    def node_label(self, node: str) -> str:
        return str(self.result.graph.nodes[node].get("label", node)) if self.result else node

    def connect_events(self) -> list[int]:
        return [
            self.canvas.mpl_connect("pick_event", self._pick),
            self.canvas.mpl_connect("motion_notify_event", self._hover),
        ]

    def _node_under(self, event) -> str | None:
        if self.chart is None or not self.chart.node_order or event.inaxes is not self.chart.axes:
            return None
        inside, info = self.chart.node_artist.contains(event)
        indices = info.get("ind", ()) if inside else ()
        return self.chart.node_at(int(indices[-1])) if len(indices) else None

    def _pick(self, event) -> None:
        if self.chart is None or event.artist is not self.chart.node_artist or not len(event.ind):
            return
        if getattr(event.mouseevent, "button", 1) != 1:
            return
        self.actor_clicked.emit(self.node_label(self.chart.node_at(int(event.ind[-1]))))

    def _hover(self, event) -> None:
        node = self._node_under(event)
        if node == self._hovered:
            return
        self._hovered = node
        if node is None:
            QToolTip.hideText()
            return
        attrs = self.result.graph.nodes[node]
        lines = [
            self.node_label(node),
            f"{attrs.get('positions', 0)} position(s)",
            f"regional group: {attrs.get('un_region') or 'none'}",
            f"shown as: {self.chart.categories.get(node, '')}",
            "Click to filter to this actor.",
        ]
        QToolTip.showText(QCursor.pos(), rich_tooltip("\n".join(lines)), self.canvas)
