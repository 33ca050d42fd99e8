"""Chart builders and export, headless: what is drawn, how picks map back, how files are written."""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import ast
import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib.dates as mdates
import matplotlib.image as mpimg
import networkx as nx
import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.markers import MarkerStyle

from explorer.charts.export import EXPORT_FORMATS, caption_text, save_figure
from explorer.charts.network_chart import EMPTY_MESSAGE as NO_EDGES
from explorer.charts.network_chart import build_network_chart
from explorer.charts.side_style import side_marker
from explorer.charts.style import CATEGORY_COLOURS, DARK, LIGHT, STANCE_STYLE
from explorer.charts.timeline_chart import EMPTY_MESSAGE as NO_POSITIONS
from explorer.charts.timeline_chart import build_timeline_chart
from explorer.errors import ExportError
from explorer.store.records import SessionSpan, TimelinePoint
from explorer.vocabulary import STANCES

CHARTS = Path(__file__).resolve().parents[1] / "explorer" / "charts"
D = dt.date
SESSIONS = [
    SessionSpan("s1", "First session", D(2022, 2, 28), D(2022, 3, 11)),
    SessionSpan("s2", "Second session", D(2022, 5, 30), D(2022, 6, 10)),
    SessionSpan("s3", "Third session", D(2022, 8, 29), D(2022, 9, 9)),
    SessionSpan("later", "Concluding session", D(2024, 1, 29), D(2024, 2, 9)),
]


def make_points(n_actors: int) -> list[TimelinePoint]:
    """Actor i has i % 4 + 1 positions, stances cycling through STANCES, in sessions s1–s3."""
    points, pid = [], 100
    for i in range(n_actors):
        for j in range(i % 4 + 1):
            session = SESSIONS[j % 3]
            points.append(
                TimelinePoint(
                    pid,
                    f"Actor {i:03d}",
                    session.start + dt.timedelta(days=i % 9),
                    STANCES[pid % len(STANCES)],
                    f"summary {pid}",
                )
            )
            pid += 1
    return points


def marker_vertices(marker: str) -> np.ndarray:
    style = MarkerStyle(marker)
    return style.get_path().transformed(style.get_transform()).vertices


# --- timeline -------------------------------------------------------------------------------


@pytest.mark.parametrize("n_actors", [5, 150])
def test_timeline_has_one_layer_per_stance_with_its_points_and_marker(n_actors):
    points = make_points(n_actors)
    chart = build_timeline_chart(points, SESSIONS, title="Positions", caption="cap")

    assert len(chart.actors) == n_actors
    expected = {s: sum(p.stance == s for p in points) for s in STANCES}
    drawn = {}
    for artist, ids in chart.points_by_artist:
        stance = artist.get_gid().removeprefix("stance-")
        drawn[stance] = len(artist.get_offsets())
        assert len(ids) == len(artist.get_offsets())
        style = STANCE_STYLE[stance]
        assert np.allclose(artist.get_paths()[0].vertices, marker_vertices(style.marker))
        # colour is the side (every point backs or opposes the most backed option, rank 0):
        # filled when backing it, hollow in its colour when against it, grey when abstaining
        face, edge, _ = side_marker(0, stance, LIGHT)
        assert np.allclose(artist.get_facecolors()[0], to_rgba(face))
        assert np.allclose(artist.get_edgecolors()[0], to_rgba(edge))
    assert drawn == {s: n for s, n in expected.items() if n}
    assert len({STANCE_STYLE[s].marker for s in STANCES}) == len(STANCES)


def test_timeline_new_figure_labels_every_actor_readably():
    for n in (5, 150):
        chart = build_timeline_chart(make_points(n), SESSIONS, title="t", caption="c")
        labels = chart.axes.get_yticklabels()
        assert [t.get_text() for t in labels] == chart.actors
        assert labels[0].get_fontsize() >= 6


