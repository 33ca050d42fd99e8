"""A Qt-free signal: a list of callbacks called in order with one value.

The application state announces its changes with these, so widgets can subscribe without the
state knowing Qt (napari's evented model, in a few lines). We do not use psygnal: importing it
costs about 19 ms at start-up (its ``importlib.metadata`` version lookup) against a cold-start
target already missed, and the state needs only connect, disconnect and emit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
Callback = Callable[[T], object]


class Event(Generic[T]):
    """Call every connected callback with the emitted value, in the order they connected.

    A callback's exception propagates to whoever changed the state (the GUI's error handler
    reports it); the callbacks after it are not called, so a failure is never hidden.
    """

    __slots__ = ("_callbacks", "name")

    def __init__(self, name: str):
        self.name = name
        self._callbacks: list[Callback[T]] = []

    def connect(self, callback: Callback[T]) -> Callback[T]:
        """Subscribe ``callback``; returns it, so this works as a decorator."""
        self._callbacks.append(callback)
        return callback

    def disconnect(self, callback: Callback[T]) -> None:
        """Unsubscribe ``callback``; unknown callbacks are ignored (a view may go first)."""
        if callback in self._callbacks:
            self._callbacks.remove(callback)

    def emit(self, value: T) -> None:
        for callback in tuple(self._callbacks):  # a callback may disconnect itself
            callback(value)

    def __len__(self) -> int:
        return len(self._callbacks)

    def __repr__(self) -> str:
        return f"<Event {self.name}: {len(self._callbacks)} callback(s)>"
