"""Rows 1, 7 and 8: the app's own window, each in a fresh process (offscreen Qt).

* row 1 — launch to a shown, populated window on the bundled data, beside a bare PySide6
  window (``HELLO_QT``);
* row 7 — peak RSS of the window with the positions in its database, beside the bare window's;
* row 8 — the real main window on the benchmark's database: the filter changes of
  :func:`bench.run.filter_changes` are made through the application state (each filter, then
  back to none) with the Timeline, Network and Matrix tab in front in turn; the GUI thread's
  calls are recorded by the app's own instrumentation (``explorer/ui/gui_timing.py``) from each
  change until every worker is done, and the longest is reported with what it was.
"""

from __future__ import annotations

from pathlib import Path

from bench.harness import Bench, as_user_install, child, launch, median
from bench.report import Result, at_scale

APP_CHILD = """
import resource, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
linger_ms = int(float(sys.argv[2]) * 1000)

def rss_now():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

def finish():
    print("RSS_NOW_MB", rss_now())
    app.quit()

def poll():
    for w in app.topLevelWidgets():
        if w.objectName() == "MainWindow" and w.isVisible() and w.model.rowCount() > 0:
            print("READY", time.time(), flush=True)
            QTimer.singleShot(linger_ms, finish)
            return
    QTimer.singleShot(2, poll)

QTimer.singleShot(0, poll)
from explorer.ui.app import run_app
run_app(sys.argv[1])
print("RSS_MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
HELLO_CHILD = (
    """
import time
from PySide6.QtCore import QTimer
"""
    "QTimer.singleShot(0, lambda: print('READY', time.time(), flush=True))\n"
)

GUI_VIEWS = ("timeline", "network", "matrix")  # the tabs in front while the filter changes
GUI_THREAD_CHILD = """
import os, statistics, sys, time
from explorer.ui.gui_timing import TimedApplication, recording
app = TimedApplication(sys.argv[:1])
from PySide6.QtCore import QEventLoop, QTimer
from bench.run import filter_changes
from explorer.store.database import open_database
from explorer.ui.main_window import MainWindow

db = open_database(sys.argv[1])
window = MainWindow(db, sys.argv[1])
window.show()

deadline_s = float(sys.argv[3])

def wait_idle():
    # until no worker runs and nothing waits to be drawn, three polls in a row
    loop, quiet, start = QEventLoop(), [0], time.perf_counter()
    def check():
        quiet[0] = 0 if window.is_busy() else quiet[0] + 1
        if quiet[0] >= 3:
            loop.quit()
        elif time.perf_counter() - start > deadline_s:
            sys.stderr.write(f"the window was still busy after {deadline_s:.0f} s\\n")
            os._exit(3)
    timer = QTimer(interval=10)
    timer.timeout.connect(check)
    timer.start()
    loop.exec()
    timer.stop()

def change(flt):
    # The change is made as a filter panel's slot makes it; the slot's own time is recorded too.
    with recording() as gui:
        start = time.perf_counter()
        window.state.set_filter(flt)
        gui.add((time.perf_counter() - start) * 1000, "AppState.set_filter (compile, then its subscribers)")
        wait_idle()
    return gui, time.perf_counter() - start

wait_idle()
base, *narrower = filter_changes(db)
for view in sys.argv[2].split(","):
    window.state.set_view(view)
    wait_idle()
    worst, worst_filter, settle, calls = None, "", [], 0
    for flt in narrower:
        for target in (flt, base):
            gui, seconds = change(target)
            settle.append(seconds)
            calls += gui.calls
            if worst is None or gui.longest_ms > worst.longest_ms:
                worst, worst_filter = gui, "to " + (target.with_(dataset=None).describe().replace("none", "no filter"))
    key = view.upper()
    print(f"LONGEST_{key}", worst.longest_ms)
    print(f"WHAT_{key}", worst.longest)
    print(f"FILTER_{key}", worst_filter)
    print(f"NEXT_{key}", "; ".join(f"{ms:.0f} ms {what}" for ms, what in worst.slowest[1:3]))
    print(f"CHANGES_{key}", len(settle))
    print(f"CALLS_{key}", calls)
    print(f"SETTLE_{key}", statistics.median(settle))
