"""The positions matrix view ("who wants what"): latest choices, side colours, row and column
order, caption, chart and the ``export-matrix`` CSV (docs/METHODS.md §7–§8)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from explorer.analysis.agreement import agreement_matrices
from explorer.analysis.choices import Choices
from explorer.analysis.matrix import (
    COLUMN_ORDERS,
    ROW_ORDERS,
    aggregate_codes,
    column_bins,
    order_columns,
    order_rows,
    positions_matrix,
    side_codes,
)
from explorer.analysis.network import agreement_graph, detect_communities
from explorer.analysis.sides import Division, SideRanks, question_division
from explorer.csv_cells import FormulaSafeWriter
from explorer.errors import ExportError
from explorer.files import atomic_output
from explorer.pipeline.common import chart_title, dataset_label
from explorer.pipeline.sides import side_ranks_for
from explorer.store import queries
from explorer.store.columns import position_arrays
from explorer.store.contest_queries import options_of_questions, question_catalog
from explorer.store.contest_records import Group, PositionsMatrix, QuestionInfo
from explorer.store.database import Database
from explorer.store.filters import PositionFilter, resolve_dataset
from explorer.vocabulary import DEFAULT_SEED

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from explorer.charts.matrix_chart import MatrixChart
    from explorer.charts.style import Theme

MATRIX_TITLE = "Who wants what"
GROUP_TITLES = {"community": "Community", "region": "UN regional group", "seriation": ""}
MAX_COLUMNS = 300  # wider matrices are drawn in bins (METHODS §8); exports keep every question
MATRIX_HEADER_FIRST = "actor"


@dataclass(frozen=True)
class MatrixRequest:
    """How to arrange the matrix: rows by ``seriation``, ``community`` or ``region``; columns
    by ``provision`` or ``divisiveness``; ``min_shared`` and ``seed`` for communities."""

    rows: str = "seriation"
    columns: str = "provision"
    min_shared: int = 1
    seed: int = DEFAULT_SEED

    def __post_init__(self) -> None:
        if self.rows not in ROW_ORDERS:
            raise ValueError(f"unknown row order {self.rows!r}; choose from {', '.join(ROW_ORDERS)}")
        if self.columns not in COLUMN_ORDERS:
            raise ValueError(f"unknown column order {self.columns!r}; choose from {', '.join(COLUMN_ORDERS)}")


@dataclass(frozen=True)
class MatrixResult:
    """The arranged matrix and what it takes to draw, export and explain it."""

    matrix: PositionsMatrix
    codes: np.ndarray  # colour code per cell (explorer.store.contest_records)
    ranks: SideRanks
    division: Division
    questions: dict[int, QuestionInfo]
    options: dict[int, tuple[int, str, str]]  # option id → (question id, key, label)
    actor_names: dict[int, str]
    request: MatrixRequest

    @property
    def option_keys(self) -> dict[int, str]:
        return {oid: key for oid, (_, key, _) in self.options.items()}

    @property
    def option_labels(self) -> dict[int, str]:
        return {oid: label for oid, (_, _, label) in self.options.items()}

    def divisiveness_of_columns(self) -> np.ndarray:
        """Divisiveness (METHODS §8) of each matrix column, in column order."""
        at = {int(q): i for i, q in enumerate(self.division.question_ids)}
        return np.array([self.division.divisiveness[at[int(q)]] for q in self.matrix.question_ids], dtype=float)


def matrix_for(db: Database, flt: PositionFilter, request: MatrixRequest | None = None) -> MatrixResult:
    """The positions matrix of ``flt``: one row per actor with a position, one column per question."""
    request = request or MatrixRequest()
    arrays = position_arrays(db, flt)
    matrix, choices = positions_matrix(
        arrays.position_id, arrays.actor_id, arrays.question_id, arrays.option_id, arrays.stance
    )
    division = question_division(choices)
    questions = {q: QuestionInfo(**row) for q, row in question_catalog(db, matrix.question_ids.tolist()).items()}
    attributes = queries.actor_attributes(db, matrix.actor_ids.tolist())
    rows, row_groups = _row_order(choices, matrix, attributes, request)
    cols, col_groups, chapters = order_columns(matrix.question_ids, questions, request.columns, division)
    arranged = matrix.arranged(rows, cols, row_groups=row_groups, column_groups=col_groups, chapter_groups=chapters)
    ranks = side_ranks_for(db, resolve_dataset(db, flt.dataset))
    return MatrixResult(
        matrix=arranged,
        codes=side_codes(arranged, ranks),
        ranks=ranks,
        division=division,
        questions=questions,
        options=options_of_questions(db, matrix.question_ids.tolist()),
        actor_names={a: str(attrs["name"]) for a, attrs in attributes.items()},
        request=request,
    )


def _row_order(
    choices: Choices, matrix: PositionsMatrix, attributes: dict[int, dict[str, object]], request: MatrixRequest
) -> tuple[np.ndarray, tuple[Group, ...]]:
    if matrix.shape[0] == 0:
        return np.zeros(0, dtype=np.int64), ()
    agreement = agreement_matrices(choices)
    labels = None
    if request.rows == "region":
        labels = [str(attributes.get(int(a), {}).get("un_region", "") or "") for a in matrix.actor_ids]
    elif request.rows == "community":
        graph = agreement_graph(agreement, attributes, choices.positions_per_actor, min_shared=request.min_shared)
        communities = detect_communities(graph, request.seed)
        number = {node: c for c, members in enumerate(communities) for node in members}
        labels = [f"Community {number[str(int(a))] + 1}" if str(int(a)) in number else "" for a in matrix.actor_ids]
    return order_rows(agreement.agreement, labels, matrix.actor_ids)


def matrix_caption(db: Database, flt: PositionFilter, result: MatrixResult) -> str:
    from explorer.charts.export import caption_text

    name, version = dataset_label(db, flt)
    rows = {
        "seriation": "rows by similarity (optimal leaf ordering)",
        "community": "rows by community, then similarity",
    }
    order = rows.get(result.request.rows, "rows by UN regional group, then similarity")
    columns = "columns in treaty order" if result.request.columns == "provision" else "columns most divisive first"
    n_rows, n_cols = result.matrix.shape
    extra = (
        f"{n_rows} actors × {n_cols} questions; {order}; {columns}; bars: share of actor pairs on opposite sides; "
        "colours rank each question's options by support in the whole dataset"
    )
    seed = result.request.seed if result.request.rows == "community" else None
    return caption_text(dataset=name, version=version, filters=flt.describe(), seed=seed, extra=extra)


def matrix_chart_for(
    db: Database,
    flt: PositionFilter,
    request: MatrixRequest | None = None,
    *,
    theme: Theme | None = None,
    figure: Figure | None = None,
    collapsed_chapters: Collection[str] = (),
    max_columns: int = MAX_COLUMNS,
) -> tuple[MatrixResult, MatrixChart]:
    """Compute and draw the matrix of ``flt``; chapters in ``collapsed_chapters`` are drawn as
    one column each, and more than ``max_columns`` columns are drawn in bins."""
    from explorer.charts.matrix_chart import build_matrix_chart
    from explorer.charts.style import LIGHT

    result = matrix_for(db, flt, request)
    matrix = result.matrix
    whole = tuple((g.start, g.stop) for g in matrix.chapter_groups if g.key in set(collapsed_chapters))
    bins = column_bins(matrix.shape[1], matrix.column_groups, max_columns, whole)
    codes, shares = aggregate_codes(result.codes, bins) if len(bins) < matrix.shape[1] else (result.codes, None)
    chart = build_matrix_chart(
        matrix,
        codes,
        bins=bins,
        shares=shares,
        actor_names=result.actor_names,
        questions=result.questions,
        title=chart_title(db, flt, MATRIX_TITLE),
        caption=matrix_caption(db, flt, result),
        theme=theme or LIGHT,
        figure=figure,
        group_title=GROUP_TITLES[result.request.rows],
        option_labels=result.option_labels,
        divisiveness=result.divisiveness_of_columns(),
        collapsed_chapters=collapsed_chapters,
    )
    return result, chart


def write_matrix_csv(result: MatrixResult, out: str | Path) -> Path:
    """``actor,<question key>,…``: one row per actor (display name), each cell the latest choice
    as METHODS §1 writes it, empty where the actor has none."""
    out = Path(out)
    if out.suffix.lower() != ".csv":
        raise ExportError(f"cannot write {out}: the matrix is written as a .csv file")
    texts = result.matrix.choice_texts(result.option_keys)
    header = [MATRIX_HEADER_FIRST] + [
        result.questions[int(q)].key if int(q) in result.questions else str(q) for q in result.matrix.question_ids
    ]
    with atomic_output(out) as temp, temp.open("w", encoding="utf-8", newline="") as handle:
        writer = FormulaSafeWriter(handle)  # RFC 4180 rows; no cell can run as a formula
        writer.writerow(header)
        for row, actor in enumerate(result.matrix.actor_ids.tolist()):
            writer.writerow([result.actor_names.get(int(actor), str(actor)), *texts[row].tolist()])
    return out
