"""The project's words have one home (explorer.vocabulary) and everything follows it."""

from __future__ import annotations

import re

import numpy as np
import pytest

from explorer.analysis.choices import reduce_choices
from explorer.store import schema
from explorer.vocabulary import (
    ABSTAIN,
    CONFIDENCES,
    STANCE_CODES,
    STANCES,
    choice_of,
    is_valid_source,
    provision_subtree,
)


def test_the_choice_rule_of_methods_section_1():
    assert [choice_of(s, "30") for s in STANCES] == ["30", "30", "abstain", "against:30", "against:30"]
    assert choice_of("oppose", "") == "against:"  # a position without an option is about the whole proposal


def test_the_analysis_labels_choices_by_the_rule():
    """reduce_choices gives each (actor, question) the category choice_of names for its latest stance."""
    stances = list(STANCES)
    n = len(stances)
    choices = reduce_choices(
        actor_id=np.arange(1, n + 1),
        question_id=np.ones(n, dtype=np.int64),
        option_id=np.full(n, 7),
        stance=np.array([STANCE_CODES[s] for s in stances], dtype=np.int8),
        option_key={7: "adopt"},
    )
    got = [choices.categories[c] for c in choices.category]
    assert got == [choice_of(s, "adopt") for s in stances]
    assert list(choices.abstain) == [choice_of(s, "adopt") == ABSTAIN for s in stances]


def test_the_database_stores_exactly_the_vocabulary():
    """v1's CHECK lists are frozen literal text; they must still name every stance and confidence."""
    v1 = schema.MIGRATIONS[0]

    def allowed(column: str) -> set[str]:
        found = re.search(rf"{column} TEXT NOT NULL CHECK \({column} IN \(([^)]*)\)\)", v1)
        assert found, column
        return {value.strip(" '") for value in found.group(1).split(",")}

    assert allowed("stance") == set(STANCES)
    assert allowed("confidence") == set(CONFIDENCES)


def test_the_stance_codes_follow_the_display_order_and_fit_three_bits():
    assert list(STANCE_CODES) == list(STANCES)
    assert sorted(STANCE_CODES.values()) == list(range(len(STANCES))) and max(STANCE_CODES.values()) < 8


def test_provision_subtree_takes_ids_or_keys_and_lists_each_once():
    parents = [("ch1", None), ("5", "ch1"), ("6", "ch1"), ("6.1", "6"), ("ch2", None), ("7", "ch2")]
    assert provision_subtree(parents, ["ch1"]) == ["ch1", "5", "6", "6.1"]
    assert provision_subtree(parents, ["6", "ch1"]) == ["6", "6.1", "ch1", "5"]
    assert provision_subtree(parents, ["7"]) == ["7"]
    assert provision_subtree([(1, None), (2, 1)], [1]) == [1, 2]


@pytest.mark.parametrize(
    ("source", "valid"),
    [
        ("https://undocs.org/A/RES/79/243", True),
        ("A/RES/79/243", True),
        ("A/AC.291/L.15", True),
        ("ftp://example.org/x", False),
        ("https://example.org/a b", False),
        ("https://example.org/\u202eevil", False),
        ("not a source", False),
        ("a/res/79", False),
    ],
)
def test_sources_are_web_links_or_un_symbols(source, valid):
    assert is_valid_source(source) is valid
