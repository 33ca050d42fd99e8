"""The timeline above its marker budget: positions counted per actor and per bin of days.

A cloud of 170,000 markers is unreadable and slow to draw; a grid of counts (one row per actor,
one column per few days) shows the same who-and-when at any size, and each cell still says how
many positions of which stance it holds (METHODS §7).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import numpy as np

from explorer.store.records import JULIAN_DAY_OF_ORDINAL_0, TimelineDensity
from explorer.vocabulary import STANCES

MAX_BINS = 120  # columns of the grid: about one per 8 px on a 1,000 px wide chart


def bin_positions(
    day: np.ndarray,
    actor_id: np.ndarray,
    stance: np.ndarray,
    names: Mapping[int, str],
    labels: Mapping[int, str] | None = None,
    *,
    max_bins: int = MAX_BINS,
) -> TimelineDensity:
    """Count positions per actor and bin. ``day``: whole Julian day numbers (all placed in
    time), ``stance``: codes in ``STANCES`` order, ``names``: actor id -> name, ``labels``:
    actor id -> row label (default the name). Bins are whole
    days, as few days wide as keeps them at most ``max_bins``; rows are actors with the most
    positions first, then by name (as the marker timeline orders them)."""
    day = np.asarray(day, dtype=np.int64)
    if len(day) == 0:
        empty = np.zeros((0, 0), dtype=np.int64)
        return TimelineDensity((), (), (), dt.date.today(), 1, empty, np.zeros((len(STANCES), 0, 0), dtype=np.int64))
    first, last = int(day.min()), int(day.max())
    bin_days = max(1, math.ceil((last - first + 1) / max_bins))
    bins = (last - first) // bin_days + 1
    ids, inverse, per_actor = np.unique(np.asarray(actor_id, dtype=np.int64), return_inverse=True, return_counts=True)
    full = [names.get(int(i), str(int(i))) for i in ids]
    order = sorted(range(len(ids)), key=lambda k: (-int(per_actor[k]), full[k].casefold(), full[k]))
    rank = np.empty(len(ids), dtype=np.int64)
    rank[order] = np.arange(len(ids))
    rows = len(ids)
    cell = (np.asarray(stance, dtype=np.int64) * rows + rank[inverse]) * bins + (day - first) // bin_days
    by_stance = np.bincount(cell, minlength=len(STANCES) * rows * bins).reshape(len(STANCES), rows, bins)
    return TimelineDensity(
        actors=tuple(full[k] for k in order),
        actor_ids=tuple(int(ids[k]) for k in order),
        labels=tuple((labels or names).get(int(ids[k]), full[k]) for k in order),
        start=dt.date.fromordinal(first - JULIAN_DAY_OF_ORDINAL_0),
        bin_days=bin_days,
        counts=by_stance.sum(axis=0),
        by_stance=by_stance,
    )
