"""Qt widgets subscribe to the Qt-free application state here, for as long as they live."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject

from explorer.state.events import Callback, Event

T = TypeVar("T")


def subscribe(owner: QObject, event: Event[T], callback: Callback[T]) -> None:
    """Connect ``callback`` to ``event`` until ``owner`` is destroyed: a view that goes away
    (a closed panel, a replaced view) must not be called by the state any more."""
    event.connect(callback)

    def gone() -> None:  # no argument: PySide must not wrap an object being destroyed
        event.disconnect(callback)

    owner.destroyed.connect(gone)
