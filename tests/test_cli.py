"""The headless command line, driven as a user would: through a subprocess."""

from __future__ import annotations

import csv
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from tests.conftest import DATA


@pytest.fixture
def cli(tmp_path, isolated_home):
    def run(*args, ok=True):
        proc = subprocess.run(
            [sys.executable, "-m", "explorer", "--db", str(tmp_path / "db.sqlite"), *map(str, args)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=300,
            env={**__import__("os").environ, "NEGOTIATION_EXPLORER_HOME": str(isolated_home)},
            check=False,
        )
        assert (proc.returncode == 0) == ok, proc.stderr
        assert "Traceback" not in proc.stderr
        return proc

    return run


def test_stats_reports_the_bundled_dataset(cli):
    out = cli("stats").stdout
    assert "(bundled, version" in out
    counts = {line.split()[0]: int(line.split()[1].replace(",", "")) for line in out.splitlines()[:7]}
    assert counts["datasets"] == 1 and counts["positions"] > 500 and counts["actors"] > 190


def test_import_validate_and_export_data(cli, tmp_path):
    assert "no problems found" in cli("validate", DATA / "small.csv").stdout
    out = cli("import", DATA / "small.csv", "--dataset", "small").stdout
    assert "Imported 11 position(s)" in out and "created: Atlantis" in out
    cli("export-data", "--dataset", "small", "--actor", "Carpania", "--out", tmp_path / "c.csv")
    rows = list(csv.DictReader((tmp_path / "c.csv").open(encoding="utf-8")))
    assert [r["stance"] for r in rows] == ["oppose", "support", "oppose", "support"]


def test_user_mistakes_are_short_errors(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("actor,question,stance,date,source_url\nA,q,perhaps,2020-01-01,https://x.org\n")
    err = cli("import", bad, ok=False).stderr
    assert f"{bad}:2: column stance: 'perhaps' is not one of" in err and "nothing was imported" in err
    assert (
        "unknown actor 'Nobody'"
        in cli("export-data", "--actor", "Nobody", "--out", tmp_path / "x.csv", ok=False).stderr
    )
    assert "does not exist" in cli("export-data", "--out", tmp_path / "missing" / "x.csv", ok=False).stderr
    assert "use a .csv or .jsonl" in cli("export-data", "--out", tmp_path / "x.xlsx", ok=False).stderr


def test_export_network_formats_reread(cli, tmp_path):
    for suffix in ("graphml", "gexf"):
        out = tmp_path / f"n.{suffix}"
        cli("import", DATA / "small.csv", "--dataset", "small")
        cli("export-network", "--dataset", "small", "--min-shared", "2", "--out", out)
        graph = nx.read_graphml(out) if suffix == "graphml" else nx.read_gexf(out)
        assert sorted(d["label"] for _, d in graph.nodes(data=True)) == [
            "Atlantis",
            "Borduria",
            "Carpania",
            "Dorlandia",
        ]
        assert graph.number_of_edges() == 3
        assert all({"weight", "shared", "conflict", "tie"} <= set(d) for _, _, d in graph.edges(data=True))
        # Atlantis-Carpania agree on 1 of 3 questions and differ on 2: an agreement edge and a conflict tie
        ties = {
            frozenset((graph.nodes[a]["label"], graph.nodes[b]["label"])): d["tie"]
            for a, b, d in graph.edges(data=True)
        }
        assert ties[frozenset(("Atlantis", "Carpania"))] == "both"
    cli("export-network", "--dataset", "small", "--min-shared", "2", "--out", tmp_path / "e.csv")
    lines = (tmp_path / "e.csv").read_text().splitlines()
    assert lines[0] == "source,target,weight,shared,tie"
    assert "Atlantis,Borduria,0.833333,3,agreement" in lines


@pytest.mark.slow
def test_export_chart_on_bundled_article_6(cli, tmp_path):
    cli("export-chart", "--kind", "network", "--provision", "6", "--out", tmp_path / "art6.svg")
    root = ET.parse(tmp_path / "art6.svg").getroot()
    assert root.tag.endswith("svg")
    text = (tmp_path / "art6.svg").read_text()
    assert "Article 6" in text and "Seed: 42" in text
    cli("export-chart", "--kind", "timeline", "--provision", "6", "--out", tmp_path / "t.png")
    assert (tmp_path / "t.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    cli("export-chart", "--kind", "timeline", "--provision", "6", "--out", tmp_path / "t.pdf")
    pdf = (tmp_path / "t.pdf").read_bytes()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


COMMANDS = ("stats", "import", "validate", "export-chart", "export-network", "export-data")


def test_db_and_dataset_go_before_or_after_the_command(cli, tmp_path):
    """The README says every command takes --db PATH: `stats --db FILE` works like `--db FILE stats`."""
    other = tmp_path / "other.sqlite"
    cli("--db", other, "import", DATA / "small.csv", "--dataset", "small")
    after = cli("stats", "--db", other, "--dataset", "small").stdout
    before = cli("--db", other, "--dataset", "small", "stats").stdout
    assert after == before and "dataset 'small' (user): 2 sessions" in after and "bundled" not in after
    out = tmp_path / "c.csv"
    cli("--dataset", "small", "export-data", "--db", other, "--actor", "Carpania", "--out", out)
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 4


def test_every_command_help_lists_the_global_options(capsys):
    from explorer.cli import main

    for command in COMMANDS:
        assert main([command, "--help"]) == 0
        text = capsys.readouterr().out
        assert "global options (before or after the command)" in text and "--db PATH" in text, command
        assert ("--dataset NAME" in text) is (command != "validate"), command


def test_exit_codes(cli, tmp_path, monkeypatch, capsys):
    from explorer.cli import commands, main

    assert cli("stats", "--no-such-option", ok=False).returncode == 2
    assert cli("--dataset", "small", "validate", DATA / "small.csv", ok=False).returncode == 2
    assert cli("export-data", "--stance", "maybe", "--out", tmp_path / "x.csv", ok=False).returncode == 2
    assert cli("export-data", "--actor", "Nobody", "--out", tmp_path / "x.csv", ok=False).returncode == 1
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_text("not an SQLite file at all " * 200)
    proc = subprocess.run(
        [sys.executable, "-m", "explorer", "stats", "--db", str(damaged)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 3 and proc.stderr.count("\n") == 1 and str(damaged) in proc.stderr

    def broken(args):
        raise RuntimeError("a bug")

    monkeypatch.setitem(commands.COMMANDS, "stats", broken)
    assert main(["--db", str(tmp_path / "db.sqlite"), "stats"]) == 70
    err = capsys.readouterr().err
    assert "internal error" in err and "Traceback" in err and "RuntimeError: a bug" in err


def test_the_cli_reference_is_generated_from_the_parser():
    """docs/CLI.md is `python -m explorer.cli.reference` output: regenerate it after changing the parser."""
    from explorer.cli.reference import DOC, render

    assert DOC.read_text(encoding="utf-8") == render()


def test_session_range_flags(cli, tmp_path):
    cli("import", DATA / "small.csv", "--dataset", "small")
    out = tmp_path / "s.csv"
    cli("export-data", "--dataset", "small", "--from-session", "s2", "--out", out)
    assert {r["session"] for r in csv.DictReader(out.open(encoding="utf-8"))} == {"s2"}
    cli("export-data", "--dataset", "small", "--from-session", "s2", "--to-session", "s1", "--out", out)
    assert len(list(csv.DictReader(out.open(encoding="utf-8")))) == 11
