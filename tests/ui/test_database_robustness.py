"""The app and a database in trouble (issue #12): damaged at start (explained, restore or start
fresh), changed by another program (noticed, views refreshed), not writable (imports off)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from explorer.errors import DatabaseDamagedError
from explorer.ingest.importer import import_file
from explorer.store import backups, queries
from explorer.store.database import open_database
from explorer.ui import recovery_dialog
from explorer.ui.database_watch import DatabaseWatch
from tests.conftest import DATA
from tests.ui.conftest import UI_DATA, WAIT_MS


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
    assert str(path) in text and "damaged" in text and "has not been changed" in text
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
