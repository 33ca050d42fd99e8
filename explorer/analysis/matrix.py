"""The positions matrix ("who wants what"): actors × questions, each cell the actor's choice.

A cell holds the latest choice within the filter (docs/METHODS.md §1). Rows can be ordered by
seriation, or grouped (community, UN regional group) with seriation inside each group; columns
by provision in treaty order or by divisiveness (§7–§8). Every drawn cell maps back to the
positions behind it, so a view can select them in the table.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from explorer.analysis.choices import Choices, reduce_choices
from explorer.analysis.seriation import agreement_distance, seriate
from explorer.analysis.sides import Division, SideRanks, cell_kind
from explorer.store.contest_records import (
    ABSTAIN,
    AGAINST,
    CODE_ABSTAIN,
    CODE_NONE,
    MAX_SIDE_RANK,
    N_CODES,
    NONE,
    Group,
    PositionsMatrix,
    QuestionInfo,
)
from explorer.vocabulary import MATRIX_COLUMNS, MATRIX_ROWS

ROW_ORDERS = MATRIX_ROWS
COLUMN_ORDERS = MATRIX_COLUMNS
NO_GROUP = ""  # actors without a community or region form the last group
_PACK = np.int64(1) << np.int64(32)


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

    def sort_key(i: int) -> tuple[object, ...]:
        q = info.get(ids[i], blank)
        return (q.chapter_order, _natural(q.chapter_key), q.provision_order, _natural(q.provision_key), _natural(q.key))

    order = sorted(range(len(ids)), key=sort_key)
    provisions = _runs([info.get(ids[i], blank) for i in order], lambda q: (q.provision_key, q.provision_label))
    chapters = _runs([info.get(ids[i], blank) for i in order], lambda q: (q.chapter_key, q.chapter_label))
    return np.array(order, dtype=np.int64), provisions, chapters


def _natural(text: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key that puts "Art. 2" before "Art. 11": digit runs compare as numbers."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.findall(r"\d+|\D+", text))


def _runs(items: list[QuestionInfo], key: Callable[[QuestionInfo], tuple[str, str]]) -> tuple[Group, ...]:
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
