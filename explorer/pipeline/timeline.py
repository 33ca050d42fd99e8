"""The timeline view: positions placed in time and coloured by the side taken, session bands,
caption, status line and chart (METHODS §7).

:func:`timeline_content` decides everything the view shows — which markers, the title and
caption, the line under the chart, and, above :data:`POINT_LIMIT` positions, a density instead
of a cloud of markers (unreadable, slow, big in memory): positions counted per actor and per few
days, every cell still saying what it holds — and :func:`draw_timeline` draws it; the GUI and
``export-chart --kind timeline`` take the same path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from explorer.errors import stop_if_cancelled
from explorer.pipeline.common import chart_title, filter_caption
from explorer.pipeline.sides import most_debated_question, side_ranks_for
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter, compile_filter, resolve_dataset
from explorer.store.records import SessionSpan, TimelineDensity, TimelinePoint
from explorer.vocabulary import STANCE_LABELS, STANCE_SIDE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from explorer.charts.style import Theme
    from explorer.charts.timeline_chart import TimelineChart
    from explorer.charts.timeline_density_chart import TimelineDensityChart

TIMELINE_TITLE = "Positions over time"
MOST_DEBATED = "most-debated"  # sides= value: only the most divisive question of the filter (METHODS §8)
POINT_LIMIT = 5_000  # the marker budget: above this many positions the timeline is a density

Filter = PositionFilter | CompiledFilter


def density_text(density: TimelineDensity, limit: int) -> str:
    """What a density shows, in the caption of every export and the line under the chart."""
    days = "one day" if density.bin_days == 1 else f"{density.bin_days} days"
    return (
        f"more than {limit:,} positions: each cell counts one actor's positions in {days} "
        f"(colour scale beside the chart); narrow the filter to {limit:,} or fewer to see each position"
    )


def timeline_density(db: Database, compiled: CompiledFilter) -> tuple[TimelineDensity, int]:
    """The filtered positions counted per actor and bin of days, and how many are left out
    because nothing places them in time (the markers' rule, ``timeline_points``)."""
    from explorer.analysis.timeline_density import bin_positions
    from explorer.store.columns import timeline_arrays

    arrays, undated = timeline_arrays(db, compiled)
    actors = queries.actor_attributes(db, _distinct(arrays.actor_id))
    names = {a: str(row["name"]) for a, row in actors.items()}
    labels = {a: str(row["short_name"]) for a, row in actors.items()}
    return bin_positions(arrays.day, arrays.actor_id, arrays.stance, names, labels), undated


def _distinct(values: object) -> list[int]:
    import numpy as np

    return [int(v) for v in np.unique(np.asarray(values))]


def timeline_points(db: Database, flt: Filter) -> tuple[list[TimelinePoint], int]:
    """Positions with a date (or, failing that, a meeting session's start), each with the rank
    of its option in its question (its colour; -1 = abstain) and its actor's short name (its
    row label), and how many were left out because nothing places them in time."""
    compiled = flt if isinstance(flt, CompiledFilter) else compile_filter(db, flt)
    points, undated = queries.timeline_points(db, compiled)
    ranks = side_ranks_for(db, compiled.dataset_id)
    short = {a: str(row["short_name"]) for a, row in queries.actor_attributes(db, {p.actor_id for p in points}).items()}
    ranked = [
        replace(
            p,
            side_rank=-1 if STANCE_SIDE.get(p.stance) == "abstain" else ranks.rank(p.question_id, p.option_id),
            actor_label=short.get(p.actor_id, p.actor),
        )
        for p in points
    ]
    return ranked, undated


def session_spans(db: Database, flt: PositionFilter) -> list[SessionSpan]:
    return queries.session_spans(db, resolve_dataset(db, flt.dataset))


def timeline_caption(db: Database, flt: PositionFilter, undated: int, density: str = "") -> str:
    extra = f"{undated} position(s) without a date not shown" if undated else ""
    extra = "; ".join(part for part in (density[:1].upper() + density[1:], extra) if part)
    return filter_caption(db, flt, extra=extra)


@dataclass(frozen=True)
class TimelineContent:
    """What the timeline of a filter shows, decided before anything is drawn."""

    title: str
    caption: str
    points: list[TimelinePoint]  # the markers (none when there are too many to draw)
    spans: list[SessionSpan]
    total: int  # positions matching the filter
    undated: int  # of those, left off the time axis: nothing places them in time
    sides: str = "auto"  # the chart's colour mode: "grouped", "ranked" or "auto"
    density: TimelineDensity | None = None  # drawn instead of markers above the marker budget
    limit: int = POINT_LIMIT  # the marker budget this content was decided with

    @property
    def status(self) -> str:
        """The line under the chart (and what the CLI reports)."""
        if self.density is not None:
            placed, actors = self.density.placed, len(self.density.actors)
            text = f"{placed:,} position(s) by {actors:,} actor(s) on the time axis, "
            text += density_text(self.density, self.limit)
        else:
            actors = len({p.actor for p in self.points})
            text = f"{len(self.points):,} position(s) by {actors:,} actor(s) on the time axis"
        if self.undated:
            text += f"; {self.undated:,} without a date are in the table only"
        return text + "."


def timeline_content(
    db: Database,
    flt: Filter,
    *,
    sides: str = "auto",
    point_limit: int | None = None,
    cancel: Callable[[], bool] | None = None,
) -> TimelineContent:
    """Everything the timeline of ``flt`` shows: markers up to ``point_limit`` positions (default
    :data:`POINT_LIMIT`, read when called so a test can lower it), a density above. ``sides``: "grouped",
    "ranked" or "auto" (the chart's modes), or "most-debated": only the filter's most divisive
    question, its options by name."""
    compiled = flt if isinstance(flt, CompiledFilter) else compile_filter(db, flt)
    if sides == MOST_DEBATED:
        key = most_debated_question(db, compiled.filter)
        if key is not None:
            compiled = compile_filter(db, compiled.filter.with_(questions=(key,)))
        sides = "grouped"
    stop_if_cancelled(cancel)
    limit = POINT_LIMIT if point_limit is None else point_limit
    total = queries.count_positions(db, compiled)
    title = chart_title(db, compiled.filter, TIMELINE_TITLE)
    spans = session_spans(db, compiled.filter)
    stop_if_cancelled(cancel)
    if total > limit:
        density, undated = timeline_density(db, compiled)
        caption = timeline_caption(db, compiled.filter, undated, density_text(density, limit))
        return TimelineContent(title, caption, [], spans, total, undated, sides, density, limit)
    points, undated = timeline_points(db, compiled)
    caption = timeline_caption(db, compiled.filter, undated)
    return TimelineContent(title, caption, points, spans, total, undated, sides, limit=limit)


def draw_timeline(
    content: TimelineContent, *, theme: Theme | None = None, figure: Figure | None = None
) -> TimelineChart | TimelineDensityChart:
    from explorer.charts.style import LIGHT
    from explorer.charts.timeline_chart import build_timeline_chart
    from explorer.charts.timeline_density_chart import build_timeline_density_chart

    if content.density is not None:
        return build_timeline_density_chart(
            content.density,
            content.spans,
            title=content.title,
            caption=content.caption,
            theme=theme or LIGHT,
            figure=figure,
        )
    return build_timeline_chart(
        content.points,
        content.spans,
        title=content.title,
        caption=content.caption,
        theme=theme or LIGHT,
        figure=figure,
        sides=content.sides,
    )


def describe_point(point: TimelinePoint) -> str:
    """What hovering a marker shows: actor, date, stance and option, question, summary."""
    option = f" — {point.option}" if point.option else ""
    stance = STANCE_LABELS.get(point.stance, point.stance)
    return f"{point.actor}, {point.date.isoformat()}: {stance}{option}\n{point.question}\n\n{point.summary}".strip()


def describe_cell(density: TimelineDensity, row: int, index: int) -> str:
    """What hovering a density cell shows: the actor, the days, how many positions of each stance."""
    first, last = density.bin_dates(index)
    days = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
    counts = density.cell(row, index)
    total = sum(counts.values())
    stances = " · ".join(f"{STANCE_LABELS.get(s, s)} {n:,}" for s, n in counts.items())
    head = f"{density.actors[row]}, {days}: {total:,} position(s)"
    return f"{head}\n{stances}" if stances else head


def cell_filter(flt: PositionFilter, density: TimelineDensity, row: int, index: int) -> PositionFilter:
    """The filter that shows a density cell's positions one by one: its actor and its days."""
    first, last = density.bin_dates(index)
    return flt.with_(actors=(density.actors[row],), date_from=first.isoformat(), date_to=last.isoformat())


def timeline_chart_for(
    db: Database,
    flt: Filter,
    *,
    theme: Theme | None = None,
    figure: Figure | None = None,
    sides: str = "auto",
) -> TimelineChart | TimelineDensityChart:
    """Compute and draw the timeline of ``flt`` (what ``export-chart --kind timeline`` saves)."""
    return draw_timeline(timeline_content(db, flt, sides=sides), theme=theme, figure=figure)
