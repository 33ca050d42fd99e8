"""The Overview's core (explorer.pipeline.overview): the most divisive questions and their camps,
on the hand-coded fixture (tests/data/small.csv), numbers worked out by hand."""

from __future__ import annotations

from explorer.pipeline.overview import EMPTY_MESSAGE, OTHER_GROUP, TEXT_GROUP, overview_content
from explorer.store.filters import PositionFilter

# small.csv, latest choice per actor and question (METHODS §1), four actors in the filter (6 pairs):
#   adoption   Atlantis, Borduria back "adopt"; Carpania, Dorlandia against  -> 2 × 2 = 4 opposed pairs
#   threshold  Atlantis backs 40, Carpania backs 60, Borduria neutral         -> 1 opposed pair
#   art6-list  everyone ends up backing keep-list (Carpania changed its mind) -> not contested
# threshold is filed under Article 65 (the treaty's text), adoption under "whole" (around it):
# the text comes first although adoption divides more (TEXT_ITEMS).


def test_the_most_divisive_questions_come_first_with_their_camps(small_db):
    content = overview_content(small_db, PositionFilter(dataset="small"))
    assert [item.key for item in content.items] == ["threshold", "adoption"]
    assert [item.group for item in content.items] == [TEXT_GROUP, OTHER_GROUP]
    assert (content.contested, content.questions, content.message) == (2, 3, "")
    threshold, adoption = content.items
    assert adoption.divisiveness == 4 / 6 and threshold.divisiveness == 1 / 6
    assert adoption.actors == 4 and threshold.actors == 3
    assert adoption.measure == "4 actors took a side or abstained; 4 of their 6 pairs (67%) stood on opposite sides"
    assert threshold.measure == "3 actors took a side or abstained; 1 of their 3 pairs (33%) stood on opposite sides"
    assert [(c.side, c.option_key, c.actors) for c in adoption.camps] == [
        ("for", "adopt", ("Atlantis", "Borduria")),
        ("against", "adopt", ("Carpania", "Dorlandia")),
    ]
    assert [c.heading for c in adoption.camps] == ["Backs ‘adopt’ (2)", "Against ‘adopt’ (2)"]
    assert adoption.camps[1].hollow and not adoption.camps[0].hollow  # drawn as the charts draw "against"
    assert adoption.camps[0].colour == adoption.camps[1].colour  # one option, one colour
    assert [(c.side, c.option_key, c.rank, c.actors) for c in threshold.camps] == [
        ("for", "40", 0, ("Atlantis",)),  # 40 and 60 have one backer each: the first listed ranks first
        ("for", "60", 1, ("Carpania",)),
        ("abstain", "", -1, ("Borduria",)),
    ]
    assert threshold.camps[2].heading == "Abstained or neutral (1)"
    assert adoption.filter == PositionFilter(dataset="small", questions=("adoption",))
    assert content.status.startswith("2 of 3 question(s) in the filter divided the actors")


def test_a_camp_names_its_first_actors_then_how_many_more(small_db):
    camp = overview_content(small_db, PositionFilter(dataset="small")).items[1].camps[0]
    assert camp.names_text() == "Atlantis, Borduria"
    assert camp.names_text(limit=1) == "Atlantis and 1 more"


def test_limit_and_filter(small_db):
    content = overview_content(small_db, PositionFilter(dataset="small"), limit=1)
    assert [item.key for item in content.items] == ["threshold"] and content.contested == 2
    assert content.items[0].group == ""  # one kind of question shown: no group headings
    around = overview_content(small_db, PositionFilter(dataset="small", provisions=("whole",)))
    assert [(i.key, i.group) for i in around.items] == [("adoption", "")]
    narrowed = overview_content(small_db, PositionFilter(dataset="small", actors=("Atlantis", "Carpania")))
    # two actors opposed on both: a tie broken by the lower question id (threshold was imported first)
    assert [(i.key, i.divisiveness) for i in narrowed.items] == [("threshold", 1.0), ("adoption", 1.0)]


def test_nothing_contested_says_so(small_db):
    content = overview_content(small_db, PositionFilter(dataset="small", questions=("art6-list",)))
    assert content.items == () and content.message == EMPTY_MESSAGE
    assert content.status == "1 question(s) in the filter, none contested."
