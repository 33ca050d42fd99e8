"""Safe exports: every writer (data CSV/JSONL, network GraphML/GEXF/CSV, chart PNG/SVG/PDF)
writes a temporary ``.part`` file beside the target and renames it over the target; a folder
that is missing or cannot be written gives an ExportError naming the path, and a file that was
there before is left byte for byte as it was.

Tests run as root, so chmod cannot make a folder read-only: "unwritable" is simulated by a path
whose parent is a regular file, and by ``os.replace`` raising PermissionError.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from explorer import pipeline
from explorer.analysis.network_files import write_network
from explorer.charts.export import save_figure
from explorer.errors import ExportError
from explorer.ingest.exporter import export_positions
from explorer.store.filters import PositionFilter

OLD = b"the file the user had before\n"


@pytest.fixture
def writers(small_db):
    """One callable per format: ``write(path)`` exports real content to ``path``."""
    flt = PositionFilter("small")
    network = pipeline.network_for(small_db, flt, pipeline.NetworkRequest(seed=7))
    figure = Figure(figsize=(3, 2))
    figure.add_subplot().set_title('<b>Atlantis</b> \u202eevil\u202c <a href="javascript:alert(1)">x</a>')
    return {
        "data.csv": lambda path: export_positions(small_db, flt, path),
        "data.jsonl": lambda path: export_positions(small_db, flt, path),
        "network.graphml": lambda path: write_network(network, path),
        "network.gexf": lambda path: write_network(network, path),
        "edges.csv": lambda path: write_network(network, path),
        "chart.png": lambda path: save_figure(figure, path, dpi=50),
        "chart.svg": lambda path: save_figure(figure, path, dpi=50),
        "chart.pdf": lambda path: save_figure(figure, path, dpi=50),
    }


FORMATS = (
    "data.csv",
    "data.jsonl",
    "network.graphml",
    "network.gexf",
    "edges.csv",
    "chart.png",
    "chart.svg",
    "chart.pdf",
)


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.mark.parametrize("name", FORMATS)
def test_an_existing_file_is_replaced_by_a_rename_not_rewritten_in_place(writers, tmp_path, monkeypatch, name):
    target = tmp_path / name
    target.write_bytes(OLD)
    target.chmod(0o644)
    old_inode = target.stat().st_ino
    renames = []
    real_replace = os.replace

    def watching_replace(src, dst):
        # at the moment of the rename the new content is complete in a temporary file beside
        # the target, and the target still holds the old bytes
        renames.append((os.path.basename(src), os.path.dirname(os.path.abspath(src)), os.path.getsize(src)))
        assert target.read_bytes() == OLD
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", watching_replace)
    writers[name](target)
    assert len(renames) == 1
    temp_name, temp_folder, size = renames[0]
    assert temp_name.startswith(f".{name}.") and temp_name.endswith(".part")
    assert temp_folder == str(tmp_path)  # same folder, so the rename is atomic
    assert target.read_bytes() != OLD and target.stat().st_size == size > 0
    assert target.stat().st_ino != old_inode
    assert stat.S_IMODE(target.stat().st_mode) == 0o644, "the replaced file keeps its permissions"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", FORMATS)
def test_a_new_file_gets_the_usual_permissions(writers, tmp_path, name):
    umask = os.umask(0o022)
    try:
        writers[name](tmp_path / name)
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644  # not mkstemp's 0600
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", FORMATS)
def test_a_missing_folder_is_a_clear_error(writers, tmp_path, name):
    target = tmp_path / "no such folder" / name
    with pytest.raises(ExportError) as info:
        writers[name](target)
    assert str(target) in str(info.value)
    assert not target.parent.exists()


@pytest.mark.parametrize("name", FORMATS)
def test_a_folder_that_is_a_file_is_a_clear_error(writers, tmp_path, name):
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_bytes(OLD)
    target = not_a_folder / name
    with pytest.raises(ExportError) as info:
        writers[name](target)
    assert str(target) in str(info.value)
    assert not_a_folder.read_bytes() == OLD
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", FORMATS)
def test_a_refused_rename_leaves_the_old_file_intact(writers, tmp_path, monkeypatch, name):
    target = tmp_path / name
    target.write_bytes(OLD)

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ExportError) as info:
        writers[name](target)
    assert str(target) in str(info.value) and "Permission denied" in str(info.value)
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("name", FORMATS)
def test_a_failure_while_writing_leaves_the_old_file_intact(writers, tmp_path, monkeypatch, name):
    """The disk fills up halfway through: no half-written file replaces the old one."""
    target = tmp_path / name
    target.write_bytes(OLD)
    disk_full = OSError(28, "No space left on device")

    def write_half_then_fail(destination):
        if hasattr(destination, "write"):
            destination.write(b"half a file")
        else:
            Path(destination).write_bytes(b"half a file")
        raise disk_full

    if name.startswith("data"):
        import explorer.ingest.exporter as exporter

        real_rows = exporter.iter_export_rows

        def two_rows_then_full(db, flt):
            yield from list(real_rows(db, flt))[:2]
            raise disk_full

        monkeypatch.setattr(exporter, "iter_export_rows", two_rows_then_full)
    elif name == "edges.csv":
        import explorer.analysis.network_files as network_files

        monkeypatch.setattr(
            network_files, "FormulaSafeWriter", lambda handle, **kw: _WriterThatFills(handle, disk_full)
        )
    elif name.startswith("network"):
        import explorer.analysis.network_files as network_files

        monkeypatch.setattr(network_files.nx, "write_graphml", lambda graph, path, **kw: write_half_then_fail(path))
        monkeypatch.setattr(network_files.nx, "write_gexf", lambda graph, path, **kw: write_half_then_fail(path))
    else:
        monkeypatch.setattr(Figure, "savefig", lambda self, handle, **kw: write_half_then_fail(handle))
    with pytest.raises(ExportError) as info:
        writers[name](target)
    assert str(target) in str(info.value) and "No space left" in str(info.value)
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


class _WriterThatFills:
    """A csv writer whose third row meets a full disk."""

    def __init__(self, handle, error):
        self.handle, self.error, self.rows = handle, error, 0

    def writerow(self, row):
        self.rows += 1
        if self.rows > 2:
            raise self.error
        self.handle.write(",".join(map(str, row)) + "\n")


@pytest.mark.parametrize("command", [["export-chart", "--kind", "timeline"], ["export-network"], ["export-data"]])
def test_the_cli_reports_an_unwritable_path_without_a_traceback(small_db, tmp_path, capsys, command):
    from explorer.cli import main

    database = tmp_path / "db.sqlite"
    copy = sqlite3.connect(database)
    small_db.conn.backup(copy)
    copy.close()
    target = tmp_path / "missing" / ("out.png" if "export-chart" in command else "out.csv")
    assert main(["--db", str(database), *command, "--dataset", "small", "--out", str(target)]) == 1
    err = capsys.readouterr().err
    assert str(target) in err and "Traceback" not in err
