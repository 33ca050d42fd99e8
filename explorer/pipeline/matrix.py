"""The positions matrix view ("who wants what"): latest choices, side colours, row and column
order, caption, chart and the ``export-matrix`` CSV (docs/METHODS.md §7–§8)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
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
from explorer.errors import ExportError, stop_if_cancelled
from explorer.files import atomic_output
from explorer.pipeline.common import NO_POSITIONS, chart_title, filter_caption
from explorer.pipeline.sides import side_ranks_for
from explorer.store import queries
from explorer.store.columns import position_arrays
from explorer.store.contest_queries import options_of_questions, question_catalog
from explorer.store.contest_records import Group, PositionsMatrix, QuestionInfo, code_rank
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter, resolve_dataset
from explorer.vocabulary import COLOR_BY_LABELS, DEFAULT_SEED

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from explorer.charts.matrix_chart import MatrixCell, MatrixChart
    from explorer.charts.style import Theme

MATRIX_TITLE = "Who wants what"
GROUP_TITLES = {**COLOR_BY_LABELS, "seriation": ""}  # the title over the row groups
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


ROW_ORDER_TEXT = {
    "seriation": "rows by similarity (optimal leaf ordering)",
    "community": "rows by community, then similarity",
    "region": "rows by UN regional group, then similarity",
}
COLUMN_ORDER_TEXT = {"provision": "columns in treaty order", "divisiveness": "columns most divisive first"}


def matrix_caption(db: Database, flt: PositionFilter, result: MatrixResult) -> str:
    n_rows, n_cols = result.matrix.shape
    extra = (
        f"{n_rows} actors × {n_cols} questions; {ROW_ORDER_TEXT[result.request.rows]}; "
        f"{COLUMN_ORDER_TEXT[result.request.columns]}; bars: share of actor pairs on opposite sides; "
        "colours rank each question's options by support in the whole dataset"
    )
    seed = result.request.seed if result.request.rows == "community" else None
    return filter_caption(db, flt, seed=seed, extra=extra)


@dataclass(frozen=True)
class MatrixContent:
    """What the matrix view of a filter shows, decided before anything is drawn."""

    result: MatrixResult
    title: str
    caption: str
    max_columns: int = MAX_COLUMNS

    @property
    def status(self) -> str:
        """The line under the chart (and what the CLI reports)."""
        n_rows, n_cols = self.result.matrix.shape
        if not n_rows or not n_cols:
            return f"{NO_POSITIONS}."
        request = self.result.request
        text = (
            f"{n_rows:,} actor(s) × {n_cols:,} question(s); {ROW_ORDER_TEXT[request.rows]}, "
            f"{COLUMN_ORDER_TEXT[request.columns]}."
        )
        if n_cols > self.max_columns:
            text += f" More than {self.max_columns} questions: drawn in bins, each cell the side taken most often."
        return text


def matrix_content(
    db: Database,
    flt: PositionFilter | CompiledFilter,
    request: MatrixRequest | None = None,
    *,
    cancel: Callable[[], bool] | None = None,
) -> MatrixContent:
    """Everything the matrix view of ``flt`` shows (computed, not drawn)."""
    plain = flt.filter if isinstance(flt, CompiledFilter) else flt
    result = matrix_for(db, plain, request)
    stop_if_cancelled(cancel)
    return MatrixContent(result, chart_title(db, plain, MATRIX_TITLE), matrix_caption(db, plain, result))


def draw_matrix(
    content: MatrixContent,
    *,
    theme: Theme | None = None,
    figure: Figure | None = None,
    collapsed_chapters: Collection[str] = (),
) -> MatrixChart:
    """Draw ``content``; chapters in ``collapsed_chapters`` are drawn as one column each, and
    more than ``content.max_columns`` columns are drawn in bins."""
    from explorer.charts.matrix_chart import build_matrix_chart
    from explorer.charts.style import LIGHT

    result = content.result
    matrix = result.matrix
    whole = tuple((g.start, g.stop) for g in matrix.chapter_groups if g.key in set(collapsed_chapters))
    bins = column_bins(matrix.shape[1], matrix.column_groups, content.max_columns, whole)
    codes, shares = aggregate_codes(result.codes, bins) if len(bins) < matrix.shape[1] else (result.codes, None)
    return build_matrix_chart(
        matrix,
        codes,
        bins=bins,
        shares=shares,
        actor_names=result.actor_names,
        questions=result.questions,
        title=content.title,
        caption=content.caption,
        theme=theme or LIGHT,
        figure=figure,
        group_title=GROUP_TITLES[result.request.rows],
        option_labels=result.option_labels,
        divisiveness=result.divisiveness_of_columns(),
        collapsed_chapters=collapsed_chapters,
        empty_message=NO_POSITIONS,
    )


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
    """Compute and draw the matrix of ``flt`` (what ``export-chart --kind matrix`` saves)."""
    content = replace(matrix_content(db, flt, request), max_columns=max_columns)
    chart = draw_matrix(content, theme=theme, figure=figure, collapsed_chapters=collapsed_chapters)
    return content.result, chart


def describe_cell(db: Database, content: MatrixContent, cell: MatrixCell) -> str:
    """What hovering a cell shows, as plain text: the actor, the question(s), the choice, and
    the summary and source of the position that decided it."""
    from explorer.charts.side_style import rank_name

    result = content.result
    actor = result.actor_names.get(cell.actor_id, str(cell.actor_id))
    if len(cell.question_ids) != 1:
        first, last = (result.questions.get(q) for q in (cell.question_ids[0], cell.question_ids[-1]))
        span = f"{first.key if first else '?'} … {last.key if last else '?'}"
        if not cell.position_ids:
            return f"{actor}\n{len(cell.question_ids)} questions ({span}): no position"
        rank = code_rank(cell.code)
        side = "abstained" if rank is None else f"{rank_name(rank[0])}{' (against)' if rank[1] else ''}"
        return (
            f"{actor}\n{len(cell.question_ids)} questions ({span})\n"
            f"side taken most often: {side}, in {cell.share:.0%} of them; {len(cell.position_ids)} position(s)"
        )
    question_id = cell.question_ids[0]
    info = result.questions.get(question_id)
    heading = f"{info.provision_label} · {info.key}\n{info.text}" if info else str(question_id)
    if not cell.position_ids:
        return f"{actor}\n{heading}\n\nno position"
    column = int(np.flatnonzero(result.matrix.question_ids == question_id)[0])
    row = cell.row
    option = result.options.get(int(result.matrix.option_id[row, column]))
    choice = result.matrix.choice(row, column, result.option_keys)
    lines = [actor, heading, "", f"choice: {choice}" + (f" ({option[2]})" if option and option[2] else "")]
    detail = queries.position_detail(db, cell.latest_position) if cell.latest_position else None
    if detail is not None:
        when = detail["date"] or detail["session"] or ""
        lines.append(f"{when}: {detail['stance']}".strip(": "))
        if detail["summary"]:
            lines.append(str(detail["summary"]))
        source = detail["source_title"] or ""
        lines.append(f"source: {detail['source_url']}" + (f" ({source})" if source else ""))
    earlier = len(cell.position_ids) - 1
    if earlier:
        lines.append(f"{earlier} earlier position(s) on this question")
    return "\n".join(lines)


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
