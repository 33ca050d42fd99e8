"""A labelled combo box over a vocabulary's choices (``{word: label}``), the control every view
option of that kind uses: the item data is the word the state stores, the text its label."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QBoxLayout, QComboBox, QLabel, QWidget


def choice_box(
    parent: QWidget, caption: str, labels: Mapping[str, str], name: str, tip: str, layout: QBoxLayout
) -> QComboBox:
    """A combo box of ``labels`` with its buddy label ``caption`` (a mnemonic), added to ``layout``."""
    box = QComboBox(parent)
    for word, label in labels.items():
        box.addItem(label, word)
    box.setAccessibleName(name)
    box.setToolTip(tip)
    buddy = QLabel(caption, parent)
    buddy.setBuddy(box)
    layout.addWidget(buddy)
    layout.addWidget(box)
    return box


def show_choice(box: QComboBox, word: str) -> None:
    """Show ``word`` without announcing it (the state already holds it)."""
    box.blockSignals(True)
    try:
        box.setCurrentIndex(max(box.findData(word), 0))
    finally:
        box.blockSignals(False)
