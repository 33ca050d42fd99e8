"""What the window remembers between runs: geometry, layout, recent imports, last filter, theme.

Stored with QSettings in an INI file under the user's config folder (tests redirect it with
``QSettings.setPath``). Only presentation state lives here; data lives in the database.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QMainWindow, QSplitter

from explorer.store.filters import PositionFilter

ORGANIZATION = "NegotiationExplorer"
APPLICATION = "NegotiationExplorer"
MAX_RECENT = 10
THEMES = ("system", "light", "dark")


class AppSettings:
    def __init__(self, store: QSettings | None = None):
        self.store = store or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
        )

    # window layout -------------------------------------------------------------------------
    def save_window(self, window: QMainWindow, splitters: dict[str, QSplitter]) -> None:
        self.store.setValue("window/geometry", window.saveGeometry())
        self.store.setValue("window/state", window.saveState())
        for key, splitter in splitters.items():
            self.store.setValue(f"splitters/{key}", splitter.saveState())

    def restore_window(self, window: QMainWindow, splitters: dict[str, QSplitter]) -> bool:
        """Restore before ``show()``; False on first run (the caller picks a default size)."""
        geometry = self.store.value("window/geometry")
        restored = isinstance(geometry, QByteArray) and window.restoreGeometry(geometry)
        state = self.store.value("window/state")
        if isinstance(state, QByteArray):
            window.restoreState(state)
        for key, splitter in splitters.items():
            value = self.store.value(f"splitters/{key}")
            if isinstance(value, QByteArray):
                splitter.restoreState(value)
        return bool(restored)

    # recent imports ------------------------------------------------------------------------
    def recent_imports(self) -> list[str]:
        """Most recent first, files that no longer exist left out."""
        value = self.store.value("recent/imports", [])
        paths = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
        return [p for p in paths if isinstance(p, str) and p and Path(p).is_file()][:MAX_RECENT]

    def add_recent_import(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        paths = [path] + [p for p in self.recent_imports() if p != path]
        self.store.setValue("recent/imports", paths[:MAX_RECENT])

    # filter, theme, network options --------------------------------------------------------
    def last_filter(self) -> PositionFilter:
        raw = self._json("filter/last")
        known = {f.name for f in dataclasses.fields(PositionFilter)}
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items() if k in known}
        try:
            return PositionFilter(**values)  # type: ignore[arg-type]  # field types are checked when compiled
        except TypeError:
            return PositionFilter()

    def save_filter(self, flt: PositionFilter) -> None:
        self.store.setValue("filter/last", json.dumps(dataclasses.asdict(flt)))

    def theme(self) -> str:
        value = self.store.value("view/theme", "system")
        return value if value in THEMES else "system"

    def set_theme(self, theme: str) -> None:
        self.store.setValue("view/theme", theme)

    def network_options(self) -> dict[str, object]:
        return self._json("network/options")

    def save_network_options(self, options: dict[str, object]) -> None:
        self.store.setValue("network/options", json.dumps(options))

    def _json(self, key: str) -> dict[str, object]:
        """A JSON object saved under ``key``; {} when missing or damaged (never stops the start)."""
        value = self.store.value(key, "")
        try:
            raw = json.loads(value) if isinstance(value, str) and value else {}
        except ValueError:
            return {}
        return raw if isinstance(raw, dict) else {}

    def sync(self) -> None:
        self.store.sync()
