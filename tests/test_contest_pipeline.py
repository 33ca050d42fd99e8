"""The contest views end to end: pipeline results on the hand-made fixture (numbers as in
tests/test_contest_analysis.py) and on the bundled data, and the exported files re-read."""

from __future__ import annotations

import csv
import math

import networkx as nx
import pytest

from explorer.analysis.network_files import write_network
from explorer.ingest.bundled import open_with_bundled
from explorer.pipeline.evolution import EvolutionRequest, evolution_for
from explorer.pipeline.matrix import MatrixRequest, matrix_for, write_matrix_csv
from explorer.pipeline.network import network_for
from explorer.pipeline.pairs import PAIRS_HEADER, pairs_for, write_pairs_csv
from explorer.pipeline.profile import profile_for
from explorer.pipeline.sides import most_debated_question
from explorer.pipeline.timeline import timeline_points
from explorer.store.contest_records import ABSTAINED, AGREE, DIFFER
from explorer.store.filters import PositionFilter

SMALL = PositionFilter("small")
RU, EU = "Russian Federation", "European Union"


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    db = open_with_bundled(tmp_path_factory.mktemp("bundled") / "db.sqlite")
    yield db
    db.close()


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_matrix_csv_holds_the_latest_choice_per_actor_and_question(small_db, tmp_path):
    out = write_matrix_csv(matrix_for(small_db, SMALL), tmp_path / "m.csv")
    rows = read_csv(out)
    # columns in treaty order: provision keys compared naturally ("6" < "65" < "whole")
    assert rows[0] == ["actor", "art6-list", "threshold", "adoption"]
    assert {r[0]: r[1:] for r in rows[1:]} == {
        "Atlantis": ["keep-list", "40", "adopt"],
        "Borduria": ["keep-list", "abstain", "adopt"],
        "Carpania": ["keep-list", "60", "against:adopt"],  # June's support replaced January's oppose
        "Dorlandia": ["", "", "against:adopt"],
    }
    # a date filter changes which position is the latest
    early = read_csv(write_matrix_csv(matrix_for(small_db, SMALL.with_(date_to="2023-02-01")), tmp_path / "e.csv"))
    assert {r[0]: r[1:] for r in early[1:]}["Carpania"] == ["against:keep-list", "60"]


def test_matrix_rows_by_seriation_are_the_same_on_every_run(small_db):
    first = matrix_for(small_db, SMALL, MatrixRequest(rows="community", seed=7))
    second = matrix_for(small_db, SMALL, MatrixRequest(rows="community", seed=7))
    assert first.matrix.actor_ids.tolist() == second.matrix.actor_ids.tolist()
    assert [g.label for g in first.matrix.row_groups] == [g.label for g in second.matrix.row_groups]
    by_division = matrix_for(small_db, SMALL, MatrixRequest(columns="divisiveness"))
    keys = [by_division.questions[int(q)].key for q in by_division.matrix.question_ids]
    assert keys == ["adoption", "threshold", "art6-list"]  # 4, 1 and 0 opposed pairs


def test_pairs_csv_keeps_pairs_that_never_agree_and_blank_kappa(small_db, tmp_path):
    table, names = pairs_for(small_db, SMALL, min_shared=1)
    rows = read_csv(write_pairs_csv(table, names, tmp_path / "p.csv"))
    assert (
        tuple(rows[0]) == PAIRS_HEADER == ("source", "target", "shared", "agreement", "kappa", "congruence", "conflict")
    )
    by_pair = {frozenset(r[:2]): r[2:] for r in rows[1:]}
    assert len(by_pair) == 6
    assert by_pair[frozenset(("Atlantis", "Dorlandia"))] == ["1", "0", "0", "0", "1"]  # agreement 0 kept
    assert by_pair[frozenset(("Carpania", "Dorlandia"))][2] == ""  # kappa undefined: blank
    assert float(by_pair[frozenset(("Atlantis", "Borduria"))][1]) == pytest.approx(2.5 / 3)
    table, names = pairs_for(small_db, SMALL, min_shared=2)
    assert len(read_csv(write_pairs_csv(table, names, tmp_path / "p2.csv"))) == 1 + 3


