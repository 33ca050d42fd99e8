"""Hostile text in the real window: HTML, bidi marks, emoji and 10,000-character strings are
shown as plain text (table, tooltips, detail pane, chart labels), and only http(s) links open.
"""

from __future__ import annotations

import html
import json

import matplotlib.text
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from explorer.ingest.bundled import ensure_bundled
from explorer.ingest.importer import import_file
from explorer.store.database import open_database
from explorer.ui import dialogs as dialogs_module
from explorer.ui.dialogs import open_url as real_open_url  # before the dialogs fixture replaces it
from explorer.ui.plain_text import openable_url
from explorer.ui.positions_model import POSITION_ID_ROLE
from tests.ui.conftest import UI_DATA, wait_idle

# Emoji and flags have no glyph in DejaVu (drawn as boxes); the project's warning filter would turn
# matplotlib's warning into an error in the chart worker, which the window reports as a crash.
pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font:UserWarning")

ACTORS = ("<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">Evil</a>', "\u202eRTL\u202c Land 🇺🇳")
SUMMARIES = (
    "<b>bold?</b> <img src=x onerror=alert(1)>",
    "\u200fمرحبا\u200f 👩\u200d👩\u200d👧 <i>x</i>",
    "<a href='javascript:alert(1)'>" + "y" * 10_000 + "</a>",
)
MARKERS = ("<img", "<a href", "<b>", "\u202e", "\u200f")


@pytest.fixture
def db_path(tmp_path):
    """The UI test bundle plus three hostile positions on one question (overrides conftest)."""
    path = tmp_path / "hostile.sqlite"
    db = open_database(path)
    ensure_bundled(db, UI_DATA / "bundle")
    rows = [
        {
            "actor": a,
            "question": "hostile-question",
            "provision": "6",
            "stance": s,
            "date": f"2024-02-0{i + 1}",
            "summary": t,
            "source_url": f"https://example.org/{i}",
        }
        for i, (a, t, s) in enumerate(zip(ACTORS, SUMMARIES, ("support", "oppose", "support"), strict=True))
    ]
    source = tmp_path / "hostile.jsonl"
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    import_file(db, source)
    # a source that an older version or another tool wrote: never importable, must never open
    db.execute("UPDATE sources SET url = 'javascript:alert(1)' WHERE url = 'https://example.org/1'")
    db.conn.commit()
    db.close()
    return path


@pytest.fixture
def hostile(qtbot, window):
    window.filter_panel.select_provision("6")
    wait_idle(qtbot, window)
    return window


def hostile_rows(window) -> dict[str, int]:
    """summary -> table row, for the hostile positions."""
    column = window.model.columnCount()
    found = {}
    for row in range(window.model.rowCount()):
        for col in range(column):
            value = window.model.index(row, col).data(Qt.ItemDataRole.DisplayRole)
            if value in SUMMARIES:
                found[value] = row
    return found


def test_table_shows_raw_text_and_escapes_tooltips(hostile):
    rows = hostile_rows(hostile)
    assert set(rows) == set(SUMMARIES), "DisplayRole returns each summary exactly as imported"
    displayed = {hostile.model.index(r, c).data() for r in rows.values() for c in range(hostile.model.columnCount())}
    assert set(ACTORS) <= displayed
    for summary, row in rows.items():
        for col in range(hostile.model.columnCount()):
            index = hostile.model.index(row, col)
            tip = index.data(Qt.ItemDataRole.ToolTipRole)
            if index.data() == summary and tip:
                # shown literally: every < is escaped inside one explicit rich-text paragraph
                assert "<img" not in tip and "<a " not in tip
                assert (
                    html.unescape(tip.removeprefix("<p style='white-space:pre-wrap'>").removesuffix("</p>")) == summary
                )


def test_detail_pane_and_every_data_label_are_plain_text(qtbot, hostile, dialogs):
    for summary, row in hostile_rows(hostile).items():
        position_id = hostile.model.index(row, 0).data(POSITION_ID_ROLE)
        hostile.state.select_positions([position_id])
        qtbot.waitUntil(lambda position_id=position_id: hostile.detail.position_id == position_id)
        assert hostile.detail.values["summary"].text() == summary
        showing_data = [
            label
            for label in hostile.findChildren(QLabel)
            if label.isVisible() and any(m in label.text() for m in MARKERS)
        ]
        assert showing_data, "the hostile text is on screen"
        for label in showing_data:
            assert label.textFormat() == Qt.TextFormat.PlainText, label.text()[:80]


def test_only_http_links_open(qtbot, hostile, dialogs, monkeypatch):
    opened = []
    monkeypatch.setattr(dialogs_module.QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    for url in (
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "file:///etc/passwd",
        "data:text/html,<b>x</b>",
        "vbscript:x",
        "ftp://x.org/",
        "<a href='javascript:alert(1)'>x</a>",
        " javascript:alert(1)",
    ):
        assert real_open_url(url) is False
        assert openable_url(url) is None
    assert opened == []
    assert real_open_url("https://example.org/ok") is True and opened == ["https://example.org/ok"]

    rows = hostile_rows(hostile)
    for summary, expected in ((SUMMARIES[1], None), (SUMMARIES[0], "https://example.org/0")):
        position_id = hostile.model.index(rows[summary], 0).data(POSITION_ID_ROLE)
        hostile.state.select_positions([position_id])
        qtbot.waitUntil(lambda position_id=position_id: hostile.detail.position_id == position_id)
        assert hostile.detail.url == expected
        assert hostile.detail.open_source.isEnabled() is (expected is not None)
        hostile.detail.open_source.click()
    assert dialogs.opened_urls == ["https://example.org/0"]  # the javascript: source never reached it


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font:UserWarning")  # emoji have no glyph in DejaVu
@pytest.mark.parametrize("tab", ["timeline", "network"])
def test_chart_labels_hold_the_raw_strings(qtbot, hostile, tab):
    hostile.state.set_view(tab)
    wait_idle(qtbot, hostile)
    view = hostile.current_chart_view()
    view.canvas.draw()  # render every artist, as the screen would
    texts = [t.get_text() for t in view.canvas.figure.findobj(matplotlib.text.Text)]
    if tab == "network":  # network labels are drawn haloed, as paths: check the text they are drawn from
        texts += [view.node_label(node) for node in view.result.graph]
    else:  # rows show short names (a prefix of these), hovering a row shows the name in full
        texts += view.chart.rows
    joined = " ".join(texts)
    assert any(actor in joined for actor in ACTORS[:2]), "an HTML-looking actor name is drawn as it is"
    assert "&lt;" not in joined  # not escaped either: matplotlib draws text, it has no markup
