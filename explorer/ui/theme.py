"""Light/dark: Fusion style plus a palette, following the system unless the user chose one.

Charts listen to :attr:`ThemeController.changed` and redraw with the matching chart theme, so
a switch of the desktop's colour scheme re-themes everything at once. The chart themes are
looked up only when asked for, so that the window can start without loading matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from explorer.charts.style import Theme


def dark_palette() -> QPalette:
    """A calm dark palette (Fusion draws it faithfully on every platform)."""
    p = QPalette()
    base, window, text = QColor("#26282C"), QColor("#1E1F22"), QColor("#E8E8E8")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#2E3035"),
        QPalette.ColorRole.ToolTipBase: QColor("#33363B"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#2E3035"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#FF6B6B"),
        QPalette.ColorRole.Link: QColor("#7FB8F0"),
        QPalette.ColorRole.Highlight: QColor("#3D6FA8"),
        QPalette.ColorRole.HighlightedText: QColor("#FFFFFF"),
        QPalette.ColorRole.PlaceholderText: QColor("#9A9A9A"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7A7A7A"))
    return p


class ThemeController(QObject):
    """Owns the choice ("system", "light", "dark") and emits the chart theme when it changes."""

    changed = Signal(object)  # explorer.charts.style.Theme

    def __init__(self, choice: str = "system", parent: QObject | None = None):
        super().__init__(parent)
        self.choice = choice
        self._dark = self.is_dark()  # nothing listens yet: no change to announce
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._system_changed)
        QApplication.setStyle("Fusion")
        self.apply()

    def set_choice(self, choice: str) -> None:
        self.choice = choice
        self.apply()

    def is_dark(self) -> bool:
        if self.choice == "system":
            return QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
        return self.choice == "dark"

    @property
    def chart_theme(self) -> Theme:
        from explorer.charts.style import DARK, LIGHT

        return DARK if self._dark else LIGHT

    def apply(self) -> None:
        dark = self.is_dark()
        QApplication.setPalette(dark_palette() if dark else QApplication.style().standardPalette())
        if dark != self._dark:
            self._dark = dark
            self.changed.emit(self.chart_theme)

    def _system_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self.choice == "system":
            self.apply()
