"""Write an agreement network as GraphML, GEXF (both open in Gephi) or a CSV edge list."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx

from explorer.analysis.network import NetworkResult
from explorer.csv_cells import FormulaSafeWriter
from explorer.errors import ExportError
from explorer.files import atomic_output

NETWORK_FORMATS = (".graphml", ".gexf", ".csv")


def gephi_ready(result: NetworkResult) -> nx.Graph:
    """A copy whose attributes GraphML/GEXF accept: no None, lists/dicts as JSON, layout as x/y,
    and the seed and metric as graph attributes. Every tie is one edge with all its numbers and
    ``tie`` = ``agreement``, ``conflict`` or ``both``; a conflict-only tie has weight 0 (layouts
    in Gephi would push apart on a negative one)."""
    graph = nx.Graph()
    graph.graph.update({k: _plain(v) for k, v in result.graph.graph.items() if v is not None})
    graph.graph.update(metric=result.metric, seed=result.seed, min_shared=result.min_shared)
    for node, attrs in result.graph.nodes(data=True):
        clean = {k: _plain(v) for k, v in attrs.items() if v is not None}
        if node in result.pos:
            clean["x"], clean["y"] = (float(c) for c in result.pos[node])
        graph.add_node(str(node), **clean)
    for a, b, attrs, tie in ties(result):
        graph.add_edge(str(a), str(b), **{k: _plain(v) for k, v in attrs.items() if v is not None}, tie=tie)
    return graph


def ties(result: NetworkResult) -> list[tuple[str, str, dict[str, object], str]]:
    """Agreement edges and conflict ties as one list of ``(a, b, attributes, tie)``; a pair with
    both is listed once, as ``both``, with its agreement weight."""
    out = []
    for a, b, attrs in result.graph.edges(data=True):
        both = result.conflicts.has_edge(a, b)
        out.append((a, b, dict(attrs), "both" if both else "agreement"))
    for a, b, attrs in result.conflicts.edges(data=True):
        if not result.graph.has_edge(a, b):
            out.append((a, b, {**attrs, "weight": 0.0}, "conflict"))
    return out


def _plain(value: object) -> object:
    if isinstance(value, (list, tuple, dict, set)):
        return json.dumps(sorted(value) if isinstance(value, set) else value, ensure_ascii=False)
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def write_network(result: NetworkResult, out: str | Path) -> Path:
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in NETWORK_FORMATS:
        raise ExportError(f"cannot write {out}: use one of {', '.join(NETWORK_FORMATS)}")
    with atomic_output(out) as temp:
        if suffix == ".csv":
            labels = nx.get_node_attributes(result.graph, "label")
            with temp.open("w", encoding="utf-8", newline="") as handle:
                writer = FormulaSafeWriter(handle)  # RFC 4180 CRLF rows
                writer.writerow(["source", "target", "weight", "shared", "tie"])
                for a, b, attrs, tie in sorted(ties(result), key=lambda e: (labels[e[0]], labels[e[1]])):
                    writer.writerow([labels[a], labels[b], f"{float(str(attrs['weight'])):.6g}", attrs["shared"], tie])
        elif suffix == ".graphml":
            nx.write_graphml(gephi_ready(result), temp)
        else:
            nx.write_gexf(gephi_ready(result), temp)
    return out
