"""Drive the real window: filter by actor and provision, read the table, the charts, the details."""

from __future__ import annotations

import matplotlib.dates as mdates
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QToolTip

from explorer.charts.style import DARK, LIGHT
from explorer.names import normalize_name
from explorer.store.filters import PositionFilter
from explorer.ui.detail_pane import AI_SUMMARY_NOTE
from tests.ui.conftest import WAIT_MS, wait_idle


def table_column(window, name: str) -> list[str]:
    from explorer.store.queries import TABLE_COLUMNS

    column = TABLE_COLUMNS.index(name)
    model = window.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def widget_point(view, x: float, y: float) -> QPoint:
    """Where figure pixel (x, y) is on the canvas: the rendered picture is painted from the top
    left at the figure's size, and figure y grows upwards."""
    ratio = view.canvas.device_pixel_ratio
    assert view.canvas.picture is not None and view.canvas.picture.height() == round(view.canvas.figure.bbox.height)
    return QPoint(round(x / ratio), round((view.canvas.figure.bbox.height - y) / ratio))


def choose(qtbot, window, *, actors=(), provision=None):
    panel = window.filter_panel
    for actor in actors:
        panel.actor_search.setText(actor)
        qtbot.keyClick(panel.actor_search, Qt.Key.Key_Return)
    if provision is not None:
        panel.select_provision(provision)
    wait_idle(qtbot, window)


def test_window_opens_on_the_whole_dataset(window):
    assert window.model.rowCount() == 18
    assert "18 positions" in window.status_counts.text()
    assert window.sessions_view.model.rowCount() == 3
    first_session = window.sessions_view.model.item(0, 0)
    assert first_session.text() == "First session" and first_session.rowCount() == 2  # two meetings


def test_actor_and_provision_filter_table_and_charts(qtbot, window):
    # "Russia" is an alias: completion resolves it to the actor's name.
    choose(qtbot, window, actors=("Russia", "EU"), provision="6")
    assert window.state.filter.actors == ("Russian Federation", "European Union")
    assert window.state.filter.provisions == ("6",)
    actors = table_column(window, "actor")
    assert set(actors) == {"Russian Federation", "European Union"}
    assert len(actors) == 5  # Russia 3 (one undated), EU 2 on Article 6
    assert set(table_column(window, "provision")) == {"6"}

    network = window.network_view.result.graph
    assert sorted(network.nodes[n]["label"] for n in network) == ["European Union", "Russian Federation"]
    assert network.number_of_edges() == 0  # they never agreed on Article 6: the chart says so
    assert sorted(window.timeline_view.chart.actors) == ["European Union", "Russian Federation"]
    assert len(window.timeline_view.points) == 5  # the undated one is placed at its session start
    assert "Article 6" in window.timeline_view.canvas.figure.texts[0].get_text() or any(
        "Article 6" in t.get_text()
        for t in window.timeline_view.canvas.figure.findobj(lambda a: hasattr(a, "get_text"))
    )


def test_network_has_exactly_the_actors_of_the_provision(qtbot, window):
    choose(qtbot, window, provision="6")
    result = window.network_view.result
    labels = {result.graph.nodes[n]["label"] for n in result.graph}
    assert labels == set(table_column(window, "actor"))
    assert sorted(window.network_view.chart.node_order) == sorted(result.graph.nodes)  # all drawn
    assert labels == {"Russian Federation", "European Union", "France", "Germany", "China", "Brazil", "Access Now"}


def test_layout_is_kept_between_filters(qtbot, window):
    choose(qtbot, window, provision="6")
    before = dict(window.network_view.result.pos)
    window.filter_panel.stance.setCurrentIndex(window.filter_panel.stance.findData("support"))
    wait_idle(qtbot, window)
    assert window.network_view.layout_memory.keys() >= before.keys()
    # the same seed and filter give the same picture
    window.filter_panel.stance.setCurrentIndex(0)
    wait_idle(qtbot, window)
    again = window.network_view.result
    assert set(again.pos) == set(before)


def test_timeline_click_selects_the_position_in_the_table(qtbot, window):
    choose(qtbot, window, provision="7")
    view = window.timeline_view
    position_id = next(iter(view.points))
    window.state.set_view("timeline")
    with qtbot.waitSignal(view.position_clicked, timeout=WAIT_MS):
        view.position_clicked.emit(position_id)
    assert window.state.selection.positions == (position_id,)
    assert window.model.position_id(window.table.currentIndex().row()) == position_id  # the table shows it
    assert window.detail.position_id == position_id
    assert "illegal access" in window.detail.values["provision"].text().lower()
    assert view.summary_text(position_id).startswith(view.points[position_id].actor)


