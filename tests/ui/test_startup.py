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
filled = []  # the chart libraries loaded when the table was filled (its count comes from a worker)
window.model.modelReset.connect(
    lambda: filled.append(",".join(m for m in ("matplotlib", "networkx") if m in sys.modules) or "-")
)
window.show()
print("VISIBLE", window.isVisible(), ",".join(m for m in ("matplotlib", "networkx") if m in sys.modules) or "-")
while not filled:
    app.processEvents()
print("SHOWN", window.model.rowCount(), window.status_counts.text(), window.tabs.currentIndex())
print("LOADED", filled[0])
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
    assert lines["SHOWN"].endswith(" 0")  # the Overview first
    assert lines["VISIBLE"] == "True -"
    assert lines["LOADED"] == "-"  # neither matplotlib nor networkx before the table is filled
    assert lines["CHARTS"] == "True True"  # then the charts are built and drawn


def test_a_normal_start_writes_nothing(db_path):
    db = open_database(db_path)
    assert not ensure_bundled(db, UI_DATA / "bundle")  # this version is there already
    assert db.conn.total_changes == 0
    db.close()


TIME_A_FILTER_CHANGE = """
import os, sys
from explorer.ui.gui_timing import TimedApplication, recording
app = TimedApplication([])
from explorer.store.database import open_database
from explorer.store.filters import PositionFilter
from explorer.ui.main_window import MainWindow
db = open_database(sys.argv[1])
window = MainWindow(db, sys.argv[1])
window.show()
while window.is_busy():
    app.processEvents()
with recording() as gui:
    window.filter_panel.select_provision("6")
    while window.is_busy() or window.state.filter.provisions != ("6",):
        app.processEvents()
print("CALLS", gui.calls, flush=True)
print("LONGEST", f"{gui.longest_ms:.3f}", gui.longest, flush=True)
window.close()
os._exit(0)
"""


def test_the_longest_gui_thread_call_of_a_filter_change_is_measured(db_path, tmp_path):
    """The bench's probe (issue #13, target 16 ms): a TimedApplication records every outermost
    event delivery on the GUI thread during a filter change."""
    env = {"QT_QPA_PLATFORM": "offscreen", "QT_API": "pyside6", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", TIME_A_FILTER_CHANGE, str(db_path)],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines() if " " in line)
    assert int(lines["CALLS"]) > 3  # the state's announcement, worker results, repaints
    assert float(lines["LONGEST"].split()[0]) > 0
