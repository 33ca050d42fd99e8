"""The Overview: the questions that divided the actors most, each with its camps, one click from
the positions behind them. What it lists and every word of it come from
:mod:`explorer.pipeline.overview`, computed on a worker; this view lays it out as cards.

A click on a question writes its filter and the linked view into the application state (one
step of the history, so Back returns here). The first-minute steps sit on top as a hint that,
once dismissed, stays dismissed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.state import AppState
from explorer.store.database import Database
from explorer.ui.hints import HintBar, HintMemory
from explorer.ui.plain_text import rich_tooltip
from explorer.ui.state_binding import subscribe
from explorer.ui.workers import CancelCheck, Progress, TaskRunner

if TYPE_CHECKING:
    from explorer.pipeline.overview import Camp, ContestedQuestion, OverviewContent

FIRST_MINUTE_HINT = "first-minute"
FIRST_MINUTE_TEXT = (
    "Your first minute:  1. Below are the questions that divided the actors most, with who backed "
    "which option — click one to see every actor's side on it in “Who wants what”.  2. To read one "
    "article, type its number or words of its title in “Find a provision” on the left (try 6).  "
    "3. Select a row of the table to read the summary and open its source.  4. File → Export chart "
    "(Ctrl+E) saves the chart you see."
)
SWATCH_PX = 12


class OverviewView(QWidget):
    """Cards of contested questions; ``question_opened`` carries the filter of the one clicked."""

    kind = "overview"
    question_opened = Signal(object)  # PositionFilter: the filter narrowed to that question

    def __init__(self, state: AppState, runner: TaskRunner, hints: HintMemory, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.runner = state, runner
        self.content: OverviewContent | None = None
        self.hint = HintBar(FIRST_MINUTE_HINT, FIRST_MINUTE_TEXT, hints, self)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.cards = QWidget(self)
        self.cards_layout = QVBoxLayout(self.cards)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(self.cards)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName("Contested questions")
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.hint)
        layout.addWidget(self.title)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        self.started = False
        self._stale = False  # the filter changed while hidden: recompute once shown
        subscribe(self, state.filter_changed, self._filter_changed)

    def start(self) -> None:
        """Compute the first overview (the window calls it once the table is filled: the analysis
        libraries stay off the path to the first window)."""
        if not self.started:
            self.started = True
            self._refresh_when_shown()

    def _filter_changed(self, _compiled: object) -> None:
        if self.started:
            self._refresh_when_shown()

    def _refresh_when_shown(self) -> None:
        """Recompute now, or once shown: a hidden Overview would read the whole filter on a worker
        at every change and rebuild its cards on the GUI thread for nobody."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Recompute the overview of the state's filter on a worker."""
        self._stale = False
        compiled = self.state.compiled
        self.status.setText("Computing…")

        def task(db: Database, _progress: Progress, cancel: CancelCheck) -> OverviewContent:
            from explorer.pipeline.overview import overview_content  # numpy and friends: off the start-up path

            return overview_content(db, compiled, cancel=cancel)

        self.runner.submit(self.kind, task, on_done=self.show_content)

    def show_content(self, content: OverviewContent) -> None:
        self.content = content
        while self.cards_layout.count() > 1:  # everything but the final stretch
            old = self.cards_layout.takeAt(0)
            widget = old.widget() if old is not None else None
            if widget is not None:
                widget.deleteLater()
        self.title.setText(content.title)
        if content.message:
            self.cards_layout.insertWidget(0, _wrapped(content.message, self.cards))
        row, group = 0, ""
        for item in content.items:
            if item.group and item.group != group:  # the treaty's text first, then what is around it
                group = item.group
                heading = _wrapped(group, self.cards)
                heading.setObjectName("overview-group")
                font = heading.font()
                font.setBold(True)
                heading.setFont(font)
                self.cards_layout.insertWidget(row, heading)
                row += 1
            card = QuestionCard(item, self.cards)
            card.opened.connect(self.question_opened.emit)
            self.cards_layout.insertWidget(row, card)
            row += 1
        self.status.setText(content.status)

    def group_headings(self) -> list[str]:
        """The group headings shown, top to bottom."""
        return [label.text() for label in self.cards.findChildren(QLabel, "overview-group")]

    def card_buttons(self) -> list[QPushButton]:
        """The question buttons, top to bottom (tests click them as a user would)."""
        return [card.open_button for card in self.cards.findChildren(QuestionCard)]


class QuestionCard(QFrame):
    """One contested question: its heading (a button that opens it), what it rests on, its camps."""

    opened = Signal(object)  # PositionFilter

    def __init__(self, item: ContestedQuestion, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.open_button = QPushButton(f"{item.heading}  ›", self)
        self.open_button.setFlat(True)
        self.open_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.open_button.setToolTip(rich_tooltip(f"{item.text}\n\nClick to see every position on it."))
        self.open_button.setAccessibleName(f"Open {item.label}")
        font = self.open_button.font()
        font.setBold(True)
        self.open_button.setFont(font)
        self.open_button.setStyleSheet("text-align: left; padding: 2px;")
        self.open_button.clicked.connect(lambda: self.opened.emit(item.filter))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.setSpacing(2)
        layout.addWidget(self.open_button)
        measure = _wrapped(item.measure, self)
        font = measure.font()  # quieter than the camps, yet readable (disabled grey was too faint)
        font.setItalic(True)
        measure.setFont(font)
        layout.addWidget(measure)
        for camp in item.camps:
            layout.addLayout(_camp_row(camp, self))


def _camp_row(camp: Camp, parent: QWidget) -> QHBoxLayout:
    """A swatch in the side's colour (hollow when against, as the charts draw it), the side in
    words and the names: colour is never the only cue."""
    swatch = QLabel(parent)
    swatch.setFixedSize(SWATCH_PX, SWATCH_PX)
    fill = "transparent" if camp.hollow else camp.colour
    swatch.setStyleSheet(f"background: {fill}; border: 2px solid {camp.colour}; border-radius: 2px;")
    swatch.setAccessibleName(camp.heading)
    heading = QLabel(camp.heading, parent)
    heading.setTextFormat(Qt.TextFormat.PlainText)
    font = heading.font()
    font.setBold(True)
    heading.setFont(font)
    names = _wrapped(camp.names_text(), parent)
    names.setToolTip(rich_tooltip(", ".join(camp.actors)))
    names.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    text = QVBoxLayout()
    text.setSpacing(0)
    text.addWidget(heading)
    text.addWidget(names)
    row = QHBoxLayout()
    row.addWidget(swatch, 0, Qt.AlignmentFlag.AlignTop)
    row.addLayout(text, 1)
    return row


def _wrapped(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    return label
