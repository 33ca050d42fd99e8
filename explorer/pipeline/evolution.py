"""The evolution view: the same filter session by session — polarisation, bloc gap, and each
session's network (on one stable layout) or matrix (METHODS §10)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from explorer.analysis.agreement import agreement_matrices
from explorer.analysis.evolution import bloc_gap, polarisation
from explorer.analysis.matrix import positions_matrix, side_codes
from explorer.analysis.network import NetworkResult, agreement_graph, conflict_graph
from explorer.errors import stop_if_cancelled
from explorer.pipeline.common import chart_title, filter_caption
from explorer.pipeline.matrix import MatrixRequest, matrix_for
from explorer.pipeline.network import NetworkRequest, network_for
from explorer.pipeline.sides import side_ranks_for
from explorer.store import queries
from explorer.store.columns import position_arrays
from explorer.store.contest_queries import session_of_positions
from explorer.store.contest_records import PositionsMatrix, SessionMeasure
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter, compile_filter, resolve_dataset
from explorer.vocabulary import (
    COLOR_BY,
    COLOR_BY_PLURALS,
    DEFAULT_METRIC,
    DEFAULT_SEED,
    EVOLUTION_WINDOWS,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from explorer.charts.evolution_chart import EvolutionChart
    from explorer.charts.style import Theme

EVOLUTION_TITLE = "Change over time"
EVOLUTION_EMPTY = "No session in the current filters has two actors sharing a question"
WINDOWS = EVOLUTION_WINDOWS
BLOCS = COLOR_BY  # the blocs of the bloc gap: communities or UN regional groups
MAX_PANELS = 9


@dataclass(frozen=True)
class EvolutionRequest:
    """``window``: each session's positions alone, or all positions up to its end (the
    alignment as it stood then). ``blocs``: what the bloc gap compares, fixed for the whole
    filter. ``max_panels``: sessions drawn as small multiples (those with most positions)."""

    window: str = "session"
    blocs: str = COLOR_BY[0]
    metric: str = DEFAULT_METRIC
    min_shared: int = 1
    seed: int = DEFAULT_SEED
    max_panels: int = MAX_PANELS

    def __post_init__(self) -> None:
        if self.window not in WINDOWS:
            raise ValueError(f"unknown window {self.window!r}; choose from {', '.join(WINDOWS)}")
        if self.blocs not in BLOCS:
            raise ValueError(f"unknown blocs {self.blocs!r}; choose from {', '.join(BLOCS)}")


@dataclass
class SessionSlice:
    """One session: its measures, its ties on the union's node ids, its matrix and codes."""

    measure: SessionMeasure
    graph: nx.Graph
    conflicts: nx.Graph
    matrix: PositionsMatrix
    codes: np.ndarray


@dataclass
class EvolutionResult:
    """Every session with two actors sharing a question, in time order."""

    slices: list[SessionSlice]
    union: NetworkResult  # the whole filter: its layout and communities are every session's
    bloc_of: dict[int, str]
    request: EvolutionRequest
    panels: list[int] = field(default_factory=list)  # slices drawn as small multiples
    skipped: int = 0  # sessions with positions but no two actors sharing a question
    row_order: list[int] = field(default_factory=list)  # actor ids, the whole filter's matrix order
    column_order: list[int] = field(default_factory=list)  # question ids, likewise


def evolution_for(db: Database, flt: PositionFilter, request: EvolutionRequest | None = None) -> EvolutionResult:
    request = request or EvolutionRequest()
    union = network_for(
        db, flt, NetworkRequest(metric=request.metric, min_shared=request.min_shared, seed=request.seed)
    )
    attributes = queries.actor_attributes(db, [int(n) for n in union.graph])
    if request.blocs == "region":
        bloc_of = {a: str(attrs.get("un_region") or "No regional group") for a, attrs in attributes.items()}
    else:
        bloc_of = {int(n): f"Community {int(c) + 1}" for n, c in union.graph.nodes(data="community", default=-1)}
    whole = matrix_for(db, flt, MatrixRequest(min_shared=request.min_shared, seed=request.seed))
    ranks = side_ranks_for(db, resolve_dataset(db, flt.dataset))
    arrays = position_arrays(db, flt)
    session_of = session_of_positions(db, compile_filter(db, flt), arrays.position_id)
    slices: list[SessionSlice] = []
    skipped = 0
    seen = np.zeros(len(arrays), dtype=bool)
    for session in queries.list_sessions(db, resolve_dataset(db, flt.dataset)):
        here = session_of == session["id"]
        if session["kind"] == "undated" or not here.any():
            continue
        seen |= here
        part = arrays.take(seen if request.window == "cumulative" else here)
        matrix, choices = positions_matrix(
            part.position_id, part.actor_id, part.question_id, part.option_id, part.stance
        )
        matrices = agreement_matrices(choices, kappa=request.metric == "kappa")
        if not np.triu(matrices.shared > 0, k=1).any():
            skipped += 1
            continue
        value, questions = polarisation(choices)
        within, between, n_within, n_between = bloc_gap(matrices, bloc_of)
        graph = agreement_graph(
            matrices, attributes, choices.positions_per_actor, metric=request.metric, min_shared=request.min_shared
        )
        for node in graph:
            if node in union.graph:
                graph.nodes[node]["community"] = union.graph.nodes[node].get("community")
        measure = SessionMeasure(
            key=str(session["key"]),
            label=str(session["label"]),  # the short label (explorer.labels.session_label)
            start=str(session["start"] or ""),
            positions=len(part),
            actors=choices.n_actors,
            questions=questions,
            polarisation=value,
            within=within,
            between=between,
            within_pairs=n_within,
            between_pairs=n_between,
        )
        conflicts = conflict_graph(matrices, graph, min_shared=request.min_shared)
        slices.append(SessionSlice(measure, graph, conflicts, matrix, side_codes(matrix, ranks)))
    biggest = sorted(range(len(slices)), key=lambda i: (-slices[i].measure.positions, i))[: request.max_panels]
    return EvolutionResult(
        slices,
        union,
        bloc_of,
        request,
        sorted(biggest),
        skipped,
        whole.matrix.actor_ids.tolist(),
        whole.matrix.question_ids.tolist(),
    )


