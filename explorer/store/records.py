"""Plain records that queries return and charts draw: no numpy, no matplotlib.

They live below both the charts and the pipeline, so a timeline's data can be read, tested and
exported without importing a plotting library.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


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
