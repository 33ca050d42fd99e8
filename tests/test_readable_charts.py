"""Charts a newcomer can read (issue #14): timeline rows by short name with the full name on hover,
markers of one day stacked so each is hit, option labels that never overlap; dense networks
drawn as their backbone with the most central actors named, the full network in the exports."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import networkx as nx
import pytest
from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg

from bench.contest_data import generate_contest
from bench.generate import apply_actor_registry
from explorer.analysis.network import (
    BACKBONE_NEIGHBOURS,
    DRAWN_CONFLICTS,
    backbone_of,
    central_actors,
    compute_layout,
    is_dense,
)
from explorer.analysis.network_files import write_network
from explorer.charts.style import MUTED_GID
from explorer.charts.timeline_chart import build_timeline_chart
from explorer.ingest.importer import import_file
from explorer.pipeline.network import BACKBONE_LABELS, draw_network, network_content
from explorer.store.filters import PositionFilter
from explorer.store.records import TimelinePoint

D = dt.date
EU = "European Union and its Member States"


def point(pid: int, actor: str, day: dt.date, stance: str = "support", option: str = "", **extra) -> TimelinePoint:
    return TimelinePoint(pid, actor, day, stance, "", question="q", option=option, **extra)


def drawn(chart):
    canvas = FigureCanvasAgg(chart.figure)
    canvas.draw()
    return canvas


# -- timeline --------------------------------------------------------------------------------------
def test_rows_show_short_names_and_hovering_a_row_label_gives_the_full_name():
    points = [point(1, EU, D(2024, 8, 1), actor_label="EU"), point(2, "Russian Federation", D(2024, 8, 2))]
    chart = build_timeline_chart(points, [], title="t", caption="c")
    canvas = drawn(chart)
    assert [t.get_text() for t in chart.axes.get_yticklabels()] == ["EU", "Russian Federation"]
    assert chart.actors == [EU, "Russian Federation"]  # the rows are still the actors
    label = chart.axes.get_yticklabels()[0].get_window_extent()
    at_label = MouseEvent("motion_notify_event", canvas, (label.x0 + label.x1) / 2, (label.y0 + label.y1) / 2)
    assert chart.row_name_at(at_label) == EU
    centre = chart.axes.transAxes.transform((0.5, 0.5))
    assert chart.row_name_at(MouseEvent("motion_notify_event", canvas, *centre)) is None  # inside the plot


@pytest.mark.parametrize("n", [2, 6, 14])
def test_markers_of_one_day_are_stacked_so_each_is_hit(n):
    """n positions of one actor on one day (stances cycling), and a second actor: hovering the
    centre of each marker finds that marker's position, whatever the stack."""
    stances = itertools.cycle(["support", "oppose", "amend", "neutral", "reserve"])
    points = [point(i, "Busy", D(2024, 8, 8), next(stances), option=f"o{i % 3}") for i in range(1, n + 1)]
    points.append(point(99, "Quiet", D(2024, 8, 8)))
    chart = build_timeline_chart(points, [], title="t", caption="c")
    canvas = drawn(chart)
    found = {}
    for artist, ids in chart.points_by_artist:
        for (x, y), pid in zip(chart.axes.transData.transform(artist.get_offsets()), ids, strict=True):
            found[pid] = chart.hit(MouseEvent("motion_notify_event", canvas, x, y))
    assert found == {p.position_id: p.position_id for p in points}
    centres = [
        xy for artist, _ in chart.points_by_artist for xy in chart.axes.transData.transform(artist.get_offsets())
    ]
    diameter = max(math.sqrt(a.get_sizes()[0]) for a, _ in chart.points_by_artist) * chart.figure.dpi / 72
    for a, b in itertools.combinations(centres, 2):  # no marker covers another's centre: each can be pointed at
        assert math.dist(a, b) >= diameter * 0.99


def test_option_labels_never_cover_each_other():
    """Article 6 at the reconvened session: 20 delegations, each with four positions on one day
    naming two options, on an axis that spans the negotiation (a day is a fraction of a point)."""
    actors = [f"Delegation {i:02d}" for i in range(20)]
    points = [
        point(i * 4 + j, actor, D(2024, 8, 8), option=("keep-list", "general-reference")[j % 2])
        for i, actor in enumerate(actors)
        for j in range(4)
    ]
    points[0] = point(0, actors[0], D(2021, 5, 10), option="keep-list")  # the axis starts in 2021
    chart = build_timeline_chart(points, [], title="t", caption="c")
    canvas = drawn(chart)
    boxes = [t.get_window_extent(canvas.get_renderer()) for t in chart.axes.texts if t.get_gid() == MUTED_GID]
    assert len(boxes) >= 2  # options are named where they fit
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


# -- dense networks: the rules ---------------------------------------------------------------------
def two_blocs(size: int) -> nx.Graph:
    """Two blocs whose members agree 0.9 within and 0.3 across: dense, every pair tied."""
    graph = nx.Graph()
    nodes = [str(i) for i in range(2 * size)]
    for n in nodes:
        graph.add_node(n, label=f"State {n}", positions=10)
    for a, b in itertools.combinations(nodes, 2):
        same = (int(a) < size) == (int(b) < size)
        graph.add_edge(a, b, weight=0.9 if same else 0.3)
    return graph


