"""The agreement network view: choices → agreement → seeded network → caption and chart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from explorer.analysis.network import NetworkResult, build_network
from explorer.pipeline.common import agreement_for, chart_title, dataset_label
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import PositionFilter, resolve_actor, resolve_dataset
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
    flt: PositionFilter,
    request: NetworkRequest | None = None,
    previous_pos: dict[str, tuple[float, float]] | None = None,
) -> NetworkResult:
    """The agreement network of ``flt``. A filter naming exactly one actor gives that actor's
    ego network (everyone it shares enough questions with), since a one-node network says
    nothing; with two or more actors the network holds exactly those actors."""
    request = request or NetworkRequest()
    focus = None
    if len(flt.actors) == 1:
        focus = str(resolve_actor(db, resolve_dataset(db, flt.dataset), flt.actors[0]))
        flt = flt.with_(actors=())
    choices, matrices = agreement_for(db, flt, kappa=request.metric == "kappa")
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


def network_chart_for(
    db: Database,
    flt: PositionFilter,
    request: NetworkRequest | None = None,
    *,
    color_by: str = "community",
    theme: Theme | None = None,
    figure: Figure | None = None,
    previous_pos: dict[str, tuple[float, float]] | None = None,
    show_conflict: bool = True,
) -> tuple[NetworkResult, NetworkChart]:
    """Compute and draw the agreement network of ``flt`` with its conflict ties (hidden with
    ``show_conflict=False``). With two actors the chart also says in words what they did."""
    from explorer.charts.network_chart import build_network_chart
    from explorer.charts.style import LIGHT

    result = network_for(db, flt, request, previous_pos)
    chart = build_network_chart(
        result.graph,
        result.pos,
        color_by=color_by,
        title=chart_title(db, flt, NETWORK_TITLE),
        caption=network_caption(db, flt, result),
        theme=theme or LIGHT,
        figure=figure,
        conflicts=result.conflicts,
        show_conflict=show_conflict,
        summary=result.summary if result.graph.number_of_nodes() == 2 else "",
        empty_message=result.summary,
    )
    return result, chart
