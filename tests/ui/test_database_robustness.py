"""The app and a database in trouble (issue #12): damaged at start (explained, restore or start
fresh), changed by another program (noticed, views refreshed), not writable (imports off)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from explorer.errors import DatabaseDamagedError
from explorer.ingest.importer import import_file
from explorer.store import backups, queries
from explorer.store.database import open_database
from explorer.store.writing import is_read_only
from explorer.ui import recovery_dialog
from explorer.ui.database_watch import DatabaseWatch
from tests.conftest import DATA
from tests.test_concurrent_writers import WriteLock
from tests.ui.conftest import UI_DATA, WAIT_MS, wait_idle


def damage(path: Path) -> bytes:
    data = bytearray(path.read_bytes())
    data[4096:4104] = b"\xde\xad\xbe\xef" * 2
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.fixture
def damaged(db_path) -> tuple[Path, int]:
    """The test database after one import (so a backup exists from before it), then damaged."""
    db = open_database(db_path)
    before = queries.stats(db)["positions"]
    import_file(db, DATA / "small.csv", "small")
    db.close()
    damage(db_path)
    return db_path, before


def _error(path: Path) -> DatabaseDamagedError:
    with pytest.raises(DatabaseDamagedError) as caught:
        open_database(path)
    return caught.value


def test_the_message_explains_and_names_the_backup(damaged):
    path, _ = damaged
    newest = backups.newest_sound_backup(path)
    text = recovery_dialog.recovery_message(path, _error(path), newest)
    assert str(path) in text and "damaged" in text and "it was not changed" in text
    assert newest is not None and newest.path.name in text and "before an import" in text
    assert f"{path.name}.damaged-" in text


def test_restore_the_newest_backup(damaged, dialogs, monkeypatch):
    path, before = damaged
    damaged_bytes = path.read_bytes()
    monkeypatch.setattr(recovery_dialog, "ask_recovery", lambda parent, message, can_restore: "restore")
    assert recovery_dialog.recover(None, path, _error(path))
    title, message = dialogs.reports[0]
    assert title == "Backup restored" and "kept as explorer.sqlite.damaged-" in message
    (aside,) = path.parent.glob("explorer.sqlite.damaged-*[0-9]")
    assert aside.read_bytes() == damaged_bytes
    db = open_database(path)
    assert queries.stats(db)["positions"] == before  # as it was before the import
    db.close()


def test_start_fresh_or_quit(damaged, dialogs, monkeypatch):
    path, _ = damaged
    damaged_bytes = path.read_bytes()
    monkeypatch.setattr(recovery_dialog, "ask_recovery", lambda parent, message, can_restore: "quit")
    assert not recovery_dialog.recover(None, path, _error(path))
    assert path.read_bytes() == damaged_bytes and not dialogs.reports
    monkeypatch.setattr(recovery_dialog, "ask_recovery", lambda parent, message, can_restore: "fresh")
    assert recovery_dialog.recover(None, path, _error(path))
    assert dialogs.reports[0][0] == "Fresh database"
    assert not path.exists()
    db = open_database(path)
    assert queries.stats(db)["positions"] == 0
    db.close()


def test_the_real_dialog_offers_the_three_ways(qtbot, damaged):
    path, _ = damaged
    seen: dict[str, object] = {}

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["buttons"] = [b.text() for b in box.buttons()]
        seen["plain"] = box.textFormat()
        seen["text"] = box.text()
        next(b for b in box.buttons() if b.text() == "Restore backup").click()

    QTimer.singleShot(0, answer)
    choice = recovery_dialog.ask_recovery(None, recovery_dialog.recovery_message(path, _error(path), None), True)
    assert choice == recovery_dialog.RESTORE
    assert sorted(seen["buttons"]) == ["Quit", "Restore backup", "Start fresh"]
    assert seen["plain"] == recovery_dialog.Qt.TextFormat.PlainText and str(path) in seen["text"]


def test_the_app_recovers_at_start(damaged, dialogs, monkeypatch, qtbot):
    """run_app on a damaged database: the recovery offer, then the window on the restored file."""
    from explorer.ui import app as app_module

    path, before = damaged
    monkeypatch.setattr(recovery_dialog, "ask_recovery", lambda parent, message, can_restore: "restore")
    monkeypatch.setattr(app_module.signal, "signal", lambda *args: None)
    shown = {}

    def run_loop(self) -> int:
        window = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "MainWindow" and w.isVisible())
        shown["positions"] = queries.stats(window.db)["positions"]
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", run_loop)
    monkeypatch.setattr("explorer.ingest.bundled.open_with_bundled", open_database)  # keep the test bundle
    assert app_module.run_app(path) == 0
    assert shown["positions"] == before


def test_a_watch_notices_an_import_by_another_process(qtbot, db_path, isolated_home):
    db = open_database(db_path, read_only=True)
    watch = DatabaseWatch(db, interval_ms=50)
    assert not watch.poll()
    child = subprocess.Popen(
        [sys.executable, "-m", "explorer", "--db", str(db_path), "import", str(UI_DATA / "good.csv")],
        env={**os.environ, "NEGOTIATION_EXPLORER_HOME": str(isolated_home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    with qtbot.waitSignal(watch.changed, timeout=WAIT_MS * 4):
        pass
    assert child.wait(timeout=60) == 0
    watch.stop()
    db.close()


def test_the_window_shows_what_the_cli_imported(qtbot, window, dialogs, isolated_home):
    """The app stays open on the database while `negotiation-explorer import` writes to it: the
    window keeps answering (readers never wait) and shows the new positions once they land."""
    before = window.model.rowCount()
    command = ["import", str(UI_DATA / "good.csv"), "--dataset", "ui-fixture"]
    child = subprocess.Popen(
        [sys.executable, "-m", "explorer", "--db", str(window.db_path), *command],
        env={**os.environ, "NEGOTIATION_EXPLORER_HOME": str(isolated_home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    qtbot.waitUntil(lambda: child.poll() is not None, timeout=WAIT_MS * 8)  # the event loop runs meanwhile
    _out, err = child.communicate()
    assert child.returncode == 0, err
    qtbot.waitUntil(lambda: window.model.rowCount() == before + 2, timeout=WAIT_MS)
    assert window.statusBar().currentMessage().startswith("Another program changed the database")
    assert not dialogs.errors


def test_the_import_dialog_says_it_waits_for_another_import(qtbot, window, dialogs):
    before = window.model.rowCount()
    lock = WriteLock(window.db_path)  # another program in the middle of an import
    try:
        window.import_files([str(UI_DATA / "good.csv")])
        qtbot.waitUntil(
            lambda: (
                window.importer.progress is not None
                and window.importer.progress.labelText().startswith("Waiting for another import to finish…")
            ),
            timeout=WAIT_MS,
        )
        assert window.importer.progress.isVisible() and "good.csv" in window.importer.progress.labelText()
    finally:
        lock.release()
    qtbot.waitUntil(lambda: bool(dialogs.reports), timeout=WAIT_MS)
    assert "Imported 2 position(s)" in dialogs.reports[0][1] and not dialogs.errors
    qtbot.waitUntil(lambda: window.model.rowCount() == before + 2, timeout=WAIT_MS)


def test_a_read_only_database_turns_imports_off(qtbot, db_path, settings, dialogs, monkeypatch):
    from explorer.store import database
    from explorer.ui.main_window import READ_ONLY_NOTE, MainWindow

    real_access = os.access  # the suite runs as root, whom file modes do not stop: the check says no
    monkeypatch.setattr(database.os, "access", lambda p, mode: mode != os.W_OK and real_access(p, mode))
    db = open_database(db_path)
    assert is_read_only(db)
    window = MainWindow(db, db_path, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_idle(qtbot, window)
    before = window.model.rowCount()
    assert before > 0  # reading works
    assert not window.menus.actions["import"].isEnabled() and not window.menus.recent.isEnabled()
    assert not window.acceptDrops()
    note = window.findChild(QLabel, "read_only_note")
    assert note is not None and note.isVisible() and note.text() == READ_ONLY_NOTE
    window.import_files([str(UI_DATA / "good.csv")])  # e.g. from a recent-imports entry
    assert not window.importer.is_busy() and window.statusBar().currentMessage() == READ_ONLY_NOTE
    window.close()
    db.close()
    assert queries.stats(open_database(db_path, read_only=True))["positions"] == before
    assert not dialogs.errors and not dialogs.crashes


def test_a_bug_at_start_up_reaches_the_crash_dialog(qtbot, db_path, dialogs, monkeypatch):
    """Before the window exists there is no slot to catch it: run_app reports it itself (a
    desktop launch has no terminal to print a traceback to)."""
    from explorer import paths
    from explorer.ui import app as app_module
    from explorer.ui.error_report import CRASH_LOG
    from explorer.ui.main_window import MainWindow

    def broken(self, *args, **kwargs):
        raise RuntimeError("a start-up bug")

    monkeypatch.setattr(MainWindow, "__init__", broken)
    monkeypatch.setattr("explorer.ingest.bundled.open_with_bundled", open_database)
    assert app_module.run_app(db_path) == 70
    ((report, log),) = dialogs.crashes
    assert "RuntimeError: a start-up bug" in report and "Traceback" in report
    assert log == paths.user_data_folder() / CRASH_LOG and report in log.read_text(encoding="utf-8")
    dialogs.crashes.clear()
