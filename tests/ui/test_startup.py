"""Start-up stays light: the window is shown and filled before the chart libraries load, and a
normal start writes nothing to the user's database."""

from __future__ import annotations

import subprocess
import sys

from explorer.ingest.bundled import ensure_bundled
from explorer.store.database import open_database
from tests.ui.conftest import UI_DATA

SHOW_WINDOW = """
import os, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from explorer.store.database import open_database
from explorer.ui.main_window import MainWindow
db = open_database(sys.argv[1])
window = MainWindow(db, sys.argv[1])
window.show()
print("SHOWN", window.model.rowCount(), window.status_counts.text(), window.tabs.currentIndex())
print("LOADED", ",".join(m for m in ("matplotlib", "networkx") if m in sys.modules) or "-")
while window.is_busy():
    app.processEvents()
print("CHARTS", "matplotlib" in sys.modules, window.timeline_view.chart is not None, flush=True)
window.close()
db.close()
os._exit(0)  # the test is about start-up; skip the interpreter's teardown of Qt objects
"""


def test_window_is_shown_and_filled_before_the_charts_load(db_path, tmp_path):
    env = {
        "QT_QPA_PLATFORM": "offscreen",
        "QT_API": "pyside6",
        "XDG_CONFIG_HOME": str(tmp_path),
        "HOME": str(tmp_path),
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", SHOW_WINDOW, str(db_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines() if " " in line)
    assert lines["SHOWN"].startswith("18 ") and "18 positions" in lines["SHOWN"]
    assert lines["SHOWN"].endswith(" 0")  # the Sessions tab first
    assert lines["LOADED"] == "-"  # neither matplotlib nor networkx before the window is shown
    assert lines["CHARTS"] == "True True"  # then the charts are built and drawn


def test_a_normal_start_writes_nothing(db_path):
    db = open_database(db_path)
    assert not ensure_bundled(db, UI_DATA / "bundle")  # this version is there already
    assert db.conn.total_changes == 0
    db.close()
