"""A line edit that completes actor names and aliases by the name rule (case, accents and
spacing ignored: :func:`explorer.store.queries.find_actors`) and reports the chosen actor's id."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from explorer.store import queries
from explorer.store.database import Database

COMPLETIONS = 20


class ActorPicker(QLineEdit):
    """Type a name or alias; a completion or Enter chooses the actor (``chosen(actor id)``).
    Clearing the text (the clear button, deleting it) emits ``cleared``; :meth:`show_actor`
    shows a name without emitting either."""

    chosen = Signal(int)
    cleared = Signal()

    def __init__(self, db: Database, dataset_id: Callable[[], int], placeholder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.db, self.dataset_id = db, dataset_id
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self._spellings: dict[str, int] = {}  # completion text, casefolded -> actor id
        self._completion = QStringListModel(self)
        completer = QCompleter(self._completion, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        # find_actors already matched by the name rule ("turk" finds Türkiye): show its rows as they are
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.activated.connect(self.choose)
        self.setCompleter(completer)
        self.textEdited.connect(self._complete)
        self._showing = False
        self.textChanged.connect(lambda text: None if text or self._showing else self.cleared.emit())
        self.returnPressed.connect(lambda: self.choose(self.text()))

    def choose(self, text: str) -> bool:
        """Choose the actor ``text`` names (a completion, a name or an alias); False if none."""
        text = text.strip()
        if not text:
            return False
        actor_id = self._spellings.get(text.casefold())
        if actor_id is None:
            found = queries.find_actors(self.db, self.dataset_id(), text, limit=1)
            actor_id = int(found[0]["id"]) if found else None
        if actor_id is None:
            return False
        QTimer.singleShot(0, lambda: self.show_actor(actor_id))  # after QCompleter wrote its text
        self.chosen.emit(actor_id)
        return True

    def show_actor(self, actor_id: int | None) -> None:
        """Show the actor's display name (or nothing) without choosing it again."""
        name = ""
        if actor_id is not None:
            name = str(queries.actor_attributes(self.db, [actor_id]).get(actor_id, {}).get("name", ""))
        if name != self.text():
            self._showing = True
            try:
                self.setText(name)
            finally:
                self._showing = False

    def _complete(self, text: str) -> None:
        if not text.strip():
            self._completion.setStringList([])
            return
        rows = queries.find_actors(self.db, self.dataset_id(), text, limit=COMPLETIONS)
        entries = {}
        for row in rows:
            spelling = str(row["spelling"])
            entry = spelling if spelling == row["name"] else f"{spelling} ({row['name']})"
            entries[entry] = int(row["id"])
        self._spellings = {entry.casefold(): actor_id for entry, actor_id in entries.items()}
        self._completion.setStringList(list(entries))
