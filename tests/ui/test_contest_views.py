"""The contest views driven like a user: the positions matrix, conflict ties, timeline sides, the
actor profile, change over time, Back/Forward and one selection marked in every view.

Numbers are by hand on tests/ui/data/bundle: on Article 6 the Russian Federation and China back
a general reference (art6-list) and oppose a strong clause (art6-clause); the EU, France,
Germany, Brazil and Access Now keep the list; the EU and France support the strong clause.
"""

from __future__ import annotations

import numpy as np
from matplotlib.colors import to_hex
from PySide6.QtCore import QPoint, Qt

from explorer.state import Selection
from explorer.ui.main_window import VIEWS
from tests.ui.conftest import WAIT_MS, wait_idle
from tests.ui.test_main_window import choose, widget_point


def ids_of(window, *ext_ids: str) -> list[int]:
    """Position ids of the bundle's records ``ui-N``, in the order given."""
    rows = dict(window.db.execute("SELECT ext_id, id FROM positions").fetchall())
    return [rows[e] for e in ext_ids]


def actor_id(window, name: str) -> int:
    return window.db.execute("SELECT id FROM actors WHERE name = ?", [name]).fetchone()[0]


def show(qtbot, window, view: str):
    """Open a view's tab as a user would (the costlier views compute once shown)."""
    window.tabs.setCurrentIndex([name for name, _ in VIEWS].index(view))
    wait_idle(qtbot, window)
    shown = getattr(window, {"actor": "profile_view"}.get(view, f"{view}_view"))
    qtbot.waitUntil(shown.isVisible, timeout=WAIT_MS)
    return shown


def pixel(view, x: float, y: float) -> QPoint:
    """The canvas pixel of display point (x, y) (see test_main_window.widget_point)."""
    return widget_point(view, x, y)


def click_cell(qtbot, view, row: int, column: int) -> None:
    x, y = view.chart.axes.transData.transform((column + 0.5, row + 0.5))
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=pixel(view, x, y))


def column_of(view, question_key: str) -> int:
    """The drawn column of a question (one column per question: nothing is binned here)."""
    questions = view.content.result.questions
    return [questions[int(q)].key for q in view.chart.matrix.question_ids].index(question_key)


def selected_rows(window) -> set[int]:
    return {window.model.position_id(i.row()) for i in window.table.selectionModel().selectedRows()}


def test_article_6_timeline_draws_two_option_colours_and_the_most_debated_question(qtbot, window):
    choose(qtbot, window, provision="6")
    view = show(qtbot, window, "timeline")
    colours = {
        to_hex(face)
        for artist, _ids in view.chart.points_by_artist
        for face in artist.get_facecolors()
        if face[3] > 0  # hollow markers (against) have a transparent face
    }
    assert len(colours - {"#999999", "#bbbbbb"}) >= 2  # at least two options' colours, not only grey
    assert set(view.chart.row_questions) - {""} == {"art6-list", "art6-clause"}  # grouped per question

    box = view.sides_box
    box.setCurrentIndex(box.findData("most-debated"))  # as a user picks it
    assert window.state.timeline_options.sides == "most-debated"
    wait_idle(qtbot, window)
    # art6-list splits 5 actors from 2 (10 pairs apart), art6-clause 2 from 2 (4 pairs)
    assert {p.question_key for p in view.chart.points} == {"art6-list"}


