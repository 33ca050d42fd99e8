"""Every item model passes qtmodeltester; the table pages and sorts in SQL."""

from __future__ import annotations

from PySide6.QtCore import Qt

from explorer.store.filters import PositionFilter, compile_filter
from explorer.store.queries import TABLE_COLUMNS, count_positions
from explorer.ui.plain_text import openable_url, rich_tooltip
from explorer.ui.positions_model import PositionsTableModel


def test_positions_model_passes_modeltester(qtmodeltester, window):
    qtmodeltester.check(window.model)


def test_positions_model_pages_and_sorts_in_sql(qtmodeltester, window):
    model = PositionsTableModel(window.db)
    model.PAGE_SIZE = 4  # several pages for 18 rows
    compiled = compile_filter(window.db, PositionFilter(dataset="ui-fixture"))
    model.show(compiled, count_positions(window.db, compiled), [])  # no first page: read on demand
    qtmodeltester.check(model)
    actor = TABLE_COLUMNS.index("actor")
    model.sort(actor, Qt.SortOrder.AscendingOrder)
    names = [model.index(r, actor).data() for r in range(model.rowCount())]
    assert names == sorted(names, key=str.casefold) and len(names) == 18
    model.sort(actor, Qt.SortOrder.DescendingOrder)
    assert next(model.index(r, actor).data() for r in range(model.rowCount())) == "Russian Federation"
    last = model.position_id(17)
    assert model.row_of(last) == 17
    qtmodeltester.check(model)


def test_sessions_provisions_and_completion_models_pass_modeltester(qtmodeltester, window):
    qtmodeltester.check(window.sessions_view.model)
    qtmodeltester.check(window.filter_panel.provision_model)
    qtmodeltester.check(window.filter_panel._completion)


def test_only_web_links_and_un_symbols_open():
    assert openable_url("https://example.org/x") == "https://example.org/x"
    assert openable_url("A/RES/79/243") == "https://undocs.org/A/RES/79/243"
    for unsafe in ("javascript:alert(1)", "file:///etc/passwd", "ftp://example.org", "not a link", "", None):
        assert openable_url(unsafe) is None


def test_tooltips_show_markup_literally():
    assert rich_tooltip("<b>x</b> & y") == "<p style='white-space:pre-wrap'>&lt;b&gt;x&lt;/b&gt; &amp; y</p>"