sys.stdout.flush()
os._exit(0)  # the measurement is done; closing the window would only add noise
"""


def bench_startup(bench: Bench, rows: set[int]) -> None:
    """Row 1, and row 7 on the bundled data (which gives row 7 its hello-world baseline)."""
    from bench.baselines import HELLO_QT

    db_path = bench.work / "home" / "startup.sqlite"
    child(
        bench,
        "import sys\nfrom explorer.ingest.bundled import open_with_bundled\nopen_with_bundled(sys.argv[1]).close()",
        str(db_path),
    )  # the bundled data is loaded once, as on every start after the first
    hello_code = HELLO_QT.replace("window.show()\n", "window.show()\n" + HELLO_CHILD.split("\n", 3)[3])
    hello_code = "import time\n" + hello_code
    ours, hello, rss_ours, rss_hello = [], [], [], []
    for _ in range(bench.repeat):
        seconds, got = launch(bench, as_user_install(hello_code))
        hello.append(seconds)
        rss_hello.append(got["RSS_MB"])
        seconds, got = launch(bench, as_user_install(APP_CHILD), str(db_path), "0")
        ours.append(seconds)
        rss_ours.append(got["RSS_MB"])
    t, b = median(ours), median(hello)
    if 1 in rows:
        bench.add(Result(1, 1037, "cold start (bundled data)", t, b, met=t <= 1.5 * b))
    bench.hello_rss = median(rss_hello)
    if 7 in rows:
        bench.add(Result(7, 1037, "app memory, bundled data (peak RSS)", median(rss_ours), bench.hello_rss, unit="MB"))


def bench_app_memory(bench: Bench, csv_path: Path, size: int, import_code: str) -> None:
    """Row 7: the window on a database holding ``size`` positions in the dataset it shows."""
    db_path = bench.work / f"app-{size}.sqlite"
    child(bench, import_code, str(csv_path), str(db_path), "bundled")  # into the dataset the window shows
    linger = 3 if bench.smoke else 30
    seconds, got = launch(bench, as_user_install(APP_CHILD), str(db_path), str(linger))
    peak = got["RSS_MB"]
    bench.add(
        Result(
            7,
            size,
            "app memory (peak RSS)",
            peak,
            bench.hello_rss,
            unit="MB",
            met=at_scale(size, peak <= 400),
            note=f"shown + populated in {seconds:.2f} s; RSS {got['RSS_NOW_MB']:.0f} MB after {linger} s",
        )
    )
    db_path.unlink()


def bench_gui_thread(bench: Bench, db_path: Path, size: int) -> None:
    """Row 8, one line per tab in front. Runs once whatever ``--repeat`` says: the figure is
    already the maximum over a dozen filter changes."""
    views = GUI_VIEWS[:1] if bench.smoke else GUI_VIEWS  # the same code for each tab: one is enough for CI
    got = child(
        bench,
        as_user_install(GUI_THREAD_CHILD),
        str(db_path),
        ",".join(views),
        "60" if bench.smoke else "900",  # seconds a change may take before the row fails
        env={"XDG_CONFIG_HOME": str(bench.work / "config-gui")},  # no view or filter left by row 7's window
    )
    for view in views:
        key = view.upper()
        longest_ms = float(got[f"LONGEST_{key}"])
        bench.add(
            Result(
                8,
                size,
                f"GUI thread, {view.capitalize()} tab in front",
                longest_ms / 1000,
                met=at_scale(size, longest_ms <= 16),
                note=(
                    f"longest: {got[f'WHAT_{key}']} ({got[f'FILTER_{key}']}); next: {got.get(f'NEXT_{key}', '')}; "
                    f"{int(float(got[f'CHANGES_{key}']))} changes, {int(float(got[f'CALLS_{key}'])):,} calls, "
                    f"idle again after {float(got[f'SETTLE_{key}']):.2f} s (median)"
                ),
            )
        )
