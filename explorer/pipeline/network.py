"""The agreement network view: choices → agreement → seeded network → caption, status and chart.

:func:`network_content` computes what the view shows (the network, title, caption, status line)
and :func:`draw_network` draws it; the GUI and ``export-chart --kind network`` take the same path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import networkx as nx

from explorer.analysis.network import (
    BACKBONE_NEIGHBOURS,
    DRAWN_CONFLICTS,
    NetworkResult,
    backbone_of,
    build_network,
    central_actors,
    is_dense,
)
from explorer.errors import stop_if_cancelled
from explorer.pipeline.common import agreement_for, chart_title, filter_caption
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter, compile_filter, resolve_actor
from explorer.vocabulary import COLOR_BY, DEFAULT_METRIC, DEFAULT_SEED

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from explorer.charts.network_chart import NetworkChart
    from explorer.charts.style import Theme

NETWORK_TITLE = "Agreement network"
LABELS = 60  # actors named on the chart (the most connected; hover and exports name all)
BACKBONE_LABELS = 40  # actors named on a backbone: the most central


@dataclass(frozen=True)
class DrawnNetwork:
    """What the chart draws of a network: all of it, or — dense networks, unless every tie is
    asked for — its backbone, with the most central actors named and a note saying so."""

    graph: nx.Graph
    conflicts: nx.Graph
    label_order: list[str] | None  # who gets a label first (None: the chart's own order)
    label_limit: int
    note: str  # under the chart (after its caption) and in the status line; '' when every tie is drawn


@dataclass(frozen=True)
class NetworkRequest:
    """How to turn agreement into a network: metric, edge thresholds and the seed."""

    metric: str = DEFAULT_METRIC
    min_shared: int = 1
    min_weight: float = 0.0
    seed: int = DEFAULT_SEED


def _strongest(k: int, what: str) -> str:
    return f"strongest {what}" if k == 1 else f"{k} strongest {what}s"


def network_for(
    db: Database,
    flt: PositionFilter | CompiledFilter,
    request: NetworkRequest | None = None,
    previous_pos: dict[str, tuple[float, float]] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> NetworkResult:
    """The agreement network of ``flt``. A filter naming exactly one actor gives that actor's
    ego network (everyone it shares enough questions with), since a one-node network says
    nothing; with two or more actors the network holds exactly those actors."""
    request = request or NetworkRequest()
    compiled = flt if isinstance(flt, CompiledFilter) else compile_filter(db, flt)
    focus = None
    if len(compiled.filter.actors) == 1:
        focus = str(resolve_actor(db, compiled.dataset_id, compiled.filter.actors[0]))
        compiled = compile_filter(db, compiled.filter.with_(actors=()))
    choices, matrices = agreement_for(db, compiled, kappa=request.metric == "kappa")
    stop_if_cancelled(cancel)
    actors = queries.actor_attributes(db, matrices.actor_ids)
    return build_network(
        matrices,
        actors,
        choices.positions_per_actor,
        metric=request.metric,
        min_shared=request.min_shared,
        min_weight=request.min_weight,
        seed=request.seed,
        previous_pos=previous_pos,
        focus=focus,
    )


def network_caption(db: Database, flt: PositionFilter, result: NetworkResult) -> str:
    extra = f"min. shared questions {result.min_shared}"
    if result.graph.graph.get("focus"):
        extra = f"actors linked to {result.graph.graph['focus']}; " + extra
    if result.min_weight > 0:
        extra += f"; edges > {result.min_weight:g}"
    return filter_caption(db, flt, metric=result.metric, seed=result.seed, extra=extra)


@dataclass(frozen=True)
class NetworkContent:
    """What the network view of a filter shows, decided before anything is drawn."""

    result: NetworkResult
    title: str
    caption: str
    all_ties: bool = False  # draw every tie even of a dense network

    def drawn(self) -> DrawnNetwork:
        """The backbone of a dense network (each actor's strongest ties and conflicts, the most
        central actors named), else the whole network. Exports of the data hold every tie."""
        return self._drawn

    @cached_property
    def _drawn(self) -> DrawnNetwork:
        # Once per content: the worker that draws the chart computes it, and the status line the
        # window shows on its GUI thread reuses it (a 200-actor backbone took 0.1-0.3 s there).
        graph, conflicts = self.result.graph, self.result.conflicts
        if self.all_ties or not is_dense(graph):
            return DrawnNetwork(graph, conflicts, None, LABELS, "")
        kept = backbone_of(graph)
        kept_conflicts = backbone_of(conflicts, DRAWN_CONFLICTS)
        conflict_note = (
            f" and {_strongest(DRAWN_CONFLICTS, 'conflict')} ({kept_conflicts.number_of_edges():,} of "
            f"{conflicts.number_of_edges():,})"
            if conflicts.number_of_edges()
            else ""
        )
        note = (
            f"Backbone drawn: each actor's {_strongest(BACKBONE_NEIGHBOURS, 'tie')} ({kept.number_of_edges():,} of "
            f"{graph.number_of_edges():,}){conflict_note}; up to {BACKBONE_LABELS} most central actors named.\n"
            "“Draw every tie” (network options) shows them all; exported networks (GraphML, GEXF, CSV) hold every tie."
        )
        return DrawnNetwork(kept, kept_conflicts, central_actors(kept), BACKBONE_LABELS, note)

    @property
    def status(self) -> str:
        """The line under the chart (and what the CLI reports)."""
        graph, communities = self.result.graph, len(self.result.communities)
        text = (
            f"{graph.number_of_nodes():,} actor(s), {graph.number_of_edges():,} link(s), "
            f"{communities:,} communit{'y' if communities == 1 else 'ies'}; seed {self.result.seed}."
        )
        if graph.graph.get("focus"):
            text += f" Showing {graph.graph['focus']} (ringed) and the actors linked to it."
        if graph.number_of_nodes() < 2:
            text += " A network needs at least two actors: widen the filter."
        # what two actors did, or why nothing is drawn ("… share 1 question and disagree on it")
        no_ties = graph.number_of_edges() == 0 and self.result.conflicts.number_of_edges() == 0
        if self.result.summary and graph.number_of_nodes() >= 2 and (graph.number_of_nodes() == 2 or no_ties):
            text += f" {self.result.summary}."
        note = self.drawn().note.replace("\n", " ")
        return f"{text} {note}" if note else text


def network_content(
    db: Database,
    flt: PositionFilter | CompiledFilter,
    request: NetworkRequest | None = None,
    *,
    previous_pos: dict[str, tuple[float, float]] | None = None,
    cancel: Callable[[], bool] | None = None,
    all_ties: bool = False,
) -> NetworkContent:
    """The network of ``flt``, its title, caption and status; a dense one is drawn as its
    backbone unless ``all_ties`` (see :meth:`NetworkContent.drawn`)."""
    compiled = flt if isinstance(flt, CompiledFilter) else compile_filter(db, flt)
    result = network_for(db, compiled, request, previous_pos, cancel)
    return NetworkContent(
        result, chart_title(db, compiled.filter, NETWORK_TITLE), network_caption(db, compiled.filter, result), all_ties
    )


def draw_network(
    content: NetworkContent,
    *,
    color_by: str = COLOR_BY[0],
    theme: Theme | None = None,
    figure: Figure | None = None,
    show_conflict: bool = True,
) -> NetworkChart:
    """Draw the network with its conflict ties (hidden with ``show_conflict=False``); with two
    actors the chart also says in words what they did."""
    from explorer.charts.network_chart import build_network_chart
    from explorer.charts.style import LIGHT

    result = content.result
    drawn = content.drawn()
    return build_network_chart(
        drawn.graph,
        result.pos,
        color_by=color_by,
        title=content.title,
        caption=f"{content.caption}\n{drawn.note}" if drawn.note else content.caption,
        theme=theme or LIGHT,
        figure=figure,
        label_limit=drawn.label_limit,
        label_order=drawn.label_order,
        conflicts=drawn.conflicts,
        show_conflict=show_conflict,
        summary=result.summary if result.graph.number_of_nodes() == 2 else "",
        empty_message=result.summary,
    )


def describe_node(content: NetworkContent, node: str, shown_as: str = "") -> str:
    """What hovering a node shows: the actor, its positions, its regional group, its category."""
    attrs = content.result.graph.nodes[node]
    lines = [
        str(attrs.get("label", node)),
        f"{attrs.get('positions', 0)} position(s)",
        f"regional group: {attrs.get('un_region') or 'none'}",
    ]
    if shown_as:
        lines.append(f"shown as: {shown_as}")
    return "\n".join(lines)


def network_chart_for(
    db: Database,
    flt: PositionFilter | CompiledFilter,
    request: NetworkRequest | None = None,
    *,
    color_by: str = COLOR_BY[0],
    theme: Theme | None = None,
    figure: Figure | None = None,
    previous_pos: dict[str, tuple[float, float]] | None = None,
    show_conflict: bool = True,
    all_ties: bool = False,
) -> tuple[NetworkResult, NetworkChart]:
    """Compute and draw the agreement network of ``flt`` (what ``export-chart --kind network`` saves)."""
    content = network_content(db, flt, request, previous_pos=previous_pos, all_ties=all_ties)
    chart = draw_network(content, color_by=color_by, theme=theme, figure=figure, show_conflict=show_conflict)
    return content.result, chart
