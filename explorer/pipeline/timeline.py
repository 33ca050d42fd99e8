"""The timeline view: positions placed in time, session bands, caption and chart."""

from __future__ import annotations

from typing import TYPE_CHECKING

from explorer.pipeline.common import chart_title, dataset_label
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import PositionFilter, compile_filter, resolve_dataset
from explorer.store.records import SessionSpan, TimelinePoint

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from explorer.charts.style import Theme
    from explorer.charts.timeline_chart import TimelineChart

TIMELINE_TITLE = "Positions over time"


def timeline_points(db: Database, flt: PositionFilter) -> tuple[list[TimelinePoint], int]:
    """Positions with a date (or, failing that, a meeting session's start) and how many were
    left out because nothing places them in time."""
    return queries.timeline_points(db, compile_filter(db, flt))


def session_spans(db: Database, flt: PositionFilter) -> list[SessionSpan]:
    return queries.session_spans(db, resolve_dataset(db, flt.dataset))


def timeline_caption(db: Database, flt: PositionFilter, undated: int) -> str:
    from explorer.charts.export import caption_text

    name, version = dataset_label(db, flt)
    extra = f"{undated} position(s) without a date not shown" if undated else ""
    return caption_text(dataset=name, version=version, filters=flt.describe(), extra=extra)


def timeline_chart_for(
    db: Database, flt: PositionFilter, *, theme: Theme | None = None, figure: Figure | None = None
) -> TimelineChart:
    from explorer.charts.style import LIGHT
    from explorer.charts.timeline_chart import build_timeline_chart

    points, undated = timeline_points(db, flt)
    return build_timeline_chart(
        points,
        session_spans(db, flt),
        title=chart_title(db, flt, TIMELINE_TITLE),
        caption=timeline_caption(db, flt, undated),
        theme=theme or LIGHT,
        figure=figure,
    )
