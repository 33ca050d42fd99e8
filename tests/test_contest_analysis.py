"""The contest analyses (sides, matrix, pairs, seriation, profile, per-session measures) on a
hand-made fixture whose numbers are worked out in the comments.

The fixture mirrors tests/data/small.csv (ids instead of names):

    actors 1 Atlantis, 2 Borduria, 3 Carpania, 4 Dorlandia
    question 10 art6-list (option 100 keep-list), 11 threshold (110 "40", 111 "60"),
             12 adoption (120 adopt)
    session 1 (January)  pos 1  A keep-list support      pos 4 A 40 support
                         pos 2  B keep-list amend        pos 5 B 40 neutral
                         pos 3  C keep-list oppose       pos 6 C 60 support
    session 2 (June)     pos 7  A adopt support          pos 10 D adopt oppose
                         pos 8  B adopt support          pos 11 C keep-list support
                         pos 9  C adopt oppose
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from explorer.analysis.agreement import agreement_matrices
from explorer.analysis.evolution import bloc_gap, polarisation
from explorer.analysis.matrix import (
    aggregate_codes,
    column_bins,
    order_columns,
    order_rows,
    positions_matrix,
    side_codes,
)
from explorer.analysis.pairs import conflict_pairs, pair_sentence, pair_table
from explorer.analysis.profile import allies_and_opponents, compare_cells
from explorer.analysis.seriation import agreement_distance, path_length, seriate
from explorer.analysis.sides import question_division, rank_sides
from explorer.store.contest_records import (
    ABSTAIN,
    ABSTAINED,
    AGAINST,
    AGREE,
    CODE_ABSTAIN,
    CODE_NONE,
    DIFFER,
    FOR,
    NONE,
    Group,
    QuestionInfo,
)

POSITIONS = [  # id, actor, question, option, stance, session
    (1, 1, 10, 100, "support", 1),
    (2, 2, 10, 100, "amend", 1),
    (3, 3, 10, 100, "oppose", 1),
    (4, 1, 11, 110, "support", 1),
    (5, 2, 11, 110, "neutral", 1),
    (6, 3, 11, 111, "support", 1),
    (7, 1, 12, 120, "support", 2),
    (8, 2, 12, 120, "support", 2),
    (9, 3, 12, 120, "oppose", 2),
    (10, 4, 12, 120, "oppose", 2),
    (11, 3, 10, 100, "support", 2),
]
KEYS = {100: "keep-list", 110: "40", 111: "60", 120: "adopt"}


def columns(rows=POSITIONS):
    pid, actor, question, option, stance, _ = (np.array(c, dtype=object) for c in zip(*rows, strict=True))
    return pid.astype(np.int64), actor.astype(np.int64), question.astype(np.int64), option.astype(np.int64), stance


def matrix_and_choices(rows=POSITIONS):
    return positions_matrix(*columns(rows), KEYS)


def test_matrix_cells_latest_wins_against_and_abstain():
    matrix, _ = matrix_and_choices()
    assert matrix.actor_ids.tolist() == [1, 2, 3, 4]
    assert matrix.question_ids.tolist() == [10, 11, 12]
    texts = matrix.choice_texts(KEYS).tolist()
    assert texts == [
        ["keep-list", "40", "adopt"],
        ["keep-list", "abstain", "adopt"],  # amend backs the option; neutral abstains
        ["keep-list", "60", "against:adopt"],  # June's support replaced January's oppose
        ["", "", "against:adopt"],
    ]
    assert matrix.kind[2].tolist() == [FOR, FOR, AGAINST]
    assert matrix.kind[1, 1] == ABSTAIN and matrix.kind[3, 0] == NONE
    # the cell keeps every position behind it, oldest first, and the one that decided it
    assert matrix.cell_positions(2, 0) == (3, 11)
    assert matrix.latest_position[2, 0] == 11
    assert matrix.cell_positions(3, 0) == ()


def test_side_ranks_count_backers_only_and_break_ties_by_option_id():
    _, choices = matrix_and_choices()
    ranks = rank_sides(choices, {11: [110, 111, 112]})
    # threshold: "40" and "60" have one backer each (Borduria abstains): the lower id first;
    # option 112 is in the catalogue but nobody backs it: last
    assert ranks.order[11] == (110, 111, 112)
    # adoption: two backers, two against; "against" does not back anything
    assert ranks.backers[(12, 120)] == 2
    assert ranks.rank(12, 120) == 0 and ranks.rank(11, 111) == 1
    assert ranks.rank(99, 1) > 100  # unknown: ranked as "other"


def test_division_balance_divisiveness_and_most_debated():
    _, choices = matrix_and_choices()
    division = question_division(choices)
    # art6: three actors, one side -> balance 0, no opposed pair
    assert division.of(10) == pytest.approx(
        {"actors": 3, "sided": 3, "sides": 1, "balance": 0.0, "opposed_pairs": 0, "divisiveness": 0.0}
    )
    # threshold: 40 vs 60 (Borduria abstains): RQ = 4(2 * 0.25 * 0.5) = 1; 1 opposed pair of 6
    assert division.of(11)["balance"] == pytest.approx(1.0)
    assert division.of(11)["divisiveness"] == pytest.approx(1 / 6)
    # adoption: 2 adopt vs 2 against: RQ 1, 2 x 2 = 4 opposed pairs of the 6 pairs of actors
    assert division.of(12)["opposed_pairs"] == 4
    assert division.of(12)["divisiveness"] == pytest.approx(4 / 6)
    assert division.most_debated() == 12
    assert [int(division.question_ids[i]) for i in division.ranking()] == [12, 11, 10]


def test_balance_of_an_uneven_split():
    # two backers against one: pi = 2/3, 1/3: RQ = 4 (4/9 * 1/3 + 1/9 * 2/3) = 8/9
    rows = [(1, 1, 10, 100, "support", 1), (2, 2, 10, 100, "support", 1), (3, 3, 10, 100, "oppose", 1)]
    _, choices = matrix_and_choices(rows)
    assert question_division(choices).of(10)["balance"] == pytest.approx(8 / 9)


def test_pair_table_keeps_disagreeing_pairs_and_undefined_kappa():
    _, choices = matrix_and_choices()
    table = pair_table(agreement_matrices(choices, kappa=True), min_shared=1)
    rows = {
        (int(table.actor_ids[i]), int(table.actor_ids[j])): (s, a, k, c, f)
        for i, j, s, a, k, c, f in zip(
            table.first,
            table.second,
            table.shared,
            table.agreement,
            table.kappa,
            table.congruence,
            table.conflict,
            strict=True,
        )
    }
    assert len(rows) == 6  # every pair shares the adoption vote
    # Atlantis-Dorlandia: one shared question, opposite sides: agreement 0, kept;
    # kappa: p_o = 0, p_e = 0 (adopt vs against:adopt) -> 0
    assert rows[(1, 4)][:2] == (1, 0.0) and rows[(1, 4)][2] == pytest.approx(0.0)
    # Carpania-Dorlandia: one shared question, same choice: p_e = 1, kappa undefined
    assert math.isnan(rows[(3, 4)][2])
    # Atlantis-Borduria: 2.5/3, kappa 4/7 (tests/test_analysis.py has the arithmetic)
    assert rows[(1, 2)][1] == pytest.approx(2.5 / 3) and rows[(1, 2)][2] == pytest.approx(4 / 7)
    # ordered by agreement, highest first
    assert list(table.agreement) == sorted(table.agreement, reverse=True)
    assert len(pair_table(agreement_matrices(choices, kappa=True), min_shared=2)) == 3


def test_conflict_ties_join_pairs_who_differ_more_than_they_agree():
    _, choices = matrix_and_choices()
    m = agreement_matrices(choices)
    tie = conflict_pairs(m, min_shared=1)
    ties = {(int(m.actor_ids[i]), int(m.actor_ids[j])) for i, j in zip(*np.nonzero(np.triu(tie)), strict=True)}
    # A-C: same on art6, different on threshold and adoption (1 vs 2); A-D, B-D: only differ;
    # B-C: same on art6, different on adoption (1 vs 1): no tie; A-B never differ
    assert ties == {(1, 3), (1, 4), (2, 4)}
    assert not conflict_pairs(m, min_shared=2)[0, 3]


def test_pair_sentences():
    assert pair_sentence("Russian Federation", "European Union", 1, 0, 1) == (
        "Russian Federation and European Union share 1 question and disagree on it"
    )
    assert pair_sentence("A", "B", 0, 0, 0) == "A and B share no question"
    assert pair_sentence("A", "B", 2, 2, 0) == "A and B share 2 questions and agree on both"
    assert (
        pair_sentence("A", "B", 3, 1, 1)
        == "A and B share 3 questions: agree on 1, disagree on 1, one or both abstained on 1"
    )


def test_seriation_puts_blocs_together_and_is_deterministic():
    rng = np.random.default_rng(3)
    bloc = np.array([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1])
    agreement = np.where(bloc[:, None] == bloc[None, :], 0.9, 0.1) + rng.uniform(-0.05, 0.05, (12, 12))
    agreement = (agreement + agreement.T) / 2
    agreement[0, 5] = agreement[5, 0] = np.nan  # no shared question: maximally distant
    distance = agreement_distance(agreement)
    assert distance[0, 5] == 1.0 and np.all(np.diag(distance) == 0)
    order = seriate(distance)
    assert sorted(order.tolist()) == list(range(12))
    runs = np.count_nonzero(np.diff(bloc[order]))  # one change of bloc along the rows
    assert runs == 1
    assert seriate(distance).tolist() == order.tolist()
    assert path_length(distance, order) < path_length(distance, np.arange(12))


def test_row_groups_by_label_largest_first_unlabelled_last():
    agreement = np.full((5, 5), 0.5)
    order, groups = order_rows(agreement, ["x", "", "y", "y", "x"][:5])
    assert [(g.key, g.stop - g.start) for g in groups] in ([("x", 2), ("y", 2), ("", 1)],)
    assert order[-1] == 1  # the unlabelled actor


def test_columns_in_treaty_order_or_by_divisiveness():
    _, choices = matrix_and_choices()
    info = {
        10: QuestionInfo("art6-list", "", "6", "Art. 6", 7, "chapter-1", "Ch. I", 1),
        11: QuestionInfo("threshold", "", "65", "Art. 65", 70, "chapter-9", "Ch. IX", 9),
        12: QuestionInfo("adoption", "", "whole", "The convention as a whole", 90, "whole", "whole", 90),
    }
    order, provisions, chapters = order_columns(choices.question_ids, info, "provision")
    assert order.tolist() == [0, 1, 2]
    assert [(g.key, g.start, g.stop) for g in provisions] == [("6", 0, 1), ("65", 1, 2), ("whole", 2, 3)]
    assert [g.key for g in chapters] == ["chapter-1", "chapter-9", "whole"]
    order, provisions, _ = order_columns(choices.question_ids, info, "divisiveness", question_division(choices))
    assert choices.question_ids[order].tolist() == [12, 11, 10] and provisions == ()
    # article numbers sort as numbers, not text
    natural = {
        1: QuestionInfo("q", "", "11", provision_order=1 << 30),
        2: QuestionInfo("q", "", "2", provision_order=1 << 30),
    }
    assert order_columns(np.array([1, 2]), natural, "provision")[0].tolist() == [1, 0]


def test_side_codes_and_aggregated_columns():
    matrix, choices = matrix_and_choices()
    codes = side_codes(matrix, rank_sides(choices))
    # Carpania: keep-list (rank 0) backed -> 2; "60" is rank 1 -> 4; against adopt -> 3
    assert codes[2].tolist() == [2, 4, 3]
    assert codes[1, 1] == CODE_ABSTAIN and codes[3, 0] == CODE_NONE
    bins = column_bins(3, (Group("a", "a", 0, 2), Group("b", "b", 2, 3)), max_columns=2)
    assert bins == [(0, 2), (2, 3)]  # two columns a bin, never across a group boundary
    bins = column_bins(3, (), max_columns=1)
    assert bins == [(0, 3)]
    mode, share = aggregate_codes(codes, bins)
    # Atlantis: codes 2, 2, 2 -> 2 (all); Dorlandia: only against adopt -> 3
    assert mode[:, 0].tolist() == [2, 2, 2, 3]
    assert share[0, 0] == 1.0 and share[2, 0] == pytest.approx(1 / 3)
    assert column_bins(4, (), 10, whole=((1, 3),)) == [(0, 1), (1, 3), (3, 4)]


def test_allies_opponents_and_comparison():
    matrix, choices = matrix_and_choices()
    m = agreement_matrices(choices)
    names = {1: "Atlantis", 2: "Borduria", 3: "Carpania", 4: "Dorlandia"}
    allies, opponents = allies_and_opponents(m, 1, names, min_shared=1)
    # Atlantis: Borduria 2.5/3 (ally); Carpania 1/3 and Dorlandia 0 (opponents, lowest first)
    assert [(p.name, round(p.rate, 3), p.shared) for p in allies] == [("Borduria", 0.833, 3)]
    assert [p.name for p in opponents] == ["Dorlandia", "Carpania"]
    allies, opponents = allies_and_opponents(m, 1, names, min_shared=2)
    assert [p.name for p in opponents] == ["Carpania"]  # Dorlandia shares only one question
    # Atlantis vs Borduria: agree on art6 and adoption, Borduria abstains on the threshold
    assert compare_cells(matrix, 1, 2) == [(0, AGREE), (1, ABSTAINED), (2, AGREE)]
    assert compare_cells(matrix, 1, 4) == [(2, DIFFER)]


def test_polarisation_and_bloc_gap_per_session():
    blocs = {1: "x", 2: "x", 3: "y", 4: "y"}
    first = [p for p in POSITIONS if p[5] == 1]
    second = [p for p in POSITIONS if p[5] == 2]
    _, s1 = matrix_and_choices(first)
    _, s2 = matrix_and_choices(second)
    # session 1: art6 2 keep vs 1 against (RQ 8/9, 3 sided), threshold 40 vs 60 (RQ 1, 2 sided)
    # weighted: (3 * 8/9 + 2 * 1) / 5 = 14/15
    assert polarisation(s1) == (pytest.approx(14 / 15), 2)
    # session 2: adoption 2 vs 2 (RQ 1); art6 has one actor only and is left out
    assert polarisation(s2) == (pytest.approx(1.0), 1)
    # session 1 agreement: A-B 1.5 of 2 (same bloc); A-C 0 of 2, B-C 0.5 of 2 (between)
    within, between, n_w, n_b = bloc_gap(agreement_matrices(s1), blocs)
    assert (within, between, n_w, n_b) == (pytest.approx(0.75), pytest.approx(0.125), 1, 2)
    # session 2: A-B and C-D agree (within), every other pair differs on the vote
    within, between, _, _ = bloc_gap(agreement_matrices(s2), blocs)
    assert (within, between) == (pytest.approx(1.0), pytest.approx(0.0))
