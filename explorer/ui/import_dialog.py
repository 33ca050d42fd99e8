"""Importing positions files: one at a time on a worker, with a cancellable progress dialog.

The worker opens its own writable connection (SQLite serialises writers); the core imports
in one transaction, so a bad file or a cancel writes nothing. Problems are listed as
``FILE:LINE: column C: message``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from explorer.errors import ExplorerError, ImportCancelled, ValidationError
from explorer.ingest.importer import ImportReport, import_file
from explorer.store.database import Database
from explorer.ui import dialogs
from explorer.ui.workers import CancelCheck, Progress, TaskRunner

IMPORTABLE_SUFFIXES = (".csv", ".jsonl", ".ndjson", ".json")
SHOWN_ERRORS = 30


def validation_message(path: str, exc: ValidationError) -> tuple[str, str]:
    """(message, details) for the error dialog: the first problems inline, all in the details."""
    lines = [str(e) for e in exc.errors]
    shown = "\n".join(lines[:SHOWN_ERRORS])
    more = f"\n… and {len(lines) - SHOWN_ERRORS} more (see details)" if len(lines) > SHOWN_ERRORS else ""
    message = (
        f"{Path(path).name} was not imported: {len(lines)} problem(s) found. Nothing was written.\n\n{shown}{more}"
    )
    return message, "\n".join(lines)


class ImportController(QObject):
    """Queue of files to import; emits ``imported`` after each success so views refresh."""

    imported = Signal(object)  # ImportReport
    finished = Signal()
    message = Signal(str)
    waiting = Signal(float)  # emitted by the worker while another program holds the database

    def __init__(
        self,
        runner: TaskRunner,
        parent_widget: QWidget,
        dataset: Callable[[], str],
        report_error: Callable[[BaseException, str], None],
    ):
        super().__init__(parent_widget)
        self.runner = runner
        self.parent_widget = parent_widget
        self.dataset = dataset  # asked when each import starts: the dataset shown then
        self.report_error = report_error
        self.queue: list[str] = []
        self.progress: QProgressDialog | None = None
        self.current: str | None = None
        self.waiting.connect(self._waiting)

    def start(self, paths: list[str]) -> None:
        self.queue.extend(str(p) for p in paths)
        if self.current is None:
            self._next()

    def is_busy(self) -> bool:
        return self.current is not None

    def _next(self) -> None:
        if not self.queue:
            self.current = None
            self.finished.emit()
            return
        path = self.current = self.queue.pop(0)
        dataset = self.dataset()
        self.progress = QProgressDialog(f"Importing {Path(path).name}…", "Cancel", 0, 0, self.parent_widget)
        self.progress.setWindowTitle("Import positions")
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(400)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)

        def run(db: Database, progress: Progress, cancel: CancelCheck) -> ImportReport:
            return import_file(db, path, dataset, progress=progress, cancel=cancel, waiting=self.waiting.emit)

        task = self.runner.submit(
            "import", run, writer=True, on_done=self._done, on_error=self._failed, on_progress=self._progress
        )
        self.progress.canceled.connect(task.cancel)

    def _waiting(self, seconds: float) -> None:
        """Another import (the CLI, another window) is writing: say so until it is done."""
        if self.progress is not None and self.current is not None:
            self.progress.setLabelText(
                f"Waiting for another import to finish… ({seconds:.0f} s)\n"
                f"{Path(self.current).name} is imported when it is done."
            )
            self.progress.show()

    def _progress(self, done: int, total: int) -> None:
        if self.progress is not None and self.current is not None:
            self.progress.setLabelText(f"Importing {Path(self.current).name}…")
        if self.progress is not None and total:
            self.progress.setMaximum(total)
            self.progress.setValue(done)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _done(self, report: ImportReport) -> None:
        self._close_progress()
        self.imported.emit(report)
        dialogs.show_report(self.parent_widget, "Import finished", report.summary())
        self._next()

    def _failed(self, exc: BaseException) -> None:
        self._close_progress()
        path = self.current or ""
        if isinstance(exc, ValidationError):
            message, details = validation_message(path, exc)
            dialogs.show_error(self.parent_widget, "Import failed", message, details)
        elif isinstance(exc, ImportCancelled):
            self.message.emit(f"Import of {Path(path).name} cancelled; nothing was written.")
        elif isinstance(exc, ExplorerError):
            dialogs.show_error(
                self.parent_widget,
                "Import failed",
                f"{Path(path).name} was not imported; nothing was written.\n\n{exc}",
            )
        else:
            self.report_error(exc, "Import failed")  # a bug: the crash report (the import rolled back)
        self._next()