def test_timeline_in_small_figure_shrinks_then_thins_labels_but_keeps_every_row_line():
    chart = build_timeline_chart(make_points(150), SESSIONS, title="t", caption="c", figure=Figure(figsize=(8, 5)))
    labels = chart.axes.get_yticklabels()
    rows = next(c for c in chart.axes.collections if c.get_gid() == "actor-rows")
    assert len(rows.get_segments()) == 150  # every actor row keeps its line
    shown = [t.get_text() for t in labels if t.get_text()]
    assert 0 < len(shown) < 150
    assert len(chart.axes.get_yticks()) == len(shown)  # ticks only where a label is shown
    assert shown[0] == chart.actors[0]
    step = int(chart.axes.get_yticks()[1])
    assert shown == [chart.actors[i] for i in range(0, 150, step)]
    assert labels[0].get_fontsize() == 5


def test_timeline_actors_ordered_by_count_then_name():
    points = [
        TimelinePoint(i, actor, D(2022, 3, 1), "support", "") for i, actor in enumerate(["b", "a", "c", "c", "b", "c"])
    ]
    chart = build_timeline_chart(points, [], title="t", caption="c")
    assert chart.actors == ["c", "b", "a"]
    assert [t.get_text() for t in chart.axes.get_yticklabels()] == ["c", "b", "a"]


def test_timeline_maps_each_marker_back_to_its_position():
    points = make_points(12)
    by_id = {p.position_id: p for p in points}
    chart = build_timeline_chart(points, SESSIONS, title="t", caption="c")
    seen = []
    for artist, _ids in chart.points_by_artist:
        for index, (x, y) in enumerate(artist.get_offsets()):
            point = by_id[chart.position_at(artist, index)]
            assert x == pytest.approx(mdates.date2num(point.date))
            assert chart.actors[round(y)] == point.actor
            assert artist.get_gid() == f"stance-{point.stance}"
            seen.append(point.position_id)
    assert sorted(seen) == sorted(by_id)
    with pytest.raises(KeyError):
        chart.position_at(chart.axes.scatter([0], [0]), 0)


def test_timeline_hit_finds_the_marker_under_the_mouse():
    points = [
        TimelinePoint(7, "Solo", D(2022, 3, 2), "oppose", "x"),
        TimelinePoint(8, "Other", D(2022, 6, 1), "support", "y"),
    ]
    chart = build_timeline_chart(points, SESSIONS, title="t", caption="c")
    canvas = FigureCanvasAgg(chart.figure)
    canvas.draw()
    artist, ids = chart.points_by_artist[-1]  # the oppose layer
    x, y = chart.axes.transData.transform(artist.get_offsets()[0])
    assert chart.hit(MouseEvent("motion_notify_event", canvas, x, y)) == ids[0] == 7
    corner = chart.axes.transAxes.transform((0.5, 0.02))
    assert chart.hit(MouseEvent("motion_notify_event", canvas, *corner)) is None


def test_timeline_spreads_same_actor_same_day_deterministically():
    points = [TimelinePoint(i, "Busy", D(2022, 3, 1), "support", "") for i in (3, 1, 2)]
    points.append(TimelinePoint(9, "Quiet", D(2023, 3, 1), "support", ""))

    def offsets():
        artist, ids = build_timeline_chart(points, [], title="t", caption="").points_by_artist[0]
        return {pid: tuple(xy) for pid, xy in zip(ids, artist.get_offsets(), strict=True)}

    first = offsets()
    busy = [first[i][1] for i in (1, 2, 3)]
    assert len(set(busy)) == 3 and busy == sorted(busy)  # spread, in position_id order
    assert all(abs(y) < 0.5 for y in busy)  # but within the actor's row
    assert first == offsets()


def test_timeline_draws_session_bands_and_labels_in_range_only():
    chart = build_timeline_chart(make_points(6), SESSIONS, title="t", caption="c")
    bands = {a.get_gid() for a in chart.axes.patches}
    labels = {t.get_gid(): t.get_text() for t in chart.axes.texts}
    assert {"session-s1", "session-s2", "session-s3"} <= bands
    assert labels["session-label-s1"] == "First session"
    assert labels["session-label-s3"] == "Third session"
    assert "session-later" not in bands  # 2024 does not overlap the 2022 data


