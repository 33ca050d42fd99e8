"""Every pair of actors with its numbers, agreeing or not, and sentences that say what a pair did.

The agreement network keeps only ties worth drawing; the pair table keeps every pair that
shares enough questions, agreement 0 and negative kappa included, so it can be read as data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.analysis.agreement import AgreementMatrices


@dataclass(frozen=True)
class PairTable:
    """Pairs ``(first[k], second[k])`` (indices into ``actor_ids``, first < second)."""

    actor_ids: np.ndarray
    first: np.ndarray
    second: np.ndarray
    shared: np.ndarray
    agreement: np.ndarray
    kappa: np.ndarray  # NaN where undefined (or not computed)
    congruence: np.ndarray
    conflict: np.ndarray

    def __len__(self) -> int:
        return len(self.first)


def pair_table(matrices: AgreementMatrices, *, min_shared: int = 1, metric: str = "agreement") -> PairTable:
    """Every pair sharing at least ``min_shared`` (≥ 1) questions, highest ``metric`` first
    (undefined values last), then most shared questions, then actor order."""
    mask = np.triu(matrices.shared >= max(int(min_shared), 1), k=1)
    first, second = np.nonzero(mask)
    kappa = matrices.kappa if matrices.kappa is not None else np.full(matrices.shared.shape, np.nan)
    values = matrices.metric(metric)[first, second]
    shared = matrices.shared[first, second]
    order = np.lexsort((second, first, -shared, np.where(np.isnan(values), np.inf, -values)))
    first, second = first[order], second[order]
    return PairTable(
        actor_ids=matrices.actor_ids,
        first=first,
        second=second,
        shared=matrices.shared[first, second],
        agreement=matrices.agreement[first, second],
        kappa=kappa[first, second],
        congruence=matrices.congruence[first, second],
        conflict=matrices.conflict[first, second],
    )


def conflict_pairs(matrices: AgreementMatrices, *, min_shared: int = 1) -> np.ndarray:
    """Boolean matrix of conflict ties: pairs sharing ≥ ``min_shared`` questions who took
    different sides on more of them than the same side (conflict > congruence, METHODS §4)."""
    tie = (matrices.shared >= max(int(min_shared), 1)) & (matrices.conflict > matrices.congruence)
    np.fill_diagonal(tie, False)
    return tie


def _questions(n: int) -> str:
    return "1 question" if n == 1 else f"{n} questions"


def pair_sentence(a: str, b: str, shared: int, congruence: int, conflict: int) -> str:
    """What two actors did on the questions they share, in words.

    >>> pair_sentence("Russian Federation", "European Union", 1, 0, 1)
    'Russian Federation and European Union share 1 question and disagree on it'
    """
    if shared <= 0:
        return f"{a} and {b} share no question"
    head = f"{a} and {b} share {_questions(shared)}"
    it = "it" if shared == 1 else "all of them" if shared > 2 else "both"
    abstained = shared - congruence - conflict
    if conflict == shared:
        return f"{head} and disagree on {it}"
    if congruence == shared:
        return f"{head} and agree on {it}"
    if abstained == shared:
        return f"{head}; one or both abstained on {it}"
    parts = []
    if congruence:
        parts.append(f"agree on {congruence}")
    if conflict:
        parts.append(f"disagree on {conflict}")
    if abstained:
        parts.append(f"one or both abstained on {abstained}")
    return f"{head}: " + ", ".join(parts)


def network_summary(
    names: list[str], shared: np.ndarray, congruence: np.ndarray, conflict: np.ndarray, *, min_shared: int = 1
) -> str:
    """One sentence on what a filter holds, for a network with nothing (or, for two actors,
    little) to draw: names the pair, or counts the actors and the pairs that share questions.
    The matrices are indexed like ``names``."""
    n = len(names)
    if n == 0:
        return "No positions match the current filters"
    if n == 1:
        return f"Only {names[0]} has positions in the current filters"
    if n == 2:
        return pair_sentence(names[0], names[1], int(shared[0, 1]), int(congruence[0, 1]), int(conflict[0, 1]))
    upper = np.triu(np.ones(shared.shape, dtype=bool), k=1)
    sharing = int(((shared >= max(min_shared, 1)) & upper).sum())
    if sharing == 0:
        need = "a question" if min_shared <= 1 else f"{min_shared} or more questions"
        return f"{n} actors; no two of them share {need}"
    return f"{n} actors; {sharing} pair(s) share enough questions, but no tie passes the thresholds"
