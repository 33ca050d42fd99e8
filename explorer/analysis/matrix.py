"""The positions matrix ("who wants what"): actors × questions, each cell the actor's choice.

A cell holds the latest choice within the filter (docs/METHODS.md §1). Rows can be ordered by
seriation, or grouped (community, UN regional group) with seriation inside each group; columns
by provision in treaty order or by divisiveness (§7–§8). Every drawn cell maps back to the
positions behind it, so a view can select them in the table.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace

import numpy as np

from explorer.analysis.choices import Choices, reduce_choices
from explorer.analysis.seriation import agreement_distance, seriate
from explorer.analysis.sides import (
    ABSTAIN,
    AGAINST,
    NONE,
    Division,
    SideRanks,
    cell_kind,
    choice_text,
)

ROW_ORDERS = ("seriation", "community", "region")
COLUMN_ORDERS = ("provision", "divisiveness")
NO_GROUP = ""  # actors without a community or region form the last group

# Colour codes of a drawn cell: 0 no position, 1 abstain, then per side rank r (capped at
# MAX_SIDE_RANK, the "other options" colour) 2 + 2r for backing and 3 + 2r for against.
CODE_NONE, CODE_ABSTAIN = 0, 1
MAX_SIDE_RANK = 5
N_CODES = 2 + 2 * (MAX_SIDE_RANK + 1)

_PACK = np.int64(1) << np.int64(32)


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


@dataclass(frozen=True)
class PositionsMatrix:
    """Actors (rows) × questions (columns) in display order; cell arrays are rows × columns.

    ``kind`` is NONE/FOR/AGAINST/ABSTAIN (explorer.analysis.sides); ``option_id`` the option
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


def positions_matrix(
    position_id: np.ndarray,
    actor_id: np.ndarray,
    question_id: np.ndarray,
    option_id: np.ndarray,
    stance: np.ndarray,
    option_key: dict[int, str] | None = None,
) -> tuple[PositionsMatrix, Choices]:
    """Positions in time order → the matrix (rows by actor id, columns by question id) and the
    choices it was reduced from (for agreement and division)."""
    position_id = np.asarray(position_id, dtype=np.int64)
    choices = reduce_choices(actor_id, question_id, option_id, stance, option_key)
    shape = (choices.n_actors, choices.n_questions)
    rows, cols = choices.actor_index, choices.question_index
    kind = np.zeros(shape, dtype=np.int8)
    option = np.zeros(shape, dtype=np.int64)
    latest = np.zeros(shape, dtype=np.int64)
    deciding = choices.latest_row if choices.latest_row is not None else np.zeros(0, np.int64)
    kind[rows, cols] = cell_kind(choices)
    option[rows, cols] = np.asarray(option_id, dtype=np.int64)[deciding]
    option[kind == ABSTAIN] = 0  # an abstention is about the question, not an option
    latest[rows, cols] = position_id[deciding]
    keys = np.asarray(actor_id, dtype=np.int64) * _PACK + np.asarray(question_id, dtype=np.int64)
    order = np.argsort(keys, kind="stable")  # stable: time order within a cell
    matrix = PositionsMatrix(
        actor_ids=choices.actor_ids,
        question_ids=choices.question_ids,
        kind=kind,
        option_id=option,
        latest_position=latest,
        cell_key=keys[order],
        cell_position=position_id[order],
    )
    return matrix, choices


def order_rows(
    agreement: np.ndarray, labels: list[str] | None = None, tiebreak: np.ndarray | None = None
) -> tuple[np.ndarray, tuple[Group, ...]]:
    """Row permutation and groups. Without ``labels``: one seriated run. With a label per row
    (community, region): groups by size (largest first, unlabelled last), seriated inside."""
    n = len(agreement)
    distance = agreement_distance(agreement)
    key = np.arange(n) if tiebreak is None else np.asarray(tiebreak)
    if labels is None:
        return seriate(distance, key), ()
    members: dict[str, list[int]] = {}
    for index, label in enumerate(labels):
        members.setdefault(label or NO_GROUP, []).append(index)
    names = sorted(members, key=lambda g: (g == NO_GROUP, -len(members[g]), g))
    order: list[int] = []
    groups = []
    for name in names:
        idx = np.array(members[name], dtype=np.int64)
        inner = seriate(distance[np.ix_(idx, idx)], key[idx])
        groups.append(Group(name, name or "No group", len(order), len(order) + len(idx)))
        order.extend(idx[inner].tolist())
    return np.array(order, dtype=np.int64), tuple(groups)


