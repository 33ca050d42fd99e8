"""Agreement networks: actors as nodes, agreement as weighted edges, seeded communities and layout.

Louvain and the spring layout are random; the seed is part of every result (and of every
export's caption) so the same filter and seed always give the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np

from explorer.analysis.agreement import AgreementMatrices
from explorer.analysis.pairs import conflict_pairs, network_summary
from explorer.vocabulary import DEFAULT_SEED


@dataclass
class NetworkResult:
    graph: nx.Graph
    pos: dict[str, tuple[float, float]]
    metric: str
    seed: int
    min_shared: int
    min_weight: float
    communities: list[set[str]] = field(default_factory=list)
    # Conflict ties (METHODS §5) on the same node ids: never used for communities or layout.
    conflicts: nx.Graph = field(default_factory=nx.Graph)
    summary: str = ""  # what the filter holds, in words (for empty states and two-actor views)


def agreement_graph(
    matrices: AgreementMatrices,
    actors: dict[int, dict[str, Any]],
    positions_per_actor: np.ndarray,
    *,
    metric: str = "agreement",
    min_shared: int = 1,
    min_weight: float = 0.0,
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
            str(actor_id),
            label=attrs.get("name", str(actor_id)),
            key=attrs.get("key", ""),
            kind=attrs.get("kind", ""),
            un_region=attrs.get("un_region", "") or "",
            short_label=attrs.get("short_name") or attrs.get("name", str(actor_id)),
            positions=int(positions_per_actor[index]),
        )
    threshold = max(min_weight, 0.0)
    with np.errstate(invalid="ignore"):
        mask = (matrices.shared >= max(min_shared, 1)) & (values > threshold)
    rows, cols = np.nonzero(np.triu(mask, k=1))
    graph.add_edges_from(
        (str(ids[i]), str(ids[j]), {"weight": float(values[i, j]), **pair_attributes(matrices, i, j)})
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
    )
    return graph


def pair_attributes(matrices: AgreementMatrices, i: int, j: int) -> dict[str, float]:
    """The numbers every tie carries (and every export keeps); kappa only where defined."""
    attrs = {
        "shared": int(matrices.shared[i, j]),
        "agreement": float(matrices.agreement[i, j]),
        "congruence": int(matrices.congruence[i, j]),
        "conflict": int(matrices.conflict[i, j]),
    }
    if matrices.kappa is not None and np.isfinite(matrices.kappa[i, j]):
        attrs["kappa"] = float(matrices.kappa[i, j])
    return attrs


def conflict_graph(matrices: AgreementMatrices, graph: nx.Graph, *, min_shared: int = 1) -> nx.Graph:
    """Conflict ties between the nodes of ``graph``: pairs sharing ≥ ``min_shared`` questions
    who differed on more of them than they agreed on, weighted by ``conflict / shared``."""
    conflicts = nx.Graph()
    conflicts.add_nodes_from(graph)
    ids = [str(int(a)) for a in matrices.actor_ids]
    rows, cols = np.nonzero(np.triu(conflict_pairs(matrices, min_shared=min_shared), k=1))
    conflicts.add_edges_from(
        (
            ids[i],
            ids[j],
            {"weight": float(matrices.conflict[i, j] / matrices.shared[i, j]), **pair_attributes(matrices, i, j)},
        )
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
        if ids[i] in graph and ids[j] in graph
    )
    return conflicts


def describe_network(graph: nx.Graph, matrices: AgreementMatrices, *, min_shared: int = 1) -> str:
    """:func:`~explorer.analysis.pairs.network_summary` for the nodes of ``graph``."""
    index = {str(int(a)): i for i, a in enumerate(matrices.actor_ids)}
    nodes = sorted((n for n in graph if n in index), key=_node_sort_key)
    at = np.array([index[n] for n in nodes], dtype=np.int64)
    pick = np.ix_(at, at)
    return network_summary(
        [str(graph.nodes[n].get("label", n)) for n in nodes],
        matrices.shared[pick],
        matrices.congruence[pick],
        matrices.conflict[pick],
        min_shared=min_shared,
    )


def detect_communities(graph: nx.Graph, seed: int = DEFAULT_SEED, backbone: nx.Graph | None = None) -> list[set[str]]:
    """Seeded Louvain communities, numbered by size (largest first) then by smallest node id,
    so numbering is stable; isolated nodes form their own communities. Dense graphs are
    partitioned on their backbone (see ``_backbone``): on a near-complete graph full-weight
    modularity is nearly flat, and Louvain takes a second per 20,000 edges."""
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(backbone or _backbone(graph), weight="weight", seed=seed)
    ordered = sorted(found, key=lambda c: (-len(c), min(c, key=_node_sort_key)))
    for number, members in enumerate(ordered):
        for node in members:
            graph.nodes[node]["community"] = number
    return ordered


def compute_layout(
    graph: nx.Graph,
    seed: int = DEFAULT_SEED,
    previous: dict[str, tuple[float, float]] | None = None,
    backbone: nx.Graph | None = None,
) -> dict[str, tuple[float, float]]:
    """Seeded spring layout of the backbone, one connected component at a time, packed in rows
    (largest first, isolated actors in a row beneath), so a few isolated actors cannot squash the
    main group into a corner and blocs that only the backbone separates (a roll call of 193
    states in four camps) each get room to show their members. Nodes already placed start from
    their previous position so the picture does not jump when the filter changes."""
    if graph.number_of_nodes() == 0:
        return {}
    backbone = backbone or _backbone(graph)
    components = sorted(nx.connected_components(backbone), key=lambda c: (-len(c), min(c, key=_node_sort_key)))
    groups = [sorted(c, key=_node_sort_key) for c in components if len(c) > 1]
    isolated = sorted((n for c in components if len(c) == 1 for n in c), key=_node_sort_key)
    pos: dict[str, tuple[float, float]] = {}
    sizes = [float(np.sqrt(len(nodes))) for nodes in groups]  # area grows with the number of actors
    row_width = max([*sizes, float(np.sqrt(sum(s * s for s in sizes))) * 1.4, 1.0])
    x_cursor = y_cursor = row_height = width = 0.0
    for nodes, size in zip(groups, sizes, strict=True):
        if x_cursor > 0 and x_cursor + size > row_width + 1e-9:  # next row, below
            y_cursor -= row_height + 0.6
            x_cursor = row_height = 0.0
        local = _spring(backbone.subgraph(nodes), seed, previous)
        for node, (x, y) in local.items():
            pos[node] = (x_cursor + size * (x + 1) / 2, y_cursor - size * (1 - y) / 2)
        width = max(width, x_cursor + size)
        x_cursor += size + 0.6
        row_height = max(row_height, size)
    per_row = max(int(np.ceil(max(width, 1.0) / 0.6)), 1)
    below = y_cursor - row_height - 0.8 if groups else 0.0
    for index, node in enumerate(isolated):
        row, col = divmod(index, per_row)
        pos[node] = (col * 0.6, below - 0.6 * row)
    return pos


def _spring(
    graph: nx.Graph, seed: int, previous: dict[str, tuple[float, float]] | None
) -> dict[str, tuple[float, float]]:
    """Spring layout of one component scaled to [-1, 1]²."""
    n = graph.number_of_nodes()
    initial = None
    if previous and any(node in previous for node in graph):
        rng = np.random.default_rng(seed)
        initial = {
            node: np.asarray(previous[node], dtype=float) if node in previous else rng.uniform(-1, 1, 2)
            for node in graph
        }
    raw = nx.spring_layout(
        graph, weight="weight", seed=seed, pos=initial, iterations=50 if initial is None else 30, k=2.0 / np.sqrt(n)
    )
    coords = np.array([raw[node] for node in graph], dtype=float)
    low, high = coords.min(axis=0), coords.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    scaled = (coords - low) / span * 2 - 1
    return {node: (float(x), float(y)) for node, (x, y) in zip(graph, scaled, strict=True)}


BACKBONE_NEIGHBOURS = 10
# A network with more actors than this, and more than BACKBONE_NEIGHBOURS ties per actor, is drawn
# as its backbone by default: 193 states joined by 18,000 ties draw as a grey band (issue #14).
DENSE_NODES = 60
DRAWN_CONFLICTS = 1  # in a drawn backbone, each actor's strongest conflict tie(s)


def _backbone(graph: nx.Graph) -> nx.Graph:
    """Each actor's strongest ``BACKBONE_NEIGHBOURS`` ties (a k-nearest-neighbour backbone),
    used for layout and communities once a graph has more than k edges per node. A
    near-complete agreement graph (every pair shares a vote) otherwise lays out as one
    hairball and takes about a second per 20,000 edges to lay out and partition."""
    n = graph.number_of_nodes()
    if graph.number_of_edges() <= n * BACKBONE_NEIGHBOURS:
        return graph
    backbone = nx.Graph()
    backbone.add_nodes_from(graph)
    backbone.add_weighted_edges_from((a, b, graph[a][b]["weight"]) for a, b in _strongest_ties(graph))
    return backbone


def _strongest_ties(graph: nx.Graph, k: int = BACKBONE_NEIGHBOURS) -> list[tuple[str, str]]:
    """The union of each node's ``k`` heaviest ties (ties: the other node's id), sorted."""
    keep: set[tuple[str, str]] = set()
    for node in graph:
        ties = sorted(graph[node].items(), key=lambda item: (-item[1]["weight"], item[0]))
        keep.update((min(node, other), max(node, other)) for other, _ in ties[:k])
    return sorted(keep)


def is_dense(graph: nx.Graph) -> bool:
    """Too many actors and ties to draw every tie legibly (see DENSE_NODES)."""
    n = graph.number_of_nodes()
    return bool(n > DENSE_NODES and graph.number_of_edges() > n * BACKBONE_NEIGHBOURS)


def backbone_of(graph: nx.Graph, k: int = BACKBONE_NEIGHBOURS) -> nx.Graph:
    """The same actors, with their attributes, and only each actor's ``k`` strongest ties with
    theirs (the backbone the layout and the communities rest on, for drawing)."""
    kept = nx.Graph()
    kept.graph.update(graph.graph)
    kept.add_nodes_from(graph.nodes(data=True))
    kept.add_edges_from((a, b, graph[a][b]) for a, b in _strongest_ties(graph, k))
    return kept


def central_actors(graph: nx.Graph) -> list[str]:
    """Nodes from the most central: by the summed weight of their ties (in a backbone, the
    actors many others count among their closest), then positions, then id."""
    strength = dict(graph.degree(weight="weight"))
    return sorted(
        graph, key=lambda n: (-strength.get(n, 0.0), -int(graph.nodes[n].get("positions") or 0), _node_sort_key(n))
    )


def build_network(
    matrices: AgreementMatrices,
    actors: dict[int, dict[str, Any]],
    positions_per_actor: np.ndarray,
    *,
    metric: str = "agreement",
    min_shared: int = 1,
    min_weight: float = 0.0,
    seed: int = DEFAULT_SEED,
    previous_pos: dict[str, tuple[float, float]] | None = None,
    focus: str | None = None,
) -> NetworkResult:
    """The agreement network and its conflict ties; with ``focus`` (a node id), only that actor
    and those tied to it by agreement or conflict (its ego network), the focus node marked
    ``focus=True``."""
    graph = agreement_graph(
        matrices, actors, positions_per_actor, metric=metric, min_shared=min_shared, min_weight=min_weight
    )
    conflicts = conflict_graph(matrices, graph, min_shared=min_shared)
    if focus is not None and focus in graph:
        keep = [focus, *graph.neighbors(focus), *conflicts.neighbors(focus)]
        graph = graph.subgraph(keep).copy()
        conflicts = conflicts.subgraph(keep).copy()
        graph.nodes[focus]["focus"] = True
        graph.graph["focus"] = graph.nodes[focus]["label"]
    graph.graph["seed"] = seed
    backbone = _backbone(graph)
    communities = detect_communities(graph, seed, backbone)
    pos = compute_layout(graph, seed, previous_pos, backbone)
    summary = describe_network(graph, matrices, min_shared=min_shared)
    return NetworkResult(graph, pos, metric, seed, min_shared, min_weight, communities, conflicts, summary)


def _node_sort_key(node: str) -> tuple[int, int | str]:
    return (0, int(node)) if node.isdigit() else (1, node)
