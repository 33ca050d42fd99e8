"""Plain records that queries return and charts draw: no matplotlib, and numpy only as the type
of the counts a density holds (not imported here).

They live below both the charts and the pipeline, so a timeline's data can be read, tested and
exported without importing a plotting library.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from explorer.vocabulary import STANCES

if TYPE_CHECKING:
    import numpy as np

JULIAN_DAY_OF_ORDINAL_0 = 1_721_424  # SQLite's whole julianday() of a date minus its proleptic ordinal


@dataclass(frozen=True)
class TimelinePoint:
    """One position: an actor's stance on a question (option) on a given date."""

    position_id: int
    actor: str
    date: dt.date
    stance: str
    summary: str
    question: str = ""
    option: str = ""  # option key ('' when the position names no option)
    question_id: int = 0
    question_key: str = ""
    option_id: int = 0
    option_label: str = ""
    side_rank: int = 0  # rank of the option in its question by support (colour), -1 = abstain
    question_label: str = ""  # the question's short label (explorer.labels)
    actor_id: int = 0
    actor_label: str = ""  # the actor's short name for a row label (explorer.labels.actor_short_name)

    @property
    def row_label(self) -> str:
        return self.actor_label or self.actor


@dataclass(frozen=True)
class SessionSpan:
    """A negotiating session drawn as a band; `label` is the short text shown above it."""

    key: str
    label: str
    start: dt.date
    end: dt.date  # inclusive


@dataclass(frozen=True)
class TimelineDensity:
    """The timeline of more positions than are drawn one by one: per actor (row, busiest first)
    and per bin of ``bin_days`` days from ``start``, how many positions, in all and per stance."""

    actors: tuple[str, ...]  # full names
    actor_ids: tuple[int, ...]
    labels: tuple[str, ...]  # what each row is labelled with (short names)
    start: dt.date  # first day of the first bin
    bin_days: int
    counts: np.ndarray  # (actor, bin) positions
    by_stance: np.ndarray  # (stance, actor, bin), stances in vocabulary.STANCES order

    @property
    def bins(self) -> int:
        return int(self.counts.shape[1])

    @property
    def placed(self) -> int:
        """Positions the density counts (placed in time)."""
        return int(self.counts.sum())

    def bin_dates(self, index: int) -> tuple[dt.date, dt.date]:
        """First and last day (inclusive) of bin ``index``."""
        first = self.start + dt.timedelta(days=index * self.bin_days)
        return first, first + dt.timedelta(days=self.bin_days - 1)

    def cell(self, row: int, index: int) -> dict[str, int]:
        """Positions of actor ``row`` in bin ``index``, per stance (stances with none left out)."""
        counts = self.by_stance[:, row, index]
        return {stance: int(n) for stance, n in zip(STANCES, counts, strict=True) if n}
