"""What the views say is decided in the pipeline: the timeline's marker limit and its notice,
status lines, hover texts and the table's counts (numbers by hand from tests/data/small.csv)."""

from __future__ import annotations

import datetime as dt

import pytest

from explorer.errors import Cancelled
from explorer.pipeline import network, positions, timeline
from explorer.store.filters import PositionFilter, compile_filter
from explorer.store.records import TimelinePoint


def test_the_timeline_draws_markers_up_to_the_limit(small_db):
    content = timeline.timeline_content(small_db, PositionFilter("small"), point_limit=11)
    assert content.total == 11 and len(content.points) == 11 and content.notice == ""
    assert content.status == "11 position(s) by 4 actor(s) on the time axis."  # Atlantis…Dorlandia


def test_above_the_limit_the_timeline_asks_to_narrow_the_filter(small_db):
    content = timeline.timeline_content(small_db, PositionFilter("small"), point_limit=10)
    assert content.points == [] and content.total == 11
    assert content.notice == timeline.too_many_message(11)
    assert content.status == (
        "11 positions match the filter: too many to show one by one. "
        "Choose a provision, question, session or actors to see them."
    )
    chart = timeline.draw_timeline(content)
    drawn = " ".join(t.get_text() for t in chart.figure.findobj(lambda a: hasattr(a, "get_text")))
    assert "too many to show one by one" in drawn and chart.points_by_artist == []


def test_the_default_limit_is_read_when_called(small_db, monkeypatch):
    monkeypatch.setattr(timeline, "POINT_LIMIT", 3)
    assert timeline.timeline_content(small_db, PositionFilter("small")).notice
    assert timeline.POINT_LIMIT == 3 and timeline.too_many_message(5000).startswith("5,000 positions")


def test_the_cli_export_draws_the_same_notice(small_db, monkeypatch):
    monkeypatch.setattr(timeline, "POINT_LIMIT", 10)
    chart = timeline.timeline_chart_for(small_db, PositionFilter("small"))
    drawn = " ".join(t.get_text() for t in chart.figure.findobj(lambda a: hasattr(a, "get_text")))
    assert "11 positions match the filter" in drawn


def test_a_compiled_filter_is_used_as_given(small_db, monkeypatch):
    compiled = compile_filter(small_db, PositionFilter("small", actors=("Atlantis",)))
    monkeypatch.setattr(timeline, "compile_filter", lambda *_: pytest.fail("compiled again"))
    content = timeline.timeline_content(small_db, compiled)
    assert content.total == 3 and {p.actor for p in content.points} == {"Atlantis"}
    assert "actors=Atlantis" in content.caption


def test_a_cancelled_timeline_stops(small_db):
    with pytest.raises(Cancelled):
        timeline.timeline_content(small_db, PositionFilter("small"), cancel=lambda: True)


def test_hovering_a_marker_reads_the_position():
    point = TimelinePoint(7, "Atlantis", dt.date(2023, 1, 10), "support", "Keep the list.", "List of rights?", "keep")
    assert timeline.describe_point(point) == "Atlantis, 2023-01-10: Support — keep\nList of rights?\n\nKeep the list."


def test_network_status_and_hover_text(small_db):
    content = network.network_content(small_db, PositionFilter("small"), network.NetworkRequest(seed=3))
    graph = content.result.graph
    assert content.status.startswith(f"{graph.number_of_nodes()} actor(s), {graph.number_of_edges()} link(s), ")
    assert "seed 3." in content.status and "widen the filter" not in content.status
    atlantis = next(n for n in graph if graph.nodes[n]["label"] == "Atlantis")
    assert network.describe_node(content, atlantis, shown_as="Community 1").splitlines() == [
        "Atlantis",
        "3 position(s)",
        "regional group: none",
        "shown as: Community 1",
    ]
    alone = network.network_content(small_db, PositionFilter("small", actors=("Dorlandia", "Atlantis"), stances=("x",)))
    assert alone.status.endswith("A network needs at least two actors: widen the filter.")


def test_a_focused_network_says_whom_it_shows(small_db):
    content = network.network_content(small_db, PositionFilter("small", actors=("Atlantis",)))
    assert "Showing Atlantis (ringed) and the actors linked to it." in content.status


def test_the_tables_counts_and_first_page(small_db):
    compiled = compile_filter(small_db, PositionFilter("small", provisions=("6",)))
    summary = positions.positions_summary(small_db, compiled, sort="actor", page_size=2)
    assert (summary.count, summary.actors) == (4, 3)  # art6-list: Atlantis, Borduria, Carpania twice
    assert len(summary.first_page) == 2 and summary.compiled is compiled
    assert summary.text == "4 position(s) from 3 actor(s) — filter: provisions=6"
    assert summary.short_text == "4 positions · 3 actors"
    with pytest.raises(Cancelled):
        positions.positions_summary(small_db, compiled, cancel=lambda: True)


def test_the_pipeline_names_load_on_first_use():
    import explorer.pipeline as pipeline

    assert all(callable(getattr(pipeline, name)) for name in pipeline.__all__)
    with pytest.raises(AttributeError):
        _ = pipeline.no_such_name


def test_a_cancelled_export_leaves_no_file(small_db, tmp_path, monkeypatch):
    from explorer.ingest import exporter

    monkeypatch.setattr(exporter, "CANCEL_CHECK_ROWS", 2)
    out = tmp_path / "positions.csv"
    with pytest.raises(Cancelled, match="nothing was written"):
        exporter.export_positions(small_db, PositionFilter("small"), out, cancel=lambda: True)
    assert list(tmp_path.iterdir()) == []
    assert exporter.export_positions(small_db, PositionFilter("small"), out, cancel=lambda: False) == 11