def test_network_files_keep_conflict_only_ties(small_db, tmp_path):
    result = network_for(small_db, SMALL)
    # Atlantis-Dorlandia only disagree: no agreement edge, one conflict tie
    graph = nx.read_graphml(write_network(result, tmp_path / "n.graphml"))
    ties = {frozenset((graph.nodes[a]["label"], graph.nodes[b]["label"])): d for a, b, d in graph.edges(data=True)}
    tie = ties[frozenset(("Atlantis", "Dorlandia"))]
    assert (tie["tie"], tie["conflict"], tie["shared"], tie["weight"]) == ("conflict", 1, 1, 0.0)
    rows = read_csv(write_network(result, tmp_path / "n.csv"))
    assert rows[0] == ["source", "target", "weight", "shared", "tie"]
    assert ["Atlantis", "Dorlandia", "0", "1", "conflict"] in rows


def test_russia_and_the_eu_on_article_6_one_conflict_tie_and_a_sentence(bundled):
    result = network_for(bundled, PositionFilter(actors=(RU, EU), provisions=("6",)))
    assert result.graph.number_of_edges() == 0
    assert result.conflicts.number_of_edges() == 1
    assert "share 1 question and disagree on it" in result.summary
    assert "Russian Federation" in result.summary


def test_timeline_points_carry_the_side_of_their_option(bundled):
    points, _ = timeline_points(bundled, PositionFilter(provisions=("6",)))
    ranks = {(p.question_key, p.option): p.side_rank for p in points}
    # the two camps of the human-rights question get different ranks (colours)
    assert ranks[("art6-human-rights", "robust")] == 0
    assert ranks[("art6-human-rights", "fewer-references")] == 1
    assert all(p.side_rank == -1 for p in points if p.stance == "neutral")
    # the most debated question is the one with the most pairs of actors on opposite sides
    article6 = matrix_for(bundled, PositionFilter(provisions=("6",)))
    opposed = dict(zip(article6.division.question_ids.tolist(), article6.division.opposed_pairs.tolist(), strict=True))
    most = max(opposed, key=lambda q: opposed[q])
    assert most_debated_question(bundled, PositionFilter(provisions=("6",))) == article6.questions[most].key


def test_profile_allies_opponents_and_comparison_with_sources(small_db):
    first, second = profile_for(small_db, SMALL, "Atlantis", "Borduria")
    assert second is not None and second.name == "Borduria"
    assert [(p.name, p.shared) for p in first.allies] == [("Borduria", 3)]
    assert [p.name for p in first.opponents] == ["Dorlandia", "Carpania"]
    assert [len(first.record), len(second.record)] == [3, 3]
    outcomes = {c.question_key: c.outcome for c in first.comparison}
    assert outcomes == {"art6-list": AGREE, "threshold": ABSTAINED, "adoption": AGREE}
    threshold = next(c for c in first.comparison if c.question_key == "threshold")
    assert (threshold.choice_a, threshold.choice_b) == ("40", "abstain")
    assert threshold.sources_a == ("https://example.org/s1",) and len(threshold.positions_b) == 1
    assert profile_for(small_db, SMALL, "Atlantis", "Dorlandia")[0].comparison[0].outcome == DIFFER


def test_evolution_polarisation_per_session_by_hand(small_db):
    result = evolution_for(small_db, SMALL, EvolutionRequest())
    measures = {s.measure.key: s.measure for s in result.slices}
    # s1: art6 2 vs 1 (RQ 8/9, 3 sided) and threshold 1 vs 1 (RQ 1, 2 sided): (3·8/9 + 2)/5
    assert measures["s1"].polarisation == pytest.approx(14 / 15)
    assert measures["s2"].polarisation == pytest.approx(1.0)
    assert (measures["s1"].actors, measures["s2"].actors) == (3, 4)
    cumulative = evolution_for(small_db, SMALL, EvolutionRequest(window="cumulative"))
    # up to the end of s2 every position counts: art6 all keep-list (RQ 0, 3), threshold 1,
    # adoption 1: (0 + 2 + 4) / 9
    assert cumulative.slices[-1].measure.polarisation == pytest.approx(6 / 9)
    assert all(math.isfinite(s.measure.gap) or math.isnan(s.measure.gap) for s in result.slices)
    assert set(result.union.pos) >= {n for s in result.slices for n in s.graph}  # one layout for all


def test_exported_names_cannot_run_as_spreadsheet_formulas(small_db, tmp_path):
    small_db.execute("UPDATE actors SET name = '=HYPERLINK(\"x\")' WHERE name = 'Atlantis'")
    matrix = read_csv(write_matrix_csv(matrix_for(small_db, SMALL), tmp_path / "m.csv"))
    assert ['\'=HYPERLINK("x")', "keep-list", "40", "adopt"] in matrix
    table, names = pairs_for(small_db, SMALL)
    pairs = read_csv(write_pairs_csv(table, names, tmp_path / "p.csv"))
    assert all(not cell.startswith("=") for row in pairs for cell in row)
