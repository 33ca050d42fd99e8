"""Every modal dialog and every hand-off to the desktop goes through one of these functions.

They are module-level on purpose: tests monkeypatch them, so a test never blocks on a dialog
and never launches a browser.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

POSITION_FILES = "Positions files (*.csv *.jsonl *.ndjson *.json);;All files (*)"


def ask_open_files(parent: QWidget | None, title: str, file_filter: str = POSITION_FILES) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, title, "", file_filter)
    return paths


def ask_save_file(parent: QWidget | None, title: str, suggested: str, file_filter: str) -> str:
    """The chosen path ('' if cancelled); the extension of the chosen filter is added if missing."""
    path, chosen = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
    if path and "." not in path.rsplit("/", 1)[-1] and "*." in chosen:
        path += "." + chosen.split("*.", 1)[1].split(")", 1)[0].split(" ", 1)[0]
    return path


def show_error(parent: QWidget | None, title: str, message: str, details: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        box.setDetailedText(details)
    box.exec()


def show_crash(parent: QWidget | None, report: str, log: Path | None) -> None:
    """An unexpected error: the report in the details (selectable) and a button that copies it
    (the box closes after copying)."""
    where = f"It was also written to {log}." if log else "It could not be written to the log file."
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Unexpected error",
        "Negotiation Explorer met an error it did not expect. Your data is safe: nothing is written "
        f"outside an import. Please send the report below to the maintainers. {where}",
        QMessageBox.StandardButton.Close,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setDetailedText(report)
    copy = box.addButton("&Copy report", QMessageBox.ButtonRole.ActionRole)
    copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(report))
    box.exec()


def show_report(parent: QWidget | None, title: str, message: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def show_about(parent: QWidget | None, text: str) -> None:
    from explorer.ui.about_dialog import AboutDialog

    AboutDialog(text, parent).exec()


def open_url(url: str) -> bool:
    """Hand an http(s) URL to the browser; anything else is refused (see plain_text.openable_url)."""
    qurl = QUrl(url)
    if qurl.scheme() not in ("http", "https"):
        return False
    return QDesktopServices.openUrl(qurl)