def test_backbone_keeps_each_actors_strongest_ties_and_the_attributes():
    graph = two_blocs(40)
    assert is_dense(graph) and not is_dense(two_blocs(10))  # 20 actors: drawn in full
    kept = backbone_of(graph)
    assert set(kept.nodes) == set(graph.nodes) and kept.nodes["3"]["label"] == "State 3"
    assert all(d >= BACKBONE_NEIGHBOURS for _, d in kept.degree())
    assert kept.number_of_edges() <= graph.number_of_nodes() * BACKBONE_NEIGHBOURS
    assert all(w == 0.9 for _, _, w in kept.edges(data="weight"))  # within blocs only
    hub = nx.star_graph(5)
    nx.set_edge_attributes(hub, 1.0, "weight")
    assert central_actors(nx.relabel_nodes(hub, str))[0] == "0"


def test_blocs_that_only_the_backbone_separates_each_get_room():
    """The layout packs the backbone's components: each bloc spreads over its own area instead
    of collapsing into a clump far from the other (issue #14: 'two clumps over a grey band')."""
    graph = two_blocs(40)
    pos = compute_layout(graph, seed=1)
    xs = {b: [pos[str(i)][0] for i in range(40 * b, 40 * (b + 1))] for b in (0, 1)}
    ys = {b: [pos[str(i)][1] for i in range(40 * b, 40 * (b + 1))] for b in (0, 1)}
    spans = [max(xs[b]) - min(xs[b]) + max(ys[b]) - min(ys[b]) for b in (0, 1)]
    whole = max(max(xs[0] + xs[1]) - min(xs[0] + xs[1]), max(ys[0] + ys[1]) - min(ys[0] + ys[1]))
    assert min(spans) > 0.5 * whole  # each bloc is a good part of the picture, not a dot
    assert max(xs[0]) < min(xs[1]) or max(ys[1]) < min(ys[0])  # and the blocs do not overlap
    assert pos == compute_layout(graph, seed=1)  # seeded


# -- dense networks: a 193-state roll call -------------------------------------------------------
@pytest.fixture(scope="module")
def rollcall(tmp_path_factory):
    from explorer.store.database import open_database

    folder = tmp_path_factory.mktemp("rollcall")
    csv = folder / "rollcall.csv"
    _, states = generate_contest(csv, shape="rollcall", actors=193, questions=40, seed=1)
    db = open_database(folder / "rc.sqlite")
    import_file(db, csv, "rollcall")
    apply_actor_registry(db, "rollcall", states)
    yield db
    db.close()


@pytest.mark.slow  # a few seconds: a 193 × 40 roll call, its network and a GraphML of 20,000 ties
def test_a_193_state_roll_call_draws_at_most_the_backbone(rollcall, tmp_path):
    content = network_content(rollcall, PositionFilter(dataset="rollcall"))
    graph, conflicts = content.result.graph, content.result.conflicts
    assert graph.number_of_nodes() == 193 and is_dense(graph)
    chart = draw_network(content)
    n_drawn = len(chart.edge_artist.get_segments())
    assert n_drawn <= backbone_of(graph).number_of_edges() <= 193 * BACKBONE_NEIGHBOURS < graph.number_of_edges()
    assert len(chart.conflict_ties) <= backbone_of(conflicts, DRAWN_CONFLICTS).number_of_edges() <= 193
    assert 10 <= len(chart.labelled) <= BACKBONE_LABELS
    central = set(central_actors(backbone_of(graph))[:BACKBONE_LABELS])
    assert set(chart.labelled) <= central  # the names drawn are the most central actors
    caption = " ".join(t.get_text() for t in chart.figure.texts)
    assert "Backbone drawn" in caption and "every tie" in content.status
    # every tie one switch away, and in every export
    full = network_content(rollcall, PositionFilter(dataset="rollcall"), all_ties=True)
    assert full.drawn().graph is full.result.graph and full.drawn().note == ""
    assert "Backbone" not in full.status
    out = write_network(content.result, tmp_path / "rollcall.graphml")
    written = nx.read_graphml(out)
    assert written.number_of_nodes() == 193
    ties = {frozenset(e) for e in graph.edges} | {frozenset(e) for e in conflicts.edges}
    assert {frozenset(e) for e in written.edges} == ties  # every tie, not the backbone


def test_the_backbone_is_computed_once_for_the_chart_and_its_status_line(rollcall, monkeypatch):
    """The window reads the status on its GUI thread after a worker drew the chart: it must not
    compute the backbone of 18,000 ties again there (issue #13, 16 ms)."""
    from explorer.pipeline import network as network_pipeline

    content = network_content(rollcall, PositionFilter(dataset="rollcall"))
    computed = []
    real = network_pipeline.backbone_of
    monkeypatch.setattr(network_pipeline, "backbone_of", lambda *args: computed.append(args[1:]) or real(*args))
    draw_network(content)
    assert computed == [(), (DRAWN_CONFLICTS,)]  # the ties' backbone, then the conflicts'
    assert "Backbone drawn" in content.status and content.drawn() is content.drawn()
    assert computed == [(), (DRAWN_CONFLICTS,)]  # nothing computed again


def test_node_labels_are_short_names(rollcall):
    rollcall.execute(
        "UPDATE actors SET name = 'The Plurinational Republic of Aaa' WHERE iso3 = (SELECT min(iso3) FROM actors)"
    )
    content = network_content(rollcall, PositionFilter(dataset="rollcall"), all_ties=True)
    node = next(n for n, attrs in content.result.graph.nodes(data=True) if attrs["label"].startswith("The Pluri"))
    assert (
        content.result.graph.nodes[node]["short_label"]
        == rollcall.execute("SELECT iso3 FROM actors WHERE name LIKE 'The Pluri%'").fetchone()[0]
    )
