"""Every session of the negotiation and its meetings, with dates, venue, documents and counts.

Sessions, GA decisions and the like are the rows; the periods between them (which hold what was
published between two meetings: ``period`` rows of :func:`queries.list_sessions`, the rule being
``explorer.vocabulary.PERIOD_SESSION_KINDS``) are folded behind one toggle and, when shown, are
marked as periods so that nobody reads them as meetings. Choosing a row filters every view to it
(the state's session range becomes that one session); the row of the state's session is shown
selected. The model is a small in-memory QStandardItemModel, rebuilt from the registry.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.labels import session_kind_label
from explorer.state import AppState, Dataset
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import PositionFilter
from explorer.ui.plain_text import rich_tooltip
from explorer.ui.state_binding import subscribe

SESSION_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Session / meeting", "Kind", "Dates", "Venue", "Documents", "Positions")
COLUMN_WIDTHS = (380, 120, 170, 140, 200)
PERIODS_TEXT = "Show &periods between sessions"


def _dates(start: str | None, end: str | None) -> str:
    if not start:
        return ""
    return start if not end or end == start else f"{start} – {end}"


def _item(text: object, tooltip: str = "") -> QStandardItem:
    item = QStandardItem("" if text is None else str(text))
    item.setEditable(False)
    if tooltip:
        item.setToolTip(rich_tooltip(tooltip))
    return item


def build_sessions_model(db: Database, dataset_id: int, model: QStandardItemModel, *, periods: bool = False) -> int:
    """Fill ``model`` with sessions (top level) and their meetings (children); the periods between
    sessions only with ``periods``. Returns how many periods the dataset has."""
    model.clear()
    model.setHorizontalHeaderLabels(list(COLUMNS))
    meetings: dict[int, list[dict[str, Any]]] = {}
    for meeting in queries.list_meetings(db, dataset_id):
        meetings.setdefault(meeting["session_id"], []).append(meeting)
    period_count = 0
    for session in queries.list_sessions(db, dataset_id):
        period_count += session["period"]
        if session["period"] and not periods:
            continue
        doc_tip = "\n".join(
            ": ".join(x for x in (d.get("symbol"), d.get("title")) if x)
            for d in session["documents"]
            if isinstance(d, dict)
        )
        title = session["name"] if session["label"] == session["name"] else f"{session['label']} — {session['name']}"
        name = _item(title, "\n\n".join(x for x in (session["name"], session["notes"]) if x))
        name.setData(session["key"], SESSION_KEY_ROLE)
        row = [
            name,
            _item(session_kind_label(session["kind"])),
            _item(_dates(session["start"], session["end"])),
            _item(session["venue"]),
            _item("; ".join(session["document_labels"]), doc_tip),
            _item(session["positions"]),
        ]
        row[-1].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if session["period"]:  # a stretch of time, not a meeting: set apart in italics
            for item in row:
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
        for meeting in meetings.get(session["id"], []):
            label = _item(meeting["label"])
            label.setData(session["key"], SESSION_KEY_ROLE)
            count = _item(meeting["positions"])
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            name.appendRow([label, _item("Meeting"), _item(meeting["date"]), _item(""), _item(""), count])
        model.appendRow(row)
    return period_count


class SessionsView(QWidget):
    """Tree of sessions → meetings; choosing one writes the session range into the state."""

    def __init__(self, state: AppState, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.db = state, db
        self.model = QStandardItemModel(self)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setAccessibleName("Sessions and meetings")
        self.tree.selectionModel().selectionChanged.connect(self._selection_changed)
        hint = QLabel("Choose a session to see only its positions.", self)
        self.periods_box = QCheckBox(PERIODS_TEXT, self)
        self.periods_box.setToolTip(
            "Periods are not meetings: they hold statements, letters and analyses published between two sessions."
        )
        self.periods_box.toggled.connect(lambda _on: self.load(self.state.dataset))
        show_all = QPushButton("Show &all sessions", self)
        show_all.clicked.connect(self.clear_choice)
        top = QHBoxLayout()
        top.addWidget(hint, 1)
        top.addWidget(self.periods_box)
        top.addWidget(show_all)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.tree)
        self._quiet = False
        self.load(state.dataset)
        subscribe(self, state.dataset_changed, self.load)
        subscribe(self, state.filter_changed, lambda compiled: self.show_session(_one_session(compiled.filter)))

    def load(self, dataset: Dataset) -> None:
        self._quiet = True
        periods = build_sessions_model(self.db, dataset.id, self.model, periods=self.periods_box.isChecked())
        self.periods_box.setText(f"{PERIODS_TEXT} ({periods})")
        self.periods_box.setVisible(periods > 0)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.tree.setColumnWidth(column, width)
        self._quiet = False
        self.show_session(_one_session(self.state.filter))

    def session_keys(self) -> list[str]:
        """The keys of the rows listed, top to bottom."""
        return [self.model.item(row, 0).data(SESSION_KEY_ROLE) for row in range(self.model.rowCount())]

    def clear_choice(self) -> None:
        self.tree.clearSelection()
        self._choose(None)

    def show_session(self, key: str | None) -> None:
        """Show ``key``'s row selected (or none), without writing into the state."""
        self._quiet = True
        self.tree.clearSelection()
        found = False
        for row in range(self.model.rowCount()):
            item = self.model.item(row, 0)
            if key is not None and item.data(SESSION_KEY_ROLE) == key:
                self.tree.setCurrentIndex(item.index())
                self.tree.scrollTo(item.index())
                found = True
        self._quiet = False
        if key is not None and not found and not self.periods_box.isChecked():
            self.periods_box.setChecked(True)  # the filter names a period: show the periods (reloads)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._quiet or not selected.indexes():
            return
        index = selected.indexes()[0].siblingAtColumn(0)
        self._choose(self.model.data(index, SESSION_KEY_ROLE))

    def _choose(self, key: str | None) -> None:
        self.state.set_filter(self.state.filter.with_(sessions=(), session_from=key, session_to=key))


def _one_session(flt: PositionFilter) -> str | None:
    """The session a filter is limited to, if it is exactly one."""
    if flt.session_from is not None and flt.session_from == flt.session_to and not flt.sessions:
        return flt.session_from
    if len(flt.sessions) == 1 and flt.session_from is None and flt.session_to is None:
        return flt.sessions[0]
    return None
