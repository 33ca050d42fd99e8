"""Agreement, kappa, congruence/conflict and networks, checked against numbers worked out by hand
on tests/data/small.csv (see the comments for the arithmetic)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from explorer import pipeline
from explorer.analysis.agreement import agreement_matrices
from explorer.analysis.choices import reduce_choices
from explorer.analysis.network import compute_layout, detect_communities
from explorer.store.filters import PositionFilter


def actor_id(db, name):
    return db.execute("SELECT id FROM actors WHERE name = ?", [name]).fetchone()[0]


@pytest.fixture
def pairs(small_db):
    _, matrices = pipeline.agreement_for(small_db, PositionFilter("small"), kappa=True)
    return lambda a, b: matrices.pair(actor_id(small_db, a), actor_id(small_db, b))


def test_identical_choices_and_one_abstention(pairs):
    # art6: both keep-list (amend counts as choosing the option) = 1; threshold: Borduria
    # abstains = 0.5; adoption: both adopt = 1  ->  2.5 / 3
    ab = pairs("Atlantis", "Borduria")
    assert ab["shared"] == 3
    assert ab["agreement"] == pytest.approx(2.5 / 3)
    assert (ab["congruence"], ab["conflict"]) == (2, 0)


def test_latest_position_counts(pairs):
    # Carpania opposed the list in January, supported it in June: June counts.
    # art6 = 1, threshold 40 vs 60 = 0, adoption adopt vs against = 0  ->  1/3
    ac = pairs("Atlantis", "Carpania")
    assert ac["agreement"] == pytest.approx(1 / 3)
    assert (ac["congruence"], ac["conflict"]) == (1, 2)
    # Borduria-Carpania: 1 + 0.5 + 0 over 3
    assert pairs("Borduria", "Carpania")["agreement"] == pytest.approx(0.5)


def test_date_filter_changes_which_position_is_latest(small_db):
    _, matrices = pipeline.agreement_for(small_db, PositionFilter("small", date_to="2023-02-01"))
    pair = matrices.pair(actor_id(small_db, "Atlantis"), actor_id(small_db, "Carpania"))
    # now Carpania's January "oppose keep-list" counts: art6 = 0, threshold = 0  ->  0 / 2
    assert pair["shared"] == 2
    assert pair["agreement"] == 0


def test_only_shared_questions_count(pairs):
    assert pairs("Atlantis", "Dorlandia")["shared"] == 1
    assert pairs("Atlantis", "Dorlandia")["agreement"] == 0
    assert pairs("Carpania", "Dorlandia")["agreement"] == 1


def test_cohens_kappa_by_hand(pairs):
    # Atlantis-Borduria: p_o = 2/3; categories A {keep-list, 40, adopt}, B {keep-list, abstain,
    # adopt}; p_e = 1/3*1/3 + 1/3*1/3 = 2/9; kappa = (2/3 - 2/9) / (1 - 2/9) = 4/7
    assert pairs("Atlantis", "Borduria")["kappa"] == pytest.approx(4 / 7)
    # Atlantis-Carpania: p_o = 1/3; only keep-list in common: p_e = 1/9; kappa = (2/9)/(8/9)
    assert pairs("Atlantis", "Carpania")["kappa"] == pytest.approx(0.25)
    # one shared question with identical choices: p_e = 1, kappa undefined
    assert math.isnan(pairs("Carpania", "Dorlandia")["kappa"])


def test_roll_call_agreement_is_the_usual_pairwise_agreement():
    # three roll calls, option "adopt" on each: yes/no/abstain
    actor = np.array([1, 2, 1, 2, 1, 2])
    question = np.array([10, 10, 11, 11, 12, 12])
    option = np.array([5, 5, 6, 6, 7, 7])
    stance = np.array(["support", "support", "support", "oppose", "neutral", "support"], dtype=object)
    keys = {5: "adopt", 6: "adopt", 7: "adopt"}
    choices = reduce_choices(actor, question, option, stance, keys)
    assert set(choices.categories) == {"adopt", "against:adopt", "abstain"}
    m = agreement_matrices(choices, kappa=True)
    assert m.pair(1, 2)["agreement"] == pytest.approx((1 + 0 + 0.5) / 3)
    # kappa: p_o = 1/3; actor 1 = adopt, adopt, abstain;
    # actor 2 = adopt, against, adopt; p_e = (2/3)(2/3) = 4/9; kappa = (1/3 - 4/9)/(5/9) = -0.2
    assert m.pair(1, 2)["kappa"] == pytest.approx(-0.2)


def test_network_threshold_keeps_every_actor_as_a_node(small_db):
    result = pipeline.network_for(small_db, PositionFilter("small"), pipeline.NetworkRequest(min_shared=2))
    labels = {result.graph.nodes[n]["label"] for n in result.graph}
    assert labels == {"Atlantis", "Borduria", "Carpania", "Dorlandia"}
    edges = {
        frozenset((result.graph.nodes[a]["label"], result.graph.nodes[b]["label"])): d
        for a, b, d in result.graph.edges(data=True)
    }
    assert set(edges) == {
        frozenset(p) for p in (("Atlantis", "Borduria"), ("Atlantis", "Carpania"), ("Borduria", "Carpania"))
    }
    assert edges[frozenset(("Atlantis", "Borduria"))]["weight"] == pytest.approx(2.5 / 3)
    assert edges[frozenset(("Atlantis", "Borduria"))]["shared"] == 3
    assert all(isinstance(result.graph.nodes[n]["community"], int) for n in result.graph)
    assert set(result.pos) == set(result.graph)


def test_kappa_network_drops_non_positive_edges(small_db):
    result = pipeline.network_for(small_db, PositionFilter("small"), pipeline.NetworkRequest(metric="kappa"))
    assert all(d["weight"] > 0 for _, _, d in result.graph.edges(data=True))


def test_communities_and_layout_are_identical_for_the_same_seed(small_db):
    first = pipeline.network_for(small_db, PositionFilter("small"), pipeline.NetworkRequest(seed=7))
    second = pipeline.network_for(small_db, PositionFilter("small"), pipeline.NetworkRequest(seed=7))
    assert first.communities == second.communities
    assert first.pos == second.pos
    assert detect_communities(first.graph, 7) == detect_communities(second.graph, 7)


def test_layout_starts_from_previous_positions(small_db):
    result = pipeline.network_for(small_db, PositionFilter("small"))
    moved = compute_layout(result.graph, seed=1, previous=result.pos)
    fresh = compute_layout(result.graph, seed=1)
    drift_from_previous = sum(np.hypot(*np.subtract(moved[n], result.pos[n])) for n in result.graph)
    drift_fresh = sum(np.hypot(*np.subtract(fresh[n], result.pos[n])) for n in result.graph)
    assert drift_from_previous <= drift_fresh


def test_empty_filter_gives_empty_network(small_db):
    result = pipeline.network_for(small_db, PositionFilter("small", text="nosuchword"))
    assert result.graph.number_of_nodes() == 0
    assert result.pos == {}


def test_one_actor_gives_its_ego_network(small_db):
    result = pipeline.network_for(small_db, PositionFilter("small", actors=("Dorlandia",)))
    labels = {result.graph.nodes[n]["label"] for n in result.graph}
    # Dorlandia shares only the adoption question; it agrees (> 0) only with Carpania and
    # disagrees with Atlantis and Borduria, who are in its ego network through conflict ties
    assert labels == {"Dorlandia", "Carpania", "Atlantis", "Borduria"}
    agree = {frozenset(result.graph.nodes[n]["label"] for n in e) for e in result.graph.edges}
    conflict = {frozenset(result.graph.nodes[n]["label"] for n in e) for e in result.conflicts.edges}
    assert frozenset(("Dorlandia", "Carpania")) in agree
    assert {frozenset(("Dorlandia", "Atlantis")), frozenset(("Dorlandia", "Borduria"))} <= conflict
    focus = [n for n, d in result.graph.nodes(data=True) if d.get("focus")]
    assert [result.graph.nodes[n]["label"] for n in focus] == ["Dorlandia"]
    assert "actors linked to Dorlandia" in pipeline.network_caption(
        small_db, PositionFilter("small", actors=("Dorlandia",)), result
    )


def test_two_actors_give_exactly_those_actors(small_db):
    result = pipeline.network_for(small_db, PositionFilter("small", actors=("Atlantis", "Borduria")))
    assert {result.graph.nodes[n]["label"] for n in result.graph} == {"Atlantis", "Borduria"}
