"""The actor profile: one actor's positions across provisions over time, its closest allies
and strongest opponents (rate and n), and a side-by-side comparison with a second actor.

The actor is the state's selected actor, so it is chosen here (completion by the name rule),
by a row of the table or by a node of the network, and Back returns to the previous one. The
second actor is the state's :class:`~explorer.state.ProfileOptions`. Allies and opponents use
the network's metric and minimum of shared questions. Everything shown and said comes from
:mod:`explorer.pipeline.profile` (``export-chart --kind actor`` draws the same).

Mouse: a position selects it (the detail pane shows it, with its source one click away); a
compared question selects both actors' positions on it; double-clicking either opens the
first source through :func:`explorer.ui.dialogs.open_url` (web links and UN symbols only); an
ally or opponent opens its profile, with Ctrl it becomes the second actor.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from matplotlib.backend_bases import MouseEvent
from matplotlib.figure import Figure
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QLabel, QSpinBox, QToolTip, QWidget

from explorer.charts.actor_chart import ActorChart, natural_height
from explorer.charts.style import Theme
from explorer.pipeline import profile
from explorer.state import AppState, NetworkOptions, ProfileOptions, Selection
from explorer.store.contest_records import ActorProfile, Comparison, Partner, RecordEntry
from explorer.store.database import Database
from explorer.ui import dialogs
from explorer.ui.actor_picker import ActorPicker
from explorer.ui.chart_view import ChartView, Compute, Draw, grow_figure
from explorer.ui.plain_text import openable_url, rich_tooltip
from explorer.ui.selection_marks import add_rings, set_rings
from explorer.ui.state_binding import subscribe
from explorer.ui.workers import TaskRunner

CONTROL_DEBOUNCE_MS = 250


class ProfileView(ChartView):
    kind = "actor"
    hint = "Click a position to read it (double-click: its source); click an ally or opponent to open its profile."
    compute_when_hidden = False
    scrolls = True

    def __init__(self, state: AppState, db: Database, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(state, runner, "Actor profile: positions over time, allies, opponents, comparison", parent)
        self.db = db
        self.actor_picker = ActorPicker(db, lambda: state.dataset.id, "Name or alias, then Enter", self)
        self.actor_picker.setAccessibleName("Actor to profile")
        self.other_picker = ActorPicker(db, lambda: state.dataset.id, "Second actor to compare (optional)", self)
        self.other_picker.setAccessibleName("Actor to compare with")
        self.min_shared_box = QSpinBox(self, minimum=1, maximum=500)
        self.min_shared_box.setAccessibleName("Minimum shared questions")
        self.min_shared_box.setToolTip(
            "Allies and opponents: only actors sharing at least this many questions (the network's setting)"
        )
        for caption, widget, stretch in (
            ("&Actor:", self.actor_picker, 2),
            ("Compare &with:", self.other_picker, 2),
            ("Min. shared &questions:", self.min_shared_box, 0),
        ):
            buddy = QLabel(caption, self)
            buddy.setBuddy(widget)
            self.controls.addWidget(buddy)
            self.controls.addWidget(widget, stretch)
        self.actor_picker.chosen.connect(self.show_actor)
        self.other_picker.chosen.connect(self.compare_with)
        self.other_picker.cleared.connect(lambda: self.compare_with(None))
        self._min_shared_timer = QTimer(self, singleShot=True, interval=CONTROL_DEBOUNCE_MS)
        self._min_shared_timer.timeout.connect(self._write_min_shared)
        self.min_shared_box.valueChanged.connect(lambda _v: self._min_shared_timer.start())
        self._shown_actor = state.selection.actor
        self._show_controls()
        subscribe(self, state.selection_changed, self._selection_changed)
        subscribe(self, state.profile_options_changed, lambda _o: self._inputs_changed())
        subscribe(self, state.network_options_changed, self._network_options_changed)
        subscribe(self, state.dataset_changed, lambda _d: self.compare_with(None))

    # choosing actors: written into the state ---------------------------------------------
    def show_actor(self, actor_id: int) -> None:
        """Profile ``actor_id`` (a step of the history: Back returns to the previous actor)."""
        self.state.navigate(view=self.kind, selection=Selection(actor=actor_id))

    def compare_with(self, actor_id: int | None) -> None:
        self.state.set_profile_options(ProfileOptions(other=actor_id))

    def write_pending(self) -> None:
        """Write a control change still waiting for its debounce (the window is closing)."""
        if self._min_shared_timer.isActive():
            self._min_shared_timer.stop()
            self._write_min_shared()

    def _write_min_shared(self) -> None:
        self.state.set_network_options(replace(self.state.network_options, min_shared=self.min_shared_box.value()))

    # what the state holds, shown ---------------------------------------------------------
    def _show_controls(self) -> None:
        self.actor_picker.show_actor(self.state.selection.actor)
        self.other_picker.show_actor(self.state.profile_options.other)
        self.min_shared_box.blockSignals(True)
        self.min_shared_box.setValue(self.state.network_options.min_shared)
        self.min_shared_box.blockSignals(False)

    def _selection_changed(self, selection: Selection) -> None:
        if selection.actor != self._shown_actor:
            self._inputs_changed()

    def _network_options_changed(self, options: NetworkOptions) -> None:
        if self.content is None or self.content.first is None:
            self._show_controls()
            return
        first = self.content.first
        if (first.metric, first.min_shared) != (options.metric, options.min_shared):
            self._inputs_changed()

    def _inputs_changed(self) -> None:
        self._shown_actor = self.state.selection.actor
        self._show_controls()
        self.refresh_when_shown()

    # computing and drawing -----------------------------------------------------------------
    def compute_function(self) -> Compute:
        actor, other = self.state.selection.actor, self.state.profile_options.other
        metric, min_shared = self.state.network_options.metric, self.state.network_options.min_shared
        first = str(actor) if actor is not None else None
        second = str(other) if other is not None and other != actor else None
        return lambda db, compiled, cancel: profile.profile_content(
            db, compiled, first, second, metric=metric, min_shared=min_shared, cancel=cancel
        )

    def draw_function(self) -> Draw:
        def draw(content: profile.ProfileContent, theme: Theme, figure: Figure) -> ActorChart:
            if content.first is not None:
                grow_figure(figure, natural_height(content.first, content.second))
            chart = profile.draw_profile(content, theme=theme, figure=figure)
            for ax in chart.record_axes:
                add_rings(ax, theme)
            return chart

        return draw

    def mark_selection(self, chart: ActorChart, selection: Selection) -> bool:
        """Ring the selected positions in the record panels."""
        wanted = set(selection.positions)
        moved = False
        for ax in chart.record_axes:
            xy = [
                np.asarray(artist.get_offsets())[i]
                for artist, ids in chart.points_by_artist
                if artist.axes is ax
                for i, position_id in enumerate(ids)
                if position_id in wanted
            ]
            moved = set_rings(ax, xy) or moved
        return moved

    # mouse ---------------------------------------------------------------------------------
    def connect_events(self) -> None:
        self.canvas.mpl_connect("motion_notify_event", self._hover)
        self.canvas.mpl_connect("button_press_event", self._click)

    def hover_text(self, event: MouseEvent) -> str:
        """The tooltip for what is under the mouse ('' for nothing)."""
        content: profile.ProfileContent | None = self.content
        if self.chart is None or content is None or content.first is None:
            return ""
        position = self.chart.position_at(event)
        if position is not None:
            entry = self._entry(position)
            return profile.describe_entry(entry) + "\n\nDouble-click to open the source." if entry else ""
        partner = self.chart.partner_at(event)
        if partner is not None:
            found = self._partner(partner)
            if found is not None:
                metric = found[1].metric
                return (
                    profile.describe_partner(found[0], metric) + "\n\nClick to open its profile; Ctrl+click to compare."
                )
        row = self.chart.comparison_at(event)
        if row is not None and content.second is not None:
            text = profile.describe_comparison(row, content.first.name, content.second.name)
            return text + "\n\nClick to select both positions; double-click to open the first source."
        return ""

    def _hover(self, event: MouseEvent) -> None:
        text = self.hover_text(event)
        if text:
            QToolTip.showText(QCursor.pos(), rich_tooltip(text), self.canvas)
        else:
            QToolTip.hideText()

    def _click(self, event: MouseEvent) -> None:
        if self.chart is None or event.button != 1 or self.content is None or self.content.first is None:
            return
        position = self.chart.position_at(event)
        if position is not None:
            entry = self._entry(position)
            if event.dblclick and entry is not None:
                self._open(entry.source_url)
            else:
                self.state.select_positions([position])
            return
        partner = self.chart.partner_at(event)
        if partner is not None:
            ctrl = bool(QApplication.keyboardModifiers() & Qt.KeyboardModifier.ControlModifier)
            if ctrl:
                self.compare_with(partner)
            else:
                self.show_actor(partner)
            return
        row: Comparison | None = self.chart.comparison_at(event)
        if row is not None:
            if event.dblclick:
                self._open(next(iter(row.sources_a + row.sources_b), ""))
            else:
                self.state.select_positions((*row.positions_a, *row.positions_b))

    def _entry(self, position_id: int) -> RecordEntry | None:
        profiles = [p for p in (self.content.first, self.content.second) if p is not None]
        return next((e for p in profiles for e in p.record if e.position_id == position_id), None)

    def _partner(self, actor_id: int) -> tuple[Partner, ActorProfile] | None:
        profiles = [p for p in (self.content.first, self.content.second) if p is not None]
        return next(((q, p) for p in profiles for q in (*p.allies, *p.opponents) if q.actor_id == actor_id), None)

    def _open(self, source: str) -> None:
        url = openable_url(source)
        if url:
            dialogs.open_url(url)
