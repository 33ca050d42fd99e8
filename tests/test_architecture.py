"""The core runs without Qt, and the wheel carries the bundled data and resources."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORE = [
    "explorer.store.database",
    "explorer.ingest.bundled",
    "explorer.store.queries",
    "explorer.ingest.importer",
    "explorer.ingest.exporter",
    "explorer.analysis.agreement",
    "explorer.analysis.network",
    "explorer.charts.timeline_chart",
    "explorer.charts.network_chart",
    "explorer.charts.export",
    "explorer.pipeline",
    "explorer.state",
    "explorer.analysis.network_files",
    "explorer.cli",
]


@pytest.mark.slow
def test_core_never_imports_qt(tmp_path):
    code = (
        "import sys, os\n"
        f"for m in {CORE!r}: __import__(m)\n"
        "from explorer.cli import main\n"
        f"assert main(['--db', {str(tmp_path / 'db.sqlite')!r}, 'export-chart', '--kind', 'network', "
        f"'--out', {str(tmp_path / 'n.png')!r}]) == 0\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'PyQt', 'explorer.ui')))\n"
        "assert not qt, qt\n"
    )
    env = {**os.environ, "NEGOTIATION_EXPLORER_HOME": str(tmp_path)}
    env.pop("MPLBACKEND", None)
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.slow
def test_wheel_carries_data_and_runs_from_another_folder(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(wheels.glob("negotiation_explorer-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "explorer/sessions_data/positions.jsonl" in names
    assert "explorer/sessions_data/dataset.json" in names
    assert "explorer/resources/icons/app.svg" in names
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "NEGOTIATION_EXPLORER_HOME": str(tmp_path / "home")}
    code = (
        "import explorer.paths as p, explorer.cli as c; print(p.bundled_data_dir()); "
        "raise SystemExit(c.main(['stats']))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0] == str(target / "explorer" / "sessions_data")
    assert "(bundled, version" in proc.stdout


@pytest.mark.slow
def test_the_layer_contract_catches_an_upward_import(tmp_path):
    """The layers contract is not vacuous: a copy of the package where the store imports the
    pipeline (an arrow running up) breaks it, while the unchanged copy keeps it."""
    shutil.copytree(ROOT / "explorer", tmp_path / "explorer", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    lint_imports = Path(sys.executable).with_name("lint-imports")

    def check() -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PYTHONPATH": str(tmp_path)}
        return subprocess.run(
            [str(lint_imports), "--no-cache"], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
        )

    assert check().returncode == 0
    with (tmp_path / "explorer" / "store" / "records.py").open("a", encoding="utf-8") as handle:
        handle.write("\nfrom explorer import pipeline  # an arrow running up\n")
    broken = check()
    assert broken.returncode != 0
    assert "Layers: each layer imports only from the layers below it BROKEN" in broken.stdout
    assert "explorer.store.records -> explorer.pipeline" in broken.stdout


def test_the_architecture_map_lists_every_module():
    """docs/ARCHITECTURE.md's map names each module under its package: a new module is placed
    there (and in the layers contract) when it is added."""
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    block = text[text.index("```\nexplorer/\n") + 4 :]
    block = block[: block.index("```")]
    listed, package = set(), ""
    for line in block.splitlines()[1:]:
        indent = len(line) - len(line.lstrip(" "))
        name = line.split()[0] if line.strip() else ""
        if indent == 2 and name.endswith("/"):
            package = name
        elif indent == 2 and name.endswith(".py"):
            listed.add(name)
            package = ""
        elif indent == 4 and name.endswith(".py"):
            listed.add(package + name)
    modules = {
        str(path.relative_to(ROOT / "explorer"))
        for path in (ROOT / "explorer").rglob("*.py")
        if path.name != "__init__.py" or path.parent.name == "explorer"
    }
    assert sorted(modules - listed) == [], "add these to the map in docs/ARCHITECTURE.md"
    assert sorted(listed - modules) == [], "these are in the map but not in explorer/"
