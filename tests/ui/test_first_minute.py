"""The first minute (issue #14): the Overview first, hints that stay dismissed, the last view
restored, sessions without the periods between them, Article 6 by typing "6", short labels
in the table with the full texts in tooltips, column widths remembered."""

from __future__ import annotations

import pytest
from matplotlib.backend_bases import MouseEvent
from PySide6.QtCore import Qt

from bench.contest_data import generate_contest
from bench.generate import apply_actor_registry
from explorer.analysis.network import BACKBONE_NEIGHBOURS, backbone_of
from explorer.ingest.importer import import_file
from explorer.store.database import open_database
from explorer.store.queries import TABLE_COLUMNS
from explorer.ui.main_window import QUESTION_VIEW, VIEW_NAMES, MainWindow
from explorer.ui.overview_view import FIRST_MINUTE_HINT
from explorer.ui.sessions_view import SESSION_KEY_ROLE
from tests.ui.conftest import WAIT_MS, wait_idle


def reopen(qtbot, window) -> MainWindow:
    """Close ``window`` and open a new one on the same database and settings (a returning user)."""
    window.close()
    again = MainWindow(window.db, window.db_path, window.settings)
    qtbot.addWidget(again)
    again.resize(1400, 900)
    again.show()
    qtbot.waitExposed(again)
    wait_idle(qtbot, again)
    return again


def test_a_new_user_starts_on_the_overview_and_one_click_opens_a_question(qtbot, window):
    assert window.state.view == "overview" and window.tabs.currentIndex() == VIEW_NAMES.index("overview")
    overview = window.overview
    qtbot.waitUntil(lambda: overview.content is not None, timeout=WAIT_MS)
    keys = [item.key for item in overview.content.items]
    assert keys and len(overview.card_buttons()) == len(keys)
    first = overview.content.items[0]
    assert overview.card_buttons()[0].text().startswith(first.heading)
    groups = list(dict.fromkeys(item.group for item in overview.content.items if item.group))
    assert overview.group_headings() == groups  # one heading per group, in the items' order
    qtbot.mouseClick(overview.card_buttons()[0], Qt.MouseButton.LeftButton)
    assert window.state.view == QUESTION_VIEW
    assert window.state.filter.questions == (first.key,)
    assert window.tabs.currentIndex() == VIEW_NAMES.index(QUESTION_VIEW)
    assert window.state.back() and window.state.view == "overview"  # Back returns to the Overview


def test_a_hidden_overview_waits_until_shown(qtbot, window):
    """The Overview reads the whole filter: hidden behind another tab it does not recompute at
    each filter change, and once shown it computes the filter then current."""
    overview = window.overview
    qtbot.waitUntil(lambda: overview.content is not None, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    computed = []
    real_refresh = overview.refresh
    overview.refresh = lambda: (computed.append(window.state.filter), real_refresh())
    window.state.set_view("sessions")
    window.state.set_filter(window.state.filter.with_(provisions=("6",)))
    window.state.set_filter(window.state.filter.with_(provisions=("7",)))
    wait_idle(qtbot, window)
    assert computed == []
    window.state.set_view("overview")
    assert [f.provisions for f in computed] == [("7",)]
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=WAIT_MS)
    assert all(item.filter.provisions == ("7",) for item in overview.content.items)


def test_hints_dismissed_stay_dismissed(qtbot, window):
    hint = window.overview.hint
    assert hint.isVisible()
    qtbot.mouseClick(hint.close_button, Qt.MouseButton.LeftButton)
    assert not hint.isVisible() and window.settings.hint_dismissed(FIRST_MINUTE_HINT)
    again = reopen(qtbot, window)
    assert not again.overview.hint.isVisible()
    again.close()


def test_the_last_view_is_restored(qtbot, window):
    window.menus.actions["show_network"].trigger()
    again = reopen(qtbot, window)
    assert again.state.view == "network" and again.tabs.currentIndex() == VIEW_NAMES.index("network")
    again.close()


def test_the_sessions_view_lists_no_periods_until_asked(qtbot, window):
    view = window.sessions_view
    assert view.session_keys() == ["s1", "s2", "s3"]  # no "after-s2": a period, not a session
    assert view.periods_box.text().endswith("(1)")
    view.periods_box.setChecked(True)
    assert view.session_keys() == ["s1", "s2", "after-s2", "s3"]
    row = view.session_keys().index("after-s2")
    period = view.model.item(row, 0)
    assert period.font().italic() and view.model.item(row, 1).text() == "Period between sessions"
    assert not view.model.item(0, 0).font().italic()
    assert view.model.item(row, 0).text() == "after S2 — Between the second session and the concluding session"
    view.periods_box.setChecked(False)
    # a filter naming a period shows the periods, with that row selected
    window.state.set_filter(window.state.filter.with_(session_from="after-s2", session_to="after-s2"))
    assert view.periods_box.isChecked() and view.tree.currentIndex().data(SESSION_KEY_ROLE) == "after-s2"


