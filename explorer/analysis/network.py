"""Agreement networks: actors as nodes, agreement as weighted edges, seeded communities and layout.

Louvain and the spring layout are random; the seed is part of every result (and of every
export's caption) so the same filter and seed always give the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from explorer.analysis.agreement import AgreementMatrices

DEFAULT_SEED = 42


@dataclass
class NetworkResult:
    graph: nx.Graph
    pos: dict[str, tuple[float, float]]
    metric: str
    seed: int
    min_shared: int
    min_weight: float
    communities: list[set[str]] = field(default_factory=list)


def agreement_graph(
    matrices: AgreementMatrices, actors: dict[int, dict], positions_per_actor: np.ndarray, *,
    metric: str = "agreement", min_shared: int = 1, min_weight: float = 0.0,
) -> nx.Graph:
    """Every actor of the filter is a node (keyed by its id as text); an edge joins two actors
    who share at least ``min_shared`` questions and whose metric value exceeds ``min_weight``
    (never ≤ 0: Louvain needs positive weights)."""
    values = matrices.metric(metric)
    graph = nx.Graph(metric=metric, min_shared=min_shared, min_weight=min_weight)
    ids = [int(a) for a in matrices.actor_ids]
    for index, actor_id in enumerate(ids):
        attrs = actors.get(actor_id, {})
        graph.add_node(
            str(actor_id), label=attrs.get("name", str(actor_id)), key=attrs.get("key", ""),
            kind=attrs.get("kind", ""), un_region=attrs.get("un_region", "") or "",
            positions=int(positions_per_actor[index]),
        )
    threshold = max(min_weight, 0.0)
    with np.errstate(invalid="ignore"):
        mask = (matrices.shared >= max(min_shared, 1)) & (values > threshold)
    rows, cols = np.nonzero(np.triu(mask, k=1))
    graph.add_edges_from(
        (str(ids[i]), str(ids[j]), {
            "weight": float(values[i, j]), "shared": int(matrices.shared[i, j]),
            "agreement": float(matrices.agreement[i, j]),
            "congruence": int(matrices.congruence[i, j]), "conflict": int(matrices.conflict[i, j]),
        })
        for i, j in zip(rows.tolist(), cols.tolist())
    )
    return graph


def detect_communities(graph: nx.Graph, seed: int = DEFAULT_SEED) -> list[set[str]]:
    """Seeded Louvain communities, numbered by size (largest first) then by smallest node id,
    so numbering is stable; isolated nodes form their own communities."""
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    ordered = sorted(found, key=lambda c: (-len(c), min(c, key=_node_sort_key)))
    for number, members in enumerate(ordered):
        for node in members:
            graph.nodes[node]["community"] = number
    return ordered


def compute_layout(
    graph: nx.Graph, seed: int = DEFAULT_SEED, previous: dict[str, tuple[float, float]] | None = None,
) -> dict[str, tuple[float, float]]:
    """Seeded spring layout; nodes already placed start from their previous position so the
    picture does not jump when the filter changes."""
    if graph.number_of_nodes() == 0:
        return {}
    initial = None
    if previous:
        rng = np.random.default_rng(seed)
        initial = {n: np.asarray(previous[n]) if n in previous else rng.uniform(-1, 1, 2) for n in graph}
    iterations = 50 if initial is None else 30
    pos = nx.spring_layout(graph, weight="weight", seed=seed, pos=initial, iterations=iterations,
                           k=1.5 / np.sqrt(max(graph.number_of_nodes(), 1)))
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def build_network(
    matrices: AgreementMatrices, actors: dict[int, dict], positions_per_actor: np.ndarray, *,
    metric: str = "agreement", min_shared: int = 1, min_weight: float = 0.0, seed: int = DEFAULT_SEED,
    previous_pos: dict[str, tuple[float, float]] | None = None,
) -> NetworkResult:
    graph = agreement_graph(matrices, actors, positions_per_actor, metric=metric,
                            min_shared=min_shared, min_weight=min_weight)
    graph.graph["seed"] = seed
    communities = detect_communities(graph, seed)
    pos = compute_layout(graph, seed, previous_pos)
    return NetworkResult(graph, pos, metric, seed, min_shared, min_weight, communities)


def _node_sort_key(node: str):
    return (0, int(node)) if node.isdigit() else (1, node)
