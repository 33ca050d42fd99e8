"""Change over time: polarisation and the bloc gap per session, and the network (or the
positions matrix) of each session as small multiples on one stable layout (METHODS §10).

Every panel uses the layout of the whole filter and the same axis limits, so an actor stays in
its place from session to session (the "union layout" of Brandes et al.'s visone method with
full anchoring); colours are the blocs of the whole filter, so they mean the same everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from explorer.store.contest_records import PositionsMatrix, SessionMeasure
from explorer.vocabulary import EVOLUTION_VIEWS

from .network_chart import CONFLICT_COLOUR
from .style import GREY, LIGHT, MUTED_GID, Theme, add_title_and_caption, apply_theme, category_style, draw_message

__all__ = ["EVOLUTION_VIEWS", "EvolutionChart", "EvolutionPanel", "build_evolution_chart", "natural_height"]

PANEL_COLUMNS = 3
PANEL_EDGES, PANEL_TIES = 1500, 300  # a small multiple shows each session's strongest ties only


@dataclass(frozen=True)
class EvolutionPanel:
    """What one small multiple shows: a session's network or matrix."""

    key: str
    label: str
    measure: SessionMeasure
    graph: nx.Graph | None = None
    conflicts: nx.Graph | None = None
    matrix: PositionsMatrix | None = None
    codes: np.ndarray | None = None  # matrix colour codes (explorer.analysis.matrix.side_codes)


@dataclass
class EvolutionChart:
    """The drawn figure; per panel the node artist and its node ids (the i-th offset is
    ``node_orders[k][i]``), so a click on a session's node selects that actor everywhere."""

    figure: Figure
    measure_axes: Axes | None = None
    panel_axes: list[Axes] = field(default_factory=list)
    panel_keys: list[str] = field(default_factory=list)  # session key per panel
    node_artists: list[PathCollection] = field(default_factory=list)
    node_orders: list[list[str]] = field(default_factory=list)

    def node_at(self, panel: int, index: int) -> str:
        return self.node_orders[panel][index]


def natural_height(panels: int) -> float:
    """The height (inches) of the measures and ``panels`` small multiples, PANEL_COLUMNS a row."""
    return 3.6 + 3.4 * math.ceil(panels / PANEL_COLUMNS)


