"""The positions table: a count plus pages fetched lazily from SQLite (the Anki browser pattern).

Sessions and questions are shown by their short labels (explorer.labels), their full texts in
the tooltips and the detail pane.

The model never holds the whole result. The count and the first page of a new filter are read
on a worker (:func:`explorer.pipeline.positions.positions_summary`) and handed to :meth:`show`;
later pages are read when scrolled to. Sorting is an ``ORDER BY`` in
:func:`explorer.store.queries.position_page`, not a proxy model, so 100,000 rows sort as fast
as 100. See https://doc.qt.io/qt-6/qabstracttablemodel.html.

Given a :class:`~explorer.ui.workers.TaskRunner`, pages and row lookups are read on a worker
(sorting a million rows by summary takes a second or more): a row whose page is not read yet
shows empty until its page arrives (``dataChanged``). Without one (tests, tools) they are read
at once on the caller's connection.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Collection
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter
from explorer.ui.plain_text import rich_tooltip
from explorer.ui.workers import CancelCheck, Progress, TaskRunner

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

    def __init__(self, db: Database, parent: QObject | None = None, runner: TaskRunner | None = None):
        super().__init__(parent)
        self.db, self.runner = db, runner
        self.compiled: CompiledFilter | None = None
        self.sort_column = "date"
        self.descending = False
        self._count = 0
        self._pages: OrderedDict[int, list[tuple[Any, ...]]] = OrderedDict()
        self._rows_version = 0  # bumped when the rows change (filter or sort): late pages are dropped
        self._loading: set[int] = set()

    # filter and sort ------------------------------------------------------------------------
    def show(self, compiled: CompiledFilter, count: int, first_page: list[tuple[Any, ...]]) -> None:
        """Show the rows of ``compiled``: ``count`` of them, the first page read already (under
        the current sort, see :meth:`sort_key`)."""
        self.beginResetModel()
        self.compiled = compiled
        self._count = count
        self._forget_pages()
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
        self._forget_pages()
        self.layoutChanged.emit()

    def _forget_pages(self) -> None:
        self._pages.clear()
        self._loading.clear()
        self._rows_version += 1

    # lookups --------------------------------------------------------------------------------
    def position_id(self, row: int) -> int | None:
        record = self._record(row)
        return record[0] if record else None

    def row_of(self, position_id: int) -> int | None:
        """The row showing ``position_id`` under the current sort, or None if filtered out (read
        at once on the model's connection: for tests and tools; the window uses :meth:`find_rows`)."""
        if self.compiled is None:
            return None
        return queries.position_index(
            self.db, self.compiled, position_id, sort=self.sort_column, descending=self.descending
        )

    def cached_rows(self, position_ids: Collection[int]) -> dict[int, int]:
        """Rows of those positions that are on pages read already (no query): position id -> row."""
        wanted, found = set(position_ids), {}
        for page, rows in self._pages.items():
            for offset, record in enumerate(rows):
                if record[0] in wanted:
                    found[record[0]] = page * self.PAGE_SIZE + offset
        return found

    def find_rows(self, position_ids: Collection[int], found: Callable[[dict[int, int]], None]) -> None:
        """Call ``found`` with the rows of ``position_ids`` (position id -> row; the filtered out
        are missing): at once if pages read already hold them all, else once a worker has
        numbered the others under this sort, all in one query."""
        rows = self.cached_rows(position_ids)
        missing = [p for p in position_ids if p not in rows]
        if not missing or self.compiled is None:
            found(rows)
            return
        compiled, sort, descending, version = self.compiled, self.sort_column, self.descending, self._rows_version
        if self.runner is None:
            found(rows | queries.position_indexes(self.db, compiled, missing, sort=sort, descending=descending))
            return

        def task(db: Database, _progress: Progress, _cancel: CancelCheck) -> dict[int, int]:
            return queries.position_indexes(db, compiled, missing, sort=sort, descending=descending)

        def done(more: dict[int, int]) -> None:
            if version == self._rows_version:
                found(rows | more)

        self.runner.submit("table-rows", task, on_done=done)

    def _record(self, row: int) -> tuple[Any, ...] | None:
        if self.compiled is None or not 0 <= row < self._count:
            return None
        page = row // self.PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            if self.runner is not None:
                self._request(page)
                return None
            rows = self._read_page(self.db, self.compiled, self.sort_column, self.descending, page)
            self._keep(page, rows)
        else:
            self._pages.move_to_end(page)
        offset = row - page * self.PAGE_SIZE
        return rows[offset] if offset < len(rows) else None

    def _read_page(
        self, db: Database, compiled: CompiledFilter, sort: str, descending: bool, page: int
    ) -> list[tuple[Any, ...]]:
        return queries.position_page(
            db, compiled, sort=sort, descending=descending, offset=page * self.PAGE_SIZE, limit=self.PAGE_SIZE
        )

    def _keep(self, page: int, rows: list[tuple[Any, ...]]) -> None:
        self._pages[page] = rows
        while len(self._pages) > self.MAX_CACHED_PAGES:
            self._pages.popitem(last=False)

    def _request(self, page: int) -> None:
        """Read ``page`` on a worker; its rows repaint when it arrives (unless the rows changed)."""
        if page in self._loading or self.runner is None or self.compiled is None:
            return
        self._loading.add(page)
        compiled, sort, descending, version = self.compiled, self.sort_column, self.descending, self._rows_version

        def task(db: Database, _progress: Progress, _cancel: CancelCheck) -> list[tuple[Any, ...]]:
            return self._read_page(db, compiled, sort, descending, page)

        def done(rows: list[tuple[Any, ...]]) -> None:
            if version != self._rows_version:
                return
            self._loading.discard(page)
            self._keep(page, rows)
            first, last = page * self.PAGE_SIZE, min((page + 1) * self.PAGE_SIZE, self._count) - 1
            if last >= first:
                self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

        self.runner.submit(f"table-page-{page}", task, on_done=done)

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
