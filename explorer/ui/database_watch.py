"""Notice imports made by other programs (the CLI, a second window) and tell the window.

A timer compares :func:`explorer.store.changes.data_token` with the last one seen; reading it
costs microseconds (the ``imports`` table has a row per import) and never waits for a writer
(WAL). After the window's own import it calls :meth:`DatabaseWatch.seen` so it does not
refresh twice.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from explorer.store import changes
from explorer.store.database import Database

POLL_MS = 1500


class DatabaseWatch(QObject):
    """Emits ``changed`` when committed data differs from what the window last showed."""

    changed = Signal()

    def __init__(self, db: Database, parent: QObject | None = None, interval_ms: int = POLL_MS):
        super().__init__(parent)
        self.db = db
        self.token = changes.data_token(db)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def poll(self) -> bool:
        """Compare now (also called by the timer); True and ``changed`` emitted if it differs."""
        new = changes.changed_since(self.db, self.token)
        if new is None:
            return False
        self.token = new
        self.changed.emit()
        return True

    def seen(self) -> None:
        """The window has just shown the current data (e.g. after its own import)."""
        self.token = changes.data_token(self.db)

    def stop(self) -> None:
        self.timer.stop()
