"""Reduce positions to one comparable choice per actor and question.

Rule (documented in docs/METHODS.md): the latest position of an actor on a question within
the filter counts (time order = date, then import order); what it chooses follows the choice
rule of :mod:`explorer.vocabulary` (``support``/``amend`` → the option, ``oppose``/``reserve`` →
``against:<option>``, ``neutral`` → ``abstain``). A position without an option refers to the
question's proposal as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from explorer.vocabulary import STANCE_CODES, choice_label, stance_codes_on

_AGAINST_CODES = stance_codes_on("against")
_ABSTAIN_CODES = stance_codes_on("abstain")


@dataclass(frozen=True)
class Choices:
    """One row per (actor, question) cell that has a choice.

    ``actor_index``/``question_index`` index into ``actor_ids``/``question_ids``; ``token`` is
    equal for identical choices on the same question; ``category`` indexes ``categories``
    (choice labels comparable across questions, used by Cohen's kappa).
    """

    actor_ids: np.ndarray
    question_ids: np.ndarray
    actor_index: np.ndarray
    question_index: np.ndarray
    token: np.ndarray
    abstain: np.ndarray
    category: np.ndarray
    categories: tuple[str, ...]
    positions_per_actor: np.ndarray
    latest_row: np.ndarray | None = None  # per cell: index of the deciding position in the input

    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    @property
    def n_questions(self) -> int:
        return len(self.question_ids)


def reduce_choices(
    actor_id: np.ndarray,
    question_id: np.ndarray,
    option_id: np.ndarray,
    stance: np.ndarray,
    option_key: dict[int, str] | None = None,
) -> Choices:
    """Positions in time order → latest choice per (actor, question)."""
    actor_id = np.asarray(actor_id, dtype=np.int64)
    question_id = np.asarray(question_id, dtype=np.int64)
    option_id = np.asarray(option_id, dtype=np.int64)
    stance = stance_codes(stance)
    actor_ids, actor_index = dense_index(actor_id)
    question_ids, question_index = dense_index(question_id)
    positions_per_actor = np.bincount(actor_index, minlength=len(actor_ids))
    cell = actor_index.astype(np.int64) * max(len(question_ids), 1) + question_index
    latest = _last_of_each(cell, len(actor_ids) * len(question_ids))
    a, q, o, s = actor_index[latest], question_index[latest], option_id[latest], stance[latest]
    against = np.isin(s, _AGAINST_CODES)
    abstain = np.isin(s, _ABSTAIN_CODES)
    token = np.where(abstain, 0, o * 2 + 1 + against.astype(np.int64))
    category, categories = _categories(o, against, abstain, option_key or {})
    return Choices(
        actor_ids=actor_ids,
        question_ids=question_ids,
        actor_index=a,
        question_index=q,
        token=token,
        abstain=abstain,
        category=category,
        categories=categories,
        positions_per_actor=positions_per_actor,
        latest_row=latest,
    )


def _last_of_each(cell: np.ndarray, n_cells: int) -> np.ndarray:
    """Indices of the last occurrence of each distinct value of ``cell``, ascending: the latest
    position of each (actor, question). Linear time when the cells fit a dense table (a roll
    call of 200 × 6,000: 30 ms instead of 400 ms for ``np.unique``)."""
    if len(cell) == 0:
        return np.zeros(0, dtype=np.int64)
    if n_cells <= 4 * len(cell) + 1_000_000:
        last = np.full(n_cells, -1, dtype=np.int64)
        np.maximum.at(last, cell, np.arange(len(cell), dtype=np.int64))
        is_last = np.zeros(len(cell), dtype=bool)
        is_last[last[last >= 0]] = True
        return np.flatnonzero(is_last)
    _, first_in_reversed = np.unique(cell[::-1], return_index=True)
    return np.sort(len(cell) - 1 - first_in_reversed)


def dense_index(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(ids, return_inverse=True)`` in linear time for database ids (small,
    non-negative integers), which matters at a million positions."""
    if len(ids) == 0 or ids.min() < 0 or ids.max() > 4 * len(ids) + 1_000_000:
        unique, inverse = np.unique(ids, return_inverse=True)
        return unique, inverse.reshape(-1)
    seen = np.zeros(int(ids.max()) + 1, dtype=bool)
    seen[ids] = True
    unique = np.flatnonzero(seen)
    lookup = np.zeros(len(seen), dtype=np.int64)
    lookup[unique] = np.arange(len(unique))
    return unique, lookup[ids]


def stance_codes(stances: ArrayLike) -> np.ndarray:
    """Stances as small integer codes (STANCE_CODES); names are accepted too."""
    stance: np.ndarray = np.asarray(stances)
    if stance.dtype.kind in "iu":
        return stance
    codes = np.full(len(stance), -1, dtype=np.int8)
    for name, code in STANCE_CODES.items():
        codes[stance == name] = code
    if (codes < 0).any():
        raise ValueError(f"unknown stance(s): {sorted(set(stance[codes < 0]))}")
    return codes


def _categories(
    option: np.ndarray, against: np.ndarray, abstain: np.ndarray, option_key: dict[int, str]
) -> tuple[np.ndarray, tuple[str, ...]]:
    """Label each choice by option *key* so that, e.g., ``adopt`` on every roll call is one
    category (yes/no/abstain) while ``against:adopt`` and ``abstain`` are others."""
    combo = np.where(abstain, -1, option * 2 + against.astype(np.int64))
    unique_combos, inverse = np.unique(combo, return_inverse=True)

    def label(value: int) -> str:
        if value < 0:
            return choice_label("abstain", "")
        opt, is_against = divmod(int(value), 2)
        return choice_label("against" if is_against else "for", option_key.get(opt, str(opt) if opt else ""))

    labels = [label(v) for v in unique_combos]
    categories = tuple(sorted(set(labels)))
    number = {name: i for i, name in enumerate(categories)}
    lookup = np.array([number[name] for name in labels], dtype=np.int64)
    return lookup[inverse] if len(inverse) else np.zeros(0, dtype=np.int64), categories
