"""Take the README screenshots from the running app (real window, bundled dataset).

Run under a virtual X server so the real xcb platform draws the window:

    xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python docs/screenshots/take_screenshots.py

It uses a throw-away data folder and settings, so it never touches your own.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ["NEGOTIATION_EXPLORER_HOME"] = tempfile.mkdtemp(prefix="ne-shots-")

from PySide6.QtCore import QCoreApplication, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def main() -> int:
    QCoreApplication.setOrganizationName("NegotiationExplorerScreenshots")
    app = QApplication(sys.argv[:1])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, os.environ["NEGOTIATION_EXPLORER_HOME"])
    from explorer.paths import default_database_path
    from explorer.store.database import open_database
    from explorer.store.filters import PositionFilter
    from explorer.ui.main_window import MainWindow

    path = default_database_path()
    db = open_database(path)
    window = MainWindow(db, path)
    window.resize(1600, 1000)
    window.show()
    steps = []

    def idle() -> bool:
        return not window.is_busy()

    def then(action, delay=800):
        steps.append((action, delay))

    def run_steps():
        if not steps:
            window.close()
            app.quit()
            return
        action, delay = steps[0]
        if not idle():
            QTimer.singleShot(200, run_steps)
            return
        steps.pop(0)
        action()
        QTimer.singleShot(delay, run_steps)

    def grab(name):
        window.grab().save(str(HERE / name))
        print("wrote", HERE / name)

    def article6():
        window.filter_panel.set_filter(PositionFilter(provisions=("6",)))
        window.tabs.setCurrentIndex(1)

    def select_russia():
        for row in range(window.model.rowCount()):
            if window.model.index(row, 2).data() == "Russian Federation":
                window.table.selectRow(row)
                window.table.scrollTo(window.model.index(row, 0))
                break

    then(article6, 2500)
    then(select_russia, 1500)
    then(lambda: grab("timeline-article6.png"))
    then(lambda: window.tabs.setCurrentIndex(2), 2500)
    then(lambda: grab("network-article6.png"))
    then(lambda: window.filter_panel.set_actors(["Russian Federation", "European Union"]), 2500)
    then(lambda: window.tabs.setCurrentIndex(1), 2500)
    then(select_russia, 1500)
    then(lambda: grab("main-window.png"))
    QTimer.singleShot(1500, run_steps)
    code = app.exec()
    db.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
