"""Agreement network chart: actors as nodes, agreement and conflict as ties, drawn from primitives.

LineCollection + one scatter keep 200 nodes and 20,000 edges well under a second, where
`networkx.draw` would not; nodes carry both a colour and a marker shape per category.
Agreement ties are solid grey lines; conflict ties (pairs who differed more often than they
agreed, METHODS §5) are dashed vermillion lines on top, so a pair that only disagrees is
joined too, and colour is never the only difference.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.textpath import text_to_path

from explorer.labels import SHORT_NAME_CHARS, shorten
from explorer.vocabulary import COLOR_BY, COLOR_BY_LABELS

from .style import GREY, LIGHT, OKABE_ITO, Theme, add_title_and_caption, apply_theme, category_style, draw_message

__all__ = ["EMPTY_MESSAGE", "NetworkChart", "build_network_chart"]

EMPTY_MESSAGE = "No agreement or conflict ties for the current filters"
CONFLICT_COLOUR = OKABE_ITO["vermillion"]
MAX_CONFLICT_TIES = 3000  # beyond, only the strongest are drawn (every export keeps them all)
FIGSIZE_IN = (11.0, 8.5)
NODE_AREA_MIN, NODE_AREA_MAX = 24.0, 360.0  # pt², area ∝ positions (radius ∝ sqrt)
NO_REGION = "No regional group"

Nodes = Mapping[str, Mapping[str, Any]]  # a graph's nodes and their attributes (graph.nodes)
Category = tuple[str, str, int]  # colour, marker, how many nodes
Spot = tuple[np.ndarray, tuple[float, float], str, str, bool]  # box, offset, ha, va, covers a label


@dataclass
class NetworkChart:
    """A built network; `node_order[i]` is the node id of offset i of `node_artist`.

    A GUI maps a pick event's `ind` (or `node_artist.contains(event)`) through `node_order`.
    `node_artist` is an empty collection when nothing was drawn.
    """

    figure: Figure
    axes: Axes
    node_artist: PathCollection
    node_order: list[str] = field(default_factory=list)
    edge_artist: LineCollection | None = None
    labelled: list[str] = field(default_factory=list)  # node ids that got a text label
    categories: dict[str, str] = field(default_factory=dict)  # node id -> category shown
    conflict_artist: LineCollection | None = None
    conflict_ties: list[tuple[str, str]] = field(default_factory=list)  # drawn, i-th segment of conflict_artist
    message: str = ""  # the empty-state text, when nothing was drawn

    def node_at(self, index: int) -> str:
        """Node id for offset `index` of `node_artist` (a PickEvent's `ind`)."""
        return self.node_order[index]


def build_network_chart(
    graph: nx.Graph,
    pos: Mapping[str, tuple[float, float]],
    *,
    color_by: str = COLOR_BY[0],
    title: str,
    caption: str,
    theme: Theme = LIGHT,
    figure: Figure | None = None,
    label_limit: int = 60,
    label_order: Sequence[str] | None = None,
    conflicts: nx.Graph | None = None,
    show_conflict: bool = True,
    summary: str = "",
    empty_message: str = EMPTY_MESSAGE,
) -> NetworkChart:
    """Draw `graph` at the given (seeded, precomputed) layout `pos`.

    Nodes: colour + marker by community or UN regional group (`color_by="region"`), area
    proportional to `positions`. Edges: only weight > 0 (kappa may be negative), wider and more
    opaque with weight. `conflicts` (same node ids) adds dashed conflict ties unless
    `show_conflict` is off. Labels (short names): all nodes up to `label_limit`, else the first
    `label_limit` of `label_order` (default: by degree, then positions). `summary` (e.g. what
    two actors did, in words) is written in the plot;
    `empty_message` says what the filter holds when there is no tie to draw.
    """
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {', '.join(COLOR_BY)}, not {color_by!r}")
    if figure is None:
        figure = Figure(figsize=FIGSIZE_IN, dpi=100)
    figure.clear()
    figure.set_layout_engine("constrained")
    ax = figure.add_subplot()
    add_title_and_caption(figure, title, caption, theme)

    edges = [(u, v, w) for u, v, w in graph.edges(data="weight", default=0.0) if w is not None and w > 0 and u != v]
    opposed = _conflict_edges(conflicts, graph) if show_conflict and conflicts is not None else []
    if graph.number_of_nodes() == 0 or not (edges or opposed):
        message = empty_message or EMPTY_MESSAGE
        draw_message(ax, message, theme)
        chart = NetworkChart(figure, ax, ax.scatter([], []), message=message)
        apply_theme(figure, theme)
        return chart

    nodes = graph.nodes
    # Big nodes first so small ones are drawn on top and stay visible (and clickable).
    order = sorted(nodes, key=lambda n: (-_positions(nodes[n]), str(_label(nodes, n)), str(n)))
    xy = np.array([pos[n] for n in order], dtype=float)
    index = {n: i for i, n in enumerate(order)}

    edge_artist = _draw_edges(ax, edges, xy, index, theme) if edges else None
    conflict_artist = _draw_conflicts(ax, opposed, xy, index) if opposed else None
    categories, legend_items = _categories(nodes, order, color_by)
    node_artist, sizes = _draw_nodes(ax, nodes, order, xy, categories, legend_items, theme)
    _ring_focus(ax, nodes, order, xy, sizes, theme)
    _frame(ax, xy)
    _add_legends(figure, legend_items, nodes, order, color_by, theme)
    _add_tie_legend(figure, bool(edges), opposed, conflicts, theme)
    if summary:
        note = ax.text(0.0, 1.0, summary, transform=ax.transAxes, ha="left", va="top", fontsize=8, wrap=True)
        note.set_gid("network-summary")
    labelled = _draw_labels(ax, graph, order, xy, sizes, label_limit, theme, label_order)
    apply_theme(figure, theme)
    return NetworkChart(
        figure,
        ax,
        node_artist,
        order,
        edge_artist,
        labelled,
        {n: categories[n] for n in order},
        conflict_artist,
        [(u, v) for u, v, _ in opposed],
    )


def _conflict_edges(conflicts: nx.Graph, graph: nx.Graph) -> list[tuple[str, str, float]]:
    """Conflict ties between drawn nodes, strongest first, at most MAX_CONFLICT_TIES."""
    ties = [
        (u, v, float(w or 0.0))
        for u, v, w in conflicts.edges(data="weight", default=0.0)
        if u in graph and v in graph and u != v
    ]
    ties.sort(key=lambda t: (-t[2], str(t[0]), str(t[1])))
    return ties[:MAX_CONFLICT_TIES]


def _draw_conflicts(
    ax: Axes, ties: list[tuple[str, str, float]], xy: np.ndarray, index: dict[str, int]
) -> LineCollection:
    """Dashed vermillion lines, wider and more opaque with the share of questions in conflict."""
    weights = np.clip(np.array([t[2] for t in ties], dtype=float), 0.0, 1.0)
    ends = np.array([(index[u], index[v]) for u, v, _ in ties])
    segments = np.stack([xy[ends[:, 0]], xy[ends[:, 1]]], axis=1)
    density = min(1.0, 20.0 / math.sqrt(len(ties)))
    colours = np.tile(to_rgba(CONFLICT_COLOUR), (len(ties), 1))
    colours[:, 3] = np.maximum(density * (0.35 + 0.6 * weights), MIN_EDGE_ALPHA * 4)
    artist = LineCollection(
        list(segments),
        linewidths=(0.6 + 1.8 * weights) * (0.6 + 0.4 * density),
        colors=colours,
        linestyles="--",
        zorder=1.5,
    )
    artist.set_gid("conflict-edges")
    artist.set_rasterized(len(ties) > RASTERIZE_EDGES_ABOVE)
    ax.add_collection(artist, autolim=False)
    return artist


def _add_tie_legend(
    figure: Figure,
    agreement: bool,
    drawn_conflicts: list[tuple[str, str, float]],
    conflicts: nx.Graph | None,
    theme: Theme,
) -> None:
    """What the two line styles mean (and how many conflict ties are left out, if any)."""
    handles = []
    if agreement:
        handles.append(Line2D([], [], color=theme.edge, linewidth=1.6, label="agreement (wider = higher)"))
    if drawn_conflicts:
        total = conflicts.number_of_edges() if conflicts is not None else len(drawn_conflicts)
        shown = "" if total <= len(drawn_conflicts) else f", strongest {len(drawn_conflicts):,} of {total:,}"
        handles.append(
            Line2D(
                [],
                [],
                color=CONFLICT_COLOUR,
                linestyle="--",
                linewidth=1.6,
                label=f"conflict: differed more\noften than agreed{shown}",
            )
        )
    if handles:
        legend = figure.legend(handles=handles, loc="outside right center", title="Ties", fontsize=8, title_fontsize=8)
        legend.set_gid("tie-legend")


def _ring_focus(ax: Axes, nodes: Nodes, order: list[str], xy: np.ndarray, sizes: np.ndarray, theme: Theme) -> None:
    """A ring around the actor an ego network is about (node attribute ``focus``)."""
    for i, node in enumerate(order):
        if nodes[node].get("focus"):
            ring = ax.scatter(
                [xy[i, 0]],
                [xy[i, 1]],
                s=np.asarray(sizes)[i] * 2.6 + 60,
                marker="o",
                facecolors="none",
                edgecolors=theme.text,
                linewidths=1.6,
                zorder=2.9,
            )
            ring.set_gid("focus-ring")


def _positions(attrs: Mapping[str, Any]) -> int:
    return int(attrs.get("positions") or 0)


def _label(nodes: Nodes, n: str) -> str:
    return str(nodes[n].get("label") or n)


MIN_EDGE_ALPHA = 4 / 255  # below one step of 8-bit opacity nothing shows
RASTERIZE_EDGES_ABOVE = 3000


def _draw_edges(
    ax: Axes, edges: list[tuple[str, str, float]], xy: np.ndarray, index: dict[str, int], theme: Theme
) -> LineCollection:
    """Width and opacity grow with the cube of the weight so strong ties stand out; opacity
    also falls with the edge count, since hundreds of faint lines crossing a pixel add up."""
    weights = np.array([e[2] for e in edges], dtype=float)
    rank = np.argsort(weights, kind="stable")  # strongest drawn last, on top
    ends = np.array([(index[u], index[v]) for u, v, _ in edges])[rank]
    w3 = np.clip(weights[rank], 0.0, 1.0) ** 3
    segments = np.stack([xy[ends[:, 0]], xy[ends[:, 1]]], axis=1)
    density = min(1.0, 30.0 / math.sqrt(len(edges)))  # 1 up to 900 edges, 0.21 at 20,000
    alpha = density * (0.05 + 0.8 * w3)
    visible = alpha >= MIN_EDGE_ALPHA  # fainter lines cannot be seen but cost as much to draw
    colours = np.tile(to_rgba(theme.edge), (int(visible.sum()), 1))
    colours[:, 3] = alpha[visible]
    artist = LineCollection(
        segments[visible], linewidths=((0.25 + 2.25 * w3) * (0.6 + 0.4 * density))[visible], colors=colours, zorder=1
    )
    artist.set_gid("agreement-edges")
    # thousands of vector lines make SVG/PDF slow and heavy: embed them as an image instead
    artist.set_rasterized(bool(visible.sum() > RASTERIZE_EDGES_ABOVE))
    ax.add_collection(artist, autolim=False)
    return artist


def _categories(nodes: Nodes, order: list[str], color_by: str) -> tuple[dict[str, str], dict[str, Category]]:
    """Category per node and, per category in legend order, (colour, marker, count)."""
    if color_by == "community":

        def key(n: str) -> str:
            c = nodes[n].get("community")
            return f"Community {int(c) + 1}" if c is not None and c != "" else "No community"

        def rank(name: str) -> tuple[Any, ...]:
            return (1, 0) if name == "No community" else (0, int(name.split()[-1]))
    else:

        def key(n: str) -> str:
            return str(nodes[n].get("un_region") or "") or NO_REGION

        def rank(name: str) -> tuple[Any, ...]:
            return (name == NO_REGION, name.casefold())

    categories = {n: key(n) for n in order}
    names = sorted(set(categories.values()), key=rank)
    items: dict[str, Category] = {}
    for i, name in enumerate(n for n in names if n not in ("No community", NO_REGION)):
        items[name] = (*category_style(i), 0)
    for name in names:
        if name in ("No community", NO_REGION):
            items[name] = (GREY, "*", 0)  # "unassigned": grey star, listed last
    for name in categories.values():
        colour, marker, count = items[name]
        items[name] = (colour, marker, count + 1)
    return categories, items


def _draw_nodes(
    ax: Axes,
    nodes: Nodes,
    order: list[str],
    xy: np.ndarray,
    categories: dict[str, str],
    items: dict[str, Category],
    theme: Theme,
) -> tuple[PathCollection, np.ndarray]:
    counts = np.array([_positions(nodes[n]) for n in order], dtype=float)
    top = counts.max() if counts.size and counts.max() > 0 else 1.0
    sizes = NODE_AREA_MIN + (NODE_AREA_MAX - NODE_AREA_MIN) * counts / top
    colours = [items[categories[n]][0] for n in order]
    artist = ax.scatter(
        xy[:, 0],
        xy[:, 1],
        s=sizes,
        c=colours,
        edgecolors=theme.axes_bg,
        linewidths=0.8,
        zorder=3,
        picker=True,
        pickradius=3,
    )
    # One collection, one path per node: marker shape per category without splitting layers.
    paths = []
    for n in order:
        style = MarkerStyle(items[categories[n]][1])
        paths.append(style.get_path().transformed(style.get_transform()))
    artist.set_paths(paths)
    artist.set_gid("actor-nodes")
    return artist, sizes


ALWAYS_LABEL = 16


def _draw_labels(
    ax: Axes,
    graph: nx.Graph,
    order: list[str],
    xy: np.ndarray,
    sizes: np.ndarray,
    label_limit: int,
    theme: Theme,
    label_order: Sequence[str] | None = None,
) -> list[str]:
    """Haloed labels for the most connected nodes (then most positions), placed greedily at
    one of eight spots around the node, whichever overlaps the fewest labels and nodes.

    Small graphs (up to ALWAYS_LABEL nodes) label every node even if labels must touch.
    Beyond that a label that would cover an earlier one is left out (the hover tooltip and the
    exports name every node) — dense clusters stay legible.
    """
    if label_limit <= 0:
        return []
    nodes = graph.nodes
    if label_order is not None:
        ranked = [n for n in label_order if n in nodes][:label_limit]
    else:
        degree = dict(graph.degree(weight=None))
        ranked = sorted(order, key=lambda n: (-degree.get(n, 0), -_positions(nodes[n]), _label(nodes, n)))
        ranked = ranked[:label_limit]
    selective = len(order) > min(label_limit, ALWAYS_LABEL)
    fontsize = 8 if len(ranked) <= 30 else 7 if len(ranked) <= 80 else 6
    halo = [patheffects.withStroke(linewidth=2.4, foreground=theme.halo, alpha=0.85)]
    font = FontProperties(size=fontsize)
    figure = ax.figure
    layout = figure.get_layout_engine()
    if layout is not None and isinstance(figure, Figure):
        layout.execute(figure)  # final axes box, so data -> points is right
    ax.apply_aspect()
    at = ax.transData.transform(xy) * 72.0 / figure.dpi  # node centres in points
    radius = np.sqrt(sizes) / 2
    node_boxes = np.column_stack([at - radius[:, None], at + radius[:, None]])
    placed: list[np.ndarray] = []
    labelled = []
    index = {n: i for i, n in enumerate(order)}
    for n in ranked:
        i = index[n]
        text = shorten(str(nodes[n].get("short_label") or _label(nodes, n)), SHORT_NAME_CHARS)
        width, height, _ = text_to_path.get_text_width_height_descent(text, font, ismath=False)
        box, offset, ha, va, covers_label = _best_spot(
            at[i], radius[i] + 1.5, width + 2, height + 2, placed, node_boxes, i
        )
        if covers_label and selective:
            continue
        placed.append(box)
        labelled.append(n)
        ax.annotate(
            text,
            xy[i],
            xytext=offset,
            textcoords="offset points",
            ha=ha,
            va=va,
            fontsize=fontsize,
            color=theme.text,
            path_effects=halo,
            zorder=4,
            gid=f"label-{n}",
            annotation_clip=False,
            parse_math=False,
        )
    return labelled


# Label spots around a node, best first: (direction x, direction y, ha, va).
_SPOTS = (
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
    (1, 0, "left", "center"),
    (-1, 0, "right", "center"),
    (1, 1, "left", "bottom"),
    (-1, 1, "right", "bottom"),
    (1, -1, "left", "top"),
    (-1, -1, "right", "top"),
)


def _best_spot(
    centre: np.ndarray,
    gap: float,
    width: float,
    height: float,
    placed: list[np.ndarray],
    node_boxes: np.ndarray,
    own: int,
) -> Spot:
    """(box, offset, ha, va, covers_a_label) of the first spot with the least overlap."""
    x, y = centre
    others = np.delete(node_boxes, own, axis=0)
    labels = np.array(placed) if placed else np.empty((0, 4))
    best: Spot | None = None
    best_cost = math.inf
    for dx, dy, ha, va in _SPOTS:
        diagonal = 0.7 if dx and dy else 1.0
        ox, oy = dx * gap * diagonal, dy * gap * diagonal
        left = x + ox - (width / 2 if ha == "center" else width if ha == "right" else 0)
        bottom = y + oy - (height / 2 if va == "center" else height if va == "top" else 0)
        box = np.array([left, bottom, left + width, bottom + height])
        label_overlap = _overlap(box, labels)
        cost = 4 * label_overlap + _overlap(box, others)
        if cost < best_cost - 1e-9:
            best, best_cost = (box, (ox, oy), ha, va, label_overlap > 0), cost
        if cost == 0:
            break
    assert best is not None  # the first spot always beats an infinite cost
    return best


def _overlap(box: np.ndarray, boxes: np.ndarray) -> float:
    """Total overlap area of `box` with each row of `boxes` (x0, y0, x1, y1)."""
    if not len(boxes):
        return 0.0
    w = np.minimum(box[2], boxes[:, 2]) - np.maximum(box[0], boxes[:, 0])
    h = np.minimum(box[3], boxes[:, 3]) - np.maximum(box[1], boxes[:, 1])
    return float(np.sum(np.clip(w, 0, None) * np.clip(h, 0, None)))


def _frame(ax: Axes, xy: np.ndarray) -> None:
    """Equal aspect, no ticks, a margin so border nodes and their labels are not clipped."""
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    pad = np.maximum(hi - lo, 1e-6) * 0.06
    ax.update_datalim([lo - pad, hi + pad * np.array([1.0, 1.6])])  # labels sit above nodes
    ax.margins(0)
    ax.set_aspect("equal", adjustable="datalim")
    ax.autoscale_view()
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)


