"""Order actors so that those who agree sit next to each other (seriation, docs/METHODS.md §8).

Average-linkage clustering on ``d = 1 − agreement`` followed by optimal leaf ordering
(Bar-Joseph, Gifford & Jaakkola 2001, as implemented by scipy): of the 2^(n−1) ways to flip
the dendrogram, the one whose adjacent rows are closest. Pairs that share no question have no
agreement (NaN); scipy refuses non-finite distances, so they count as maximally distant (1).
scipy is imported here only, on first use: it costs about 0.3 s to load.
"""

from __future__ import annotations

import numpy as np


def agreement_distance(agreement: np.ndarray) -> np.ndarray:
    """``1 − agreement`` as a symmetric distance matrix; no shared question = 1, diagonal 0."""
    d = 1.0 - np.asarray(agreement, dtype=np.float64)
    d = np.where(np.isfinite(d), d, 1.0)
    d = np.clip((d + d.T) / 2, 0.0, None)
    np.fill_diagonal(d, 0.0)
    return d


def seriate(distance: np.ndarray, tiebreak: np.ndarray | None = None) -> np.ndarray:
    """A permutation of ``range(n)`` with similar items adjacent (average linkage + OLO).

    Deterministic for a given matrix; the ends are oriented so that the item with the smaller
    ``tiebreak`` value (default: its index) comes first, so the order does not flip at random.
    """
    n = len(distance)
    if n < 3:
        return np.arange(n)
    from scipy.cluster.hierarchy import leaves_list, linkage, optimal_leaf_ordering  # type: ignore[import-untyped]
    from scipy.spatial.distance import squareform  # type: ignore[import-untyped]

    condensed = squareform(np.asarray(distance, dtype=np.float64), checks=False)
    tree = linkage(condensed, method="average")
    order: np.ndarray = leaves_list(optimal_leaf_ordering(tree, condensed))
    key = np.arange(n) if tiebreak is None else np.asarray(tiebreak)
    if key[order[-1]] < key[order[0]]:
        order = order[::-1]
    return order.astype(np.int64)


def path_length(distance: np.ndarray, order: np.ndarray) -> float:
    """Sum of distances between neighbours in ``order`` (lower = better seriation)."""
    order = np.asarray(order)
    return float(np.sum(distance[order[:-1], order[1:]]))