def build_evolution_chart(
    measures: list[SessionMeasure],
    panels: list[EvolutionPanel],
    pos: dict[str, tuple[float, float]],
    *,
    bloc_label: str,
    title: str,
    caption: str,
    view: str = "network",
    theme: Theme = LIGHT,
    figure: Figure | None = None,
    row_order: list[int] | None = None,
    column_order: list[int] | None = None,
    empty_message: str = "",
) -> EvolutionChart:
    """Measures per session on top; below, one panel per entry of ``panels``: the session's
    ties at the filter-wide layout ``pos`` (``view="network"``), or its matrix with the
    filter-wide row and column order (``view="matrix"``: ``row_order``/``column_order`` are
    actor and question ids)."""
    if view not in EVOLUTION_VIEWS:
        raise ValueError(f"view must be one of {', '.join(EVOLUTION_VIEWS)}, not {view!r}")
    rows = math.ceil(len(panels) / PANEL_COLUMNS) if panels else 0
    if figure is None:
        figure = Figure(figsize=(13.0, natural_height(len(panels))), dpi=100)
    figure.clear()
    figure.set_layout_engine("constrained")
    add_title_and_caption(figure, title, caption, theme)
    chart = EvolutionChart(figure)
    if not measures:
        ax = figure.add_subplot()
        draw_message(ax, empty_message or "Nothing to draw", theme)
        apply_theme(figure, theme)
        return chart
    grid = figure.add_gridspec(1 + rows, PANEL_COLUMNS, height_ratios=[1.15] + [1.0] * rows)
    chart.measure_axes = figure.add_subplot(grid[0, :])
    _draw_measures(chart.measure_axes, measures, bloc_label, theme)
    limits = _limits(pos)
    for k, panel in enumerate(panels):
        ax = figure.add_subplot(grid[1 + k // PANEL_COLUMNS, k % PANEL_COLUMNS])
        chart.panel_axes.append(ax)
        chart.panel_keys.append(panel.key)
        m = panel.measure
        ax.set_title(
            f"{panel.label}\n{m.actors} actors · {m.questions} question(s) · "
            f"P {_fmt(m.polarisation)} · Δ {_fmt(m.gap)}",
            fontsize=8,
        )
        if view == "network":
            artist, order = _draw_network_panel(ax, panel, pos, limits, theme)
            chart.node_artists.append(artist)
            chart.node_orders.append(order)
        else:
            _draw_matrix_panel(ax, panel, row_order or [], column_order or [], theme)
    if view == "network" and panels:
        _network_legend(figure, panels, theme)
    apply_theme(figure, theme)
    return chart


def _fmt(value: float) -> str:
    return "–" if value is None or not np.isfinite(value) else f"{value:.2f}"


def _draw_measures(ax: Axes, measures: list[SessionMeasure], bloc_label: str, theme: Theme) -> None:
    """Polarisation P (filled circles) and the bloc gap Δ (hollow squares) per session, with
    the number of actors under each session, since small sessions swing widely."""
    x = np.arange(len(measures))
    p = np.array([m.polarisation for m in measures], dtype=float)
    gap = np.array([m.gap for m in measures], dtype=float)
    ax.plot(x, p, color=theme.text, marker="o", linewidth=1.4, label="polarisation P (balance of sides, 0–1)")
    ax.plot(
        x,
        gap,
        color=theme.muted_text,
        marker="s",
        markerfacecolor="none",
        linewidth=1.4,
        linestyle="--",
        label=f"bloc gap Δ = agreement within − between {bloc_label} (−1–1)",
    )
    ax.axhline(0, color=theme.grid, linewidth=0.8, zorder=0)
    ax.set_xticks(x)
    ax.set_xticklabels(
        [f"{m.label}\n{m.actors} act." for m in measures],
        fontsize=6.5,
        rotation=0 if len(x) <= 8 else 60,
        ha="center" if len(x) <= 8 else "right",
        parse_math=False,
    )
    ax.set_ylim(-1.05, 1.05)
    ax.set_xlim(-0.5, len(x) - 0.5)
    ax.tick_params(axis="y", labelsize=7)
    ax.grid(axis="y", color=theme.grid, linewidth=0.5)
    ax.legend(fontsize=7, loc="lower left", frameon=True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _limits(pos: dict[str, tuple[float, float]]) -> tuple[tuple[float, float], tuple[float, float]]:
    if not pos:
        return (-1.0, 1.0), (-1.0, 1.0)
    xy = np.array(list(pos.values()), dtype=float)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    pad = np.maximum(hi - lo, 1e-6) * 0.08
    return (lo[0] - pad[0], hi[0] + pad[0]), (lo[1] - pad[1], hi[1] + pad[1])


def _community_colour(attrs: dict[str, object]) -> tuple[str, str]:
    c = attrs.get("community")
    return category_style(c) if isinstance(c, int) else (GREY, "*")


def _draw_network_panel(
    ax: Axes,
    panel: EvolutionPanel,
    pos: dict[str, tuple[float, float]],
    limits: tuple[tuple[float, float], tuple[float, float]],
    theme: Theme,
) -> tuple[PathCollection, list[str]]:
    graph = panel.graph if panel.graph is not None else nx.Graph()
    order = sorted((n for n in graph if n in pos), key=str)
    xy = np.array([pos[n] for n in order], dtype=float).reshape(-1, 2)
    index = {n: i for i, n in enumerate(order)}
    edges = _strongest(
        [(u, v, w) for u, v, w in graph.edges(data="weight", default=0.0) if w and w > 0 and u in index and v in index],
        PANEL_EDGES,
    )
    if edges:
        weights = np.clip([w for _, _, w in edges], 0, 1) ** 2
        segments = np.array([[xy[index[u]], xy[index[v]]] for u, v, _ in edges])
        colours = np.tile(to_rgba(theme.edge), (len(edges), 1))
        colours[:, 3] = 0.08 + 0.6 * weights * min(1.0, 15 / math.sqrt(len(edges)))
        ax.add_collection(
            LineCollection(list(segments), colors=colours, linewidths=0.4 + 1.2 * weights, zorder=1), autolim=False
        )
    conflicts = panel.conflicts if panel.conflicts is not None else nx.Graph()
    ties = _strongest(
        [(u, v, w) for u, v, w in conflicts.edges(data="weight", default=0.0) if u in index and v in index], PANEL_TIES
    )
    if ties:
        segments = np.array([[xy[index[u]], xy[index[v]]] for u, v, _ in ties])
        colours = np.tile(to_rgba(CONFLICT_COLOUR), (len(ties), 1))
        colours[:, 3] = 0.25 + 0.5 * np.clip([w for _, _, w in ties], 0, 1) * min(1.0, 12 / math.sqrt(len(ties)))
        lines = LineCollection(list(segments), colors=colours, linewidths=0.8, linestyles="--", zorder=1.5)
        lines.set_gid("conflict-edges")
        ax.add_collection(lines, autolim=False)
    styles = [_community_colour(graph.nodes[n]) for n in order]
    artist = ax.scatter(
        xy[:, 0] if len(xy) else [],
        xy[:, 1] if len(xy) else [],
        s=26,
        c=[c for c, _ in styles] or None,
        edgecolors=theme.axes_bg,
        linewidths=0.5,
        zorder=3,
        picker=True,
        pickradius=3,
    )
    ax.set_xlim(*limits[0])
    ax.set_ylim(*limits[1])
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(theme.grid)
    return artist, order


def _strongest(ties: list[tuple[str, str, float]], limit: int) -> list[tuple[str, str, float]]:
    return sorted(ties, key=lambda t: (-float(t[2] or 0.0), str(t[0]), str(t[1])))[:limit]


def _draw_matrix_panel(
    ax: Axes, panel: EvolutionPanel, row_order: list[int], column_order: list[int], theme: Theme
) -> None:
    """The session's cells placed at the filter-wide rows and columns (empty elsewhere)."""
    from .matrix_chart import matrix_colormap

    matrix, codes = panel.matrix, panel.codes
    grid = np.zeros((len(row_order), len(column_order)), dtype=np.int8)
    if matrix is not None and codes is not None and len(row_order) and len(column_order):
        row_at = {a: i for i, a in enumerate(row_order)}
        col_at = {q: j for j, q in enumerate(column_order)}
        rows = np.array([row_at.get(int(a), -1) for a in matrix.actor_ids])
        cols = np.array([col_at.get(int(q), -1) for q in matrix.question_ids])
        keep_r, keep_c = rows >= 0, cols >= 0
        grid[np.ix_(rows[keep_r], cols[keep_c])] = codes[np.ix_(keep_r, keep_c)]
    cmap, norm = matrix_colormap(theme)
    ax.pcolormesh(grid, cmap=cmap, norm=norm, rasterized=True)
    ax.set_ylim(len(row_order), 0)
    ax.set_xticks([])
    ax.set_yticks([])
    text = ax.text(
        0.01, 0.01, f"{len(row_order)} actors × {len(column_order)} questions", transform=ax.transAxes, fontsize=6
    )
    text.set_gid(MUTED_GID)


def _network_legend(figure: Figure, panels: list[EvolutionPanel], theme: Theme) -> None:
    communities = sorted(
        {
            int(c)
            for p in panels
            if p.graph is not None
            for _, c in p.graph.nodes(data="community")
            if c not in (None, "")
        }
    )
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=7,
            markerfacecolor=category_style(c)[0],
            markeredgecolor=theme.axes_bg,
            label=f"Community {c + 1}",
        )
        for c in communities[:12]
    ]
    handles.append(Line2D([], [], color=theme.edge, linewidth=1.4, label=f"agreement (strongest {PANEL_EDGES:,})"))
    handles.append(
        Line2D(
            [], [], color=CONFLICT_COLOUR, linewidth=1.2, linestyle="--", label=f"conflict (strongest {PANEL_TIES:,})"
        )
    )
    legend = figure.legend(
        handles=handles,
        loc="outside right upper",
        fontsize=7,
        title="Blocs of the whole filter\n(same colours in every session)",
        title_fontsize=7,
    )
    legend.set_gid("evolution-legend")
