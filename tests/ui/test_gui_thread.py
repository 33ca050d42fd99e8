"""What keeps the GUI thread free (issue #13): charts are rendered on workers and the canvas only
paints the picture; old figures are taken apart on a worker; table pages, row lookups and the
filter panel's choices are read on workers; garbage is collected when the window is idle."""

from __future__ import annotations

import gc
import threading

import matplotlib.artist
import numpy as np
from matplotlib.figure import Figure
from PySide6.QtCore import Qt

from explorer.store.filters import PositionFilter, compile_filter
from explorer.store.queries import TABLE_COLUMNS, count_positions
from explorer.ui import garbage_collection
from explorer.ui.chart_view import release_figure, render_picture
from explorer.ui.filter_panel import ChoiceListModel, FilterPanel
from explorer.ui.positions_model import PositionsTableModel
from tests.ui.conftest import WAIT_MS, wait_idle
from tests.ui.test_main_window import widget_point


def test_figures_are_rendered_on_workers_and_the_canvas_paints_their_picture(qtbot, window, monkeypatch):
    rendering_threads: set[str] = set()
    real_draw = Figure.draw

    def draw(self, renderer):
        rendering_threads.add(threading.current_thread().name)
        return real_draw(self, renderer)

    monkeypatch.setattr(Figure, "draw", draw)
    for view_name in ("timeline", "network"):
        window.state.set_view(view_name)
        wait_idle(qtbot, window)
        window.filter_panel.select_provision("6")
        wait_idle(qtbot, window)
        view = window.current_chart_view()
        view.canvas.repaint()  # a paint on the GUI thread
        picture, figure = view.canvas.picture, view.canvas.figure
        assert picture is not None and figure is view.chart.figure and figure.canvas is view.canvas
        # the picture is the figure at the canvas's size, and it is what the canvas shows
        assert (picture.width(), picture.height()) == (round(figure.bbox.width), round(figure.bbox.height))
        assert abs(figure.bbox.width / view.canvas.device_pixel_ratio - view.canvas.width()) <= 1
        shown = view.canvas.grab().toImage()
        middle = (picture.width() // 2, picture.height() // 2)
        assert shown.pixelColor(*middle) == picture.pixelColor(*middle)
        window.filter_panel.select_provision(None)
        wait_idle(qtbot, window)
    assert rendering_threads and threading.main_thread().name not in rendering_threads


def test_an_artist_changed_on_the_gui_thread_is_rendered_again_on_a_worker(qtbot, window):
    """Code that changes the shown figure anyway calls draw_idle(), as with any canvas."""
    window.state.set_view("network")
    wait_idle(qtbot, window)
    view = window.network_view
    before, figure = view.canvas.picture, view.canvas.figure
    middle = (before.width() // 2, before.height() // 2)
    figure.patch.set_facecolor("#FF00FF")  # a change made outside the view
    view.canvas.draw_idle()
    qtbot.waitUntil(lambda: view.canvas.picture is not before, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert view.canvas.figure is figure and view.chart.figure is figure  # the same chart, not a new one
    assert figure.canvas is view.canvas  # so its artists still answer the canvas's mouse events
    assert view.canvas.picture.pixelColor(0, 0).name() == "#ff00ff"
    assert view.canvas.picture.size() == before.size() and before.pixelColor(*middle).isValid()


def test_a_selection_is_marked_on_a_worker_and_its_picture_shown(qtbot, window):
    window.state.set_view("timeline")
    wait_idle(qtbot, window)
    view, chart = window.timeline_view, window.timeline_view.chart
    on_gui_thread: list[bool] = []
    mark = view.mark_selection

    def marking(chart, selection):
        on_gui_thread.append(threading.current_thread() is threading.main_thread())
        return mark(chart, selection)

    view.mark_selection = marking
    before = view.canvas.picture
    artist, ids = chart.points_by_artist[0]
    window.state.select_positions([ids[0]])
    wait_idle(qtbot, window)
    assert on_gui_thread == [False]  # marked once, on a worker
    (rings,) = [c for c in chart.axes.collections if c.get_gid() == "selection-rings"]
    assert np.allclose(rings.get_offsets(), [artist.get_offsets()[0]])
    assert view.chart is chart and view.canvas.figure is chart.figure  # the same chart, marked
    assert view.canvas.picture is not before and view.canvas.picture != before  # the ring is on screen
    point = widget_point(view, *artist.get_offset_transform().transform(artist.get_offsets()[0]))
    with qtbot.waitSignal(view.position_clicked, timeout=WAIT_MS) as blocker:  # the marker still answers
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [ids[0]]


def test_a_released_figure_leaves_no_artist_for_the_garbage_collector(qtbot):
    figure = Figure(figsize=(4, 3))
    axes = figure.add_subplot()
    axes.scatter([1, 2, 3], [3, 1, 2], picker=True)
    axes.set_title("released")
    figure.legend(["points"])
    render_picture(figure)  # a QImage of the figure, as a worker makes it
    gc.collect()
    release_figure(figure)
    del figure, axes
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        artists = [o for o in gc.garbage if isinstance(o, matplotlib.artist.Artist)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert artists == []


def test_table_pages_and_row_lookups_are_read_on_a_worker(qtbot, window):
    model = PositionsTableModel(window.db, runner=window.runner)
    model.PAGE_SIZE = 4  # several pages for 18 rows
    compiled = compile_filter(window.db, PositionFilter(dataset="ui-fixture"))
    model.show(compiled, count_positions(window.db, compiled), [])
    actor = TABLE_COLUMNS.index("actor")
    assert model.index(9, actor).data() is None  # page 2 is not read yet: asked for, shown empty
    with qtbot.waitSignal(model.dataChanged, timeout=WAIT_MS) as changed:
        pass
    first, last = changed.args[0], changed.args[1]
    assert (first.row(), last.row()) == (8, 11)
    assert model.index(9, actor).data()
    # a sort makes pages still on their way stale: they are dropped, the new order is read
    model.sort(actor, Qt.SortOrder.DescendingOrder)
    assert model.index(0, actor).data() is None
    qtbot.waitUntil(lambda: model.index(0, actor).data() == "Russian Federation", timeout=WAIT_MS)
    wait_idle(qtbot, window)
    position = window.db.execute(
        "SELECT p.id FROM positions p JOIN actors a ON a.id = p.actor_id ORDER BY a.name COLLATE NOCASE, p.id LIMIT 1"
    ).fetchone()[0]
    found: list[dict[int, int]] = []
    model.find_rows([position], found.append)  # the page holding it is not read: a worker looks it up
    assert found == []
    qtbot.waitUntil(lambda: found == [{position: model.rowCount() - 1}], timeout=WAIT_MS)


def test_the_filter_panel_reads_its_choices_on_a_worker(qtbot, window, qtmodeltester):
    panel = FilterPanel(window.state, window.db, runner=window.runner)
    qtbot.addWidget(panel)
    assert panel.session_from.count() == 1  # "Any" only: the sessions are on their way
    qtbot.waitUntil(lambda: panel.session_from.count() > 1, timeout=WAIT_MS)
    assert panel.session_from.itemText(1) == window.filter_panel.session_from.itemText(1)
    questions = panel.question.model()
    assert isinstance(questions, ChoiceListModel)
    qtmodeltester.check(questions)
    key = questions.choices[1][1]
    window.state.set_filter(PositionFilter(questions=(key,)))
    assert panel.question.currentData() == key and panel.question.currentIndex() == questions.row_of(key)
    assert panel.question.model() is questions  # the same list: not rebuilt


def test_garbage_is_collected_when_the_window_is_idle(qtbot, window, monkeypatch):
    collector = garbage_collection.GuiThreadCollector()
    collected: list[int] = []
    monkeypatch.setattr(garbage_collection.gc, "collect", lambda generation=2: collected.append(generation))
    monkeypatch.setattr(garbage_collection.gc, "get_count", lambda: (10_000, 0, 0))
    busy = [True]
    collector.busy = lambda: busy[0]
    collector.check()
    assert collected == []  # a filter change is still on its way
    busy[0] = False
    collector.check()
    assert collected == [0]
    busy[0] = True
    monkeypatch.setattr(garbage_collection, "MAX_DELAY_S", 0.0)
    collector.check()
    assert collected == [0, 0]  # busy for too long: collect anyway
    collector.timer.stop()
    collector.deleteLater()
