"""Plain records of the contest views (positions matrix, actor profile, change over time).

The analysis builds them, the charts draw them and the pipeline passes them between the two;
they live here, below both, so that charts never import the analysis (docs/ARCHITECTURE.md).
Also here: how a matrix cell encodes the side an actor took (its *kind* and colour *code*).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from explorer.vocabulary import choice_label

# What an actor's choice on a question is (the matrix cell kinds); NONE = no position.
NONE, FOR, AGAINST, ABSTAIN = 0, 1, 2, 3
# The choice text of a position that names no option: it is about the question's proposal as a
# whole (METHODS §1); an empty cell always means "no position".
WHOLE_PROPOSAL = "proposal"

# Colour codes of a drawn cell: 0 no position, 1 abstain, then per side rank r (capped at
# MAX_SIDE_RANK, the "other options" colour) 2 + 2r for backing and 3 + 2r for against.
CODE_NONE, CODE_ABSTAIN = 0, 1
MAX_SIDE_RANK = 5
N_CODES = 2 + 2 * (MAX_SIDE_RANK + 1)

_PACK = np.int64(1) << np.int64(32)


def choice_text(kind: int, option_key: str) -> str:
    """The choice exactly as METHODS §1 writes it: ``<option key>``, ``against:<option key>``,
    ``abstain``; '' for no position."""
    if kind == NONE:
        return ""
    if kind == ABSTAIN:
        return choice_label("abstain", "")
    return choice_label("against" if kind == AGAINST else "for", option_key or WHOLE_PROPOSAL)


def side_code(rank: int, against: bool) -> int:
    """The colour code of a choice backing (or against) the option ranked ``rank``."""
    return 2 + 2 * min(rank, MAX_SIDE_RANK) + int(against)


def code_rank(code: int) -> tuple[int, bool] | None:
    """``(side rank, against)`` of a colour code; None for no position or abstain."""
    if code < 2:
        return None
    rank, against = divmod(int(code) - 2, 2)
    return rank, bool(against)


@dataclass(frozen=True)
class Group:
    """A run of rows or columns ``[start, stop)`` under one heading (a bloc, a provision)."""

    key: str
    label: str
    start: int
    stop: int


@dataclass(frozen=True)
class QuestionInfo:
    """Where a question sits in the treaty, for column order and headings."""

    key: str
    text: str
    provision_key: str = ""
    provision_label: str = ""
    provision_order: int = 1 << 30
    chapter_key: str = ""
    chapter_label: str = ""
    chapter_order: int = 1 << 30
    label: str = ""  # the question's short label (explorer.labels), for headings and axes

    @property
    def short(self) -> str:
        return self.label or self.key


@dataclass(frozen=True)
class PositionsMatrix:
    """Actors (rows) × questions (columns) in display order; cell arrays are rows × columns.

    ``kind`` is NONE/FOR/AGAINST/ABSTAIN (above); ``option_id`` the option
    the choice is about (0: the whole proposal or no position); ``latest_position`` the
    position that decided the cell (0: none). ``cell_positions`` lists every position of the
    filter behind a cell, oldest first.
    """

    actor_ids: np.ndarray
    question_ids: np.ndarray
    kind: np.ndarray
    option_id: np.ndarray
    latest_position: np.ndarray
    cell_key: np.ndarray  # sorted (actor_id << 32 | question_id) of every position of the filter
    cell_position: np.ndarray  # the position ids in the same order
    row_groups: tuple[Group, ...] = ()
    column_groups: tuple[Group, ...] = ()  # provisions (empty when ordered by divisiveness)
    chapter_groups: tuple[Group, ...] = ()  # chapters, for collapsing columns

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.actor_ids), len(self.question_ids)

    def cell_positions(self, row: int, column: int) -> tuple[int, ...]:
        """Ids of the positions of actor ``row`` on question ``column`` (oldest first)."""
        key = np.int64(self.actor_ids[row]) * _PACK + np.int64(self.question_ids[column])
        lo, hi = np.searchsorted(self.cell_key, [key, key + 1])
        return tuple(int(p) for p in self.cell_position[lo:hi])

    def choice(self, row: int, column: int, option_keys: dict[int, str]) -> str:
        """The cell's choice exactly as METHODS §1 writes it ('' for no position)."""
        return choice_text(int(self.kind[row, column]), option_keys.get(int(self.option_id[row, column]), ""))

    def choice_texts(self, option_keys: dict[int, str]) -> np.ndarray:
        """Every cell's choice text (an object array, rows × columns)."""
        out = np.full(self.shape, "", dtype=object)
        combos = self.kind.astype(np.int64) * _PACK + self.option_id
        for combo in np.unique(combos).tolist():
            kind, option = divmod(int(combo), int(_PACK))
            if kind != NONE:
                out[combos == combo] = choice_text(kind, option_keys.get(option, ""))
        return out

    def arranged(
        self,
        rows: np.ndarray,
        columns: np.ndarray,
        *,
        row_groups: tuple[Group, ...] = (),
        column_groups: tuple[Group, ...] = (),
        chapter_groups: tuple[Group, ...] = (),
    ) -> PositionsMatrix:
        """The same cells with rows and columns permuted (or subset) and new headings."""
        pick = np.ix_(np.asarray(rows, dtype=np.int64), np.asarray(columns, dtype=np.int64))
        return replace(
            self,
            actor_ids=self.actor_ids[rows],
            question_ids=self.question_ids[columns],
            kind=self.kind[pick],
            option_id=self.option_id[pick],
            latest_position=self.latest_position[pick],
            row_groups=row_groups,
            column_groups=column_groups,
            chapter_groups=chapter_groups,
        )


