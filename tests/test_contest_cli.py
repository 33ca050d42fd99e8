"""The contest commands driven as a user would (a subprocess): exact headers, files re-read."""

from __future__ import annotations

import csv

from tests.conftest import DATA
from tests.test_cli import cli  # noqa: F401 - the fixture

PNG = b"\x89PNG\r\n\x1a\n"


def rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_export_matrix_and_pairs_headers_and_cells(cli, tmp_path):  # noqa: F811
    cli("import", DATA / "small.csv", "--dataset", "small")
    out = cli("export-matrix", "--dataset", "small", "--out", tmp_path / "m.csv").stdout
    assert "4 actor(s) × 3 question(s)" in out
    matrix = rows(tmp_path / "m.csv")
    assert matrix[0] == ["actor", "art6-list", "threshold", "adoption"]
    assert ["Dorlandia", "", "", "against:adopt"] in matrix
    cli("export-pairs", "--dataset", "small", "--min-shared", "2", "--metric", "kappa", "--out", tmp_path / "p.csv")
    pairs = rows(tmp_path / "p.csv")
    assert pairs[0] == ["source", "target", "shared", "agreement", "kappa", "congruence", "conflict"]
    assert len(pairs) == 4 and float(pairs[1][4]) >= float(pairs[-1][4])  # ordered by kappa


def test_export_chart_contest_kinds(cli, tmp_path):  # noqa: F811
    for kind, extra in (
        ("matrix", ["--provision", "6", "--rows", "community", "--columns", "divisiveness"]),
        ("actor", ["--actor", "Russian Federation", "--actor", "European Union"]),
        ("evolution", ["--provision", "6", "--window", "cumulative"]),
        ("timeline", ["--provision", "6", "--sides", "most-debated"]),
        ("network", ["--provision", "6", "--no-conflict"]),
    ):
        out = tmp_path / f"{kind}.png"
        cli("export-chart", "--kind", kind, *extra, "--out", out)
        assert out.read_bytes()[:8] == PNG
    error = cli("export-chart", "--kind", "actor", "--out", tmp_path / "x.png", ok=False)
    assert error.returncode == 1 and "--kind actor needs one --actor" in error.stderr
    assert not (tmp_path / "x.png").exists()
