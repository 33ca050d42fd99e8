"""Positions matrix chart ("who wants what"): actors × questions, each cell the side taken.

One ``pcolormesh`` draws every cell (never a patch per cell): 200 × 100 cells draw in tens of
milliseconds. Wider matrices (thousands of roll calls) arrive binned by the pipeline (a drawn
column covers a range of questions, each cell the side an actor took most often in it), and the
caption says so. Colours follow :mod:`explorer.charts.side_style`; "against" cells also get a cross,
so the picture does not rely on colour alone.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import MouseEvent
from matplotlib.collections import QuadMesh
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from explorer.store.contest_records import (
    CODE_ABSTAIN,
    CODE_NONE,
    N_CODES,
    Group,
    PositionsMatrix,
    QuestionInfo,
    code_rank,
)

from .side_style import AGAINST_MARKER, against_tint, legend_text, rank_name, side_colour
from .style import LIGHT, Theme, add_title_and_caption, apply_theme, category_style, draw_message

__all__ = ["EMPTY_MESSAGE", "MatrixCell", "MatrixChart", "build_matrix_chart", "natural_size"]

EMPTY_MESSAGE = "No positions match the current filters"
COLUMN_LABEL_LIMIT = 40  # question keys under the columns up to this many drawn columns (tooltips beyond)
LABEL_CHARS = 30
MIN_LABEL_PT, MAX_LABEL_PT = 6.0, 9.0
MAX_HEADINGS = 24  # more provisions than this: the headings name chapters instead
CROSS_MIN_CELL_PT = 5.0  # smaller cells show "against" by their tint only


@dataclass(frozen=True)
class MatrixCell:
    """What is under one drawn cell: the actor, the question(s) and the positions behind it."""

    row: int
    column: int  # drawn column
    actor_id: int
    question_ids: tuple[int, ...]
    position_ids: tuple[int, ...]  # every position of the filter behind the cell, oldest first
    latest_position: int  # the position that decided a single-question cell (0: none/aggregated)
    code: int  # colour code (explorer.analysis.matrix), CODE_NONE for no position
    share: float  # aggregated cells: share of the actor's positions in the range with this code


@dataclass
class MatrixChart:
    """A drawn matrix and the maps a view needs: cells ↔ actors, questions and positions."""

    figure: Figure
    axes: Axes
    matrix: PositionsMatrix
    mesh: QuadMesh | None = None
    bins: list[tuple[int, int]] = field(default_factory=list)  # drawn column → matrix columns
    codes: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int8))  # as drawn
    shares: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    actor_names: list[str] = field(default_factory=list)  # per row
    column_labels: list[str] = field(default_factory=list)  # per drawn column
    aggregated: bool = False
    message: str = ""  # the empty-state text when nothing was drawn

    def cell(self, row: int, column: int) -> MatrixCell | None:
        """The cell at (row, drawn column), or None outside the matrix."""
        if not (0 <= row < len(self.actor_names) and 0 <= column < len(self.bins)):
            return None
        start, stop = self.bins[column]
        positions: list[int] = []
        for c in range(start, stop):
            positions.extend(self.matrix.cell_positions(row, c))
        return MatrixCell(
            row=row,
            column=column,
            actor_id=int(self.matrix.actor_ids[row]),
            question_ids=tuple(int(q) for q in self.matrix.question_ids[start:stop]),
            position_ids=tuple(positions),
            latest_position=int(self.matrix.latest_position[row, start]) if stop - start == 1 else 0,
            code=int(self.codes[row, column]),
            share=float(self.shares[row, column]),
        )

    def cell_at(self, event: MouseEvent) -> MatrixCell | None:
        """The cell under the mouse (hover, click), or None."""
        if event.inaxes is not self.axes or event.xdata is None or event.ydata is None:
            return None
        return self.cell(math.floor(event.ydata), math.floor(event.xdata))

    def cells_of_actor(self, actor_id: int) -> list[tuple[int, int]]:
        """(row, drawn column) of every non-empty cell of an actor: to highlight a selection."""
        rows = np.flatnonzero(self.matrix.actor_ids == actor_id)
        if not len(rows):
            return []
        return [(int(rows[0]), int(c)) for c in np.flatnonzero(self.codes[rows[0]] != CODE_NONE)]

    def cell_of_position(self, position_id: int) -> tuple[int, int] | None:
        """(row, drawn column) of the cell a position is behind, for cross-view selection."""
        cells = self.cells_of_positions([position_id])
        return cells[0] if cells else None

    def cells_of_positions(self, position_ids: Collection[int]) -> list[tuple[int, int]]:
        """(row, drawn column) of every cell the positions are behind, in one pass over the
        matrix's positions (a selection of hundreds of roll calls outlines at once)."""
        wanted = np.asarray(list(position_ids), dtype=self.matrix.cell_position.dtype)
        keys = np.unique(self.matrix.cell_key[np.isin(self.matrix.cell_position, wanted)])
        if not len(keys) or not self.bins:
            return []
        actors, questions = np.divmod(keys, np.int64(1) << np.int64(32))
        row_of = {int(a): r for r, a in enumerate(self.matrix.actor_ids.tolist())}
        column_of = {int(q): c for c, q in enumerate(self.matrix.question_ids.tolist())}
        starts = np.array([b[0] for b in self.bins])
        cells = {
            (row_of[a], int(np.searchsorted(starts, column_of[q], side="right") - 1))
            for a, q in zip(actors.tolist(), questions.tolist(), strict=True)
            if a in row_of and q in column_of
        }
        return sorted(cells)