# -- actor profile -------------------------------------------------------------------------

AGREE, DIFFER, ABSTAINED = "agree", "differ", "abstained"


@dataclass(frozen=True)
class Partner:
    """Another actor and how often it agreed with the profiled one (``rate`` = the metric)."""

    actor_id: int
    name: str
    rate: float
    shared: int
    congruence: int
    conflict: int


@dataclass(frozen=True)
class RecordEntry:
    """One position of the profiled actor, ready to draw and to list with its source."""

    position_id: int
    date: str  # ISO date, or the session's start when only the session is known; '' if neither
    session: str
    provision: str  # display label, e.g. "Article 6"
    question_id: int
    question_key: str
    question: str
    option_key: str
    option: str  # option label
    stance: str
    choice: str  # as METHODS §1 writes it
    side_rank: int  # rank of the option in its question (colour), -1 for an abstention
    source_url: str
    summary: str = ""


@dataclass(frozen=True)
class Comparison:
    """Two actors on one question both addressed in the filter, with the positions behind it."""

    question_id: int
    question_key: str
    question: str
    provision: str
    choice_a: str
    choice_b: str
    rank_a: int  # side rank of the choice (-1 abstain), for colour
    rank_b: int
    against_a: bool
    against_b: bool
    outcome: str  # AGREE, DIFFER or ABSTAINED
    positions_a: tuple[int, ...]
    positions_b: tuple[int, ...]
    sources_a: tuple[str, ...] = ()
    sources_b: tuple[str, ...] = ()


@dataclass(frozen=True)
class ActorProfile:
    """Everything the actor view and ``export-chart --kind actor`` show."""

    actor_id: int
    name: str
    record: tuple[RecordEntry, ...]
    allies: tuple[Partner, ...]
    opponents: tuple[Partner, ...]
    metric: str
    min_shared: int
    other_id: int | None = None
    other_name: str = ""
    comparison: tuple[Comparison, ...] = field(default_factory=tuple)

    def outcome_counts(self) -> dict[str, int]:
        counts = {AGREE: 0, DIFFER: 0, ABSTAINED: 0}
        for row in self.comparison:
            counts[row.outcome] += 1
        return counts


# -- change over time ---------------------------------------------------------------------


@dataclass(frozen=True)
class SessionMeasure:
    """One session's numbers; NaN where a measure is undefined (too few actors)."""

    key: str
    label: str
    start: str
    positions: int
    actors: int
    questions: int  # questions where at least two actors took a side
    polarisation: float
    within: float
    between: float
    within_pairs: int
    between_pairs: int

    @property
    def gap(self) -> float:
        return self.within - self.between
