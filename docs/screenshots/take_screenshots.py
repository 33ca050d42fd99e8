"""Take the README screenshots from the running app (real window, bundled dataset).

Run under a virtual X server so the real xcb platform draws the window (`make screenshots`):

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python docs/screenshots/take_screenshots.py

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
    from explorer.ingest.bundled import open_with_bundled
    from explorer.paths import default_database_path
    from explorer.store.filters import PositionFilter
    from explorer.ui.main_window import MainWindow

    path = default_database_path()
    db = open_with_bundled(path)
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

    from explorer.state import ProfileOptions
    from explorer.store import queries

    def actor_id(name: str) -> int:
        return int(queries.find_actors(db, window.state.dataset.id, name, limit=1)[0]["id"])

    russia, eu = actor_id("Russian Federation"), actor_id("European Union")

    def show(view: str, flt: PositionFilter | None = None) -> None:
        window.state.navigate(view=view, filter=flt)

    def select_russia() -> None:
        for row in range(window.model.rowCount()):
            if window.model.index(row, 2).data() == "Russian Federation":
                window.table.selectRow(row)
                window.table.scrollTo(window.model.index(row, 0))
                break

    article6 = PositionFilter(provisions=("6",))
    then(lambda: grab("overview.png"))  # what a new user sees first
    then(lambda: show("matrix", PositionFilter(provisions=("chapter-1", "chapter-2", "chapter-5"))), 4000)
    then(lambda: grab("matrix.png"))
    then(lambda: show("timeline", article6), 3000)
    then(select_russia, 1500)
    then(lambda: grab("timeline-article6.png"))
    then(lambda: show("network"), 3000)
    then(lambda: grab("network-article6.png"))
    then(
        lambda: (window.state.navigate(view="actor", filter=PositionFilter()), window.state.select_actor(russia)), 1500
    )
    then(lambda: window.state.set_profile_options(ProfileOptions(other=eu)), 3000)
    then(lambda: grab("actor-russia-eu.png"))
    then(lambda: show("evolution", article6), 4000)
    then(lambda: grab("evolution-article6.png"))
    then(lambda: show("timeline", article6.with_(actors=("Russian Federation", "European Union"))), 3000)
    then(select_russia, 1500)
    then(lambda: grab("main-window.png"))
    QTimer.singleShot(1500, run_steps)
    code = app.exec()
    db.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