def matrix_colormap(theme: Theme) -> tuple[ListedColormap, BoundaryNorm]:
    """One colour per code: no position, abstain, then (backed, against) per side rank."""
    colours: list[str | tuple[float, float, float]] = [theme.axes_bg, side_colour(-1)]
    for code in range(2, N_CODES):
        rank, against = code_rank(code) or (0, False)
        colours.append(against_tint(side_colour(rank), theme) if against else side_colour(rank))
    return ListedColormap(colours), BoundaryNorm(np.arange(-0.5, N_CODES + 0.5), N_CODES)


def build_matrix_chart(
    matrix: PositionsMatrix,
    codes: np.ndarray,
    *,
    actor_names: dict[int, str],
    questions: dict[int, QuestionInfo],
    title: str,
    caption: str,
    theme: Theme = LIGHT,
    figure: Figure | None = None,
    group_title: str = "",
    option_labels: dict[int, str] | None = None,
    divisiveness: np.ndarray | None = None,
    bins: list[tuple[int, int]] | None = None,
    shares: np.ndarray | None = None,
    collapsed_chapters: Collection[str] = (),
    empty_message: str = EMPTY_MESSAGE,
) -> MatrixChart:
    """Draw ``matrix`` with cell colours ``codes`` (:func:`explorer.analysis.matrix.side_codes`).

    One drawn column per matrix column, or per range of ``bins`` (``codes`` and ``shares`` then
    have one column per bin: :func:`explorer.analysis.matrix.aggregate_codes`). Rows keep the
    matrix order; ``matrix.row_groups`` get a colour strip and separators (legend titled
    ``group_title``), ``matrix.column_groups`` separators and headings (chapters named in
    ``collapsed_chapters`` are headed as chapters). ``divisiveness`` (one value per matrix
    column) is drawn as bars above the columns, so the questions that divided the actors most
    stand out. With up to LEGEND_QUESTIONS questions the legend names each question's options
    (``option_labels``: option id → label); beyond, it names the ranks.
    """
    n_rows, n_cols = matrix.shape
    bins = bins if bins is not None else [(c, c + 1) for c in range(n_cols)]
    aggregated = any(stop - start > 1 for start, stop in bins)
    if figure is None:
        figure = Figure(figsize=natural_size(n_rows, len(bins)), dpi=100)
    figure.clear()
    figure.set_layout_engine("constrained")
    if aggregated:
        note = f"{n_cols:,} questions drawn as {len(bins)} columns: each cell is the side the actor took most often"
        caption = f"{caption} · {note}" if caption else note
    add_title_and_caption(figure, title, caption, theme)
    names = [actor_names.get(int(a), str(a)) for a in matrix.actor_ids]
    if n_rows == 0 or n_cols == 0:
        ax = figure.add_subplot()
        draw_message(ax, empty_message, theme)
        apply_theme(figure, theme)
        return MatrixChart(figure, ax, matrix, message=empty_message)

    ax, bar_ax = _axes(figure, divisiveness is not None)
    drawn = codes
    shares = shares if shares is not None else (codes != CODE_NONE).astype(float)
    cmap, norm = matrix_colormap(theme)
    mesh = ax.pcolormesh(
        np.arange(len(bins) + 1), np.arange(n_rows + 1), drawn, cmap=cmap, norm=norm, rasterized=True, shading="flat"
    )
    mesh.set_gid("matrix-cells")
    labels = [_column_label(matrix, questions, start, stop) for start, stop in bins]
    # Sizes below come from an estimate of the cell area rather than a layout pass: one
    # constrained-layout pass over hundreds of labels costs about as much as the whole draw.
    area_pt = _cells_area_pt(figure, bar_ax is not None, len(labels) <= COLUMN_LABEL_LIMIT)
    strip = _group_strip(ax, matrix.row_groups, n_rows, STRIP_PT * len(bins) / area_pt[0]) if matrix.row_groups else 0
    ax.set_xlim(-strip, len(bins))
    ax.set_ylim(n_rows, 0)  # first actor on top
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    chart = MatrixChart(figure, ax, matrix, mesh, bins, drawn, shares, names, labels, aggregated)
    _separators(ax, matrix, bins, theme)
    _column_ticks(ax, labels)
    if bar_ax is not None and divisiveness is not None:
        _divisiveness_bars(bar_ax, divisiveness, bins, theme)
    _legends(figure, drawn, matrix, bins, group_title, option_labels, questions, theme)
    _row_labels(ax, names, area_pt[1], theme)
    _crosses(ax, drawn, area_pt)
    _headings(bar_ax or ax, matrix, bins, collapsed_chapters, theme, area_pt[0])
    apply_theme(figure, theme)
    return chart


