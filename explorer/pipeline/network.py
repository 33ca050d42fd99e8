"""The agreement network view: choices → agreement → seeded network → caption, status and chart.

:func:`network_content` computes what the view shows (the network, title, caption, status line)
and :func:`draw_network` draws it; the GUI and ``export-chart --kind network`` take the same path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from explorer.analysis.network import NetworkResult, build_network
from explorer.errors import stop_if_cancelled
from explorer.pipeline.common import agreement_for, chart_title, dataset_label
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter, compile_filter, resolve_actor
from explorer.vocabulary import DEFAULT_METRIC, DEFAULT_SEED, METRIC_LABELS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from explorer.charts.network_chart import NetworkChart
    from explorer.charts.style import Theme

NETWORK_TITLE = "Agreement network"


@dataclass(frozen=True)
class NetworkRequest:
    """How to turn agreement into a network: metric, edge thresholds and the seed."""

    metric: str = DEFAULT_METRIC
    min_shared: int = 1
    min_weight: float = 0.0
    seed: int = DEFAULT_SEED


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
    from explorer.charts.export import caption_text

    name, version = dataset_label(db, flt)
    extra = f"min. shared questions {result.min_shared}"
    if result.graph.graph.get("focus"):
        extra = f"actors linked to {result.graph.graph['focus']}; " + extra
    if result.min_weight > 0:
        extra += f"; edges > {result.min_weight:g}"
    return caption_text(
        dataset=name,
        version=version,
        filters=flt.describe(),
        metric=METRIC_LABELS.get(result.metric, result.metric),
        seed=result.seed,
        extra=extra,
    )


@dataclass(frozen=True)
class NetworkContent:
    """What the network view of a filter shows, decided before anything is drawn."""

    result: NetworkResult
    title: str
    caption: str

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
        return text


def network_content(
    db: Database,
    flt: PositionFilter | CompiledFilter,
    request: NetworkRequest | None = None,
    *,
    previous_pos: dict[str, tuple[float, float]] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> NetworkContent:
    compiled = flt if isinstance(flt, CompiledFilter) else compile_filter(db, flt)
    result = network_for(db, compiled, request, previous_pos, cancel)
    return NetworkContent(
        result, chart_title(db, compiled.filter, NETWORK_TITLE), network_caption(db, compiled.filter, result)
    )


def draw_network(
    content: NetworkContent,
    *,
    color_by: str = "community",
    theme: Theme | None = None,
    figure: Figure | None = None,
    show_conflict: bool = True,
) -> NetworkChart:
    """Draw the network with its conflict ties (hidden with ``show_conflict=False``); with two
    actors the chart also says in words what they did."""
    from explorer.charts.network_chart import build_network_chart
    from explorer.charts.style import LIGHT

    result = content.result
    return build_network_chart(
        result.graph,
        result.pos,
        color_by=color_by,
        title=content.title,
        caption=content.caption,
        theme=theme or LIGHT,
        figure=figure,
        conflicts=result.conflicts,
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
    color_by: str = "community",
    theme: Theme | None = None,
    figure: Figure | None = None,
    previous_pos: dict[str, tuple[float, float]] | None = None,
    show_conflict: bool = True,
) -> tuple[NetworkResult, NetworkChart]:
    """Compute and draw the agreement network of ``flt`` (what ``export-chart --kind network`` saves)."""
    content = network_content(db, flt, request, previous_pos=previous_pos)
    chart = draw_network(content, color_by=color_by, theme=theme, figure=figure, show_conflict=show_conflict)
    return content.result, chart
