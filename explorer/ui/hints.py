"""Unobtrusive hints: a line of help at the top of a view that the user dismisses once, for good.

What a hint says belongs to the view that shows it; whether it was dismissed is remembered by
the settings (:class:`~explorer.ui.settings.AppSettings`), so a returning user is not taught twice.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget


class HintMemory(Protocol):
    def hint_dismissed(self, hint: str) -> bool: ...

    def dismiss_hint(self, hint: str) -> None: ...


class HintBar(QFrame):
    """``text`` with a close button; hidden for good once closed (``hint`` names it in the settings)."""

    def __init__(self, hint: str, text: str, memory: HintMemory, parent: QWidget | None = None):
        super().__init__(parent)
        self.hint, self.memory = hint, memory
        self.setObjectName(f"hint-{hint}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Hint")
        self.text_label = QLabel(text, self)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setWordWrap(True)
        self.close_button = QToolButton(self)
        self.close_button.setText("Got it ✕")
        self.close_button.setAccessibleName("Dismiss this hint")
        self.close_button.setToolTip("Hide this hint; it will not be shown again")
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.text_label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setVisible(not memory.hint_dismissed(hint))

    def dismiss(self) -> None:
        self.memory.dismiss_hint(self.hint)
        self.hide()
