"""Errors in the GUI, handled in one place.

A user-facing error (:class:`~explorer.errors.ExplorerError`: a bad file, an unknown name, an
unwritable path) is shown once, as a message. Anything else is a bug: it reaches a crash dialog
with a report the user can copy, and the report is appended to a log file in the user data
folder. Both roads start here: :meth:`ErrorReporter.report` for worker failures and
:meth:`ErrorReporter.excepthook` for exceptions raised in slots and event handlers.
"""

from __future__ import annotations

import datetime as dt
import platform
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QWidget

from explorer import __version__, paths
from explorer.errors import Cancelled, ExplorerError
from explorer.ui import dialogs

CRASH_LOG = "crash-reports.log"
DEFAULT_TITLE = "Negotiation Explorer"


def crash_report(exc: BaseException) -> str:
    """What a maintainer needs to reproduce a bug: versions, platform, time and the traceback."""
    lines = [
        f"Negotiation Explorer {__version__} crash report, {dt.datetime.now().isoformat(timespec='seconds')}",
        f"Python {platform.python_version()}, PySide6 {pyside_version}, {platform.platform()}",
        "",
        *traceback.format_exception(type(exc), exc, exc.__traceback__),
    ]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def write_crash_log(report: str) -> Path | None:
    """Append ``report`` to the crash log; None if even that fails (the dialog still shows it)."""
    path = paths.user_data_folder() / CRASH_LOG
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(report + "\n")
    except OSError:
        return None
    return path


class ErrorReporter:
    """Shows errors over ``parent``; ``show_message`` takes short notes (a cancelled task)."""

    def __init__(self, parent: QWidget | None, show_message: Callable[[str], None]):
        self.parent, self.show_message = parent, show_message
        self._previous_hook: Callable[..., object] | None = None
        self._reporting = False

    def report(self, exc: BaseException, title: str = DEFAULT_TITLE) -> None:
        if isinstance(exc, Cancelled):
            self.show_message(str(exc) or "Cancelled.")
        elif isinstance(exc, ExplorerError):
            dialogs.show_error(self.parent, title, str(exc))
        elif self._reporting:  # the report itself failed: do not loop
            sys.__excepthook__(type(exc), exc, exc.__traceback__)
        else:
            self._reporting = True
            try:
                report = crash_report(exc)
                dialogs.show_crash(self.parent, report, write_crash_log(report))
            finally:
                self._reporting = False

    # exceptions escaping slots and event handlers -------------------------------------------------
    def install(self) -> None:
        """Route uncaught exceptions of the GUI thread here (Qt hands them to ``sys.excepthook``)."""
        if self._previous_hook is None:
            self._previous_hook = sys.excepthook
            sys.excepthook = self.excepthook

    def uninstall(self) -> None:
        if self._previous_hook is not None:
            sys.excepthook = self._previous_hook
            self._previous_hook = None

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if isinstance(exc, KeyboardInterrupt) or self._previous_hook is None:
            (self._previous_hook or sys.__excepthook__)(exc_type, exc, tb)
            return
        self.report(exc.with_traceback(tb))