def natural_size(n_rows: int, n_cols: int) -> tuple[float, float]:
    """Width and height (inches) at which ``n_rows`` × ``n_cols`` drawn cells read comfortably."""
    width = 2.6 + min(max(n_cols * 0.28, 2.0), 12.0) + 4.0  # labels, cells, legend
    row_in = 0.24 if n_rows <= 40 else 0.14
    labels_in = 1.3 if n_cols <= COLUMN_LABEL_LIMIT else 0.3
    height = 2.8 + labels_in + row_in * max(n_rows, 1)
    return max(width, 11.0), min(max(height, 4.5), 30.0)


def _axes(figure: Figure, with_bars: bool) -> tuple[Axes, Axes | None]:
    """(cells, divisiveness bars above them). The group strip and actor names are drawn in
    the cell axes itself: a third axes and a tick per name would cost more than the cells."""
    if not with_bars:
        return figure.add_subplot(), None
    rows_in = max(figure.get_figheight() - 3.5, 1.0)
    grid = figure.add_gridspec(2, 1, height_ratios=(0.55, rows_in), hspace=0.0)
    ax = figure.add_subplot(grid[1, 0])
    return ax, figure.add_subplot(grid[0, 0], sharex=ax)


def _divisiveness_bars(ax: Axes, divisiveness: np.ndarray, bins: list[tuple[int, int]], theme: Theme) -> None:
    """Bars above the columns: share of actor pairs on opposite sides of each question."""
    values = np.array([float(np.mean(divisiveness[start:stop])) for start, stop in bins])
    bars = ax.stairs(values, np.arange(len(bins) + 1), fill=True, color=theme.edge, linewidth=0)  # one artist
    bars.set_gid("divisiveness-bars")
    top = max(float(values.max(initial=0.0)), 1e-9)
    ax.set_ylim(0, top * 1.05)
    ax.set_yticks([0, top])
    ax.set_yticklabels(["0", f"{top:.2f}"], fontsize=6)
    ax.tick_params(axis="x", bottom=False, labelbottom=False)
    ax.tick_params(axis="y", length=2, pad=1)
    ax.set_ylabel("divided", fontsize=7, rotation=0, ha="right", va="center", labelpad=4)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


STRIP_PT = 9.0  # width of the bloc colour strip left of the cells


def _group_strip(ax: Axes, groups: tuple[Group, ...], n_rows: int, width: float) -> float:
    """A colour bar left of the cells (x from −width to 0): which bloc each row belongs to."""
    values = np.zeros((n_rows, 1), dtype=np.int64)
    for index, group in enumerate(groups):
        values[group.start : group.stop, 0] = index
    colours = [_group_colour(i, g) for i, g in enumerate(groups)]
    norm = BoundaryNorm(np.arange(-0.5, len(colours) + 0.5), len(colours))
    strip = ax.pcolormesh(
        [-width, -width * 0.15], np.arange(n_rows + 1), values, cmap=ListedColormap(colours), norm=norm, rasterized=True
    )
    strip.set_gid("group-strip")
    return width


def _group_colour(index: int, group: Group) -> str:
    return "#BBBBBB" if not group.key else category_style(index)[0]


def _column_label(matrix: PositionsMatrix, questions: dict[int, QuestionInfo], start: int, stop: int) -> str:
    first = questions.get(int(matrix.question_ids[start]))
    if stop - start == 1:
        return first.short if first else str(matrix.question_ids[start])
    return f"{stop - start} questions"


