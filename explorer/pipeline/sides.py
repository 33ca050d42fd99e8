"""What every view that colours by side shares: the dataset's option ranks (cached) and the
filter's most debated question (METHODS §7–§8)."""

from __future__ import annotations

import threading
import weakref

from explorer.analysis.choices import reduce_choices
from explorer.analysis.sides import SideRanks, question_division, rank_sides
from explorer.pipeline.common import choices_for
from explorer.store.columns import PositionArrays, dataset_columns
from explorer.store.contest_queries import dataset_options, question_catalog
from explorer.store.database import Database
from explorer.store.filters import PositionFilter

# id(dataset columns) → (weak reference to them, ranks): the ranks live as long as the cached
# columns they were computed from (store.columns renews those when the dataset changes)
_ranks_cache: dict[int, tuple[weakref.ref[PositionArrays], SideRanks]] = {}
_ranks_lock = threading.Lock()


def side_ranks_for(db: Database, dataset_id: int) -> SideRanks:
    """Option ranks over the whole dataset, not the filter, so that an option keeps its colour
    whatever the filter (METHODS §7); computed once per version of the dataset's columns."""
    columns = dataset_columns(db, dataset_id)
    with _ranks_lock:
        cached = _ranks_cache.get(id(columns))
        if cached is not None and cached[0]() is columns:
            return cached[1]
    choices = reduce_choices(columns.actor_id, columns.question_id, columns.option_id, columns.stance)
    ranks = rank_sides(choices, dataset_options(db, dataset_id))
    with _ranks_lock:
        _ranks_cache[id(columns)] = (weakref.ref(columns), ranks)
        weakref.finalize(columns, _ranks_cache.pop, id(columns), None)
    return ranks


def most_debated_question(db: Database, flt: PositionFilter) -> str | None:
    """Key of the filter's most divisive question (METHODS §8), or None without positions."""
    question_id = question_division(choices_for(db, flt)).most_debated()
    if question_id is None:
        return None
    return str(question_catalog(db, [question_id])[question_id]["key"])
