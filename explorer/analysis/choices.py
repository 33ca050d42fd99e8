"""Reduce positions to one comparable choice per actor and question.

Rule (documented in docs/METHODS.md): the latest position of an actor on a question within
the filter counts (time order = date, then import order). ``support``/``amend`` choose the
option the position names; ``oppose``/``reserve`` choose ``against:<option>``; ``neutral``
is ``abstain``. A position without an option refers to the question's proposal as a whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

FOR_STANCES = ("support", "amend")
AGAINST_STANCES = ("oppose", "reserve")
ABSTAIN = "abstain"


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

    @property
    def n_actors(self) -> int:
        return len(self.actor_ids)

    @property
    def n_questions(self) -> int:
        return len(self.question_ids)


def reduce_choices(
    actor_id: np.ndarray, question_id: np.ndarray, option_id: np.ndarray, stance: np.ndarray,
    option_key: dict[int, str] | None = None,
) -> Choices:
    """Positions in time order → latest choice per (actor, question)."""
    actor_id = np.asarray(actor_id, dtype=np.int64)
    question_id = np.asarray(question_id, dtype=np.int64)
    option_id = np.asarray(option_id, dtype=np.int64)
    stance = np.asarray(stance, dtype=object)
    actor_ids, actor_index = np.unique(actor_id, return_inverse=True)
    question_ids, question_index = np.unique(question_id, return_inverse=True)
    positions_per_actor = np.bincount(actor_index, minlength=len(actor_ids))
    cell = actor_index.astype(np.int64) * max(len(question_ids), 1) + question_index
    # the last occurrence of each cell is the latest position: unique() on the reversed array
    _, first_in_reversed = np.unique(cell[::-1], return_index=True)
    latest = len(cell) - 1 - first_in_reversed
    latest.sort()
    a, q, o, s = actor_index[latest], question_index[latest], option_id[latest], stance[latest]
    against = np.isin(s, AGAINST_STANCES)
    abstain = s == "neutral"
    token = np.where(abstain, 0, o * 2 + 1 + against.astype(np.int64))
    category, categories = _categories(o, against, abstain, option_key or {})
    return Choices(
        actor_ids=actor_ids, question_ids=question_ids, actor_index=a, question_index=q,
        token=token, abstain=abstain, category=category, categories=categories, positions_per_actor=positions_per_actor,
    )


def _categories(option: np.ndarray, against: np.ndarray, abstain: np.ndarray,
                option_key: dict[int, str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Label each choice by option *key* so that, e.g., ``adopt`` on every roll call is one
    category (yes/no/abstain) while ``against:adopt`` and ``abstain`` are others."""
    combo = np.where(abstain, -1, option * 2 + against.astype(np.int64))
    unique_combos, inverse = np.unique(combo, return_inverse=True)

    def label(value: int) -> str:
        if value < 0:
            return ABSTAIN
        opt, is_against = divmod(int(value), 2)
        key = option_key.get(opt, str(opt) if opt else "")
        return f"against:{key}" if is_against else key

    labels = [label(v) for v in unique_combos]
    categories = tuple(sorted(set(labels)))
    lookup = np.array([categories.index(l) for l in labels], dtype=np.int64)
    return lookup[inverse] if len(inverse) else np.zeros(0, dtype=np.int64), categories