def test_timeline_session_labels_do_not_overlap():
    close = [
        SessionSpan(
            f"k{i}",
            f"Intersessional consultation {i}",
            D(2022, 3, 1) + dt.timedelta(days=9 * i),
            D(2022, 3, 2) + dt.timedelta(days=9 * i),
        )
        for i in range(8)
    ]
    points = [TimelinePoint(i, "A", s.start, "support", "") for i, s in enumerate(close)]
    chart = build_timeline_chart(points, close, title="t", caption="c")
    canvas = FigureCanvasAgg(chart.figure)
    canvas.draw()
    renderer = canvas.get_renderer()
    boxes = [
        t.get_window_extent(renderer) for t in chart.axes.texts if (t.get_gid() or "").startswith("session-label-")
    ]
    assert len(boxes) == 8
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


def test_timeline_empty_input_shows_message_and_reuses_figure():
    figure = Figure()
    build_timeline_chart(make_points(3), SESSIONS, title="t", caption="c", figure=figure)
    chart = build_timeline_chart([], SESSIONS, title="Nothing", caption="c", figure=figure)
    assert chart.figure is figure and figure.axes == [chart.axes]
    assert chart.points_by_artist == [] and not chart.axes.collections
    assert NO_POSITIONS in [t.get_text() for t in chart.axes.texts]
    FigureCanvasAgg(figure).draw()


def test_caption_and_title_are_drawn():
    chart = build_timeline_chart(make_points(3), SESSIONS, title="My title", caption="Data: x v1 · Filters: none " * 8)
    assert chart.figure.get_suptitle() == "My title"
    caption = chart.figure.get_supxlabel()
    assert "\n" in caption and caption.replace("\n", " ").startswith("Data: x v1")


# --- network --------------------------------------------------------------------------------


def make_graph(n: int = 30, seed: int = 3) -> tuple[nx.Graph, dict]:
    rng = np.random.default_rng(seed)
    regions = ["African", "Asia-Pacific", "Eastern European", "GRULAC", "WEOG", ""]
    graph = nx.Graph()
    for i in range(n):
        graph.add_node(
            str(i),
            label=f"Actor {i}",
            kind="state",
            un_region=regions[i % 6],
            community=i % 4,
            positions=int(1 + i * 3),
        )
    for i in range(n):
        for j in range(i + 1, n):
            if rng.random() < 0.3:
                graph.add_edge(str(i), str(j), weight=float(rng.uniform(-0.5, 1)), shared=3)
    graph.add_edge("0", "1", weight=0.0, shared=1)
    pos = {node: tuple(rng.uniform(-1, 1, 2)) for node in graph}
    return graph, pos


def test_network_draws_every_node_and_only_positive_edges():
    graph, pos = make_graph()
    chart = build_network_chart(graph, pos, title="Agreement", caption="cap")
    positive = sum(1 for *_, w in graph.edges(data="weight") if w > 0)
    assert 0 < positive < graph.number_of_edges()
    assert len(chart.node_artist.get_offsets()) == graph.number_of_nodes()
    assert len(chart.edge_artist.get_segments()) == positive
    assert sorted(chart.node_order) == sorted(graph.nodes)
    for index, (x, y) in enumerate(chart.node_artist.get_offsets()):
        assert (x, y) == pytest.approx(pos[chart.node_at(index)])


def test_network_colours_and_shapes_by_community_or_region():
    graph, pos = make_graph()
    community = build_network_chart(graph, pos, title="t", caption="c")
    region = build_network_chart(graph, pos, title="t", caption="c", color_by="region")

    def colours(chart):
        return {n: to_hex(c) for n, c in zip(chart.node_order, chart.node_artist.get_facecolors(), strict=False)}

    assert colours(community) != colours(region)
    for chart, attr in ((community, "community"), (region, "un_region")):
        by_value: dict = {}
        for n, colour in colours(chart).items():
            by_value.setdefault(graph.nodes[n][attr], set()).add(colour)
        assert all(len(c) == 1 for c in by_value.values())  # one colour per category
        shapes = {tuple(np.round(p.vertices, 6).ravel()) for p in chart.node_artist.get_paths()}
        assert len(shapes) == len(by_value)  # and one marker shape per category
    assert colours(community)["0"] == to_hex(CATEGORY_COLOURS[0])
    assert region.categories["5"] == "No regional group"
    with pytest.raises(ValueError):
        build_network_chart(graph, pos, title="t", caption="c", color_by="kind")