def test_russia_and_the_eu_show_one_conflict_tie_and_the_sentence(qtbot, window):
    choose(qtbot, window, actors=("Russia", "EU"), provision="6")
    view = show(qtbot, window, "network")
    assert view.chart.conflict_ties and len(view.chart.conflict_ties) == 1
    assert view.chart.conflict_artist.get_linestyle()[0][1] is not None  # dashed
    sentence = "Russian Federation and European Union share 2 questions and disagree on both"
    assert sentence in view.status.text()

    qtbot.mouseClick(view.conflict_box, Qt.MouseButton.LeftButton)  # hide the conflict ties
    qtbot.waitUntil(lambda: not window.state.network_options.show_conflict, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert view.chart.conflict_artist is None and sentence in view.chart.message  # says what is there
    assert not view.conflict_box.isChecked()


def test_a_matrix_click_selects_the_cells_positions_in_the_table(qtbot, window):
    choose(qtbot, window, provision="6")
    view = show(qtbot, window, "matrix")
    chart = view.chart
    row = chart.matrix.actor_ids.tolist().index(actor_id(window, "Russian Federation"))
    column = column_of(view, "art6-list")
    click_cell(qtbot, view, row, column)
    # Russia said it twice on art6-list (ui-1, and ui-18 undated in the concluding session): both, oldest first
    expected = ids_of(window, "ui-1", "ui-18")
    assert window.state.selection == Selection(tuple(expected), actor_id(window, "Russian Federation"))
    assert selected_rows(window) == set(expected)
    assert window.detail.position_id == expected[0]
    wait_idle(qtbot, window)  # the cell is outlined on a worker
    outlines = next(c for c in chart.axes.collections if c.get_gid() == "selection-outlines")
    assert [tuple(np.asarray(s).min(axis=0)) for s in outlines.get_segments()] == [(column, row)]
    text = view.cell_text(chart.cell(row, column))
    assert "Russia repeats its preference (undated)." in text and "https://example.org/report" in text
    assert "1 earlier position(s)" in text

    view.rows_box.setCurrentIndex(view.rows_box.findData("region"))  # regroup: recomputed
    wait_idle(qtbot, window)
    assert window.state.matrix_options.rows == "region" and view.chart is not chart
    groups = {g.label: g.stop - g.start for g in view.chart.matrix.row_groups}
    assert {"WEOG": 2, "Eastern European": 1, "Asia-Pacific": 1, "GRULAC": 1}.items() <= groups.items()


def test_back_and_forward_restore_filter_view_and_selection(qtbot, window):
    back, forward = window.menus.actions["back"], window.menus.actions["forward"]
    assert back.shortcut().toString() == "Alt+Left" and forward.shortcut().toString() == "Alt+Right"
    assert not back.isEnabled() and not forward.isEnabled()
    choose(qtbot, window, provision="6")
    view = show(qtbot, window, "matrix")
    row = view.chart.matrix.actor_ids.tolist().index(actor_id(window, "China"))
    click_cell(qtbot, view, row, column_of(view, "art6-clause"))
    clicked = window.state.selection
    assert clicked.positions == tuple(ids_of(window, "ui-10"))
    window.filter_panel.stance.setCurrentIndex(window.filter_panel.stance.findData("support"))
    wait_idle(qtbot, window)
    assert window.state.selection.positions == () and back.isEnabled()

    back.trigger()  # Go → Back
    wait_idle(qtbot, window)
    assert window.state.filter.stances == () and window.state.filter.provisions == ("6",)
    assert window.state.view == "matrix" and window.tabs.tabText(window.tabs.currentIndex()) == "&Who wants what"
    assert window.state.selection == clicked and selected_rows(window) == set(clicked.positions)
    assert forward.isEnabled()

    qtbot.keyClick(window.table, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # Alt+Right
    wait_idle(qtbot, window)
    assert window.state.filter.stances == ("support",) and not forward.isEnabled()
    qtbot.keyClick(window.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # Alt+Left
    back.trigger()  # and back again to the first view on the whole dataset
    back.trigger()
    wait_idle(qtbot, window)
    assert window.state.filter.provisions == () and window.state.view == "overview"


def test_the_actor_view_lists_allies_with_n_and_compares_two_actors(qtbot, window):
    view = show(qtbot, window, "actor")
    assert view.content.first is None and "Choose an actor" in view.status.text()
    view.actor_picker.setText("russ")
    qtbot.keyClick(view.actor_picker, Qt.Key.Key_Return)  # the name rule: "russ" finds Russia by its alias
    wait_idle(qtbot, window)
    russia = actor_id(window, "Russian Federation")
    assert window.state.selection.actor == russia and window.state.history.can_go_back
    first = view.content.first
    # China took Russia's side on both Article 6 questions: agreement 1.00 over 2 shared questions
    assert (first.allies[0].name, first.allies[0].rate, first.allies[0].shared) == ("China", 1.0, 2)
    texts = [t.get_text() for t in view.chart.figure.findobj(lambda a: hasattr(a, "get_text"))]
    assert any(t.startswith("China") and t.endswith("1.00 (n=2)") for t in texts)

    view.other_picker.setText("EU")
    qtbot.keyClick(view.other_picker, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    # the EU: art6-list and art6-clause on the other side, adoption the same
    assert "With European Union: 3 shared question(s), agree on 1, differ on 2" in view.status.text()
    rows = {c.question_key: c for c in view.content.first.comparison}
    assert rows["art6-list"].sources_a == ("https://example.org/report",)

    table_row = next(r for r in range(window.model.rowCount()) if window.model.index(r, 2).data() == "France")
    window.table.selectRow(table_row)  # a row of the table chooses its actor
    wait_idle(qtbot, window)
    assert view.content.first.name == "France"


def test_a_partner_click_opens_its_profile_and_back_returns(qtbot, window):
    view = show(qtbot, window, "actor")
    view.show_actor(actor_id(window, "Russian Federation"))
    wait_idle(qtbot, window)
    bars, partners = view.chart.partners_by_artist[0]
    patch = bars.patches[partners.index(actor_id(window, "China"))]
    x, y = patch.get_transform().transform(np.mean(patch.get_path().vertices, axis=0))
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=pixel(view, x, y))
    wait_idle(qtbot, window)
    assert view.content.first.name == "China"
    window.menus.actions["back"].trigger()
    wait_idle(qtbot, window)
    assert view.content.first.name == "Russian Federation" and view.actor_picker.text() == "Russian Federation"


def test_one_selection_is_marked_in_every_view_without_redrawing(qtbot, window):
    choose(qtbot, window, provision="6")
    views = {name: show(qtbot, window, name) for name in ("timeline", "network", "matrix", "evolution")}
    charts = {name: view.chart for name, view in views.items()}
    shown = views["evolution"].canvas.picture
    (position,) = ids_of(window, "ui-5")  # China on art6-list
    table_row = window.model.row_of(position)
    window.table.selectRow(table_row)
    assert window.state.selection == Selection((position,), actor_id(window, "China"))
    wait_idle(qtbot, window)  # marked on workers, the shown chart's picture rendered again
    assert views["evolution"].canvas.picture is not shown and views["evolution"].canvas.picture != shown

    def marks(view, gid):
        axes = view.chart.figure.axes
        return sum(len(c.get_offsets()) for ax in axes for c in ax.collections if c.get_gid() == gid)

    assert marks(views["timeline"], "selection-rings") == 1
    assert marks(views["network"], "selection-rings") == 1
    outlines = [c for c in views["matrix"].chart.axes.collections if c.get_gid() == "selection-outlines"]
    assert sum(len(c.get_segments()) for c in outlines) == 1
    assert marks(views["evolution"], "selection-rings") >= 1  # China's node in each session it took part in
    assert {name: view.chart for name, view in views.items()} == charts  # the same charts, marked
    china = views["network"].chart.node_order.index(str(actor_id(window, "China")))
    ring = next(c for c in views["network"].chart.axes.collections if c.get_gid() == "selection-rings")
    assert np.allclose(ring.get_offsets()[0], views["network"].chart.node_artist.get_offsets()[china])


def test_evolution_switches_networks_and_matrices_without_recomputing(qtbot, window):
    choose(qtbot, window, provision="6")
    view = show(qtbot, window, "evolution")
    content = view.content
    assert [s.measure.key for s in content.result.slices] == ["s1", "s2"]  # s3 has one Article 6 position
    assert view.chart.node_artists and "2 session(s) with two actors sharing a question" in view.status.text()
    view.view_box.setCurrentIndex(view.view_box.findData("matrix"))
    wait_idle(qtbot, window)
    assert view.content is content and not view.chart.node_artists  # redrawn as matrices, not recomputed
    assert window.state.evolution_options.view == "matrix"