def test_article_6_is_reached_by_typing_6(qtbot, window):
    panel = window.filter_panel
    qtbot.keyClicks(panel.provision_search, "6")
    tree, model = panel.provision_tree, panel.provision_model
    chapter = next(model.item(r) for r in range(model.rowCount()) if model.item(r).data(Qt.ItemDataRole.UserRole + 1))
    visible = [chapter.child(r).text() for r in range(chapter.rowCount()) if not tree.isRowHidden(r, chapter.index())]
    assert visible == ["Art. 6 — Respect for human rights (12)"]  # 7 is hidden; the count is on the node
    qtbot.keyClick(panel.provision_search, Qt.Key.Key_Return)
    assert window.state.filter.provisions == ("6",)
    wait_idle(qtbot, window)
    assert panel.selected_provision() == "6"


def test_words_and_the_keyboard_find_a_provision(qtbot, window):
    panel = window.filter_panel
    panel.provision_search.setFocus()
    qtbot.keyClicks(panel.provision_search, "human rights")
    qtbot.keyClick(panel.provision_search, Qt.Key.Key_Down)  # into the tree, on the best match
    assert window.state.filter.provisions == ("6",)
    qtbot.waitUntil(panel.provision_tree.hasFocus, timeout=WAIT_MS)
    panel.provision_search.clear()  # everything is listed again
    assert not any(panel.provision_tree.isRowHidden(r, panel.provision_model.index(0, 0).parent()) for r in range(4))
    assert "position(s)" in panel.provision_model.item(1).child(0).toolTip()  # the full title and count on hover


def test_the_table_shows_short_labels_and_the_full_texts_on_hover(qtbot, window):
    panel = window.filter_panel
    panel.select_provision("6")
    wait_idle(qtbot, window)
    column = TABLE_COLUMNS.index("question")
    rows = {window.model.index(r, column).data(): r for r in range(window.model.rowCount())}
    assert set(rows) == {"Keep the list of rights in…", "A strong human-rights clause"}  # 39 characters, cut
    tip = window.model.index(rows["Keep the list of rights in…"], column).data(Qt.ItemDataRole.ToolTipRole)
    assert "Keep the list of rights in Article 6(2)" in tip
    combo = panel.question  # the question filter lists the same labels, the text on hover
    at = combo.findText("Keep the list of rights in…")
    assert at > 0 and combo.itemData(at, Qt.ItemDataRole.ToolTipRole) == "Keep the list of rights in Article 6(2)"
    window.state.set_filter(window.state.filter.with_(session_from="s3", session_to="s3"))
    wait_idle(qtbot, window)
    session = TABLE_COLUMNS.index("session")
    assert window.model.rowCount() == 1
    assert window.model.index(0, session).data() == "Concl."
    assert "Concluding session" in window.model.index(0, session).data(Qt.ItemDataRole.ToolTipRole)


def test_column_widths_are_remembered(qtbot, window):
    column = TABLE_COLUMNS.index("summary")
    window.table.setColumnWidth(column, 333)
    again = reopen(qtbot, window)
    assert again.table.columnWidth(column) == 333
    again.close()


@pytest.fixture
def rollcall_window(qtbot, db_path, settings, dialogs, tmp_path):
    """The window on a generated roll call of 70 states (dense: every pair of states is tied)."""
    csv = tmp_path / "rollcall.csv"
    _, states = generate_contest(csv, shape="rollcall", actors=70, questions=20, seed=3)
    db = open_database(db_path)
    import_file(db, csv, "rollcall")
    apply_actor_registry(db, "rollcall", states)
    win = MainWindow(db, db_path, settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.switch_dataset("rollcall")
    wait_idle(qtbot, win)
    yield win
    win.close()
    db.close()


def test_a_dense_network_is_drawn_as_its_backbone_and_every_tie_is_one_switch_away(qtbot, rollcall_window):
    window = rollcall_window
    window.state.set_view("network")
    view = window.network_view
    wait_idle(qtbot, window)
    graph = view.result.graph
    assert graph.number_of_nodes() == 70 and graph.number_of_edges() > 70 * BACKBONE_NEIGHBOURS
    assert len(view.chart.edge_artist.get_segments()) <= backbone_of(graph).number_of_edges()
    assert "Backbone drawn" in view.status.text()
    # a redraw for the tab's new size may still be due; let it pass, so the switch alone is seen
    qtbot.waitUntil(lambda: not view._resize_timer.isActive() and not window.is_busy(), timeout=WAIT_MS)
    computed = view.content.result
    view.all_ties_box.setChecked(True)  # the switch: the drawing changes, the network is not recomputed
    qtbot.waitUntil(lambda: window.state.network_options.all_ties, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert view.content.result is computed
    assert len(view.chart.edge_artist.get_segments()) == graph.number_of_edges()
    assert "Backbone" not in view.status.text()


def test_a_timeline_row_shows_the_short_name_and_the_full_name_on_hover(qtbot, window):
    window.state.set_filter(window.state.filter.with_(provisions=("6",)))
    window.state.set_view("timeline")
    view = window.timeline_view
    wait_idle(qtbot, window)
    view.canvas.draw()
    labels = {t.get_text(): t for t in view.chart.axes.get_yticklabels()}
    assert "Russian Federation" in labels and "European Union" in labels  # short enough to show whole
    box = labels["Russian Federation"].get_window_extent()
    event = MouseEvent("motion_notify_event", view.canvas, (box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
    assert view.chart.row_name_at(event) == "Russian Federation"
