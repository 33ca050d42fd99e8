"""What the views say is decided in the pipeline: the timeline's marker budget and its density,
status lines, hover texts and the table's counts (numbers by hand from tests/data/small.csv)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from explorer.errors import Cancelled
from explorer.ingest.bundled import ensure_bundled
from explorer.ingest.importer import import_file
from explorer.pipeline import network, positions, timeline
from explorer.store.database import open_database
from explorer.store.filters import PositionFilter, compile_filter
from explorer.store.records import TimelinePoint


def test_the_timeline_draws_markers_up_to_the_limit(small_db):
    content = timeline.timeline_content(small_db, PositionFilter("small"), point_limit=11)
    assert content.total == 11 and len(content.points) == 11 and content.density is None
    assert content.status == "11 position(s) by 4 actor(s) on the time axis."  # Atlantis…Dorlandia


def test_above_the_limit_the_timeline_counts_positions_per_actor_and_days(small_db):
    content = timeline.timeline_content(small_db, PositionFilter("small"), point_limit=10)
    density = content.density
    assert content.points == [] and content.total == 11 and density is not None
    # small.csv by hand: 2023-01-10 .. 2023-06-03 is 145 days, so bins of 2 days (at most 120)
    assert density.start == dt.date(2023, 1, 10) and density.bin_days == 2 and density.bins == 73
    # rows busiest first, then by name: Atlantis 3, Borduria 3, Carpania 4, Dorlandia 1
    assert density.actors == ("Carpania", "Atlantis", "Borduria", "Dorlandia")
    assert density.placed == 11 and density.counts.sum(axis=1).tolist() == [4, 3, 3, 1]
    # Carpania: 2023-01-11 (oppose) in bin 0 (10-11 Jan), 2023-01-12 (support) in bin 1 (12-13 Jan)
    assert density.cell(0, 0) == {"oppose": 1} and density.cell(0, 1) == {"support": 1}
    june = (dt.date(2023, 6, 1) - dt.date(2023, 1, 10)).days // 2  # bin of 1 and 2 June
    assert density.bin_dates(june) == (dt.date(2023, 6, 1), dt.date(2023, 6, 2))
    assert density.cell(0, june) == {"oppose": 1} and density.cell(3, june) == {"oppose": 1}
    assert content.status == (
        "11 position(s) by 4 actor(s) on the time axis, more than 10 positions: each cell counts one actor's "
        "positions in 2 days (colour scale beside the chart); narrow the filter to 10 or fewer to see each position."
    )
    assert "each cell counts one actor's positions in 2 days" in content.caption  # every export says so
    assert timeline.describe_cell(density, 0, june) == "Carpania, 2023-06-01 to 2023-06-02: 1 position(s)\nOppose 1"
    narrowed = timeline.cell_filter(PositionFilter("small", stances=("oppose",)), density, 0, june)
    assert narrowed == PositionFilter(
        "small", stances=("oppose",), actors=("Carpania",), date_from="2023-06-01", date_to="2023-06-02"
    )
    shown = timeline.timeline_content(small_db, narrowed, point_limit=10)
    assert [p.summary for p in shown.points] == ["Carpania cannot join consensus."]  # the cell, one by one


def test_the_density_leaves_out_what_nothing_places_in_time(tmp_path):
    """The markers' rule: a date, else the start of a session that is not a period."""
    db = open_database(tmp_path / "periods.sqlite")
    ensure_bundled(db, Path(__file__).parent / "ui" / "data" / "bundle")  # one undated position in s3
    rows = [
        "actor,actor_kind,provision,question,option,stance,date,session,summary,source_url,source_kind,confidence",
        "Atlantis,state,6,art6-list,,support,,after-s2,Undated in a period.,https://example.org/a,un-official,high",
        "Atlantis,state,6,art6-list,,oppose,2022-06-20,after-s2,Dated in a period.,https://example.org/b,un-official,high",
    ]
    (tmp_path / "periods.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(db, tmp_path / "periods.csv", "ui-fixture")
    flt = PositionFilter("ui-fixture")
    markers = timeline.timeline_content(db, flt)
    density = timeline.timeline_content(db, flt, point_limit=0)
    assert markers.undated == density.undated == 1 and markers.total == density.total == 20
    assert density.density is not None and density.density.placed == len(markers.points) == 19
    db.close()


def test_the_default_limit_is_read_when_called(small_db, monkeypatch):
    monkeypatch.setattr(timeline, "POINT_LIMIT", 3)
    assert timeline.timeline_content(small_db, PositionFilter("small")).density is not None


def test_the_cli_export_draws_the_same_density(small_db, monkeypatch):
    monkeypatch.setattr(timeline, "POINT_LIMIT", 10)
    chart = timeline.timeline_chart_for(small_db, PositionFilter("small"))
    drawn = " ".join(t.get_text() for t in chart.figure.findobj(lambda a: hasattr(a, "get_text")))
    assert "each cell counts one actor's positions in 2 days" in drawn
    assert "Carpania" in drawn and "positions per actor and 2 days" in drawn  # rows and the colour scale


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
