"""File → Import positions, drag and drop, the error dialog, cancel: nothing written on failure."""

from __future__ import annotations

import shutil
import threading

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QPushButton

from explorer.store import queries
from tests.ui.conftest import UI_DATA, WAIT_MS, wait_idle


def position_count(window) -> int:
    return queries.stats(window.db)["positions"]


def test_bad_file_shows_every_problem_and_writes_nothing(qtbot, window, dialogs):
    before = position_count(window)
    dialogs.open_paths.append([str(UI_DATA / "bad.csv")])
    window.menus.actions["import"].trigger()
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=WAIT_MS)
    _title, message, details = dialogs.errors[0]
    assert "Nothing was written" in message
    assert "bad.csv:2: column stance:" in message
    assert "bad.csv:3: column date:" in message
    assert details.count("\n") == 1  # two problems, one per line
    wait_idle(qtbot, window)
    assert position_count(window) == before
    assert window.model.rowCount() == before


def test_good_file_adds_rows_and_a_recent_import(qtbot, window, dialogs, tmp_path):
    before = window.model.rowCount()
    path = tmp_path / "good.csv"
    shutil.copy(UI_DATA / "good.csv", path)
    dialogs.open_paths.append([str(path)])
    window.menus.actions["import"].trigger()
    qtbot.waitUntil(lambda: bool(dialogs.reports), timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert "Imported 2 position(s)" in dialogs.reports[0][1]
    assert window.model.rowCount() == before + 2
    assert str(path.resolve()) in window.settings.recent_imports()
    # the new actor is offered by the actor completion
    assert window.filter_panel.add_actor("Atlantis")
    wait_idle(qtbot, window)
    assert window.model.rowCount() == 1
    # importing the same file again adds nothing (positions already in the dataset)
    window.import_files([str(path)])
    qtbot.waitUntil(lambda: len(dialogs.reports) == 2, timeout=WAIT_MS)
    assert "Skipped 2" in dialogs.reports[1][1]


@pytest.mark.filterwarnings("ignore:Function.*QDragEnterEvent:DeprecationWarning")  # the only Qt 6 constructor
def test_dropping_a_file_imports_it(qtbot, window, dialogs, tmp_path):
    path = tmp_path / "dropped.csv"
    shutil.copy(UI_DATA / "good.csv", path)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)), QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    enter = QDragEnterEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    before = position_count(window)
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: bool(dialogs.reports), timeout=WAIT_MS)
    assert position_count(window) == before + 2


def test_cancel_rolls_the_import_back(qtbot, window, dialogs, monkeypatch, tmp_path):
    """The worker waits until the test has pressed Cancel, then the core sees the cancel flag."""
    from explorer.ui import import_dialog

    real_import = import_dialog.import_file
    cancel_pressed = threading.Event()

    def slow_import(db, path, dataset, **callbacks):
        cancel_pressed.wait(WAIT_MS / 1000)
        return real_import(db, path, dataset, **callbacks)

    monkeypatch.setattr(import_dialog, "import_file", slow_import)
    messages = []
    window.importer.message.connect(messages.append)
    before = position_count(window)
    window.import_files([str(UI_DATA / "good.csv")])
    cancel_button = window.importer.progress.findChild(QPushButton)
    assert cancel_button.text() == "Cancel"
    cancel_button.click()
    cancel_pressed.set()
    qtbot.waitUntil(lambda: bool(messages), timeout=WAIT_MS)
    assert "cancelled; nothing was written" in messages[0]
    assert position_count(window) == before
    assert not dialogs.errors and not dialogs.reports


def test_view_dataset_menu_switches_to_another_negotiation(qtbot, window, dialogs):
    from explorer.ingest.importer import import_file

    wait_idle(qtbot, window)
    import_file(window.db, UI_DATA / "good.csv", "roll-calls")  # a second negotiation in the same file
    window.menus.datasets.aboutToShow.emit()
    entries = {a.text(): a for a in window.menus.datasets.actions()}
    assert "roll-calls" in entries and sum(a.isChecked() for a in entries.values()) == 1
    entries["roll-calls"].trigger()
    wait_idle(qtbot, window)
    expected = sum(1 for line in (UI_DATA / "good.csv").read_text().splitlines()[1:] if line.strip())
    assert window.model.rowCount() == expected
    assert window.state.filter.dataset == "roll-calls"
    assert window.importer.dataset() == "roll-calls"
    window.menus.datasets.aboutToShow.emit()
    assert [a.text() for a in window.menus.datasets.actions() if a.isChecked()] == ["roll-calls"]
