"""File → Export chart / data / network through the menu actions, then re-read the files."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from explorer.ingest.exporter import EXPORT_COLUMNS
from tests.ui.conftest import WAIT_MS, wait_idle


@pytest.fixture
def article6(qtbot, window):
    window.filter_panel.select_provision("6")
    wait_idle(qtbot, window)
    return window


def trigger_export(qtbot, window, dialogs, action: str, path) -> None:
    dialogs.save_paths.append(str(path))
    window.menus.actions[action].trigger()
    qtbot.waitUntil(path.exists, timeout=WAIT_MS)


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_export_timeline_chart(qtbot, article6, dialogs, tmp_path, suffix):
    article6.state.set_view("timeline")
    out = tmp_path / f"timeline.{suffix}"
    trigger_export(qtbot, article6, dialogs, "export_chart", out)
    data = out.read_bytes()
    if suffix == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    elif suffix == "pdf":
        assert data.startswith(b"%PDF")
    else:
        text = ET.fromstring(data).itertext()
        joined = " ".join(text)
        assert "Article 6" in joined and "provisions=6" in joined  # title and caption
    assert not dialogs.errors


def test_export_network_chart_as_svg_names_the_actors_and_seed(qtbot, article6, dialogs, tmp_path):
    article6.state.set_view("network")
    out = tmp_path / "network.svg"
    trigger_export(qtbot, article6, dialogs, "export_chart", out)
    root = ET.parse(out).getroot()
    joined = " ".join(root.itertext())
    assert "Agreement network" in joined and "Seed: 42" in joined
    # node labels are haloed (drawn as paths); each keeps its id, one per actor of the filter
    labels = {e.get("id") for e in root.iter() if (e.get("id") or "").startswith("label-")}
    assert labels == {f"label-{n}" for n in article6.network_view.result.graph}


def test_export_data_csv_and_jsonl(qtbot, article6, dialogs, tmp_path):
    out = tmp_path / "positions.csv"
    trigger_export(qtbot, article6, dialogs, "export_data", out)
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0].keys()) == EXPORT_COLUMNS
    assert len(rows) == article6.model.rowCount() == 12
    assert {r["provision"] for r in rows} == {"6"}
    out = tmp_path / "positions.jsonl"
    trigger_export(qtbot, article6, dialogs, "export_data", out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 12


@pytest.mark.parametrize("suffix", ["graphml", "gexf", "csv"])
def test_export_network(qtbot, article6, dialogs, tmp_path, suffix):
    out = tmp_path / f"network.{suffix}"
    trigger_export(qtbot, article6, dialogs, "export_network", out)
    expected = {article6.network_view.node_label(n) for n in article6.network_view.result.graph}
    if suffix == "graphml":
        graph = nx.read_graphml(out)
        assert {graph.nodes[n]["label"] for n in graph} == expected
        assert graph.graph["seed"] == 42
    elif suffix == "gexf":
        graph = nx.read_gexf(out)
        assert {graph.nodes[n]["label"] for n in graph} == expected
    else:
        with out.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert list(rows[0]) == ["source", "target", "weight", "shared", "tie"]
        assert {r["source"] for r in rows} | {r["target"] for r in rows} <= expected


def test_cancelled_save_dialog_writes_nothing(qtbot, article6, dialogs, tmp_path):
    article6.menus.actions["export_data"].trigger()  # no path queued: the dialog was cancelled
    assert not list(tmp_path.iterdir()) or all(p.name != "positions.csv" for p in tmp_path.iterdir())
    assert not dialogs.errors


def test_export_error_is_shown(qtbot, article6, dialogs, tmp_path):
    dialogs.save_paths.append(str(tmp_path / "missing-folder" / "x.csv"))
    article6.menus.actions["export_data"].trigger()  # written on a worker: the error comes back from it
    qtbot.waitUntil(lambda: bool(dialogs.errors), timeout=WAIT_MS)
    title, message, _details = dialogs.errors[0]
    assert title == "Export failed" and "missing-folder" in message
    assert not dialogs.crashes  # a user-facing error, not a bug
