"""The Coverage table: provisions (rows) × sessions (columns), each cell the number of positions
and the share of them taken from machine-written summaries (issue #11).

A thin adapter over :class:`~explorer.pipeline.coverage.CoverageReport`, which the core computed
on a worker: the numbers and the words come from there. A cell's shade grows with its count, and
the text carries the numbers, so the table never relies on colour alone.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from explorer.pipeline.coverage import CoverageReport
from explorer.ui.plain_text import rich_tooltip

KEYS_ROLE = Qt.ItemDataRole.UserRole + 1  # (provision key, session key) of a cell
COUNT_ROLE = Qt.ItemDataRole.UserRole + 2  # positions in a cell (int)
SHADE = (0, 114, 178)  # Okabe–Ito blue, drawn see-through so light and dark themes both read


class CoverageTableModel(QAbstractTableModel):
    """Rows are the report's provisions, columns its sessions; :meth:`show` swaps the report."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.report: CoverageReport | None = None
        self._most = 1

    def show(self, report: CoverageReport) -> None:
        self.beginResetModel()
        self.report = report
        self._most = max((c.positions for c in report.cells.values()), default=1) or 1
        self.endResetModel()

    def keys(self, index: QModelIndex | QPersistentModelIndex) -> tuple[str, str] | None:
        """(provision key, session key) of a cell, or None."""
        if self.report is None or not index.isValid():
            return None
        return self.report.provisions[index.row()], self.report.sessions[index.column()]

    # Qt model interface ---------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.report is None else len(self.report.provisions)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.report is None else len(self.report.sessions)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        keys = self.keys(index)
        if keys is None or self.report is None:
            return None
        cell = self.report.cells.get(keys)
        count = cell.positions if cell is not None else 0
        if role == Qt.ItemDataRole.DisplayRole:
            if not count or cell is None:
                return ""
            return f"{count} · {cell.machine_share:.0%}" if cell.machine_written else str(count)
        if role == Qt.ItemDataRole.ToolTipRole:
            return rich_tooltip(self.report.cell_text(*keys))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.report.cell_text(*keys)
        if role == Qt.ItemDataRole.BackgroundRole and count:
            # log scale: 1 position is visible, the fullest cell is strongest
            alpha = 40 + int(150 * math.log1p(count) / math.log1p(self._most))
            return QColor(*SHADE, alpha)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == KEYS_ROLE:
            return keys
        if role == COUNT_ROLE:
            return count
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        report = self.report
        if report is None:
            return None
        keys = report.sessions if orientation == Qt.Orientation.Horizontal else report.provisions
        if not 0 <= section < len(keys):
            return None
        key = keys[section]
        if orientation == Qt.Orientation.Horizontal:
            short, full = report.session_label(key), report.session_name(key)
        else:
            short = full = report.provision_label(key)
        if role == Qt.ItemDataRole.DisplayRole:
            return short
        if role == Qt.ItemDataRole.ToolTipRole:
            return rich_tooltip(full)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