def test_click_on_a_timeline_marker(qtbot, window):
    """A real mouse click on the canvas, at the pixel where matplotlib drew the marker."""
    choose(qtbot, window, provision="7")
    window.state.set_view("timeline")
    view = window.timeline_view
    qtbot.waitUntil(view.canvas.isVisible, timeout=WAIT_MS)
    wait_idle(qtbot, window)  # redrawn at the size of the tab just shown
    artist, ids = view.chart.points_by_artist[0]
    point = widget_point(view, *artist.get_offset_transform().transform(artist.get_offsets()[0]))
    with qtbot.waitSignal(view.position_clicked, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [ids[0]]
    assert window.state.selection.positions == (ids[0],)
    assert window.model.position_id(window.table.currentIndex().row()) == ids[0]


def test_click_on_a_network_node_filters_to_that_actor(qtbot, window):
    choose(qtbot, window, provision="6")
    window.state.set_view("network")
    view = window.network_view
    qtbot.waitUntil(view.canvas.isVisible, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    artist = view.chart.node_artist
    index = view.chart.node_order.index(next(n for n in view.chart.node_order if view.node_label(n) == "China"))
    point = widget_point(view, *artist.get_offset_transform().transform(artist.get_offsets()[index]))
    with qtbot.waitSignal(view.actor_clicked, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=point)
    china = int(view.chart.node_order[index])
    assert blocker.args == [china]  # the actor's id, not its label
    wait_idle(qtbot, window)
    assert window.state.filter.actors == ("China",)
    assert window.state.selection.actor == china
    assert [window.filter_panel.actor_list.item(i).text() for i in range(window.filter_panel.actor_list.count())] == [
        "China"
    ]
    assert set(table_column(window, "actor")) == {"China"}


def test_network_controls_recompute(qtbot, window):
    choose(qtbot, window, provision="6")
    view = window.network_view
    view.seed_box.setValue(7)
    view.min_shared_box.setValue(2)
    qtbot.waitUntil(lambda: view.result.seed == 7 and view.result.min_shared == 2, timeout=WAIT_MS)
    assert "Seed: 7" in " ".join(t.get_text() for t in view.canvas.figure.texts) or "seed 7" in view.status.text()
    computed = view.content
    view.color_by_box.setCurrentIndex(view.color_by_box.findData("region"))
    qtbot.waitUntil(lambda: not view.is_busy() and "WEOG" in set(view.chart.categories.values()), timeout=WAIT_MS)
    assert view.content is computed  # only the colours changed: redrawn, not recomputed
    assert window.state.network_options.color_by == "region"


def test_choosing_a_session_filters_to_it(qtbot, window):
    sessions = window.sessions_view
    second = sessions.model.item(1, 0)
    sessions.tree.setCurrentIndex(second.index())
    wait_idle(qtbot, window)
    assert (window.state.filter.session_from, window.state.filter.session_to) == ("s2", "s2")
    assert set(table_column(window, "session")) == {"Second session"}
    assert window.filter_panel.session_from.currentData() == "s2"


def test_text_filter_is_debounced_and_safe(qtbot, window):
    panel = window.filter_panel
    window.menus.actions["find"].trigger()
    assert panel.text.hasFocus() or QApplication.focusWidget() is panel.text
    qtbot.keyClicks(panel.text, "U.S. don't NOT strong")
    assert window.state.filter.text == ""  # not yet: typing is debounced
    qtbot.waitUntil(lambda: window.state.filter.text == "U.S. don't NOT strong", timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert window.model.rowCount() == 0  # every word must match; no FTS syntax error
    panel.text.setText("clause")
    qtbot.waitUntil(lambda: window.state.filter.text == "clause", timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert window.model.rowCount() == 4


def test_detail_pane_shows_plain_text_and_only_web_links(qtbot, window, dialogs):
    window.filter_panel.text.setText("Germany backs")
    qtbot.waitUntil(lambda: window.state.filter.text == "Germany backs", timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert window.model.rowCount() == 1
    window.table.selectRow(0)
    detail = window.detail
    summary = detail.values["summary"]
    assert summary.text() == "<b>x</b> Germany backs the list."
    assert summary.textFormat() == Qt.TextFormat.PlainText
    assert not detail.ai_note.isVisible()
    # a UN document symbol opens through undocs.org
    assert detail.open_source.isEnabled()
    detail.open_source.click()
    assert dialogs.opened_urls == ["https://undocs.org/A/AC.291/L.15"]
    # table text is display text (never rendered as HTML); tooltips are escaped
    summary_column = table_column(window, "summary")
    assert summary_column == ["<b>x</b> Germany backs the list."]
    from explorer.store.queries import TABLE_COLUMNS

    tooltip = window.model.index(0, TABLE_COLUMNS.index("summary")).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;b&gt;x&lt;/b&gt;" in tooltip and "<b>x</b>" not in tooltip


def test_a_row_clicked_low_in_the_table_is_the_row_selected(qtbot, window):
    """Selecting a row selects its position; the table must not scroll while Qt handles the
    click (it selects what is under the mouse once the press is handled)."""
    window.right_split.setSizes([900, 130])  # a short table: most of its 18 rows out of sight
    wait_idle(qtbot, window)
    table, model = window.table, window.model
    viewport = table.viewport().rect()
    row = max(r for r in range(model.rowCount()) if viewport.contains(table.visualRect(model.index(r, 2))))
    assert 0 < row < model.rowCount() - 2  # rows above and below: centring it would scroll
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(model.index(row, 2)).center())
    assert window.state.selection.positions == (model.position_id(row),)
    assert [i.row() for i in table.selectionModel().selectedRows()] == [row]


def test_detail_pane_warns_about_machine_written_summaries(qtbot, window):
    window.state.set_filter(PositionFilter(source_kinds=("ai-meeting-summary",)))
    wait_idle(qtbot, window)
    window.table.selectRow(0)
    assert window.detail.ai_note.isVisible()
    assert window.detail.ai_note.text() == AI_SUMMARY_NOTE
    assert window.detail.values["source_kind"].text() == "ai-meeting-summary"


def test_theme_switch_rethemes_the_charts(qtbot, window):
    window.menus.actions["theme_dark"].trigger()
    qtbot.waitUntil(lambda: window.timeline_view.theme is DARK and not window.is_busy(), timeout=WAIT_MS)
    wait_idle(qtbot, window)
    from matplotlib.colors import to_hex

    assert to_hex(window.timeline_view.canvas.figure.get_facecolor()) == DARK.figure_bg.lower()
    assert to_hex(window.network_view.canvas.figure.get_facecolor()) == DARK.figure_bg.lower()
    window.menus.actions["theme_light"].trigger()
    qtbot.waitUntil(lambda: window.timeline_view.theme is LIGHT, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert to_hex(window.timeline_view.canvas.figure.get_facecolor()) == LIGHT.figure_bg.lower()


def test_about_names_the_dataset_and_how_to_cite(window, dialogs):
    window.menus.actions["about"].trigger()
    (text,) = dialogs.abouts
    assert "UI test negotiation" in text and "0.1.0" in text and "How to cite" in text


def test_standard_shortcuts_and_accessible_names(window):
    shortcuts = {
        name: window.menus.actions[name].shortcut().toString() for name in ("import", "export_chart", "find", "quit")
    }
    assert shortcuts == {"import": "Ctrl+O", "export_chart": "Ctrl+E", "find": "Ctrl+F", "quit": "Ctrl+Q"}
    assert window.timeline_view.canvas.accessibleName()
    assert window.network_view.canvas.accessibleName()
    assert "position" in window.timeline_view.canvas.accessibleDescription()


def test_window_state_and_last_filter_are_restored(qtbot, db_path, settings, dialogs):
    from explorer.store.database import open_database
    from explorer.ui.main_window import MainWindow

    db = open_database(db_path)
    first = MainWindow(db, db_path, settings)
    qtbot.addWidget(first)
    first.resize(790, 700)  # the offscreen screen is 800 pixels wide
    first.show()
    wait_idle(qtbot, first)  # the chart views, built after the first paint, set the window's minimum size
    first.main_split.setSizes([300, 490])
    sizes = first.main_split.sizes()
    first.filter_panel.select_provision("7")
    first.network_view.seed_box.setValue(9)
    wait_idle(qtbot, first)
    first.close()
    assert settings.store.value("window/geometry") is not None

    second = MainWindow(db, db_path, settings)
    qtbot.addWidget(second)
    second.show()
    wait_idle(qtbot, second)
    assert second.state.filter.provisions == ("7",)
    assert second.filter_panel.selected_provision() == "7"
    assert second.main_split.sizes() == sizes
    assert second.network_view.seed_box.value() == 9
    second.close()
    db.close()


def test_above_the_marker_budget_the_timeline_is_a_density_whose_cells_open(qtbot, window, monkeypatch):
    """The budget and the density are the pipeline's (tests/test_pipeline_views.py); the view shows
    the density, names a cell on hover, and a click on it filters to that actor and those days."""
    from explorer.charts.timeline_density_chart import TimelineDensityChart
    from explorer.pipeline import timeline

    monkeypatch.setattr(timeline, "POINT_LIMIT", 10)
    window.state.set_view("timeline")
    view = window.timeline_view
    view.refresh()
    wait_idle(qtbot, window)
    chart = view.chart
    assert isinstance(chart, TimelineDensityChart) and view.points == {}
    assert view.status.text().startswith(view.content.status) and "each cell counts" in view.status.text()
    density = chart.density
    row, index = next((r, i) for r in range(len(density.actors)) for i in range(density.bins) if density.counts[r, i])
    x = mdates.date2num(density.bin_dates(index)[0]) + density.bin_days / 2
    point = widget_point(view, *chart.axes.transData.transform((x, row)))
    shown: list[str] = []
    monkeypatch.setattr(QToolTip, "showText", lambda _pos, text, *_: shown.append(text))
    qtbot.mouseMove(view.canvas, point)
    qtbot.waitUntil(lambda: bool(shown), timeout=WAIT_MS)
    assert density.actors[row] in shown[-1] and "Click to see these positions" in shown[-1]
    window.state.select_actor(density.actor_ids[row])  # e.g. a node clicked: its row is outlined
    wait_idle(qtbot, window)
    (outlines,) = [c for c in chart.axes.collections if c.get_gid() == "selection-outlines"]
    ((y0, y1),) = [(min(y for _x, y in s), max(y for _x, y in s)) for s in outlines.get_segments()]
    assert (y0, y1) == (row - 0.5, row + 0.5) and view.chart is chart  # marked, not redrawn from scratch
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=point)
    first, last = density.bin_dates(index)
    assert window.state.filter.actors == (density.actors[row],)
    assert (window.state.filter.date_from, window.state.filter.date_to) == (first.isoformat(), last.isoformat())
    wait_idle(qtbot, window)
    assert view.points and len(view.points) == int(density.counts[row, index])  # one by one again
    assert window.state.back() and window.state.filter.actors == ()  # Back returns to the density
    choose(qtbot, window, actors=("Russia", "EU"), provision="6")  # 5 positions: drawn one by one again
    assert len(view.points) == 5 and view.chart.points_by_artist
    assert view.status.text() == view.content.status == "5 position(s) by 2 actor(s) on the time axis."


def test_the_actor_box_adds_every_spelling_the_importer_takes_for_one_actor(qtbot, tmp_path):
    """On the bundled dataset, an actor typed in any spelling the importer equates (case, accents,
    spaces: explorer.names) or by an alias is added as the one actor it names; the panel reads
    its choices on a worker, as in the window."""
    from explorer.ingest.bundled import ensure_bundled
    from explorer.state import AppState
    from explorer.store.database import open_database
    from explorer.ui.filter_panel import FilterPanel
    from explorer.ui.workers import TaskRunner

    path = tmp_path / "bundled.sqlite"
    db = open_database(path)
    ensure_bundled(db)
    state, runner = AppState(db), TaskRunner(path)
    panel = FilterPanel(state, db, runner=runner)
    qtbot.addWidget(panel)
    try:
        qtbot.waitUntil(lambda: panel.session_from.count() > 1, timeout=WAIT_MS)  # the choices arrived
        qtbot.keyClicks(panel.actor_search, "TURKIYE")
        qtbot.keyClick(panel.actor_search, Qt.Key.Key_Return)
        assert state.filter.actors == ("Türkiye",)
        assert [panel.actor_list.item(i).text() for i in range(panel.actor_list.count())] == ["Türkiye"]
        assert panel.actor_search.text() == ""
        for typed, actor in (
            ("Turkiye", "Türkiye"),
            ("  türkiye ", "Türkiye"),
            ("TÜRKIYE", "Türkiye"),
            ("republic of turkiye", "Türkiye"),  # an alias, by the same rule
            ("COTE D'IVOIRE", "Côte d'Ivoire"),
        ):
            state.set_filter(PositionFilter())
            assert panel.add_actor(typed), typed
            assert state.filter.actors == (actor,), typed
        assert not panel.add_actor("Turkiyeh")  # the rule equates spellings, it does not guess
        # typing part of a name offers it whatever the accents; Down + Enter picks it
        state.set_filter(PositionFilter())
        qtbot.keyClicks(panel.actor_search, "turki")
        popup = panel.actor_completer.popup()
        assert popup.isVisible()
        offered = panel._completion.stringList()
        assert offered[0] == "Türkiye" and all("rki" in normalize_name(o) for o in offered)
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        assert state.filter.actors == ("Türkiye",)
        qtbot.waitUntil(lambda: panel.actor_search.text() == "", timeout=WAIT_MS)
    finally:
        runner.shutdown()
        db.close()
