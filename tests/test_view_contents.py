"""What the contest views and the Coverage view say, decided in the core (the window and the CLI
show the same words): status lines, empty states, hover texts. Numbers by hand on
tests/data/small.csv (see tests/test_contest_pipeline.py for the analysis behind them)."""

from __future__ import annotations

from explorer.pipeline import coverage, evolution, matrix, network, profile
from explorer.pipeline.common import NO_POSITIONS
from explorer.store.filters import PositionFilter

SMALL = PositionFilter("small")


def test_matrix_status_empty_state_and_bins(small_db):
    content = matrix.matrix_content(small_db, SMALL)
    assert content.status == (
        "4 actor(s) × 3 question(s); rows by similarity (optimal leaf ordering), columns in treaty order."
    )
    assert matrix.matrix_content(small_db, SMALL.with_(stances=("reserve",))).status == f"{NO_POSITIONS}."
    region = matrix.matrix_content(small_db, SMALL, matrix.MatrixRequest(rows="region", columns="divisiveness"))
    assert "rows by UN regional group, then similarity, columns most divisive first." in region.status
    narrow = matrix.MatrixContent(content.result, content.title, content.caption, max_columns=2)
    assert narrow.status.endswith("More than 2 questions: drawn in bins, each cell the side taken most often.")


def test_a_matrix_cell_reads_its_choice_summary_and_source(small_db):
    content = matrix.matrix_content(small_db, SMALL)
    chart = matrix.draw_matrix(content)
    row = chart.actor_names.index("Carpania")
    column = chart.column_labels.index("art6-list")
    text = matrix.describe_cell(small_db, content, chart.cell(row, column))
    lines = text.splitlines()
    # Carpania rejected the list in s1 and accepted it in s2: the later position decides the cell
    assert lines[0] == "Carpania" and lines[1] == "Art. 6 · art6-list"
    assert "choice: keep-list" in text and "Carpania later accepts the list." in text
    assert "source: https://example.org/s2 (Session 2 report)" in text
    assert lines[-1] == "1 earlier position(s) on this question"
    dorlandia = chart.actor_names.index("Dorlandia")
    assert matrix.describe_cell(small_db, content, chart.cell(dorlandia, column)).endswith("no position")


def test_profile_status_with_no_actor_one_actor_and_a_comparison(small_db):
    nobody = profile.profile_content(small_db, SMALL, None)
    assert nobody.status == profile.NO_ACTOR and nobody.first is None
    assert profile.draw_profile(nobody).record_axes == []  # the message, no panels
    both = profile.profile_content(small_db, SMALL, "Atlantis", "Borduria")
    assert both.status == (
        "Atlantis: 3 position(s); 1 closest allies and 2 strongest opponents among actors sharing 1+ question(s). "
        "With Borduria: 3 shared question(s), agree on 2, differ on 0, one abstains on 1."
    )
    first = both.first
    assert first is not None and both.second is not None
    assert profile.describe_partner(first.allies[0], first.metric).startswith("Borduria: agreement rate (abstain = ½) ")
    adoption = next(c for c in first.comparison if c.question_key == "adoption")
    text = profile.describe_comparison(adoption, "Atlantis", "Borduria")
    assert "they agree" in text and text.count("source: A/AC.291/L.15") == 2
    entry = next(e for e in first.record if e.question_key == "threshold")
    assert profile.describe_entry(entry).splitlines()[2] == "support: 40"
    assert profile.describe_entry(entry).endswith("source: https://example.org/s1")


def test_evolution_status_names_first_and_last_sessions(small_db):
    content = evolution.evolution_content(small_db, SMALL)
    # s1: P = 14/15, s2: P = 1 (tests/test_contest_pipeline.py)
    assert content.status.startswith(
        "2 session(s) with two actors sharing a question; polarisation P 0.93 in s1, 1.00 in s2; bloc gap Δ"
    )
    empty = evolution.evolution_content(small_db, SMALL.with_(actors=("Atlantis",)))
    assert empty.status == f"{evolution.EVOLUTION_EMPTY}."
    node = next(iter(content.result.slices[0].graph))
    assert evolution.describe_node(content, "s1", node).splitlines()[1].startswith("s1: ")


def test_two_actors_network_status_says_what_they_did(small_db):
    content = network.network_content(small_db, SMALL.with_(actors=("Atlantis", "Dorlandia")))
    assert content.status.endswith("Atlantis and Dorlandia share 1 question and disagree on it.")


def test_coverage_status_and_cell_text(small_db):
    report = coverage.coverage_for(small_db, SMALL)
    # 11 positions, one of them (Carpania's on art6-list in s2) from a machine-written summary: 9%
    assert report.status.startswith(
        "11 position(s) under 3 provision(s) in 2 session(s); 9% from machine-written summaries."
    )
    assert report.cell_text("6", "s2") == "Art. 6 in s2: 1 position(s), 1 of them (100%) from machine-written summaries"
    assert report.cell_text("65", "s2") == "Art. 65 in s2: no position"
    assert coverage.coverage_for(small_db, SMALL.with_(stances=("reserve",))).status == f"{NO_POSITIONS}."
