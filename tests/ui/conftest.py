"""GUI test fixtures: offscreen Qt, isolated settings and data folder, the real MainWindow on a
small hand-written dataset (tests/ui/data/bundle), and every dialog monkeypatched."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import pytest
from PySide6.QtCore import QSettings, QStandardPaths

from explorer.ingest.bundled import ensure_bundled
from explorer.store.database import open_database

UI_DATA = Path(__file__).parent / "data"
WAIT_MS = 15_000  # generous: a 2-core CI machine draws charts slowly


@pytest.fixture(autouse=True)
def isolated_qt_settings(tmp_path_factory):
    QStandardPaths.setTestModeEnabled(True)
    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def settings(tmp_path):
    from explorer.ui.settings import AppSettings

    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def db_path(tmp_path) -> Path:
    path = tmp_path / "explorer.sqlite"
    db = open_database(path)
    ensure_bundled(db, UI_DATA / "bundle")
    db.close()
    return path


class DialogRecorder:
    """Stands in for explorer.ui.dialogs: records what would have been shown, answers from queues."""

    def __init__(self):
        self.errors: list[tuple[str, str, str]] = []
        self.reports: list[tuple[str, str]] = []
        self.abouts: list[str] = []
        self.opened_urls: list[str] = []
        self.save_paths: list[str] = []
        self.open_paths: list[list[str]] = []
        self.crashes: list[tuple[str, object]] = []  # (report, log path): a bug reached the crash dialog

    def ask_save_file(self, parent, title, suggested, file_filter):
        return self.save_paths.pop(0) if self.save_paths else ""

    def ask_open_files(self, parent, title, file_filter=""):
        return self.open_paths.pop(0) if self.open_paths else []

    def show_error(self, parent, title, message, details=""):
        self.errors.append((title, message, details))

    def show_crash(self, parent, report, log):
        self.crashes.append((report, log))

    def show_report(self, parent, title, message):
        self.reports.append((title, message))

    def show_about(self, parent, text):
        self.abouts.append(text)

    def open_url(self, url):
        self.opened_urls.append(url)
        return True


@pytest.fixture
def dialogs(monkeypatch):
    from explorer.ui import dialogs as module

    recorder = DialogRecorder()
    for name in (
        "ask_save_file",
        "ask_open_files",
        "show_error",
        "show_crash",
        "show_report",
        "show_about",
        "open_url",
    ):
        monkeypatch.setattr(module, name, getattr(recorder, name))
    return recorder


def wait_idle(qtbot, window) -> None:
    """Until every worker has delivered (charts drawn, imports done)."""
    qtbot.waitUntil(lambda: not window.is_busy() and not window.importer.is_busy(), timeout=WAIT_MS)


@pytest.fixture
def window(qtbot, db_path, settings, dialogs):
    from explorer.ui.main_window import MainWindow

    db = open_database(db_path)
    win = MainWindow(db, db_path, settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    wait_idle(qtbot, win)
    yield win
    win.close()
    db.close()
    assert not dialogs.crashes, f"an unexpected error reached the crash dialog:\n{dialogs.crashes[0][0]}"
