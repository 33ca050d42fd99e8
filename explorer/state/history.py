"""Where the user has been: the places Back and Forward return to (a browser's history)."""

from __future__ import annotations

from dataclasses import dataclass

from explorer.store.filters import PositionFilter

HISTORY_LIMIT = 200


@dataclass(frozen=True)
class Selection:
    """Selected positions (ids, in selection order) and the selected actor (id), if any."""

    positions: tuple[int, ...] = ()
    actor: int | None = None


@dataclass(frozen=True)
class Place:
    """What Back and Forward restore: the filter (its dataset included), the view, the selection."""

    filter: PositionFilter
    view: str
    selection: Selection = Selection()


class NavigationHistory:
    """Two stacks around the present place, which the caller keeps (the present is always the
    application state itself, so it cannot go stale here). Recording a new place clears the
    forward stack; the oldest places are forgotten beyond ``limit``."""

    def __init__(self, limit: int = HISTORY_LIMIT):
        self.limit = limit
        self._back: list[Place] = []
        self._forward: list[Place] = []

    @property
    def previous(self) -> Place | None:
        return self._back[-1] if self._back else None

    @property
    def next(self) -> Place | None:
        return self._forward[-1] if self._forward else None

    @property
    def can_go_back(self) -> bool:
        return bool(self._back)

    @property
    def can_go_forward(self) -> bool:
        return bool(self._forward)

    def record(self, present: Place) -> None:
        """The user leaves ``present`` for a new place."""
        self._back.append(present)
        del self._back[: -self.limit]
        self._forward.clear()

    def back(self, present: Place) -> Place:
        """Step back from ``present``; returns the place to show (call only if :attr:`previous`)."""
        self._forward.append(present)
        return self._back.pop()

    def forward(self, present: Place) -> Place:
        self._back.append(present)
        return self._forward.pop()

    def __len__(self) -> int:
        return len(self._back) + len(self._forward)