def _column_ticks(ax: Axes, labels: list[str]) -> None:
    if len(labels) > COLUMN_LABEL_LIMIT:
        ax.set_xticks([])
        return
    size = 8.0 if len(labels) <= 30 else 6.5
    ax.set_xticks(np.arange(len(labels)) + 0.5)
    ax.set_xticklabels([_short(s) for s in labels], rotation=90, fontsize=size, parse_math=False)
    ax.tick_params(axis="x", length=2)


def _cells_area_pt(figure: Figure, with_bars: bool, with_column_labels: bool) -> tuple[float, float]:
    """About how wide and tall (points) the cell area will be once laid out: the figure less
    the actor names and legend (width) and the title, bars, column labels and caption (height)."""
    width_in = figure.get_figwidth() - 2.3 - 3.3
    height_in = figure.get_figheight() - 0.9 - (0.7 if with_bars else 0.1) - (1.1 if with_column_labels else 0.15)
    return max(width_in, 1.0) * 72, max(height_in, 1.0) * 72


def _row_labels(ax: Axes, names: list[str], height_pt: float, theme: Theme) -> None:
    """Actor names left of the rows, sized to them (9 down to MIN_LABEL_PT); when even that
    collides, every k-th row is named (the tooltip names every row). Plain texts rather than
    ticks: matplotlib builds several artists per tick, most of the drawing time at 200 rows."""
    n = len(names)
    row_pt = height_pt / max(n, 1)
    size = min(MAX_LABEL_PT, max(MIN_LABEL_PT, row_pt * 0.75))
    step = max(1, math.ceil(size * 1.15 / row_pt))
    transform = blended_transform_factory(ax.transAxes, ax.transData)
    for row in range(0, n, step):
        ax.annotate(
            _short(names[row]),
            (0, row + 0.5),
            xycoords=transform,
            xytext=(-3, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=size,
            color=theme.text,
            annotation_clip=False,
            parse_math=False,
        )


def _separators(ax: Axes, matrix: PositionsMatrix, bins: list[tuple[int, int]], theme: Theme) -> None:
    """Lines between provisions (thin), chapters (thick) and row groups."""
    starts = np.array([b[0] for b in bins])

    def drawn(col: int) -> float:
        return float(np.searchsorted(starts, col, side="left"))

    chapter_edges = {drawn(g.start) for g in matrix.chapter_groups[1:]}
    provision_edges = {drawn(g.start) for g in matrix.column_groups[1:]} - chapter_edges
    if provision_edges:
        ax.vlines(sorted(provision_edges), 0, 1, transform=ax.get_xaxis_transform(), colors=theme.grid, linewidth=0.6)
    if chapter_edges:
        ax.vlines(sorted(chapter_edges), 0, 1, transform=ax.get_xaxis_transform(), colors=theme.edge, linewidth=1.2)
    if len(matrix.row_groups) > 1:
        edges = [g.start for g in matrix.row_groups[1:]]
        ax.hlines(edges, 0, 1, transform=ax.get_yaxis_transform(), colors=theme.edge, linewidth=1.0)


def _crosses(ax: Axes, drawn: np.ndarray, area_pt: tuple[float, float]) -> None:
    """A cross in the side's colour on every "against" cell, when cells are big enough."""
    n_rows, n_cols = drawn.shape
    cell_pt = min(area_pt[0] / n_cols, area_pt[1] / n_rows)
    against = (drawn >= 2) & ((drawn - 2) % 2 == 1)
    if cell_pt < CROSS_MIN_CELL_PT or not against.any():
        return
    rows, cols = np.nonzero(against)
    colours = [side_colour(code_rank(int(c))[0]) for c in drawn[rows, cols]]  # type: ignore[index]
    size = (min(cell_pt * 0.6, 9.0)) ** 2
    crosses = ax.scatter(cols + 0.5, rows + 0.5, s=size, marker=AGAINST_MARKER, c=colours, linewidths=1.0, zorder=3)
    crosses.set_gid("against-crosses")


def _headings(
    ax: Axes,
    matrix: PositionsMatrix,
    bins: list[tuple[int, int]],
    collapsed: Collection[str],
    theme: Theme,
    width_pt: float,
) -> None:
    """Provision (or collapsed chapter) names above their columns, upright when they fit,
    else turned; a heading that would touch the previous one is left out (tooltips name it)."""
    chapters = [g for g in matrix.chapter_groups if g.key in collapsed]
    groups = [g for g in matrix.column_groups if not any(c.start <= g.start < c.stop for c in chapters)] + chapters
    if len(groups) > MAX_HEADINGS and matrix.chapter_groups:
        groups = list(matrix.chapter_groups)  # too many provisions to name: name the chapters
    if not groups:
        return
    starts = np.array([b[0] for b in bins])
    per_col = width_pt / len(bins)
    transform = blended_transform_factory(ax.transData, ax.transAxes)
    last_right = -math.inf
    for group in sorted(groups, key=lambda g: g.start):
        left = float(np.searchsorted(starts, group.start, side="left"))
        right = float(np.searchsorted(starts, group.stop, side="left"))
        centre_pt = (left + right) / 2 * per_col
        label = _short(group.label, 26)
        upright = (right - left) * per_col >= 6.5 * len(label)
        if centre_pt - 4 < last_right:
            continue
        text = ax.text(
            (left + right) / 2,
            1.0,
            label,
            transform=transform,
            rotation=0 if upright else 90,
            ha="center",
            va="bottom",
            fontsize=7,
            color=theme.text,
            clip_on=False,
            parse_math=False,
        )
        text.set_gid(f"heading-{group.key}")
        last_right = centre_pt + (3.5 * len(label) if upright else 5)


LEGEND_QUESTIONS = 4  # up to this many questions the legend names every option by its label


def _legends(
    figure: Figure,
    drawn: np.ndarray,
    matrix: PositionsMatrix,
    bins: list[tuple[int, int]],
    group_title: str,
    option_labels: dict[int, str] | None,
    questions: dict[int, QuestionInfo],
    theme: Theme,
) -> None:
    """Side key (options by label for a few questions, else ranks) and the row-group key."""
    counts = np.bincount(drawn.ravel().astype(np.int64), minlength=N_CODES)
    few = option_labels is not None and len(bins) == matrix.shape[1] <= LEGEND_QUESTIONS
    handles = _option_handles(drawn, matrix, option_labels or {}, questions, theme) if few else []
    if not few:
        ranks = sorted({r[0] for c in np.unique(drawn).tolist() if (r := code_rank(c)) is not None})
        for rank in ranks:
            n = int(counts[2 + 2 * rank] + counts[3 + 2 * rank])
            handles.append(_swatch(side_colour(rank), f"{rank_name(rank)} ({n})", theme))
        if any(c >= 2 and (c - 2) % 2 == 1 for c in np.unique(drawn).tolist()):
            handles.append(_swatch(against_tint(side_colour(0), theme), "against that option (tint, ×)", theme))
    if counts[CODE_ABSTAIN]:
        handles.append(_swatch(side_colour(-1), f"abstain ({int(counts[CODE_ABSTAIN])})", theme))
    handles.append(_swatch(theme.axes_bg, "no position", theme))
    title = "Side taken" if few else "Side taken\n(options ranked per question\nby support)"
    legend = figure.legend(handles=handles, loc="outside right upper", title=title, fontsize=8, title_fontsize=8)
    legend.set_gid("side-legend")
    if matrix.row_groups and group_title:
        group_handles = [
            _swatch(_group_colour(i, g), f"{_short(g.label, 28)} ({g.stop - g.start})", theme)
            for i, g in enumerate(matrix.row_groups)
        ]
        groups = figure.legend(
            handles=group_handles,
            loc="outside right lower",
            title=group_title,
            fontsize=8,
            title_fontsize=8,
            ncols=1 if len(group_handles) <= 16 else 2,
        )
        groups.set_gid("group-legend")


def _option_handles(
    drawn: np.ndarray,
    matrix: PositionsMatrix,
    option_labels: dict[int, str],
    questions: dict[int, QuestionInfo],
    theme: Theme,
) -> list[Line2D]:
    """Per question: a heading, then each option taken with its colour and count."""
    handles: list[Line2D] = []
    for column, question_id in enumerate(matrix.question_ids.tolist()):
        info = questions.get(int(question_id))
        handles.append(Line2D([], [], linestyle="none", label=_short(info.short if info else str(question_id), 44)))
        codes, counts = np.unique(drawn[:, column], return_counts=True)
        for code, count in zip(codes.tolist(), counts.tolist(), strict=True):
            rank = code_rank(code)
            if rank is None:
                continue
            option = int(matrix.option_id[drawn[:, column] == code, column][0])
            label = legend_text(option_labels.get(option, "the proposal"))
            colour = side_colour(rank[0])
            if rank[1]:
                handles.append(_swatch(against_tint(colour, theme), f"against: {label} ({count})", theme))
            else:
                handles.append(_swatch(colour, f"{label} ({count})", theme))
    return handles


def _swatch(colour: str | tuple[float, float, float], label: str, theme: Theme) -> Line2D:
    return Line2D(
        [],
        [],
        linestyle="none",
        marker="s",
        markersize=9,
        markerfacecolor=colour,
        markeredgecolor=theme.grid,
        label=label,
    )


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
