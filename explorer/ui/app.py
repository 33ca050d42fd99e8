"""Start the desktop app: ``negotiation-explorer`` without a command calls :func:`run_app`."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import explorer.ui  # noqa: F401 - sets QT_API before matplotlib is imported


def run_app(db_path: str | Path | None = None, argv: list[str] | None = None) -> int:
    """Open the user's database (loading the bundled dataset when it changed) and show the window."""
    from explorer import paths
    from explorer.errors import EXIT_INTERNAL, DatabaseDamagedError, user_error
    from explorer.ingest.bundled import open_with_bundled
    from explorer.ui import dialogs, gui_timing, recovery_dialog
    from explorer.ui.error_report import crash_report, write_crash_log
    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import APPLICATION, ORGANIZATION

    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else gui_timing.application_class()(argv or sys.argv[:1])
    app.setApplicationDisplayName("Negotiation Explorer")
    icon = paths.resources_dir() / "icons" / "app.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    path = Path(db_path) if db_path else paths.default_database_path()
    while True:
        db = None
        try:
            db = open_with_bundled(path)
            window = MainWindow(db, path)
            break
        except Exception as exc:  # noqa: BLE001 - nothing at start-up may end the app without a word
            if db is not None:
                db.close()
            error = user_error(exc, path)
            if error is None:  # a bug: the crash dialog and log, as for one in a running window
                report = crash_report(exc)
                dialogs.show_crash(None, report, write_crash_log(report))
                return EXIT_INTERNAL
            if not isinstance(error, DatabaseDamagedError):
                dialogs.show_error(None, "Negotiation Explorer cannot start", str(error))
                return error.exit_code
            if not recovery_dialog.recover(None, path, error):  # restore a backup or start fresh, then retry
                return error.exit_code
    window.errors.install()  # from here on, an exception in a slot reaches the crash dialog
    if gui_timing.enabled():
        gui_timing.report_filter_changes(window)
    window.show()
    # Ctrl+C in the terminal closes the window properly (settings saved, workers joined);
    # the idle timer lets Python run its signal handler while Qt's loop waits.
    signal.signal(signal.SIGINT, lambda *_: window.close())
    wake = QTimer(interval=300)
    wake.timeout.connect(lambda: None)
    wake.start()
    try:
        return app.exec()
    finally:
        window.errors.uninstall()
        # Delete the window here, on the GUI thread: it is in reference cycles (the state holds
        # its views' callbacks), and a garbage collection run by a worker thread must never be
        # the one that deletes a Qt window (a caller that goes on, as the tests do, crashed).
        shiboken6.delete(window)
        db.close()
