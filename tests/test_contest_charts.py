"""Contest charts: what they draw (colours of sides, conflict ties, cells) and what a click maps
back to, on the bundled data and on the hand-made fixture."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.text import Text

from explorer.analysis.matrix import aggregate_codes, column_bins, positions_matrix, side_codes
from explorer.analysis.sides import rank_sides
from explorer.charts.matrix_chart import build_matrix_chart
from explorer.charts.network_chart import CONFLICT_COLOUR
from explorer.charts.side_style import SIDE_COLOURS
from explorer.ingest.bundled import open_with_bundled
from explorer.pipeline.evolution import evolution_chart_for
from explorer.pipeline.matrix import matrix_chart_for
from explorer.pipeline.network import network_chart_for
from explorer.pipeline.profile import actor_chart_for
from explorer.pipeline.timeline import timeline_chart_for
from explorer.store.contest_records import Group, QuestionInfo
from explorer.store.filters import PositionFilter

ARTICLE_6 = PositionFilter(provisions=("6",))


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    db = open_with_bundled(tmp_path_factory.mktemp("bundled") / "db.sqlite")
    yield db
    db.close()


def texts(figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(Text)]


def face_colours(chart) -> set[str]:
    return {to_hex(c) for artist, _ in chart.points_by_artist for c in artist.get_facecolors()}


def click(axes, x: float, y: float) -> MouseEvent:
    FigureCanvasAgg(axes.figure).draw()
    px, py = axes.transData.transform((x, y))
    return MouseEvent("button_press_event", axes.figure.canvas, px, py)


def test_article_6_timeline_shows_the_two_camps_in_two_colours(bundled):
    chart = timeline_chart_for(bundled, ARTICLE_6)
    colours = face_colours(chart)
    assert to_hex(SIDE_COLOURS[0]) in colours and to_hex(SIDE_COLOURS[1]) in colours
    assert chart.sides == "grouped"  # two questions: rows grouped by question
    assert {"art6-human-rights", "art6-2-rights-list"} <= set(chart.row_questions)
    legend = next(lg for lg in chart.figure.legends if lg.get_gid() == "side-legend")
    labels = [t.get_text() for t in legend.get_texts()]
    assert any(label.startswith("Keep or strengthen a robust") for label in labels)
    assert any(label.startswith("Fewer human-rights") and label.endswith(")") for label in labels)


def test_timeline_ranked_mode_names_ranks_and_one_question_mode(bundled):
    ranked = timeline_chart_for(bundled, ARTICLE_6, sides="ranked")
    assert ranked.sides == "ranked" and "" not in ranked.actors
    assert any("most backed option" in t for t in texts(ranked.figure))
    one = timeline_chart_for(bundled, ARTICLE_6, sides="most-debated")
    assert len({p.question_key for p in one.points}) == 1


def test_russia_and_eu_network_draws_one_dashed_conflict_tie(bundled):
    flt = PositionFilter(actors=("Russian Federation", "European Union"), provisions=("6",))
    _, chart = network_chart_for(bundled, flt)
    assert chart.conflict_artist is not None and len(chart.conflict_ties) == 1
    assert len(chart.conflict_artist.get_segments()) == 1
    assert to_hex(chart.conflict_artist.get_edgecolor()[0][:3]) == CONFLICT_COLOUR.lower()
    assert chart.conflict_artist.get_linestyle()[0][1] is not None  # dashed, not solid
    assert any("share 1 question and disagree on it" in t for t in texts(chart.figure))
    hidden = network_chart_for(bundled, flt, show_conflict=False)[1]
    assert "share 1 question and disagree on it" in hidden.message  # nothing to draw: says why


def test_matrix_cell_maps_to_actor_questions_and_positions(small_db):
    result, chart = matrix_chart_for(small_db, PositionFilter("small"))
    assert chart.mesh is not None and chart.mesh.get_array().shape == (4, 3)  # one mesh, one cell per choice
    row = chart.actor_names.index("Carpania")
    col = [result.questions[int(q)].key for q in result.matrix.question_ids].index("art6-list")
    cell = chart.cell_at(click(chart.axes, col + 0.5, row + 0.5))
    assert cell is not None and (cell.row, cell.column) == (row, col)
    carpania = small_db.execute("SELECT id FROM actors WHERE name = 'Carpania'").fetchone()[0]
    ids = [
        r[0]
        for r in small_db.execute(
            "SELECT p.id FROM positions p JOIN questions q ON q.id = p.question_id "
            "WHERE p.actor_id = ? AND q.key = 'art6-list' ORDER BY p.sort_date",
            [carpania],
        )
    ]
    assert cell.actor_id == carpania and cell.position_ids == tuple(ids) and cell.latest_position == ids[-1]
    assert chart.cell_of_position(ids[0]) == (row, col)
    assert chart.cell_at(click(chart.axes, -0.05, row + 0.5)) is None  # the bloc strip is no cell


def test_wide_matrix_is_drawn_in_bins_and_says_so():
    rng = np.random.default_rng(0)
    actors, questions = 200, 6000
    actor = np.repeat(np.arange(1, actors + 1), questions)
    question = np.tile(np.arange(1, questions + 1), actors)
    stance = rng.choice(np.array(["support", "oppose", "neutral"], dtype=object), size=actor.size)
    matrix, choices = positions_matrix(np.arange(1, actor.size + 1), actor, question, question * 10, stance)
    codes = side_codes(matrix, rank_sides(choices))
    bins = column_bins(questions, (Group("a", "a", 0, 3000), Group("b", "b", 3000, 6000)), 300)
    drawn, shares = aggregate_codes(codes, bins)
    info = {q: QuestionInfo(f"rc{q}", "") for q in range(1, questions + 1)}
    chart = build_matrix_chart(
        matrix, drawn, bins=bins, shares=shares, actor_names={}, questions=info, title="t", caption="c"
    )
    assert len(bins) == 300 and chart.aggregated
    assert any("6,000 questions drawn as 300 columns" in t for t in texts(chart.figure))
    cell = chart.cell(0, 0)
    assert cell is not None and len(cell.question_ids) == 20 and len(cell.position_ids) == 20


def test_actor_comparison_maps_markers_and_rows_back_to_positions(small_db):
    first, second, chart = actor_chart_for(small_db, PositionFilter("small"), "Atlantis", "Carpania")
    drawn = sorted(pid for _, ids in chart.points_by_artist for pid in ids)
    assert drawn == sorted(e.position_id for e in (*first.record, *(second.record if second else ())))
    assert chart.comparison_rows[0].outcome == "differ"  # differences first
    row = chart.comparison_rows.index(next(c for c in chart.comparison_rows if c.question_key == "adoption"))
    hit = chart.comparison_at(click(chart.comparison_axes, 5.0, row))
    assert hit is not None and hit.question_key == "adoption" and hit.positions_a and hit.positions_b


def test_evolution_draws_one_panel_per_session_on_one_layout(small_db):
    result, chart = evolution_chart_for(small_db, PositionFilter("small"))
    assert chart.panel_keys == ["s1", "s2"]
    for k, order in enumerate(chart.node_orders):
        offsets = chart.node_artists[k].get_offsets()
        assert [tuple(xy) for xy in offsets] == [tuple(result.union.pos[n]) for n in order]
    matrix_view = evolution_chart_for(small_db, PositionFilter("small"), view="matrix")[1]
    assert len(matrix_view.panel_axes) == 2
