"""Start the desktop app: ``negotiation-explorer`` without a command calls :func:`run_app`."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

import explorer.ui  # noqa: F401 - sets QT_API before matplotlib is imported


def run_app(db_path: str | Path | None = None, argv: list[str] | None = None) -> int:
    """Open the user's database (loading the bundled dataset when it changed) and show the window."""
    from explorer import paths
    from explorer.errors import FilterError, StoreError
    from explorer.ingest.bundled import open_with_bundled
    from explorer.ui import dialogs
    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import APPLICATION, ORGANIZATION

    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APPLICATION)
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName("Negotiation Explorer")
    icon = paths.resources_dir() / "icons" / "app.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    path = Path(db_path) if db_path else paths.default_database_path()
    try:
        db = open_with_bundled(path)
        window = MainWindow(db, path)
    except (StoreError, FilterError) as exc:
        dialogs.show_error(None, "Negotiation Explorer cannot start", str(exc))
        return 1
    window.show()
    # Ctrl+C in the terminal closes the window properly (settings saved, workers joined);
    # the idle timer lets Python run its signal handler while Qt's loop waits.
    signal.signal(signal.SIGINT, lambda *_: window.close())
    wake = QTimer(interval=300)
    wake.timeout.connect(lambda: None)
    wake.start()
    code = app.exec()
    db.close()
    return code
