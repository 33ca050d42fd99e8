"""The positions table's view of a filter: how many positions and actors, the first page, and
the lines the window shows about them (so a count is worded once, here)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from explorer.errors import stop_if_cancelled
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter


@dataclass(frozen=True)
class PositionsSummary:
    compiled: CompiledFilter
    count: int  # positions matching the filter
    actors: int  # distinct actors they come from
    first_page: list[tuple[object, ...]]  # the first rows under the requested sort (queries.position_page)

    @property
    def text(self) -> str:
        """The line above the table: counts and what the filter is."""
        return f"{self.count:,} position(s) from {self.actors:,} actor(s) — filter: {self.compiled.filter.describe()}"

    @property
    def short_text(self) -> str:
        """The counts for the status bar."""
        return f"{self.count:,} positions · {self.actors:,} actors"


def positions_summary(
    db: Database,
    compiled: CompiledFilter,
    *,
    sort: str = "date",
    descending: bool = False,
    page_size: int = 200,
    cancel: Callable[[], bool] | None = None,
) -> PositionsSummary:
    """Count and first page of ``compiled`` (each a query that can take a while at a million rows)."""
    count = queries.count_positions(db, compiled)
    stop_if_cancelled(cancel)
    actors = queries.count_actors(db, compiled) if count else 0
    stop_if_cancelled(cancel)
    page = queries.position_page(db, compiled, sort=sort, descending=descending, offset=0, limit=page_size)
    return PositionsSummary(compiled, count, actors, page)
