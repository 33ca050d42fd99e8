"""Everything known about the selected position, as plain text, with its source one click away.

Data text is never rendered as HTML. The source opens in the browser only when it is an
http(s) URL or a UN document symbol (via undocs.org); anything else is shown, not clickable.
Machine-written meeting summaries carry a visible warning.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from explorer.state import AppState
from explorer.store import queries
from explorer.store.database import Database
from explorer.ui import dialogs
from explorer.ui.plain_text import openable_url
from explorer.ui.state_binding import subscribe

AI_SUMMARY_NOTE = "⚠ Machine-written meeting summary — check the official record."
PLACEHOLDER = "Select a position in the table or on the timeline to read it here."
FIELDS = (
    ("actor", "Actor"),
    ("on_behalf_of", "On behalf of"),
    ("stance", "Stance"),
    ("provision", "Provision"),
    ("question", "Question"),
    ("option", "Option"),
    ("summary", "Summary"),
    ("proposal", "Proposal"),
    ("paragraph", "Paragraph"),
    ("session", "Session"),
    ("meeting", "Meeting"),
    ("date", "Date"),
    ("source_title", "Source"),
    ("source_url", "Source address"),
    ("source_kind", "Source kind"),
    ("confidence", "Confidence"),
    ("note", "Note"),
    ("dataset", "Dataset"),
)


def _plain_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return label


class DetailPane(QScrollArea):
    """Shows the first selected position of the application state."""

    def __init__(self, state: AppState, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.position_id: int | None = None
        self.url: str | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setAccessibleName("Position details")
        body = QWidget(self)
        layout = QVBoxLayout(body)
        self.placeholder = _plain_label(body)
        self.placeholder.setText(PLACEHOLDER)
        layout.addWidget(self.placeholder)
        self.ai_note = _plain_label(body)
        self.ai_note.setText(AI_SUMMARY_NOTE)
        self.ai_note.setStyleSheet(
            "QLabel { background: #FFF4D6; color: #5A4300; border: 1px solid #E6B800;"
            " border-radius: 3px; padding: 4px; font-weight: bold; }"
        )
        self.ai_note.setAccessibleName("Warning: machine-written meeting summary")
        layout.addWidget(self.ai_note)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.values: dict[str, QLabel] = {}
        self.captions: dict[str, QLabel] = {}
        for key, caption in FIELDS:
            label = _plain_label(body)
            name = QLabel(f"{caption}:", body)
            name.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            self.values[key], self.captions[key] = label, name
            self.form.addRow(name, label)
        layout.addLayout(self.form)
        self.open_source = QPushButton("&Open source in browser", body)
        self.open_source.setToolTip("Opens http(s) links and UN document symbols (via undocs.org)")
        self.open_source.clicked.connect(self._open_source)
        layout.addWidget(self.open_source)
        layout.addStretch(1)
        self.setWidget(body)
        self.show_position(None)
        subscribe(self, state.selection_changed, lambda s: self.show_position(s.positions[0] if s.positions else None))

    def show_position(self, position_id: int | None) -> None:
        detail = queries.position_detail(self.db, position_id) if position_id is not None else None
        self.position_id = position_id if detail else None
        self.placeholder.setVisible(detail is None)
        self.ai_note.setVisible(detail is not None and detail["source_kind"] == "ai-meeting-summary")
        for key, _caption in FIELDS:
            value = self._format(key, detail) if detail else ""
            self.values[key].setText(value)
            self.values[key].setVisible(bool(value))
            self.captions[key].setVisible(bool(value))
        self.url = openable_url(detail["source_url"]) if detail else None
        self.open_source.setVisible(detail is not None)
        self.open_source.setEnabled(self.url is not None)

    def _format(self, key: str, d: dict[str, Any]) -> str:
        value = d.get(key)
        if key == "actor":
            return f"{d['actor']} ({d['actor_kind']})"
        if key == "provision" and value:
            title = d.get("provision_title")
            return f"{value}: {title}" if title else str(value)
        if key == "session" and value:
            dates = d["session_start"] or ""
            if d["session_end"] and d["session_end"] != dates:
                dates += f" – {d['session_end']}"
            return f"{value} ({dates})" if dates else str(value)
        if key == "date" and not value and d.get("sort_date"):
            return f"not recorded (sorted as {d['sort_date']})"
        if key == "dataset" and value:
            return f"{value} v{d['dataset_version']}" if d.get("dataset_version") else str(value)
        return "" if value is None else str(value)

    def _open_source(self) -> None:
        if self.url:
            dialogs.open_url(self.url)
