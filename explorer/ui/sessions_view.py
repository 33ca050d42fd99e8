"""Every session of the negotiation and its meetings, with dates, venue, documents and counts.

Choosing a session row filters every view to it (the state's session range becomes that one
session); the row of the state's session is shown selected. The model is a small in-memory
QStandardItemModel (a few hundred rows), rebuilt from :func:`queries.list_sessions`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QTreeView, QVBoxLayout, QWidget

from explorer.state import AppState, Dataset
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import PositionFilter
from explorer.ui.plain_text import rich_tooltip
from explorer.ui.state_binding import subscribe

SESSION_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Session / meeting", "Dates", "Venue", "Documents", "Positions")


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


def build_sessions_model(db: Database, dataset_id: int, model: QStandardItemModel) -> None:
    """Fill ``model`` with sessions (top level) and their meetings (children)."""
    model.clear()
    model.setHorizontalHeaderLabels(list(COLUMNS))
    meetings: dict[int, list[dict[str, Any]]] = {}
    for meeting in queries.list_meetings(db, dataset_id):
        meetings.setdefault(meeting["session_id"], []).append(meeting)
    for session in queries.list_sessions(db, dataset_id):
        doc_tip = "\n".join(
            ": ".join(x for x in (d.get("symbol"), d.get("title")) if x)
            for d in session["documents"]
            if isinstance(d, dict)
        )
        name = _item(session["name"], session["notes"] or session["name"])
        name.setData(session["key"], SESSION_KEY_ROLE)
        row = [
            name,
            _item(_dates(session["start"], session["end"])),
            _item(session["venue"]),
            _item("; ".join(session["document_labels"]), doc_tip),
            _item(session["positions"]),
        ]
        row[-1].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for meeting in meetings.get(session["id"], []):
            label = _item(meeting["label"])
            label.setData(session["key"], SESSION_KEY_ROLE)
            count = _item(meeting["positions"])
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            name.appendRow([label, _item(meeting["date"]), _item(""), _item(""), count])
        model.appendRow(row)


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
        show_all = QPushButton("Show &all sessions", self)
        show_all.clicked.connect(self.clear_choice)
        top = QHBoxLayout()
        top.addWidget(hint, 1)
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
        build_sessions_model(self.db, dataset.id, self.model)
        for column, width in enumerate((420, 190, 150, 200)):
            self.tree.setColumnWidth(column, width)
        self._quiet = False
        self.show_session(_one_session(self.state.filter))

    def clear_choice(self) -> None:
        self.tree.clearSelection()
        self._choose(None)

    def show_session(self, key: str | None) -> None:
        """Show ``key``'s row selected (or none), without writing into the state."""
        self._quiet = True
        self.tree.clearSelection()
        for row in range(self.model.rowCount()):
            item = self.model.item(row, 0)
            if key is not None and item.data(SESSION_KEY_ROLE) == key:
                self.tree.setCurrentIndex(item.index())
                self.tree.scrollTo(item.index())
        self._quiet = False

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
