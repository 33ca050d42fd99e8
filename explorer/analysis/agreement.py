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

from explorer.analysis.choices import Choices, dense_index
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


def agreement_matrices(choices: Choices, *, kappa: bool = False) -> AgreementMatrices:
    """All pairs at once. Each count is ``popcount(X[a] & Y[b])`` over bit-packed
    actor × question indicators: 10–20 times faster than the same counts as float matrix
    products (a 200 × 6,000 roll call: ~30 ms a count instead of ~300 ms)."""
    n_a, n_q = choices.n_actors, choices.n_questions
    a, q = choices.actor_index, choices.question_index
    present = _bits(a, q, n_a, n_q)
    abstain = _bits(a[choices.abstain], q[choices.abstain], n_a, n_q)
    shared = _overlap(present, present)
    local = _local_choice(choices)
    equal = sum(
        (
            _overlap(plane, plane)
            for plane in (_bits(a[local == r], q[local == r], n_a, n_q) for r in range(int(local.max(initial=-1)) + 1))
        ),
        start=np.zeros((n_a, n_a), dtype=np.int64),
    )
    both_abstain = _overlap(abstain, abstain)
    abstained_on_shared = _overlap(abstain, present)  # [a, b]: a abstained on questions b answered
    one_abstain = abstained_on_shared + abstained_on_shared.T - 2 * both_abstain
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
        kappa_matrix = _kappa(choices, present, shared, equal)
        result = AgreementMatrices(**{**result.__dict__, "kappa": kappa_matrix})
    return result


def _bits(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> np.ndarray:
    """A rows × cols indicator packed 64 columns to a word (uint64, rows × ⌈cols/64⌉)."""
    words = max((n_cols + 63) // 64, 1)
    dense = np.zeros((n_rows, words * 64), dtype=bool)
    dense[rows, cols] = True
    return np.packbits(dense, axis=1).view(np.uint64)


def _overlap(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``[i, j]`` = number of bits set in both ``x[i]`` and ``y[j]`` (int64), one 64-question
    word at a time (contiguous columns; no n × n × words temporary)."""
    out = np.zeros((x.shape[0], y.shape[0]), dtype=np.int64)
    xt, yt = np.ascontiguousarray(x.T), np.ascontiguousarray(y.T)
    for word in range(x.shape[1]):
        out += np.bitwise_count(xt[word][:, None] & yt[word][None, :])
    return out


def _local_choice(choices: Choices) -> np.ndarray:
    """Per cell, the index of its choice among the choices made on its question (0, 1, …):
    two actors made the same choice on a question exactly when these are equal."""
    token = choices.token.astype(np.int64)
    base = int(token.max(initial=0)) + 1
    # a token names a (global) option id, so it is unique to its question, except abstaining
    # (0) and the whole-proposal tokens (1, 2), which every question shares
    ids = np.where(token <= 2, base + choices.question_index.astype(np.int64) * 3 + token, token)
    distinct, column = dense_index(ids)
    column_question = np.zeros(len(distinct), dtype=np.int64)
    column_question[column] = choices.question_index
    order = np.lexsort((np.arange(len(distinct)), column_question))
    rank = np.empty(len(distinct), dtype=np.int64)
    starts = np.searchsorted(column_question[order], column_question[order], side="left")
    rank[order] = np.arange(len(distinct)) - starts
    local: np.ndarray = rank[column]
    return local


def _kappa(choices: Choices, present: np.ndarray, shared: np.ndarray, equal: np.ndarray) -> np.ndarray:
    n_a, n_q = choices.n_actors, choices.n_questions
    expected = np.zeros((n_a, n_a), dtype=np.float64)
    category = choices.category.astype(np.uint16 if len(choices.categories) < 65536 else np.int64)
    order = np.argsort(category, kind="stable")  # a radix sort on small integers
    bounds = np.searchsorted(category[order], np.arange(len(choices.categories) + 1))
    for c in range(len(choices.categories)):
        cells = order[bounds[c] : bounds[c + 1]]
        chose = _bits(choices.actor_index[cells], choices.question_index[cells], n_a, n_q)
        counts = _overlap(chose, present)  # [a, b]: a chose c on questions b also answered
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