def evolution_caption(db: Database, flt: PositionFilter, result: EvolutionRequest) -> str:
    window = "each session's positions" if result.window == "session" else "all positions up to each session's end"
    extra = (
        f"{window}; P = balance of sides (Reynal-Querol), Δ = agreement within − between "
        f"{COLOR_BY_PLURALS[result.blocs]} of the whole filter; "
        "one layout for every session"
    )
    return filter_caption(db, flt, metric=result.metric, seed=result.seed, extra=extra)


@dataclass(frozen=True)
class EvolutionContent:
    """What the evolution view of a filter shows, decided before anything is drawn (the view
    switches between networks and matrices without recomputing)."""

    result: EvolutionResult
    title: str
    caption: str

    @property
    def status(self) -> str:
        """The line under the chart (and what the CLI reports)."""
        slices = self.result.slices
        if not slices:
            return f"{EVOLUTION_EMPTY}."
        first, last = slices[0].measure, slices[-1].measure
        text = (
            f"{len(slices)} session(s) with two actors sharing a question; polarisation P "
            f"{_number(first.polarisation)} in {first.label}, {_number(last.polarisation)} in {last.label}"
        )
        defined = [s.measure for s in slices if np.isfinite(s.measure.polarisation)]
        if len(defined) > 2:
            top = max(defined, key=lambda m: m.polarisation)
            text += f", highest {_number(top.polarisation)} in {top.label}"
        text += f"; bloc gap Δ {_number(first.gap)} in {first.label}, {_number(last.gap)} in {last.label}."
        if len(self.result.panels) < len(slices):
            text += f" Small multiples: the {len(self.result.panels)} sessions with most positions."
        if self.result.skipped:
            text += f" {self.result.skipped} session(s) without two actors sharing a question left out."
        return text


def _number(value: float) -> str:
    return f"{value:.2f}" if np.isfinite(value) else "–"


def evolution_content(
    db: Database,
    flt: PositionFilter | CompiledFilter,
    request: EvolutionRequest | None = None,
    *,
    cancel: Callable[[], bool] | None = None,
) -> EvolutionContent:
    plain = flt.filter if isinstance(flt, CompiledFilter) else flt
    request = request or EvolutionRequest()
    result = evolution_for(db, plain, request)
    stop_if_cancelled(cancel)
    return EvolutionContent(result, chart_title(db, plain, EVOLUTION_TITLE), evolution_caption(db, plain, request))


def draw_evolution(
    content: EvolutionContent, *, view: str = "network", theme: Theme | None = None, figure: Figure | None = None
) -> EvolutionChart:
    """Measures per session, then small multiples of each session's network
    (``view="network"``) or matrix (``view="matrix"``)."""
    from explorer.charts.evolution_chart import EvolutionPanel, build_evolution_chart
    from explorer.charts.style import LIGHT

    result = content.result
    panels = [
        EvolutionPanel(s.measure.key, s.measure.label, s.measure, s.graph, s.conflicts, s.matrix, s.codes)
        for s in (result.slices[i] for i in result.panels)
    ]
    return build_evolution_chart(
        [s.measure for s in result.slices],
        panels,
        result.union.pos,
        bloc_label=COLOR_BY_PLURALS[result.request.blocs],
        title=content.title,
        caption=content.caption,
        view=view,
        theme=theme or LIGHT,
        figure=figure,
        row_order=result.row_order,
        column_order=result.column_order,
        empty_message=EVOLUTION_EMPTY,
    )


def evolution_chart_for(
    db: Database,
    flt: PositionFilter,
    request: EvolutionRequest | None = None,
    *,
    view: str = "network",
    theme: Theme | None = None,
    figure: Figure | None = None,
) -> tuple[EvolutionResult, EvolutionChart]:
    """Compute and draw the evolution of ``flt`` (what ``export-chart --kind evolution`` saves)."""
    content = evolution_content(db, flt, request)
    return content.result, draw_evolution(content, view=view, theme=theme, figure=figure)


def describe_node(content: EvolutionContent, session_key: str, node: str) -> str:
    """What hovering an actor in one session's panel shows: who, that session, its bloc."""
    result = content.result
    piece = next((s for s in result.slices if s.measure.key == session_key), None)
    attrs = piece.graph.nodes[node] if piece is not None and node in piece.graph else {}
    name = attrs.get("label") or result.union.graph.nodes.get(node, {}).get("label", node)
    lines = [str(name)]
    if piece is not None:
        lines.append(f"{piece.measure.label}: {attrs.get('positions', 0)} position(s)")
    bloc = result.bloc_of.get(int(node)) if node.isdigit() else None
    if bloc:
        lines.append(f"bloc: {bloc}")
    return "\n".join(lines)
