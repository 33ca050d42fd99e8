"""The Coverage view shows the counts the core computes, here counted by hand on
tests/ui/data/bundle: 18 positions under Articles 6 and 7 and the whole convention in three
sessions; one of Article 6's four positions in the second session (ui-8) is a machine-written
summary; every state of the bundle has an article-level position of its own."""

from __future__ import annotations

from PySide6.QtCore import Qt

from explorer.pipeline.coverage import coverage_for
from explorer.store.filters import PositionFilter
from explorer.ui.coverage_model import COUNT_ROLE, CoverageTableModel
from tests.ui.conftest import WAIT_MS, wait_idle

BY_HAND = {("6", "s1"): 7, ("6", "s2"): 4, ("6", "s3"): 1, ("7", "s2"): 3, ("whole", "s3"): 3}


def open_coverage(qtbot, window):
    window.state.set_view("coverage")
    view = window.coverage_view
    qtbot.waitUntil(lambda: view.report is not None, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    return view


def cells(model) -> dict[tuple[str, str], int]:
    out = {}
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            if index.data(COUNT_ROLE):
                out[model.keys(index)] = index.data(COUNT_ROLE)
    return out


def test_the_coverage_view_shows_the_counts_by_hand(qtbot, window):
    view = open_coverage(qtbot, window)
    model = view.model
    assert cells(model) == BY_HAND
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "First session",
        "Second session",
        "Concl.",  # the session's short label
    ]
    assert model.headerData(0, Qt.Orientation.Vertical) == "Art. 6 — Respect for human rights"
    art6_s2 = model.index(0, 1)
    assert art6_s2.data() == "4 · 25%"  # ui-8 of 4 is a machine-written summary
    assert "4 position(s), 1 of them (25%) from machine-written summaries" in art6_s2.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(0, 0).data() == "7" and model.index(1, 0).data() == ""  # Article 7: nothing in s1
    states = [view.states_with.item(i).text() for i in range(view.states_with.count())]
    assert states == ["Brazil", "China", "France", "Germany", "Russian Federation"] and view.states_without.count() == 0
    assert view.status.text().startswith("18 position(s) under 3 provision(s) in 3 session(s); 6% from")
    assert "Art. 6: 7" in view.articles.text()  # 7 actors on Article 6, the group and the NGO included


def test_the_coverage_view_follows_the_filter_and_a_cell_filters_to_it(qtbot, window):
    view = open_coverage(qtbot, window)
    view.table.doubleClicked.emit(view.model.index(0, 1))  # Article 6 in the second session
    wait_idle(qtbot, window)
    assert window.state.filter.provisions == ("6",) and window.state.filter.sessions == ("s2",)
    assert window.model.rowCount() == 4 and cells(view.model) == {("6", "s2"): 4}
    window.menus.actions["back"].trigger()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: cells(view.model) == BY_HAND, timeout=WAIT_MS)


def test_a_hidden_coverage_view_counts_once_shown(qtbot, window):
    view = open_coverage(qtbot, window)
    window.state.set_view("timeline")
    window.state.set_filter(PositionFilter(provisions=("7",)))
    wait_idle(qtbot, window)
    assert cells(view.model) == BY_HAND  # not recounted while hidden
    open_coverage(qtbot, window)
    qtbot.waitUntil(lambda: cells(view.model) == {("7", "s2"): 3}, timeout=WAIT_MS)


def test_coverage_model_passes_modeltester(qtmodeltester, window):
    model = CoverageTableModel()
    qtmodeltester.check(model)  # empty, before any report
    model.show(coverage_for(window.db, PositionFilter()))
    qtmodeltester.check(model)
