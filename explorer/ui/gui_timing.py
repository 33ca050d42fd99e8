"""How long the GUI thread is blocked: the longest single event or queued call it handled.

Every slot, timer, paint and worker result reaches the GUI thread through
``QApplication.notify``; :class:`TimedApplication` times each outermost call while a
:class:`GuiCallRecorder` is recording. The bench wraps a filter change in :func:`recording` and
reports :attr:`GuiCallRecorder.longest_ms` against the 16 ms target (one frame at 60 Hz).
Setting ``NEGOTIATION_EXPLORER_GUI_TIMING=1`` makes ``negotiation-explorer`` use the timed
application and print the longest call of every filter change to stderr.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from explorer.ui.state_binding import subscribe

if TYPE_CHECKING:
    from explorer.ui.main_window import MainWindow

ENV_VAR = "NEGOTIATION_EXPLORER_GUI_TIMING"


@dataclass
class GuiCallRecorder:
    """The longest GUI-thread calls seen while recording (only the outermost of nested calls)."""

    longest_ms: float = 0.0
    longest: str = ""  # receiver class and event type of the longest call
    calls: int = 0
    slowest: list[tuple[float, str]] = field(default_factory=list)  # the ten longest, longest first

    def add(self, ms: float, what: str) -> None:
        self.calls += 1
        if ms > self.longest_ms:
            self.longest_ms, self.longest = ms, what
        if len(self.slowest) < 10 or ms > self.slowest[-1][0]:
            self.slowest = sorted([*self.slowest, (ms, what)], reverse=True)[:10]


class TimedApplication(QApplication):
    """A QApplication that times each outermost event delivery and hands it to its recorder."""

    def __init__(self, argv: list[str]):
        super().__init__(argv)
        self.recorder: GuiCallRecorder | None = None
        self._depth = 0

    def notify(self, receiver: QObject, event: QEvent) -> bool:
        # Always timed, recorded if a recorder is set when the call ends: a recording started by
        # a slot (a filter change) still catches the call that ran it.
        self._depth += 1
        start = time.perf_counter()
        try:
            return super().notify(receiver, event)
        finally:
            self._depth -= 1
            if self._depth == 0 and self.recorder is not None:
                what = f"{type(receiver).__name__} {event.type().name}"
                self.recorder.add((time.perf_counter() - start) * 1000, what)


@contextmanager
def recording() -> Iterator[GuiCallRecorder]:
    """Record the GUI thread's calls until the block ends (needs a :class:`TimedApplication`)."""
    app = QCoreApplication.instance()
    if not isinstance(app, TimedApplication):
        raise RuntimeError(f"GUI timing needs the TimedApplication (set {ENV_VAR}=1 or create one)")
    recorder = GuiCallRecorder()
    previous, app.recorder = app.recorder, recorder
    try:
        yield recorder
    finally:
        app.recorder = previous


def enabled() -> bool:
    return os.environ.get(ENV_VAR, "") not in ("", "0")


def application_class() -> type[QApplication]:
    return TimedApplication if enabled() else QApplication


def report_filter_changes(window: MainWindow, poll_ms: int = 50) -> None:
    """From each filter change until the window is idle again, record the GUI thread's calls and
    print the longest to stderr (the click that changed the filter is still running when the
    state announces it, so it is recorded too)."""
    app = QCoreApplication.instance()
    if not isinstance(app, TimedApplication):
        return
    idle = QTimer(window, interval=poll_ms)

    def changed(_compiled: object) -> None:
        if not idle.isActive():
            app.recorder = GuiCallRecorder()
            idle.start()

    def check() -> None:
        if not window.is_busy() and app.recorder is not None:
            idle.stop()
            recorder, app.recorder = app.recorder, None
            sys.stderr.write(
                f"GUI thread during a filter change: longest call {recorder.longest_ms:.1f} ms "
                f"({recorder.longest}), {recorder.calls} calls\n"
            )

    idle.timeout.connect(check)
    subscribe(window, window.state.filter_changed, changed)
