"""A damaged database at start-up: say what happened and offer a way on.

The choices are to restore the newest sound backup (taken before each import, or before an
upgrade), to start with a fresh database, or to quit. Restoring and starting fresh both keep
the damaged file beside the new one (``<name>.damaged-<time>``); nothing is deleted. The work
is done by :mod:`explorer.store.backups`; this module only asks and reports.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from explorer.errors import DatabaseDamagedError, StoreError
from explorer.store import backups
from explorer.ui import dialogs

RESTORE, FRESH, QUIT = "restore", "fresh", "quit"
TITLE = "The database is damaged"


def recovery_message(path: Path, error: DatabaseDamagedError, newest: backups.Backup | None) -> str:
    lines = [
        f"Negotiation Explorer cannot use its database:\n{error}",
        "",
        "You can:",
    ]
    if newest is not None:
        lines.append(
            f"• restore the newest backup ({newest.describe()}); what was imported after it must be imported again;"
        )
    lines += [
        "• start with a fresh database: the bundled dataset is loaded again, your own imports are not;",
        "• or quit and copy the file for a specialist to look at.",
        "",
        f"Either way the damaged file is kept beside it as {path.name}.damaged-<date and time>.",
    ]
    return "\n".join(lines)


def ask_recovery(parent: QWidget | None, message: str, can_restore: bool) -> str:
    """RESTORE, FRESH or QUIT (module-level: tests monkeypatch it, as the ``dialogs`` functions)."""
    box = QMessageBox(QMessageBox.Icon.Critical, TITLE, message, QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    buttons: dict[QAbstractButton, str] = {}
    if can_restore:
        buttons[box.addButton("Restore backup", QMessageBox.ButtonRole.AcceptRole)] = RESTORE
    buttons[box.addButton("Start fresh", QMessageBox.ButtonRole.DestructiveRole)] = FRESH
    quit_button = box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setEscapeButton(quit_button)
    box.exec()
    return buttons.get(box.clickedButton(), QUIT)


def recover(parent: QWidget | None, path: Path, error: DatabaseDamagedError) -> bool:
    """Ask, then restore or move aside; True if ``path`` may now be opened again."""
    newest = backups.newest_sound_backup(path)
    choice = ask_recovery(parent, recovery_message(path, error, newest), newest is not None)
    try:
        if choice == RESTORE and newest is not None:
            restored, aside = backups.restore_newest(path)
            dialogs.show_report(
                parent,
                "Backup restored",
                f"Restored {restored.path.name} ({restored.reason}). The damaged file was kept as {aside.name}.",
            )
            return True
        if choice == FRESH:
            aside = backups.start_fresh(path)
            dialogs.show_report(
                parent, "Fresh database", f"Starting with a fresh database. The damaged file was kept as {aside.name}."
            )
            return True
    except StoreError as exc:
        dialogs.show_error(parent, TITLE, str(exc))
    return False
