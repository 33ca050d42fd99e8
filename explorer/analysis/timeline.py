"""Timeline summaries: how many positions of each stance fell in each session."""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from explorer.store.schema import STANCES


def stance_counts_by_session(rows: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """``(session, stance)`` pairs → ``{session: {stance: n}}`` with every stance present."""
    counts: dict[str, Counter] = {}
    for session, stance in rows:
        counts.setdefault(session, Counter())[stance] += 1
    return {session: {s: c.get(s, 0) for s in STANCES} for session, c in counts.items()}