def order_columns(
    question_ids: np.ndarray, info: dict[int, QuestionInfo], mode: str, division: Division | None = None
) -> tuple[np.ndarray, tuple[Group, ...], tuple[Group, ...]]:
    """Column permutation, provision groups and chapter groups.

    ``provision``: treaty order (chapter, provision, then question key), grouped by provision
    and chapter. ``divisiveness``: most divisive first (:meth:`Division.ranking`), no groups.
    """
    if mode not in COLUMN_ORDERS:
        raise ValueError(f"unknown column order {mode!r}; choose from {', '.join(COLUMN_ORDERS)}")
    ids = [int(q) for q in question_ids]
    blank = QuestionInfo(key="", text="")
    if mode == "divisiveness":
        if division is None:
            raise ValueError("ordering columns by divisiveness needs the division of the questions")
        position = {int(q): i for i, q in enumerate(division.question_ids)}
        rank = np.empty(len(division.question_ids), dtype=np.int64)
        rank[division.ranking()] = np.arange(len(rank))
        order = sorted(range(len(ids)), key=lambda i: (rank[position[ids[i]]] if ids[i] in position else 1 << 40, i))
        return np.array(order, dtype=np.int64), (), ()

    def sort_key(i: int):
        q = info.get(ids[i], blank)
        return (q.chapter_order, _natural(q.chapter_key), q.provision_order, _natural(q.provision_key), _natural(q.key))

    order = sorted(range(len(ids)), key=sort_key)
    provisions = _runs([info.get(ids[i], blank) for i in order], lambda q: (q.provision_key, q.provision_label))
    chapters = _runs([info.get(ids[i], blank) for i in order], lambda q: (q.chapter_key, q.chapter_label))
    return np.array(order, dtype=np.int64), provisions, chapters


def _natural(text: str) -> tuple:
    """Sort key that puts "Art. 2" before "Art. 11": digit runs compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", text))


def _runs(items: list[QuestionInfo], key) -> tuple[Group, ...]:
    groups: list[Group] = []
    for index, item in enumerate(items):
        k, label = key(item)
        if groups and groups[-1].key == k:
            groups[-1] = replace(groups[-1], stop=index + 1)
        else:
            groups.append(Group(k, label or k or "No provision", index, index + 1))
    return tuple(groups)


def side_codes(matrix: PositionsMatrix, ranks: SideRanks) -> np.ndarray:
    """Colour code of every cell (see CODE_* and MAX_SIDE_RANK), int8 rows × columns."""
    n_rows, n_cols = matrix.shape
    questions = np.broadcast_to(matrix.question_ids[None, :], (n_rows, n_cols))
    sided = (matrix.kind != NONE) & (matrix.kind != ABSTAIN)
    codes = np.zeros((n_rows, n_cols), dtype=np.int8)
    codes[matrix.kind == ABSTAIN] = CODE_ABSTAIN
    if sided.any():
        rank = np.minimum(ranks.ranks(questions[sided], matrix.option_id[sided]), MAX_SIDE_RANK)
        codes[sided] = (2 + 2 * rank + (matrix.kind[sided] == AGAINST)).astype(np.int8)
    return codes


def code_rank(code: int) -> tuple[int, bool] | None:
    """``(side rank, against)`` of a colour code; None for no position or abstain."""
    if code < 2:
        return None
    rank, against = divmod(int(code) - 2, 2)
    return rank, bool(against)


def column_bins(
    n_columns: int, groups: tuple[Group, ...], max_columns: int, whole: tuple[tuple[int, int], ...] = ()
) -> list[tuple[int, int]]:
    """Consecutive column ranges ``[start, stop)`` to draw as one column each.

    Each range in ``whole`` (a collapsed chapter) is one column. The other columns are drawn
    one by one when they fit in ``max_columns``, else in equal-width bins that never cross a
    group boundary, so at most about ``max_columns`` (+ one per group) columns are drawn.
    """
    whole = tuple(sorted((s, e) for s, e in whole if e > s))
    covered = sum(e - s for s, e in whole)
    open_columns = n_columns - covered
    width = 1 if open_columns <= max_columns else int(np.ceil(open_columns / max(max_columns, 1)))
    bins: list[tuple[int, int]] = []
    cursor = 0
    for start, stop in (*whole, (n_columns, n_columns)):
        bins.extend(_chunks(cursor, start, groups, width))
        if stop > start:
            bins.append((start, stop))
        cursor = max(cursor, stop)
    return bins


def _chunks(start: int, stop: int, groups: tuple[Group, ...], width: int) -> list[tuple[int, int]]:
    cuts = sorted({start, stop} | {g.start for g in groups if start < g.start < stop})
    return [(s, min(s + width, b)) for a, b in itertools.pairwise(cuts) for s in range(a, b, width)]


def aggregate_codes(codes: np.ndarray, bins: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    """Per row and bin, the most frequent colour code among the cells with a position (ties:
    the lower code, i.e. the more backed side) and the share of those cells it covers."""
    n_rows = codes.shape[0]
    if not bins:
        return np.zeros((n_rows, 0), dtype=np.int8), np.zeros((n_rows, 0))
    starts = np.array([b[0] for b in bins], dtype=np.int64)
    counts = np.stack(
        [np.add.reduceat((codes == c).astype(np.int32), starts, axis=1) for c in range(1, N_CODES)], axis=0
    )
    best = counts.argmax(axis=0)
    top = np.take_along_axis(counts, best[None], axis=0)[0]
    total = counts.sum(axis=0)
    mode = np.where(total > 0, best + 1, CODE_NONE).astype(np.int8)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, top / total, 0.0)
    return mode, share
