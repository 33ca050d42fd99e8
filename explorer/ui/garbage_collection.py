"""Python's cyclic garbage collector runs on the GUI thread only.

A collection runs in whichever thread happens to allocate when a threshold is crossed — often
a worker building a figure. If the garbage holds a Qt object (a window and its views sit in
reference cycles with the application state), Qt deletes it from that worker: "Timers cannot be
stopped from another thread", then a segfault. So automatic collection is switched off and a
timer on the GUI thread collects instead (the pattern pyqtgraph's GarbageCollector uses).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Collects the generations whose thresholds were crossed, every :data:`INTERVAL_MS`."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.timer = QTimer(self, interval=INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        gc.disable()
        self.timer.start()

    def check(self) -> None:
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation]:
                gc.collect(generation)
                return


def collect_on_gui_thread() -> None:
    """Install the collector once per application (call on the GUI thread)."""
    app = QCoreApplication.instance()
    if app is not None and app.findChild(GuiThreadCollector) is None:
        GuiThreadCollector(app)