def _add_legends(
    figure: Figure, items: dict[str, Category], nodes: Nodes, order: list[str], color_by: str, theme: Theme
) -> None:
    """Category key (colour + shape) and a node-size key, both outside the plot on the right."""
    handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=marker,
            markersize=8,
            markerfacecolor=colour,
            markeredgecolor=theme.axes_bg,
            label=f"{name} ({count})",
        )
        for name, (colour, marker, count) in items.items()
    ]
    title = COLOR_BY_LABELS[color_by]
    first = figure.legend(
        handles=handles,
        loc="outside right upper",
        title=title,
        fontsize=8,
        title_fontsize=8,
        ncols=1 if len(handles) <= 18 else 2,
    )
    first.set_gid("category-legend")
    counts = sorted({_positions(nodes[n]) for n in order})
    top = max(counts[-1], 1)
    refs = sorted({max(1, round(top * f)) for f in (0.1, 0.5, 1.0)})
    size_handles = [
        Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=math.sqrt(NODE_AREA_MIN + (NODE_AREA_MAX - NODE_AREA_MIN) * r / top),
            markerfacecolor="none",
            markeredgecolor=theme.text,
            label=str(r),
        )
        for r in refs
    ]
    sizes = figure.legend(
        handles=size_handles,
        loc="outside right lower",
        title="Positions",
        fontsize=8,
        title_fontsize=8,
        labelspacing=1.4,
        borderpad=1.0,
    )
    sizes.set_gid("size-legend")
