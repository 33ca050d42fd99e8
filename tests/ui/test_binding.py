"""The Qt binding itself: guards against binding releases that break the app."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QComboBox, QLabel


def test_void_calls_keep_references_to_none(qtbot):
    # PySide6 6.12.0 on CPython 3.11 released a reference to None on each call of a method
    # returning void; after a few thousand calls the interpreter aborted ("deallocating None").
    label, combo = QLabel(), QComboBox()
    qtbot.addWidget(label)
    qtbot.addWidget(combo)
    before = sys.getrefcount(None)
    for index in range(2_000):
        label.setText("x")
        combo.addItem(f"item {index}", None)
    assert sys.getrefcount(None) >= before
