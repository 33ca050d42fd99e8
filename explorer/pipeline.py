"""From a filter to a result: the one path both the CLI and the GUI take to analyse and draw.

Functions here read the store, run the analysis and call the chart builders; they take a
database and a :class:`~explorer.store.filters.PositionFilter` and never touch Qt, so the GUI
runs them on a worker thread and the CLI runs them directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from explorer.analysis.agreement import AgreementMatrices, agreement_matrices
from explorer.analysis.choices import Choices, reduce_choices
from explorer.analysis.network import DEFAULT_SEED, NetworkResult, build_network
from explorer.store import queries
from explorer.store.columns import position_arrays
from explorer.store.filters import PositionFilter, compile_filter, resolve_actor, resolve_dataset

METRIC_LABELS = {"agreement": "agreement rate (abstain = ½)", "kappa": "Cohen's kappa"}


@dataclass(frozen=True)
class NetworkRequest:
    metric: str = "agreement"
    min_shared: int = 1
    min_weight: float = 0.0
    seed: int = DEFAULT_SEED


def choices_for(db: sqlite_utils.Database, flt: PositionFilter) -> Choices:
    arrays = position_arrays(db, flt)
    return reduce_choices(
        arrays.actor_id, arrays.question_id, arrays.option_id, arrays.stance, queries.option_keys(db, arrays.option_id)
    )


def agreement_for(
    db: sqlite_utils.Database, flt: PositionFilter, *, kappa: bool = False
) -> tuple[Choices, AgreementMatrices]:
    choices = choices_for(db, flt)
    return choices, agreement_matrices(choices, kappa=kappa)


def network_for(
    db: sqlite_utils.Database,
    flt: PositionFilter,
    request: NetworkRequest = NetworkRequest(),
    previous_pos: dict | None = None,
) -> NetworkResult:
    """The agreement network of ``flt``. A filter naming exactly one actor gives that actor's
    ego network (everyone it shares enough questions with), since a one-node network says
    nothing; with two or more actors the network holds exactly those actors."""
    focus = None
    if len(flt.actors) == 1:
        focus = str(resolve_actor(db, resolve_dataset(db, flt.dataset), flt.actors[0]))
        flt = flt.with_(actors=())
    choices, matrices = agreement_for(db, flt, kappa=request.metric == "kappa")
    actors = queries.actor_attributes(db, matrices.actor_ids)
    return build_network(
        matrices,
        actors,
        choices.positions_per_actor,
        metric=request.metric,
        min_shared=request.min_shared,
        min_weight=request.min_weight,
        seed=request.seed,
        previous_pos=previous_pos,
        focus=focus,
    )


def dataset_label(db: sqlite_utils.Database, flt: PositionFilter) -> tuple[str, str]:
    dataset_id = resolve_dataset(db, flt.dataset)
    name, version = db.execute("SELECT name, COALESCE(version, '') FROM datasets WHERE id = ?", [dataset_id]).fetchone()
    return name, version


def network_caption(db: sqlite_utils.Database, flt: PositionFilter, result: NetworkResult) -> str:
    from explorer.charts.export import caption_text

    name, version = dataset_label(db, flt)
    extra = f"min. shared questions {result.min_shared}"
    if result.graph.graph.get("focus"):
        extra = f"actors linked to {result.graph.graph['focus']}; " + extra
    if result.min_weight > 0:
        extra += f"; edges > {result.min_weight:g}"
    return caption_text(
        dataset=name,
        version=version,
        filters=flt.describe(),
        metric=METRIC_LABELS.get(result.metric, result.metric),
        seed=result.seed,
        extra=extra,
    )


def network_chart_for(
    db,
    flt: PositionFilter,
    request: NetworkRequest = NetworkRequest(),
    *,
    color_by: str = "community",
    theme=None,
    figure=None,
    previous_pos=None,
):
    """Compute and draw the agreement network of ``flt``; returns ``(NetworkResult, NetworkChart)``."""
    from explorer.charts.network_chart import build_network_chart
    from explorer.charts.style import LIGHT

    result = network_for(db, flt, request, previous_pos)
    chart = build_network_chart(
        result.graph,
        result.pos,
        color_by=color_by,
        title=chart_title(db, flt, "Agreement network"),
        caption=network_caption(db, flt, result),
        theme=theme or LIGHT,
        figure=figure,
    )
    return result, chart


# Session kinds that name a stretch of time rather than a meeting (docs/FORMAT.md): they are not
# drawn as bands, and positions dated only by them are left off the time axis.
PERIOD_KINDS = ("interval", "undated")


def timeline_points(db: sqlite_utils.Database, flt: PositionFilter):
    """Positions with a date (or, failing that, a meeting session's start) and how many were
    left out because nothing places them in time."""
    from explorer.charts.timeline_chart import TimelinePoint

    compiled = compile_filter(db, flt)
    marks = ", ".join("?" * len(PERIOD_KINDS))
    rows = db.execute(
        f"""
        SELECT p.id, a.name, COALESCE(p.date, CASE WHEN s.kind IN ({marks}) THEN NULL ELSE s.start END) AS day,
               p.stance, COALESCE(p.summary, ''), q.text, COALESCE(o.key, '')
        FROM positions p JOIN actors a ON a.id = p.actor_id JOIN questions q ON q.id = p.question_id
        LEFT JOIN options o ON o.id = p.option_id LEFT JOIN sessions s ON s.id = p.session_id
        WHERE {compiled.where} ORDER BY p.sort_date, p.id""",
        [*PERIOD_KINDS, *compiled.params],
    ).fetchall()
    points = [
        TimelinePoint(pid, actor, dt.date.fromisoformat(day), stance, summary, question, option)
        for pid, actor, day, stance, summary, question, option in rows
        if day
    ]
    return points, len(rows) - len(points)


def session_spans(db: sqlite_utils.Database, flt: PositionFilter):
    from explorer.charts.timeline_chart import SessionSpan

    dataset_id = resolve_dataset(db, flt.dataset)
    spans = []
    for s in queries.list_sessions(db, dataset_id):
        if s["start"] and s["kind"] not in PERIOD_KINDS:
            start = dt.date.fromisoformat(s["start"])
            end = dt.date.fromisoformat(s["end"]) if s["end"] else start
            spans.append(SessionSpan(s["key"], s["label"], start, end))
    return spans


def timeline_chart_for(db, flt: PositionFilter, *, theme=None, figure=None):
    from explorer.charts.export import caption_text
    from explorer.charts.style import LIGHT
    from explorer.charts.timeline_chart import build_timeline_chart

    name, version = dataset_label(db, flt)
    points, undated = timeline_points(db, flt)
    extra = f"{undated} position(s) without a date not shown" if undated else ""
    caption = caption_text(dataset=name, version=version, filters=flt.describe(), extra=extra)
    return build_timeline_chart(
        points,
        session_spans(db, flt),
        title=chart_title(db, flt, "Positions over time"),
        caption=caption,
        theme=theme or LIGHT,
        figure=figure,
    )


def chart_title(db: sqlite_utils.Database, flt: PositionFilter, what: str) -> str:
    """``what`` plus the provision(s) or question(s) it is about, e.g. "… — Article 6"."""
    about = []
    dataset_id = resolve_dataset(db, flt.dataset)
    for key in flt.provisions:
        row = db.execute(
            "SELECT kind, number, title FROM provisions WHERE dataset_id = ? AND key = ?", [dataset_id, key]
        ).fetchone()
        if row and row[0] == "article":
            about.append(f"Article {row[1] or key}" + (f": {row[2]}" if row[2] else ""))
        else:
            about.append(row[2] if row and row[2] else key)
    about.extend(flt.questions)
    return f"{what} — {'; '.join(about)}" if about else what
