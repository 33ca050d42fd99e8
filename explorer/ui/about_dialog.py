"""Help → About: app version, the dataset shown (title, version, date, licence) and how to cite."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from explorer import __version__
from explorer.store import queries
from explorer.store.database import Database


def about_text(db: Database, dataset_id: int | None) -> str:
    """Plain text: what the app is, which data it shows, and how to cite data and sources."""
    lines = [
        f"Negotiation Explorer {__version__}",
        (
            "Explore how the UN Convention against Cybercrime was negotiated: who said what, "
            "when, and who stood with whom."
        ),
        "",
    ]
    for d in queries.list_datasets(db):
        if dataset_id is not None and d["id"] != dataset_id:
            continue
        lines.append(f"Dataset: {d['title'] or d['name']} ({d['name']})")
        lines.append(f"Version: {d['version'] or 'n/a'}" + (f", {d['date']}" if d.get("date") else ""))
        if d.get("license"):
            lines.append(f"Licence: {d['license']}")
        lines += ["", "How to cite:", d.get("citation") or f"{d['title'] or d['name']}, version {d['version']}."]
    lines += [
        "",
        (
            "Every position links to its public source (see the detail pane): cite that source for "
            "the fact itself. Machine-written meeting summaries are marked; check the official record."
        ),
        "",
        "Open source software under the MIT licence.",
    ]
    return "\n".join(lines)


class AboutDialog(QDialog):
    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("About Negotiation Explorer")
        label = QLabel(text, self)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        label.setMinimumWidth(480)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)
