"""Change over time: the same measures session by session (docs/METHODS.md §10).

* **polarisation** of a session: the Reynal-Querol balance of its questions (see
  :mod:`explorer.analysis.sides`), averaged with weights = actors who took a side, over the
  questions where at least two actors took a side. 0 = everyone on one side of every
  question, 1 = two equal camps on every question.
* **bloc gap** ``Δ = W − B``: the agreement rate pooled over pairs in the same bloc minus the
  rate pooled over pairs in different blocs (pairs weighted by the questions they share).
  Blocs are fixed once for the whole filter (communities of the full network, or UN regional
  groups), so a change in Δ is a change in behaviour, not a relabelling of communities.
  Cf. the E–I index (Krackhardt & Stern 1988) and DNA's polarisation (Leifeld), which also
  contrast ties within and between camps.
"""

from __future__ import annotations

import math

import numpy as np

from explorer.analysis.agreement import AgreementMatrices
from explorer.analysis.choices import Choices
from explorer.analysis.sides import question_division


def polarisation(choices: Choices) -> tuple[float, int]:
    """Weighted mean Reynal-Querol balance and the number of questions it averages."""
    division = question_division(choices)
    used = division.sided >= 2
    if not used.any():
        return math.nan, 0
    value = np.average(division.balance[used], weights=division.sided[used])
    return float(value), int(used.sum())


def bloc_gap(matrices: AgreementMatrices, bloc_of: dict[int, str]) -> tuple[float, float, int, int]:
    """``(W, B, pairs within, pairs between)``: pooled agreement within and between blocs over
    pairs sharing at least one question. Actors without a bloc are left out."""
    labels = [bloc_of.get(int(a)) for a in matrices.actor_ids]
    known = np.array([label is not None for label in labels], dtype=bool)
    codes = {label: i for i, label in enumerate(sorted({lab for lab in labels if lab is not None}))}
    code = np.array([codes[label] if label is not None else -1 for label in labels], dtype=np.int64)
    shared = matrices.shared.astype(np.float64)
    scored = np.where(shared > 0, np.nan_to_num(matrices.agreement) * shared, 0.0)  # identical + ½ abstain
    upper = np.triu(np.ones(shared.shape, dtype=bool), k=1) & (shared > 0) & known[:, None] & known[None, :]
    same = code[:, None] == code[None, :]

    def pooled(mask: np.ndarray) -> tuple[float, int]:
        total = shared[mask].sum()
        return (float(scored[mask].sum() / total) if total > 0 else math.nan), int(mask.sum())

    within, n_within = pooled(upper & same)
    between, n_between = pooled(upper & ~same)
    return within, between, n_within, n_between
