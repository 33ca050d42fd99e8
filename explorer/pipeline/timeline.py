"""The timeline view: positions placed in time and coloured by the side taken, session bands,
caption and chart (METHODS §7)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from explorer.pipeline.common import chart_title, dataset_label
from explorer.pipeline.sides import most_debated_question, side_ranks_for
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import PositionFilter, compile_filter, resolve_dataset
from explorer.store.records import SessionSpan, TimelinePoint
from explorer.vocabulary import STANCE_SIDE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from explorer.charts.style import Theme
    from explorer.charts.timeline_chart import TimelineChart

TIMELINE_TITLE = "Positions over time"
MOST_DEBATED = "most-debated"  # sides= value: only the most divisive question of the filter (METHODS §8)


def timeline_points(db: Database, flt: PositionFilter) -> tuple[list[TimelinePoint], int]:
    """Positions with a date (or, failing that, a meeting session's start), each with the rank
    of its option in its question (its colour; -1 = abstain), and how many were left out
    because nothing places them in time."""
    points, undated = queries.timeline_points(db, compile_filter(db, flt))
    ranks = side_ranks_for(db, resolve_dataset(db, flt.dataset))
    ranked = [
        replace(p, side_rank=-1 if STANCE_SIDE.get(p.stance) == "abstain" else ranks.rank(p.question_id, p.option_id))
        for p in points
    ]
    return ranked, undated


def session_spans(db: Database, flt: PositionFilter) -> list[SessionSpan]:
    return queries.session_spans(db, resolve_dataset(db, flt.dataset))


def timeline_caption(db: Database, flt: PositionFilter, undated: int) -> str:
    from explorer.charts.export import caption_text

    name, version = dataset_label(db, flt)
    extra = f"{undated} position(s) without a date not shown" if undated else ""
    return caption_text(dataset=name, version=version, filters=flt.describe(), extra=extra)


def timeline_chart_for(
    db: Database,
    flt: PositionFilter,
    *,
    theme: Theme | None = None,
    figure: Figure | None = None,
    sides: str = "auto",
) -> TimelineChart:
    """The timeline of ``flt``. ``sides``: "grouped", "ranked" or "auto" (the chart's modes),
    or "most-debated": only the filter's most divisive question, its options by name."""
    from explorer.charts.style import LIGHT
    from explorer.charts.timeline_chart import build_timeline_chart

    if sides == MOST_DEBATED:
        key = most_debated_question(db, flt)
        flt = flt.with_(questions=(key,)) if key is not None else flt
        sides = "grouped"
    points, undated = timeline_points(db, flt)
    return build_timeline_chart(
        points,
        session_spans(db, flt),
        title=chart_title(db, flt, TIMELINE_TITLE),
        caption=timeline_caption(db, flt, undated),
        theme=theme or LIGHT,
        figure=figure,
        sides=sides,
    )