def test_network_node_size_grows_with_positions():
    graph, pos = make_graph()
    chart = build_network_chart(graph, pos, title="t", caption="c")
    sizes = dict(zip(chart.node_order, chart.node_artist.get_sizes(), strict=False))
    ordered = sorted(graph.nodes, key=lambda n: graph.nodes[n]["positions"])
    assert [sizes[n] for n in ordered] == sorted(sizes.values())


def test_network_labels_are_limited_to_the_most_connected():
    graph, pos = make_graph(40)
    chart = build_network_chart(graph, pos, title="t", caption="c", label_limit=5)
    labels = [t for t in chart.axes.texts if (t.get_gid() or "").startswith("label-")]
    assert len(labels) == len(chart.labelled) == 5
    assert all(t.get_path_effects() for t in labels)  # halo
    degree = dict(graph.degree())
    assert min(degree[n] for n in chart.labelled) >= max(degree[n] for n in graph if n not in chart.labelled)
    everyone = build_network_chart(graph, pos, title="t", caption="c", label_limit=40)
    assert sorted(everyone.labelled) == sorted(graph.nodes)
    assert {t.get_text() for t in everyone.axes.texts} >= {f"Actor {i}" for i in range(40)}


def test_network_crowded_labels_never_cover_each_other_beyond_the_limit():
    graph = nx.complete_graph([str(i) for i in range(12)])
    nx.set_edge_attributes(graph, 0.8, "weight")
    for n in graph:
        graph.nodes[n].update(label=f"Delegation {n}", community=0, positions=5)
    pos = {n: (i * 1e-3, 0.0) for i, n in enumerate(graph)}  # all on one spot
    pos["0"] = (1.0, 1.0)
    crowded = build_network_chart(graph, pos, title="t", caption="c", label_limit=8)
    assert 1 < len(crowded.labelled) < 8
    canvas = FigureCanvasAgg(crowded.figure)
    canvas.draw()
    boxes = [t.get_window_extent(canvas.get_renderer()) for t in crowded.axes.texts]
    assert all(not a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    everyone = build_network_chart(graph, pos, title="t", caption="c", label_limit=12)
    assert len(everyone.labelled) == 12  # small graphs: every node named, even if cramped


@pytest.mark.parametrize("case", ["no nodes", "no positive edges"])
def test_network_without_edges_shows_message(case):
    graph = nx.Graph()
    if case == "no positive edges":
        graph.add_edge("a", "b", weight=-0.2, shared=4)
        graph.add_node("c")
    pos = dict.fromkeys(graph, (0.0, 0.0))
    chart = build_network_chart(graph, pos, title="t", caption="c")
    assert NO_EDGES in [t.get_text() for t in chart.axes.texts]
    assert chart.node_order == [] and len(chart.node_artist.get_offsets()) == 0
    FigureCanvasAgg(chart.figure).draw()


def test_dark_theme_changes_backgrounds_and_text():
    graph, pos = make_graph()
    light = build_network_chart(graph, pos, title="t", caption="c")
    dark = build_network_chart(graph, pos, title="t", caption="c", theme=DARK)
    assert to_hex(dark.figure.get_facecolor()) == DARK.figure_bg.lower() != LIGHT.figure_bg.lower()
    assert to_hex(light.figure.get_facecolor()) == LIGHT.figure_bg.lower()
    assert to_hex(dark.axes.get_facecolor()) == DARK.axes_bg.lower()
    assert to_hex(dark.figure.texts[0].get_color()) in {DARK.text.lower(), DARK.muted_text.lower()}
    timeline = build_timeline_chart(make_points(4), SESSIONS, title="t", caption="c", theme=DARK)
    assert to_hex(timeline.axes.get_facecolor()) == DARK.axes_bg.lower()
    assert to_hex(timeline.axes.get_yticklabels()[0].get_color()) == DARK.text.lower()


def test_charts_never_import_pyplot_or_qt():
    for source in CHARTS.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert "pyplot" not in name and not name.startswith(("PySide", "PyQt")), source


# --- export ---------------------------------------------------------------------------------


@pytest.fixture
def titled_figure():
    return build_timeline_chart(make_points(5), SESSIONS, title="Export title", caption="Data: test v1").figure


def test_png_is_a_real_png_sized_by_the_explicit_dpi(tmp_path, titled_figure):
    titled_figure.set_dpi(200)  # as on a HiDPI screen: must not change the export
    small = save_figure(titled_figure, tmp_path / "small.png", dpi=50)
    large = save_figure(titled_figure, tmp_path / "large.PNG", dpi=100)
    assert small.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    h_small, w_small = mpimg.imread(small).shape[:2]
    h_large, w_large = mpimg.imread(large).shape[:2]
    assert abs(w_large - 2 * w_small) <= 3 and abs(h_large - 2 * h_small) <= 3
    width_in, _height_in = titled_figure.get_size_inches()
    assert 0.8 * width_in * 100 <= w_large <= 1.1 * width_in * 100


def test_svg_parses_and_keeps_text_editable(tmp_path, titled_figure):
    path = save_figure(titled_figure, tmp_path / "chart.svg")
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    assert "Export title" in "".join(root.itertext())


def test_pdf_is_complete_with_truetype_fonts(tmp_path, titled_figure):
    data = save_figure(titled_figure, tmp_path / "chart.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"/Type3" not in data


@pytest.mark.parametrize("name", ["chart.jpg", "chart", "chart.png.bak"])
def test_unknown_format_is_refused_and_nothing_written(tmp_path, titled_figure, name):
    with pytest.raises(ExportError, match="cannot write .*" + name.replace(".", r"\.")):
        save_figure(titled_figure, tmp_path / name)
    assert list(tmp_path.iterdir()) == []
    assert EXPORT_FORMATS == ("png", "svg", "pdf")


@pytest.mark.parametrize("folder", ["missing/deeper", "file.txt"])
def test_unwritable_folder_raises_and_keeps_the_existing_file(tmp_path, titled_figure, folder):
    (tmp_path / "file.txt").write_text("a regular file, not a folder")
    target = tmp_path / folder / "out.png"
    with pytest.raises(ExportError, match=r"cannot write .*out\.png: "):
        save_figure(titled_figure, target)
    existing = tmp_path / "keep.png"
    save_figure(titled_figure, existing)
    before = existing.read_bytes()
    with pytest.raises(ExportError):
        save_figure(titled_figure, tmp_path / folder / "keep.png")
    assert existing.read_bytes() == before
    assert (tmp_path / "file.txt").read_text() == "a regular file, not a folder"


@pytest.mark.parametrize("error", [OSError(28, "No space left on device"), RuntimeError("boom")])
def test_failed_write_leaves_target_byte_identical_and_no_temp_file(tmp_path, titled_figure, monkeypatch, error):
    target = tmp_path / "chart.png"
    target.write_bytes(b"previous export")

    def half_write(handle, **_):
        handle.write(b"\x89PNG half")
        raise error

    monkeypatch.setattr(titled_figure, "savefig", half_write)
    with pytest.raises(ExportError if isinstance(error, OSError) else RuntimeError) as info:
        save_figure(titled_figure, target)
    if isinstance(error, OSError):
        assert str(info.value) == f"cannot write {target}: No space left on device"
    assert target.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["chart.png"]


def test_new_file_gets_normal_permissions(tmp_path, titled_figure):
    old = os.umask(0o022)
    try:
        path = save_figure(titled_figure, tmp_path / "chart.pdf")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_caption_text_names_data_filters_metric_and_seed():
    assert caption_text(dataset="UNCC", version="1.2", filters="Article 6") == ("Data: UNCC v1.2 · Filters: Article 6")
    assert caption_text(dataset="UNCC", version="v1.2", filters="", metric="kappa", seed=42, extra="min. shared 5") == (
        "Data: UNCC v1.2 · Filters: none · Metric: kappa · Seed: 42 · min. shared 5"
    )
    assert "Seed: 0" in caption_text(dataset="d", version="1", filters="f", seed=0)
    assert caption_text(dataset="d", version="", filters="f").startswith("Data: d · ")
