"""The positions table: a count plus pages fetched lazily from SQLite (the Anki browser pattern).

Sessions and questions are shown by their short labels (explorer.labels), their full texts in
the tooltips and the detail pane.

The model never holds the whole result. The count and the first page of a new filter are read
on a worker (:func:`explorer.pipeline.positions.positions_summary`) and handed to :meth:`show`;
later pages are read when scrolled to. Sorting is an ``ORDER BY`` in
:func:`explorer.store.queries.position_page`, not a proxy model, so 100,000 rows sort as fast
as 100. See https://doc.qt.io/qt-6/qabstracttablemodel.html.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter
from explorer.ui.plain_text import rich_tooltip

HEADERS = {
    "date": "Date",
    "session": "Session",
    "actor": "Actor",
    "provision": "Provision",
    "question": "Question",
    "option": "Option",
    "stance": "Stance",
    "summary": "Summary",
    "source_kind": "Source kind",
    "confidence": "Confidence",
}
POSITION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_LONG_TEXT = {"session", "question", "option", "summary"}
# Columns showing a short label, and where the row keeps the full text their tooltip shows.
_FULL_TEXT = {"session": "session_name", "question": "question_text"}


class PositionsTableModel(QAbstractTableModel):
    """Rows of the current filter; :meth:`show` resets, pages load on demand."""

    PAGE_SIZE = 200
    MAX_CACHED_PAGES = 64

    def __init__(self, db: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self.compiled: CompiledFilter | None = None
        self.sort_column = "date"
        self.descending = False
        self._count = 0
        self._pages: OrderedDict[int, list[tuple[Any, ...]]] = OrderedDict()

    # filter and sort ------------------------------------------------------------------------
    def show(self, compiled: CompiledFilter, count: int, first_page: list[tuple[Any, ...]]) -> None:
        """Show the rows of ``compiled``: ``count`` of them, the first page read already (under
        the current sort, see :meth:`sort_key`)."""
        self.beginResetModel()
        self.compiled = compiled
        self._count = count
        self._pages.clear()
        if first_page:
            self._pages[0] = first_page
        self.endResetModel()

    def sort_key(self) -> tuple[str, bool]:
        """(column, descending): what a worker reading the first page must sort by."""
        return self.sort_column, self.descending

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(queries.TABLE_COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        self.sort_column = queries.TABLE_COLUMNS[column]
        self.descending = order == Qt.SortOrder.DescendingOrder
        self._pages.clear()
        self.layoutChanged.emit()

    # lookups --------------------------------------------------------------------------------
    def position_id(self, row: int) -> int | None:
        record = self._record(row)
        return record[0] if record else None

    def row_of(self, position_id: int) -> int | None:
        """The row showing ``position_id`` under the current sort, or None if filtered out."""
        if self.compiled is None:
            return None
        return queries.position_index(
            self.db, self.compiled, position_id, sort=self.sort_column, descending=self.descending
        )

    def _record(self, row: int) -> tuple[Any, ...] | None:
        if self.compiled is None or not 0 <= row < self._count:
            return None
        page = row // self.PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            rows = queries.position_page(
                self.db,
                self.compiled,
                sort=self.sort_column,
                descending=self.descending,
                offset=page * self.PAGE_SIZE,
                limit=self.PAGE_SIZE,
            )
            self._pages[page] = rows
            while len(self._pages) > self.MAX_CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page)
        offset = row - page * self.PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    # Qt model interface ---------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(queries.TABLE_COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._record(index.row())
        if record is None:
            return None
        column = queries.TABLE_COLUMNS[index.column()]
        value = record[index.column() + 1] or ""
        if role == Qt.ItemDataRole.DisplayRole:
            return " ".join(str(value).split()) if column in _LONG_TEXT else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and column in _FULL_TEXT:
            full = record[1 + len(queries.TABLE_COLUMNS) + queries.TABLE_FULL_TEXT.index(_FULL_TEXT[column])]
            return rich_tooltip(str(full or value))
        if role == Qt.ItemDataRole.ToolTipRole and column in _LONG_TEXT and value:
            return rich_tooltip(str(value))
        if role == POSITION_ID_ROLE:
            return record[0]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(queries.TABLE_COLUMNS):
            return HEADERS[queries.TABLE_COLUMNS[section]]
        if orientation == Qt.Orientation.Vertical and 0 <= section < self._count:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
