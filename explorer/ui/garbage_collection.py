"""Python's cyclic garbage collector runs on the GUI thread only.

A collection runs in whichever thread happens to allocate when a threshold is crossed — often
a worker building a figure. If the garbage holds a Qt object (a window and its views sit in
reference cycles with the application state), Qt deletes it from that worker: "Timers cannot be
stopped from another thread", then a segfault. So automatic collection is switched off and a
timer on the GUI thread collects instead (the pattern pyqtgraph's GarbageCollector uses).

A full collection walks every tracked object: with matplotlib, numpy and networkx loaded that
was 100-500 ms of a frozen window at 1M positions (issue #13: no GUI-thread call over 16 ms).
So what the modules and the window allocated at start-up is frozen once (:func:`freeze_long_lived`,
never collected again, as CPython's docs suggest for long-lived startup objects); a full
collection waits, as CPython's own would, until the objects that survived younger collections
make up a quarter of those a full collection walks; and collections wait for the window to be
idle (no task running: a filter change is complete on screen), as browsers schedule theirs,
unless :data:`MAX_DELAY_S` passed without one (a long import).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer

INTERVAL_MS = 500
MAX_DELAY_S = 5.0  # collect even while busy when the last collection is this old


class GuiThreadCollector(QObject):
    """Collects the generations whose thresholds were crossed, every :data:`INTERVAL_MS`."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.long_lived = 0  # objects in the oldest generation after the last full collection
        self.busy: Callable[[], bool] = lambda: False
        self._last = time.monotonic()
        self.timer = QTimer(self, interval=INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        gc.disable()
        self.timer.start()

    def check(self) -> None:
        if self.busy() and time.monotonic() - self._last < MAX_DELAY_S:
            return
        self._last = time.monotonic()
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if counts[generation] > self.thresholds[generation] and (generation < 2 or self._full_collection_due()):
                gc.collect(generation)
                if generation == 2:
                    self.long_lived = len(gc.get_objects(generation=2))
                return

    def _full_collection_due(self) -> bool:
        """CPython's rule: a full collection once the objects that reached the oldest generation
        since the last one are a quarter of those that were there after it."""
        return len(gc.get_objects(generation=2)) - self.long_lived > self.long_lived // 4


def collect_on_gui_thread(busy: Callable[[], bool] | None = None) -> None:
    """Install the collector once per application (call on the GUI thread); ``busy`` says when
    to wait (the newest window's)."""
    app = QCoreApplication.instance()
    if app is None:
        return
    collector = app.findChild(GuiThreadCollector) or GuiThreadCollector(app)
    if busy is not None:
        collector.busy = busy


def freeze_long_lived() -> None:
    """Move every object alive now out of the collector's sight (call once, when the modules are
    imported and the window built): they live as long as the process, and walking them was most
    of each full collection."""
    gc.collect()
    gc.freeze()
