"""What the window remembers between runs: geometry, layout, column widths, recent imports, last
filter and view, theme, the hints the user dismissed.

Stored with QSettings in an INI file under the user's config folder (tests redirect it with
``QSettings.setPath``). Only presentation state lives here; data lives in the database.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

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

    def save_header(self, key: str, header: QHeaderView) -> None:
        """Column widths and order of a table (``header``), under ``key``."""
        self.store.setValue(f"headers/{key}", header.saveState())

    def restore_header(self, key: str, header: QHeaderView) -> bool:
        """Restore what :meth:`save_header` saved; False when nothing was (keep the defaults)."""
        value = self.store.value(f"headers/{key}")
        return isinstance(value, QByteArray) and header.restoreState(value)

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

    def last_view(self, views: tuple[str, ...], default: str) -> str:
        """The view shown when the window last closed, if it is one of ``views``; else ``default``
        (a first run, or a view this version does not have)."""
        value = self.store.value("view/last", default)
        return value if isinstance(value, str) and value in views else default

    def save_view(self, view: str) -> None:
        self.store.setValue("view/last", view)

    def hint_dismissed(self, hint: str) -> bool:
        return hint in self._dismissed_hints()

    def dismiss_hint(self, hint: str) -> None:
        """Never show the hint ``hint`` again."""
        self.store.setValue("hints/dismissed", sorted({*self._dismissed_hints(), hint}))

    def _dismissed_hints(self) -> set[str]:
        value = self.store.value("hints/dismissed", [])
        values = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
        return {v for v in values if isinstance(v, str)}

    def theme(self) -> str:
        value = self.store.value("view/theme", "system")
        return value if value in THEMES else "system"

    def set_theme(self, theme: str) -> None:
        self.store.setValue("view/theme", theme)

    def network_options(self) -> dict[str, object]:
        return self.view_options("network")

    def save_network_options(self, options: dict[str, object]) -> None:
        self.save_view_options("network", options)

    def view_options(self, view: str) -> dict[str, object]:
        """A view's saved options (``{}`` if none): the state's options types check them."""
        return self._json(f"{view}/options")

    def save_view_options(self, view: str, options: dict[str, object]) -> None:
        self.store.setValue(f"{view}/options", json.dumps(options))

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
