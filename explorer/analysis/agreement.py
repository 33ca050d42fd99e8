"""Pairwise agreement between actors, computed for all pairs at once with matrix products.

Formulas (docs/METHODS.md has the long version and references):

* **agreement rate** — on each shared question identical choices score 1, exactly one actor
  abstaining scores 0.5, anything else 0; the rate is the mean over shared questions
  (pairwise agreement as in VoteWatch/HowTheyVote; Hix, Noury & Roland 2005).
* **Cohen's kappa** — ``(p_o - p_e) / (1 - p_e)`` with ``p_o`` the share of shared questions
  with identical choices and ``p_e = Σ_c p_a(c) p_b(c)`` from each actor's distribution of
  choice categories over the shared questions (Cohen 1960; Häge 2011). Undefined (NaN) when
  ``p_e = 1``.
* **congruence / conflict** — counts of shared questions where both took a side and chose
  the same / a different choice (Leifeld's Discourse Network Analyzer, one-mode projection).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.analysis.choices import Choices
from explorer.vocabulary import METRICS


@dataclass(frozen=True)
class AgreementMatrices:
    """Square matrices indexed like ``actor_ids``; NaN where two actors share no question."""

    actor_ids: np.ndarray
    shared: np.ndarray
    agreement: np.ndarray
    congruence: np.ndarray
    conflict: np.ndarray
    kappa: np.ndarray | None = None

    def metric(self, name: str) -> np.ndarray:
        if name == "agreement":
            return self.agreement
        if name == "kappa":
            if self.kappa is None:
                raise ValueError("kappa was not computed; pass kappa=True")
            return self.kappa
        raise ValueError(f"unknown metric {name!r}; choose from {', '.join(METRICS)}")

    def pair(self, a: int, b: int) -> dict[str, float]:
        """The numbers for two actors given by id (for tests, tooltips and the CLI)."""
        index = {int(x): i for i, x in enumerate(self.actor_ids)}
        i, j = index[a], index[b]
        out = {
            "shared": int(self.shared[i, j]),
            "agreement": float(self.agreement[i, j]),
            "congruence": int(self.congruence[i, j]),
            "conflict": int(self.conflict[i, j]),
        }
        if self.kappa is not None:
            out["kappa"] = float(self.kappa[i, j])
        return out


def _indicator(rows: np.ndarray, cols: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    matrix = np.zeros(shape, dtype=np.float32)
    matrix[rows, cols] = 1.0
    return matrix


def agreement_matrices(choices: Choices, *, kappa: bool = False) -> AgreementMatrices:
    n_a, n_q = choices.n_actors, choices.n_questions
    a, q = choices.actor_index, choices.question_index
    present = _indicator(a, q, (n_a, n_q))
    abstain = _indicator(a[choices.abstain], q[choices.abstain], (n_a, n_q))
    _, column = np.unique(
        q.astype(np.int64) * (int(choices.token.max(initial=0)) + 1) + choices.token, return_inverse=True
    )
    one_hot = _indicator(a, column, (n_a, int(column.max(initial=-1)) + 1))
    shared = _round(present @ present.T)
    equal = _round(one_hot @ one_hot.T)
    both_abstain = _round(abstain @ abstain.T)
    one_abstain = _round(abstain @ present.T + present @ abstain.T) - 2 * both_abstain
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(shared > 0, (equal + 0.5 * one_abstain) / shared, np.nan)
    result = AgreementMatrices(
        actor_ids=choices.actor_ids,
        shared=shared,
        agreement=rate,
        congruence=equal - both_abstain,
        conflict=shared - equal - one_abstain,
    )
    if kappa:
        result = AgreementMatrices(**{**result.__dict__, "kappa": _kappa(choices, present, shared, equal)})
    return result


def _kappa(choices: Choices, present: np.ndarray, shared: np.ndarray, equal: np.ndarray) -> np.ndarray:
    n_a = choices.n_actors
    expected = np.zeros((n_a, n_a), dtype=np.float64)
    order = np.argsort(choices.category, kind="stable")
    bounds = np.searchsorted(choices.category[order], np.arange(len(choices.categories) + 1))
    for c in range(len(choices.categories)):
        cells = order[bounds[c] : bounds[c + 1]]
        cols, col_index = np.unique(choices.question_index[cells], return_inverse=True)
        chose = _indicator(choices.actor_index[cells], col_index, (n_a, len(cols)))
        counts = _round(chose @ present[:, cols].T)  # [a, b]: a chose c on questions b also answered
        expected += counts * counts.T
    with np.errstate(invalid="ignore", divide="ignore"):
        p_o = equal / shared
        p_e = expected / (shared.astype(np.float64) ** 2)
        kappa = (p_o - p_e) / (1.0 - p_e)
    kappa[(shared == 0) | np.isclose(p_e, 1.0)] = np.nan
    result: np.ndarray = kappa
    return result


def _round(matrix: np.ndarray) -> np.ndarray:
    rounded: np.ndarray = np.rint(matrix).astype(np.int64)
    return rounded
