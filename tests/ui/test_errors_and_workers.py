"""Errors are shown once and bugs reach the crash dialog (from a slot and from a worker); long
work stays off the GUI thread, stale results are dropped, one figure is drawn at a time."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from explorer import paths
from explorer.errors import ExportError
from explorer.state import AppState
from explorer.store.filters import PositionFilter
from explorer.ui.error_report import CRASH_LOG, ErrorReporter
from explorer.ui.main_window import VIEW_NAMES
from explorer.ui.state_binding import subscribe
from explorer.ui.workers import FIGURE_LOCK, TaskRunner
from tests.ui.conftest import WAIT_MS, wait_idle


def test_a_user_facing_error_is_a_message_and_a_bug_a_crash_report(qtbot, dialogs):
    messages: list[str] = []
    reporter = ErrorReporter(None, messages.append)
    reporter.report(ExportError("cannot write /x/y.csv: no such folder"), "Export failed")
    assert dialogs.errors == [("Export failed", "cannot write /x/y.csv: no such folder", "")]
    try:
        {}["missing"]
    except KeyError as exc:
        reporter.report(exc)
    ((report, log),) = dialogs.crashes
    assert "KeyError: 'missing'" in report and "Traceback" in report and "Negotiation Explorer" in report
    assert log == paths.user_data_folder() / CRASH_LOG and report in log.read_text(encoding="utf-8")
    dialogs.crashes.clear()


@pytest.mark.qt_no_exception_capture  # the app's own hook must see the exception, not pytest-qt's
def test_an_exception_in_a_slot_reaches_the_crash_dialog(qtbot, window, dialogs):
    window.errors.install()
    try:
        QTimer.singleShot(0, lambda: 1 / 0)
        qtbot.waitUntil(lambda: bool(dialogs.crashes), timeout=WAIT_MS)
        # a user-facing error from a slot: one message, no crash report
        QTimer.singleShot(0, lambda: window.state.set_filter(PositionFilter(actors=("Nowhere",))))
        qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=WAIT_MS)
    finally:
        window.errors.uninstall()
    ((report, _log),) = dialogs.crashes
    assert "ZeroDivisionError" in report
    assert "Nowhere" in dialogs.errors[0][1] and len(dialogs.crashes) == 1
    assert window.state.filter.actors == ()  # the bad filter changed nothing
    dialogs.crashes.clear()


def test_a_failing_worker_reaches_the_crash_dialog(qtbot, window, dialogs):
    def broken(_db, _progress, _cancel):
        raise RuntimeError("worker bug")

    window.runner.submit("test", broken, on_done=lambda _r: None)
    qtbot.waitUntil(lambda: bool(dialogs.crashes), timeout=WAIT_MS)
    assert "RuntimeError: worker bug" in dialogs.crashes[0][0]
    dialogs.crashes.clear()


def test_a_chart_that_fails_is_reported_not_swallowed(qtbot, window, dialogs, monkeypatch):
    from explorer.pipeline import timeline

    def broken(*_args, **_kwargs):
        raise ValueError("builder bug")

    monkeypatch.setattr(timeline, "timeline_content", broken)
    window.timeline_view.refresh()
    qtbot.waitUntil(lambda: bool(dialogs.crashes), timeout=WAIT_MS)
    assert "ValueError: builder bug" in dialogs.crashes[0][0]
    assert "Could not draw" in window.timeline_view.status.text()
    dialogs.crashes.clear()


def test_counts_and_pages_are_read_off_the_gui_thread(qtbot, window, monkeypatch):
    from explorer.store import queries

    threads: dict[str, set[bool]] = {}
    for name in ("count_positions", "count_actors", "position_page"):
        real = getattr(queries, name)

        def spy(*args, name=name, real=real, **kwargs):
            threads.setdefault(name, set()).add(threading.current_thread() is threading.main_thread())
            return real(*args, **kwargs)

        monkeypatch.setattr(queries, name, spy)
    window.filter_panel.stance.setCurrentIndex(window.filter_panel.stance.findData("oppose"))
    wait_idle(qtbot, window)
    assert window.model.rowCount() > 0 and "oppose" in window.count_label.text()
    assert threads["count_positions"] == threads["count_actors"] == threads["position_page"] == {False}


def test_stale_results_are_dropped_and_cancelled(qtbot, db_path):
    runner = TaskRunner(db_path)
    release = threading.Event()
    seen_cancel: list[bool] = []

    def slow(_db, _progress, cancel):
        release.wait(WAIT_MS / 1000)
        seen_cancel.append(cancel())
        return "old"

    delivered: list[str] = []
    runner.submit("chart", slow, on_done=delivered.append)
    runner.submit("chart", lambda *_: "new", on_done=delivered.append)
    qtbot.waitUntil(lambda: delivered == ["new"], timeout=WAIT_MS)
    release.set()
    qtbot.waitUntil(lambda: not runner.is_busy(), timeout=WAIT_MS)
    assert delivered == ["new"] and seen_cancel == [True]
    runner.shutdown()


def test_only_one_figure_is_built_at_a_time(qtbot, window, monkeypatch):
    """Both charts redraw at once; their builders never overlap (matplotlib's font cache)."""
    from explorer.pipeline import network, timeline

    inside, overlap = [0], [0]
    guard = threading.Lock()

    def exclusive(real):
        def draw(*args, **kwargs):
            assert FIGURE_LOCK.locked()
            with guard:
                inside[0] += 1
                overlap[0] = max(overlap[0], inside[0])
            time.sleep(0.05)  # widen the window in which a second builder could enter
            try:
                return real(*args, **kwargs)
            finally:
                with guard:
                    inside[0] -= 1

        return draw

    monkeypatch.setattr(timeline, "draw_timeline", exclusive(timeline.draw_timeline))
    monkeypatch.setattr(network, "draw_network", exclusive(network.draw_network))
    for _ in range(3):
        window.state.set_filter(PositionFilter(provisions=("6",)))
        window.state.set_filter(PositionFilter())
    wait_idle(qtbot, window)
    assert overlap == [1] and window.timeline_view.chart is not None


def test_a_view_that_goes_away_is_no_longer_called(qtbot, window):
    calls: list[object] = []
    owner = QObject()
    subscribe(owner, window.state.filter_changed, calls.append)
    window.state.set_filter(PositionFilter(stances=("support",)))
    with qtbot.waitSignal(owner.destroyed, timeout=WAIT_MS):
        owner.deleteLater()
    window.state.set_filter(PositionFilter())
    wait_idle(qtbot, window)
    assert len(calls) == 1


def test_menus_call_their_commands_without_a_window(qtbot):
    from PySide6.QtWidgets import QMenuBar

    from explorer.ui.menus import DatasetChoice, MenuCommands, build_menus

    called: list[object] = []
    commands = MenuCommands(
        **{name: (lambda *a, name=name: called.append((name, *a))) for name in MenuCommands.__dataclass_fields__}
    )
    commands = MenuCommands(
        **{
            **vars(commands),
            "recent_imports": lambda: ["/no/such/file.csv"],
            "datasets": lambda: [DatasetChoice("a", "A", True), DatasetChoice("b", "b", False)],
            "theme": lambda: "dark",
        }
    )
    bar = QMenuBar()
    qtbot.addWidget(bar)
    menus = build_menus(bar, commands, (("sessions", "&Sessions"), ("network", "&Network")))
    assert menus.actions["theme_dark"].isChecked()  # the current choice, asked of the commands
    menus.actions["show_network"].trigger()
    menus.actions["theme_light"].trigger()
    menus.actions["export_data"].trigger()
    menus.datasets.aboutToShow.emit()
    entries = {a.text(): a for a in menus.datasets.actions()}
    assert entries["A (a)"].isChecked() and not entries["b"].isChecked()
    entries["b"].trigger()
    assert called == [("show_view", "network"), ("set_theme", "light"), ("export_data",), ("switch_dataset", "b")]


def test_the_state_is_the_windows_truth(qtbot, window):
    """The panel, the sessions view, the tabs and Back all render what the state holds."""
    assert isinstance(window.state, AppState)
    window.state.set_filter(PositionFilter(provisions=("7",), stances=("support",), session_from="s2", session_to="s2"))
    wait_idle(qtbot, window)
    panel = window.filter_panel
    assert panel.selected_provision() == "7" and panel.stance.currentData() == "support"
    assert window.sessions_view.tree.currentIndex().data() == "Second session"
    window.menus.actions["show_network"].trigger()
    assert window.tabs.currentIndex() == VIEW_NAMES.index("network") and window.state.view == "network"
    assert window.state.back()  # the tab change
    assert window.tabs.currentIndex() == VIEW_NAMES.index("overview")  # where a new user starts
    assert window.state.back()  # the filter
    wait_idle(qtbot, window)
    assert panel.selected_provision() is None and panel.stance.currentData() is None
    assert window.model.rowCount() == 18


def test_task_signals_belong_to_the_runner_and_go_once_delivered(qtbot, db_path):
    """Owned by Qt, deleted on the GUI thread: never by a garbage collection in a worker thread."""
    from explorer.ui.workers import _TaskSignals

    runner = TaskRunner(db_path)
    delivered: list[int] = []
    task = runner.submit("count", lambda *_: 7, on_done=delivered.append)
    assert task.signals.parent() is runner
    qtbot.waitUntil(lambda: delivered == [7] and not runner.findChildren(_TaskSignals), timeout=WAIT_MS)
    runner.shutdown()


def test_garbage_is_collected_on_the_gui_thread_only(qtbot, window):
    """A worker must never run the collection that deletes a Qt object (a segfault under load)."""
    import gc

    from explorer.ui.garbage_collection import GuiThreadCollector

    collectors = QApplication.instance().findChildren(GuiThreadCollector)
    assert len(collectors) == 1 and collectors[0].timer.isActive() and not gc.isenabled()
    threads: list[bool] = []

    def note(phase, _info):
        if phase == "start":
            threads.append(threading.current_thread() is threading.main_thread())

    gc.callbacks.append(note)
    try:
        garbage = []
        for _ in range(20_000):  # cycles enough to cross the first threshold
            cycle: list[object] = []
            cycle.append(cycle)
            garbage.append(cycle)
        del garbage, cycle
        qtbot.waitUntil(lambda: bool(threads), timeout=WAIT_MS)
    finally:
        gc.callbacks.remove(note)
    assert set(threads) == {True}
