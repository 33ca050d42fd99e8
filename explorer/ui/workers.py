"""Background work: a plain core function run on a pool thread, its result back by signal.

A task function has the signature ``fn(db, progress, cancel) -> result``: ``db`` is a
connection opened *in the worker thread* (read-only, or writable for imports; SQLite
serialises writers), ``progress(done, total)`` reports, ``cancel()`` says whether to stop.
Widgets are never touched in the worker. Each task kind has a generation counter: a newer
submission of the same kind cancels the older ones, and their results are dropped.

Matplotlib's font cache and text layout are shared by every figure and are not thread-safe,
so building, drawing, rendering or saving a figure happens only inside :func:`drawing`, which
holds one process-wide lock; the chart canvases only paint the pictures workers rendered.
"""

from __future__ import annotations

import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from explorer.errors import stop_if_cancelled
from explorer.store.database import Database, open_database

Progress = Callable[[int, int], None]
CancelCheck = Callable[[], bool]
TaskFunction = Callable[[Database, Progress, CancelCheck], Any]

FIGURE_LOCK = threading.Lock()
# The GUI thread needs the GIL for every Python slot, paint and model call; a worker running
# Python keeps it for up to this long before handing it over (CPython's default is 5 ms, and a
# repaint that calls Python a dozen times then waited ~100 ms behind a worker drawing a chart).
GIL_SWITCH_INTERVAL_S = 0.001


@contextmanager
def drawing(cancel: CancelCheck) -> Iterator[None]:
    """Hold the figure lock for building/drawing/saving a figure; a task cancelled while it
    waited for the lock stops here (raises :class:`Cancelled`) instead of drawing."""
    stop_if_cancelled(cancel)
    with FIGURE_LOCK:
        stop_if_cancelled(cancel)
        yield


class _TaskSignals(QObject):
    """Lives in the GUI thread, so emits from the worker arrive there as queued calls. Its
    parent is the runner and it is deleted with ``deleteLater`` once delivered: were Python to
    own it, a garbage collection in a worker thread could delete it while the GUI thread is
    delivering its queued call (a segfault seen under load)."""

    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)


@dataclass(eq=False)
class Task:
    kind: str
    generation: int
    signals: _TaskSignals
    cancelled: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        self.cancelled.set()


class _Runnable(QRunnable):
    def __init__(self, task: Task, fn: TaskFunction, db_path: Path, writer: bool):
        super().__init__()
        self.setAutoDelete(True)
        self.task, self.fn, self.db_path, self.writer = task, fn, db_path, writer

    def run(self) -> None:
        db = None
        signals = self.task.signals
        try:
            db = open_database(self.db_path, read_only=not self.writer)
            result = self.fn(db, signals.progress.emit, self.task.cancelled.is_set)
        except BaseException as exc:  # noqa: BLE001 - every failure must reach the GUI
            signals.failed.emit(exc)
        else:
            signals.finished.emit(result)
        finally:
            if db is not None:
                db.close()


class TaskRunner(QObject):
    """Runs task functions on a private thread pool; :meth:`shutdown` joins them (on close).

    ``report_error`` receives the failures a task's own ``on_error`` does not take (by default
    all of them): the window's error reporter, so no worker failure goes unseen.
    """

    def __init__(
        self,
        db_path: str | Path,
        parent: QObject | None = None,
        threads: int = 2,
        report_error: Callable[[BaseException], None] | None = None,
    ):
        super().__init__(parent)
        sys.setswitchinterval(min(sys.getswitchinterval(), GIL_SWITCH_INTERVAL_S))
        self.db_path = Path(db_path)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(threads)
        self.report_error = report_error or _reraise
        self._generation: Counter[str] = Counter()
        self._active: set[Task] = set()
        self._closed = False

    def submit(
        self,
        kind: str,
        fn: TaskFunction,
        *,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        writer: bool = False,
    ) -> Task:
        """Start ``fn`` on a worker; earlier tasks of the same ``kind`` are cancelled and their
        results (or failures) will be ignored. A task that stops because it was cancelled
        (:class:`Cancelled`) reaches ``on_error`` only if nothing replaced it (e.g. an import
        the user cancelled)."""
        for old in self._active:
            if old.kind == kind:
                old.cancel()
        self._generation[kind] += 1
        task = Task(kind, self._generation[kind], signals=_TaskSignals(self))
        self._active.add(task)

        def deliver(handler: Callable[[Any], None], value: object) -> None:
            self._active.discard(task)
            task.signals.deleteLater()  # one delivery per task: finished or failed
            if not self._closed and task.generation == self._generation[kind]:
                handler(value)

        task.signals.finished.connect(lambda result: deliver(on_done, result))
        task.signals.failed.connect(lambda exc: deliver(on_error or self.report_error, exc))
        if on_progress is not None:
            task.signals.progress.connect(on_progress)
        self.pool.start(_Runnable(task, fn, self.db_path, writer))
        return task

    def is_busy(self, kind: str | None = None) -> bool:
        return any(kind is None or t.kind == kind for t in self._active)

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        """Cancel what is running and wait for the threads, so none outlives the window."""
        self._closed = True
        for task in self._active:
            task.cancel()
        self.pool.waitForDone(timeout_ms)
        self._active.clear()


def _reraise(exc: BaseException) -> None:
    raise exc
