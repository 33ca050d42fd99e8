"""One actor's record: its positions, closest allies, strongest opponents, and a side-by-side
comparison with a second actor (docs/METHODS.md §9).

Allies and opponents come from the agreement matrices of the filter (every actor, not only
the one profiled), limited to partners sharing at least ``min_shared`` questions. An ally
agrees more often than not (agreement rate > ½, or kappa > 0); an opponent less often.
"""

from __future__ import annotations

import numpy as np

from explorer.analysis.agreement import AgreementMatrices
from explorer.store.contest_records import ABSTAIN, ABSTAINED, AGREE, DIFFER, NONE, Partner, PositionsMatrix

MIDPOINT = {"agreement": 0.5, "kappa": 0.0}


def allies_and_opponents(
    matrices: AgreementMatrices,
    actor_id: int,
    names: dict[int, str],
    *,
    metric: str = "agreement",
    min_shared: int = 1,
    limit: int = 10,
) -> tuple[tuple[Partner, ...], tuple[Partner, ...]]:
    """The ``limit`` closest allies (highest metric first) and strongest opponents (lowest
    first); ties go to more shared questions, then the name."""
    index = {int(a): i for i, a in enumerate(matrices.actor_ids)}
    if actor_id not in index:
        return (), ()
    i = index[actor_id]
    values = matrices.metric(metric)[i]
    midpoint = MIDPOINT.get(metric, 0.5)
    partners = []
    for j, other in enumerate(matrices.actor_ids.tolist()):
        if j == i or matrices.shared[i, j] < max(min_shared, 1) or not np.isfinite(values[j]):
            continue
        partners.append(
            Partner(
                int(other),
                names.get(int(other), str(other)),
                float(values[j]),
                int(matrices.shared[i, j]),
                int(matrices.congruence[i, j]),
                int(matrices.conflict[i, j]),
            )
        )
    allies = sorted((p for p in partners if p.rate > midpoint), key=lambda p: (-p.rate, -p.shared, p.name))
    opponents = sorted((p for p in partners if p.rate < midpoint), key=lambda p: (p.rate, -p.shared, p.name))
    return tuple(allies[:limit]), tuple(opponents[:limit])


def compare_cells(matrix: PositionsMatrix, actor_a: int, actor_b: int) -> list[tuple[int, str]]:
    """``(column, outcome)`` for every question both actors have a choice on, in column order.

    Same choice → AGREE (both abstaining counts as ABSTAINED), different sides → DIFFER, one
    abstains → ABSTAINED: the same three cases as congruence, conflict and the half score.
    """
    rows = {int(a): r for r, a in enumerate(matrix.actor_ids)}
    if actor_a not in rows or actor_b not in rows:
        return []
    ka, kb = matrix.kind[rows[actor_a]], matrix.kind[rows[actor_b]]
    oa, ob = matrix.option_id[rows[actor_a]], matrix.option_id[rows[actor_b]]
    out = []
    for column in np.flatnonzero((ka != NONE) & (kb != NONE)).tolist():
        if ka[column] == ABSTAIN or kb[column] == ABSTAIN:
            outcome = ABSTAINED
        elif ka[column] == kb[column] and oa[column] == ob[column]:
            outcome = AGREE
        else:
            outcome = DIFFER
        out.append((column, outcome))
    return out
