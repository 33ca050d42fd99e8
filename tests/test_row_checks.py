"""The column-wise check of a batch says exactly what checking its rows one by one says.

``explorer.ingest.rows`` judges a batch column by column and only walks the rows of a batch that
holds a problem; these properties compare it with :func:`check_value` + :func:`row_problems`
applied row by row (the rules as written), on cells drawn to hit every rule and its edges.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.ingest.rows import (
    KNOWN_COLUMNS,
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    REQUIRED_COLUMNS,
    _ColumnChecker,
    _stripped,
    check_value,
    row_problems,
)
from explorer.vocabulary import STANCES

EDGES = (
    None,
    "",
    "   ",
    "\t",
    "support",
    " Support ",
    "YES",
    "abstain",
    "maybe",
    "state",
    "GROUP",
    "martian",
    "un-official",
    "high",
    "2020-01-01",
    "2020-02-30",
    "https://x.org/a",
    "javascript:alert(1)",
    "A/RES/79/243",
    "a\ud800b",
    "x" * (MAX_NAME_CHARS + 1),
    "y" * (MAX_TEXT_CHARS + 1),
    "s1",
    "Ünïcödé 👩\u200d👩\u200d👧",
)
CELLS = st.one_of(st.sampled_from(EDGES), st.text(max_size=8))


@st.composite
def batches(draw):
    optional = [c for c in KNOWN_COLUMNS if c not in REQUIRED_COLUMNS]
    columns = list(REQUIRED_COLUMNS) + draw(st.lists(st.sampled_from(optional), unique=True, max_size=8))
    if "date" not in columns and "session" not in columns:
        columns.append(draw(st.sampled_from(("date", "session"))))
    columns = draw(st.permutations(columns))
    json_like = draw(st.booleans())  # JSON cells may be None; CSV cells are always text
    cell = CELLS if json_like else CELLS.map(lambda c: "" if c is None else c)
    records = draw(st.lists(st.lists(cell, min_size=len(columns), max_size=len(columns)), min_size=1, max_size=12))
    return tuple(columns), records


@pytest.mark.slow
@settings(max_examples=300, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(batch=batches())
def test_a_batch_checked_by_columns_agrees_with_its_rows_checked_one_by_one(batch):
    columns, records = batch
    lines = list(range(2, 2 + len(records)))
    errors = []
    stored, valid = _ColumnChecker("f.csv", columns).check(lines, records, errors)
    expected_valid, expected_errors = [], []
    for i, (line, record) in enumerate(zip(lines, records, strict=True)):
        cells = {c: check_value(c, _stripped(v)) for c, v in zip(columns, record, strict=True)}
        problems = row_problems(cells)
        expected_errors += [f"f.csv:{line}: column {c}: {m}" for c, m in problems]
        if not problems:
            expected_valid.append(i)
        for c in columns:
            assert stored[c][i] == cells[c].value, (c, record)
    assert (list(range(len(records))) if valid is None else valid) == expected_valid
    assert [str(e) for e in errors] == expected_errors


def test_a_remembered_word_is_judged_the_same_in_a_later_batch():
    checker = _ColumnChecker("f.csv", ("actor", "question", "stance", "source_url", "date"))
    good = ["A", "q", " Support ", "https://x.org", "2020-01-01"]
    bad = ["A", "q", "maybe", "https://x.org", "2020-01-01"]
    for _ in range(2):  # the second time every word comes from memory
        errors = []
        stored, valid = checker.check([2, 3], [good, bad], errors)
        assert valid == [0] and stored["stance"] == ["support", "maybe"]
        assert [str(e) for e in errors] == [f"f.csv:3: column stance: 'maybe' is not one of {', '.join(STANCES)}"]
