"""Coverage (issue #11): positions per provision and session with the machine-written share, the
member states with and without article-level positions, and the depth targets. The rule is tested
on hand-built facts, then through the store and pipeline on the mini bundle, then the app's numbers
are compared with the data card's on the bundled dataset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer import pipeline
from explorer.analysis import coverage
from explorer.analysis.coverage import Cell, Fact
from explorer.ingest.bundled import ensure_bundled, open_with_bundled
from explorer.store.filters import PositionFilter

DATA = Path(__file__).resolve().parent.parent / "sessions_data"


def fact(
    actor, provision, session="s1", *, kind="state", region="WEOG", pkind="article", source="news", via=False, n=1
):
    return Fact(actor, kind, region, provision, pkind, session, source, via, n)


FACTS = [
    fact("atlantis", "6", source="news"),
    fact("atlantis", "6", source="ai-meeting-summary", n=2),
    fact("borduria", "scope", "s2", region="Asia-Pacific", pkind="topic", source="government"),
    fact("holy-see", "6", region=None),  # an observer State: not a member state
    fact("carpathia", "whole", "s2", pkind="topic"),  # whole-treaty only: not article level
    fact("union", "6", kind="group", region=None, source="ai-meeting-summary"),
    fact("syldavia", "14", "s2", via=True),  # only through a joint statement
]
STATES = {
    "atlantis": ("state", "WEOG"),
    "borduria": ("state", "Asia-Pacific"),
    "holy-see": ("state", None),
    "carpathia": ("state", "WEOG"),
    "syldavia": ("state", "Eastern European"),
    "ruritania": ("state", "WEOG"),  # no position at all
}


def test_cells_count_positions_and_the_machine_written_ones():
    cells = coverage.cells(FACTS)
    assert cells[("6", "s1")] == Cell(positions=5, machine_written=3)
    assert cells[("6", "s1")].machine_share == pytest.approx(0.6)
    assert cells[("scope", "s2")] == Cell(1, 0) and cells[("scope", "s2")].machine_share == 0.0
    assert Cell().machine_share == 0.0


def test_matrix_keeps_reading_and_time_order_and_only_filled_rows_and_columns():
    rows, columns, _ = coverage.matrix(FACTS, ["scope", "6", "14", "whole", "16"], ["s2", "s1", "s3"])
    assert rows == ["scope", "6", "14", "whole"]
    assert columns == ["s2", "s1"]


def test_member_states_with_a_position_of_their_own_on_an_article_the_title_or_the_scope():
    dep = coverage.depth(FACTS, STATES)
    assert dep.states_with == ("atlantis", "borduria", "syldavia")
    assert dep.states_without == ("carpathia", "ruritania")  # the observer is in neither list
    assert dep.states_only_via_group == ("syldavia",)


def test_actors_per_article_and_their_median_over_the_twelve_articles():
    dep = coverage.depth(FACTS, STATES)
    assert dep.actors_per_article["6"] == 3  # atlantis, holy-see, union: any actor kind counts
    assert dep.actors_per_article["14"] == 1
    assert sum(dep.actors_per_article.values()) == 4 and len(dep.actors_per_article) == 12
    assert dep.median_actors == 0.0 and not dep.targets_met
    many = [fact(f"a{i}", article) for article in coverage.DEPTH_ARTICLES for i in range(12)]
    members = {f"m{i}": ("state", "WEOG") for i in range(70)}
    many += [fact(f"m{i}", "title", pkind="topic") for i in range(70)]
    dep = coverage.depth(many, members)
    assert dep.median_actors == 12.0 and len(dep.states_with) == 70 and dep.targets_met


def test_pipeline_coverage_on_the_mini_bundle(fresh_db, mini_bundle):
    ensure_bundled(fresh_db, mini_bundle)
    report = pipeline.coverage_for(fresh_db, PositionFilter("mini"))
    assert report.provisions == ["6", "whole"] and report.sessions == ["s1", "s2"]
    assert report.cells[("6", "s1")] == Cell(2, 1)  # m-1 (UN document) and m-4 (AI summary)
    assert report.cells[("whole", "s2")] == Cell(2, 0)
    assert report.depth.states_with == ("atlantis", "borduria") and report.depth.states_without == ()
    assert report.depth.actors_per_article["6"] == 2
    assert report.provision_titles["6"] == "Respect for human rights" and report.state_names["borduria"] == "Borduria"


def test_pipeline_coverage_follows_the_filter(fresh_db, mini_bundle):
    ensure_bundled(fresh_db, mini_bundle)
    report = pipeline.coverage_for(fresh_db, PositionFilter("mini", source_kinds=("ai-meeting-summary",)))
    assert report.cells == {("6", "s1"): Cell(1, 1)}
    assert report.depth.states_with == ("borduria",) and report.depth.states_without == ("atlantis",)


@pytest.fixture(scope="module")
def bundled_db():
    db = open_with_bundled(":memory:")
    yield db
    db.close()


def test_the_app_and_the_data_card_count_the_same(bundled_db):
    """The Coverage view (rows grouped in SQL) and the card (JSON records) give the same numbers."""
    report = pipeline.coverage_for(bundled_db, PositionFilter())
    read = lambda name: json.loads((DATA / name).read_text(encoding="utf-8"))  # noqa: E731
    positions = [json.loads(line) for line in (DATA / "positions.jsonl").read_text(encoding="utf-8").splitlines()]
    facts = coverage.facts_from_records(positions, read("questions.json"), read("provisions.json"), read("actors.json"))
    card = coverage.depth(facts, {a["id"]: (a["kind"], a["un_region"]) for a in read("actors.json")})
    assert report.depth == card
    assert report.cells == coverage.cells(facts)
    card_text = (DATA / "README.md").read_text(encoding="utf-8")
    assert f"{len(card.states_with)} of {len(card.states_with) + len(card.states_without)}** (target" in card_text
    assert f"{card.median_actors:g}** (target" in card_text


def test_the_depth_targets_of_issue_11_are_met(bundled_db):
    depth = pipeline.coverage_for(bundled_db, PositionFilter()).depth
    assert len(depth.states_with) >= coverage.TARGET_MEMBER_STATES == 70
    assert depth.median_actors >= coverage.TARGET_MEDIAN_ACTORS == 12
