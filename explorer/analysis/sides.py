"""Sides of a question: each option is a side, an actor's side is its choice (docs/METHODS.md §1).

Two things are computed here, both from :class:`~explorer.analysis.choices.Choices`:

* **side ranks** — the options of each question ranked by how many actors back them in the
  *whole dataset* (ties: option id, i.e. the order the dataset lists them). Views colour an
  option by its rank, so an option keeps its colour whatever the filter (METHODS §7).
* **division** — per question, how the actors who took a side split between the sides:
  *balance*, the Reynal-Querol index ``RQ = 4 Σ_k π_k² (1 − π_k)`` (0 = one side only, 1 = two
  equal camps; Reynal-Querol 2002, Montalvo & Reynal-Querol 2005), and *divisiveness*, the
  share of all pairs of actors in the filter who stood on different sides of it. Balance alone
  rates a 1-against-1 split like a 60-against-60 one; divisiveness counts the people divided,
  so it ranks the questions that divided the room (and picks the "most debated" one).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.analysis.choices import Choices
from explorer.store.contest_records import ABSTAIN, AGAINST, FOR

UNRANKED = 1_000_000  # rank of an option the dataset never mentions (drawn as "other")
_PACK = np.int64(1) << np.int64(32)


def cell_kind(choices: Choices) -> np.ndarray:
    """FOR, AGAINST or ABSTAIN for every cell of ``choices`` (int8)."""
    token = choices.token
    kind = np.where(token == 0, ABSTAIN, np.where((token - 1) % 2 == 1, AGAINST, FOR))
    return kind.astype(np.int8)


def cell_option(choices: Choices) -> np.ndarray:
    """The option id each cell's choice is about (0: the whole proposal, or an abstention)."""
    return np.where(choices.token == 0, 0, (choices.token - 1) // 2).astype(np.int64)


@dataclass(frozen=True)
class SideRanks:
    """Rank of every option within its question, 0 = the most backed option.

    Built once per dataset (not per filter) so colours do not change when the filter does.
    ``order[question_id]`` lists the question's option ids, most backed first.
    """

    keys: np.ndarray  # sorted packed (question_id << 32 | option_id)
    values: np.ndarray  # rank of keys[i]
    order: dict[int, tuple[int, ...]]
    backers: dict[tuple[int, int], int]

    def rank(self, question_id: int, option_id: int) -> int:
        return int(self.ranks(np.array([question_id]), np.array([option_id]))[0])

    def ranks(self, question_ids: np.ndarray, option_ids: np.ndarray) -> np.ndarray:
        """Vectorised :meth:`rank`; options the dataset does not know get ``UNRANKED``."""
        packed = np.asarray(question_ids, dtype=np.int64) * _PACK + np.asarray(option_ids, dtype=np.int64)
        if not len(self.keys):
            return np.full(len(packed), UNRANKED, dtype=np.int64)
        at = np.clip(np.searchsorted(self.keys, packed), 0, len(self.keys) - 1)
        return np.where(self.keys[at] == packed, self.values[at], UNRANKED)


def rank_sides(choices: Choices, catalog: dict[int, list[int]] | None = None) -> SideRanks:
    """Rank each question's options by the number of actors whose choice backs them.

    ``choices`` should cover the whole dataset. ``catalog`` (question id → its option ids)
    adds options nobody backs, ranked after the backed ones; ties go to the lower option id.
    """
    kind = cell_kind(choices)
    option = cell_option(choices)
    question = choices.question_ids[choices.question_index] if choices.n_questions else np.zeros(0, np.int64)
    backers: dict[tuple[int, int], int] = {}
    mentioned = kind != ABSTAIN
    backed = kind == FOR
    packed = question.astype(np.int64) * _PACK + option
    for key in np.unique(packed[mentioned]).tolist():
        backers[divmod(int(key), int(_PACK))] = 0
    keys, counts = np.unique(packed[backed], return_counts=True)
    for key, count in zip(keys.tolist(), counts.tolist(), strict=True):
        backers[divmod(int(key), int(_PACK))] = int(count)
    for question_id, option_ids in (catalog or {}).items():
        for option_id in option_ids:
            backers.setdefault((int(question_id), int(option_id)), 0)
    per_question: dict[int, list[int]] = {}
    for q, o in backers:
        per_question.setdefault(q, []).append(o)
    order = {q: tuple(sorted(opts, key=lambda o: (-backers[(q, o)], o))) for q, opts in per_question.items()}
    pairs = sorted((q * int(_PACK) + o, r) for q, opts in order.items() for r, o in enumerate(opts))
    return SideRanks(
        keys=np.array([p for p, _ in pairs], dtype=np.int64),
        values=np.array([r for _, r in pairs], dtype=np.int64),
        order=order,
        backers=backers,
    )


@dataclass(frozen=True)
class Division:
    """How actors split on each question of a filter (arrays indexed like ``question_ids``)."""

    question_ids: np.ndarray
    actors: np.ndarray  # actors with a choice, abstentions included
    sided: np.ndarray  # actors who took a side (did not abstain)
    sides: np.ndarray  # distinct sides taken
    balance: np.ndarray  # Reynal-Querol index over the sides taken, 0..1
    opposed_pairs: np.ndarray  # pairs of actors on different sides
    divisiveness: np.ndarray  # opposed pairs / all pairs of actors in the filter (two equal camps of all: ~½)

    def of(self, question_id: int) -> dict[str, float]:
        i = int(np.flatnonzero(self.question_ids == question_id)[0])
        return {
            "actors": int(self.actors[i]),
            "sided": int(self.sided[i]),
            "sides": int(self.sides[i]),
            "balance": float(self.balance[i]),
            "opposed_pairs": int(self.opposed_pairs[i]),
            "divisiveness": float(self.divisiveness[i]),
        }

    def ranking(self) -> np.ndarray:
        """Question indices, most divisive first (ties: the more balanced split, then more
        actors, then the lower question id)."""
        return np.lexsort((self.question_ids, -self.actors, -np.round(self.balance, 12), -self.opposed_pairs))

    def most_debated(self) -> int | None:
        """The most divisive question's id (None without questions)."""
        if not len(self.question_ids):
            return None
        return int(self.question_ids[self.ranking()[0]])


def question_division(choices: Choices) -> Division:
    """Per question: sides taken, balance (Reynal-Querol), opposed pairs, divisiveness."""
    n_q = choices.n_questions
    q = choices.question_index
    actors = np.bincount(q, minlength=n_q)
    sided_cells = ~choices.abstain
    qs, tokens = q[sided_cells], choices.token[sided_cells]
    sided = np.bincount(qs, minlength=n_q)
    base = int(choices.token.max(initial=0)) + 1
    groups, counts = np.unique(qs.astype(np.int64) * base + tokens, return_counts=True)
    group_question = groups // base
    counts = counts.astype(np.float64)
    sides = np.bincount(group_question, minlength=n_q)
    s2 = np.bincount(group_question, weights=counts**2, minlength=n_q)
    s3 = np.bincount(group_question, weights=counts**3, minlength=n_q)
    n = sided.astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        rq = np.where(n > 0, 4 * (s2 / n**2 - s3 / n**3), 0.0)
    opposed = np.rint((n**2 - s2) / 2).astype(np.int64)
    all_pairs = choices.n_actors * (choices.n_actors - 1) / 2
    return Division(
        question_ids=choices.question_ids,
        actors=actors,
        sided=sided,
        sides=sides,
        balance=np.clip(rq, 0.0, 1.0),
        opposed_pairs=opposed,
        divisiveness=opposed / all_pairs if all_pairs > 0 else np.zeros(n_q),
    )
