"""The actor profile view: one actor's record, allies and opponents, and a comparison with a
second actor, each compared question with both actors' positions and sources (METHODS §9)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from explorer.analysis.agreement import agreement_matrices
from explorer.analysis.matrix import positions_matrix
from explorer.analysis.profile import allies_and_opponents, compare_cells
from explorer.analysis.sides import SideRanks
from explorer.pipeline.common import dataset_label
from explorer.pipeline.sides import side_ranks_for
from explorer.store import queries
from explorer.store.columns import position_arrays
from explorer.store.contest_queries import actor_record, options_of_questions, position_sources, question_catalog
from explorer.store.contest_records import (
    ABSTAIN,
    AGAINST,
    FOR,
    ActorProfile,
    Comparison,
    PositionsMatrix,
    RecordEntry,
    choice_text,
)
from explorer.store.database import Database
from explorer.store.filters import PositionFilter, compile_filter, resolve_actor, resolve_dataset
from explorer.vocabulary import DEFAULT_METRIC, METRIC_LABELS, STANCE_SIDE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from explorer.charts.actor_chart import ActorChart
    from explorer.charts.style import Theme

PARTNERS = 10  # allies and opponents listed
_KIND = {"for": FOR, "against": AGAINST, "abstain": ABSTAIN}


def profile_for(
    db: Database,
    flt: PositionFilter,
    actor: str,
    other: str | None = None,
    *,
    metric: str = DEFAULT_METRIC,
    min_shared: int = 1,
    limit: int = PARTNERS,
) -> tuple[ActorProfile, ActorProfile | None]:
    """``actor``'s profile within ``flt``, whose ``actors`` restriction is ignored: allies and
    opponents are found among everyone. With ``other``: that actor's profile too, and in the
    first profile the question-by-question comparison of the two."""
    dataset_id = resolve_dataset(db, flt.dataset)
    everyone = flt.with_(actors=())
    first_id = resolve_actor(db, dataset_id, actor)
    other_id = resolve_actor(db, dataset_id, other) if other is not None else None
    arrays = position_arrays(db, everyone)
    matrix, choices = positions_matrix(
        arrays.position_id, arrays.actor_id, arrays.question_id, arrays.option_id, arrays.stance
    )
    matrices = agreement_matrices(choices, kappa=metric == "kappa")
    wanted = {*matrix.actor_ids.tolist(), first_id, *([other_id] if other_id else [])}
    names = {a: str(attrs["name"]) for a, attrs in queries.actor_attributes(db, wanted).items()}
    ranks = side_ranks_for(db, dataset_id)
    compiled = compile_filter(db, everyone)

    def one(actor_id: int) -> ActorProfile:
        allies, opponents = allies_and_opponents(
            matrices, actor_id, names, metric=metric, min_shared=min_shared, limit=limit
        )
        record = tuple(_entry(row, ranks) for row in actor_record(db, compiled, actor_id))
        return ActorProfile(actor_id, names.get(actor_id, str(actor_id)), record, allies, opponents, metric, min_shared)

    first = one(first_id)
    if other_id is None:
        return first, None
    second = one(other_id)
    rows = tuple(_comparison(db, matrix, first_id, other_id, ranks))
    return replace(first, other_id=other_id, other_name=second.name, comparison=rows), second


def _entry(row: dict[str, object], ranks: SideRanks) -> RecordEntry:
    kind = _KIND[STANCE_SIDE[str(row["stance"])]]
    question_id, option_id = int(str(row["question_id"])), int(str(row["option_id"]))
    return RecordEntry(
        position_id=int(str(row["position_id"])),
        date=str(row["date"]),
        session=str(row["session"]),
        provision=str(row["provision"]),
        question_id=question_id,
        question_key=str(row["question_key"]),
        question=str(row["question"]),
        option_key=str(row["option_key"]),
        option=str(row["option"]),
        stance=str(row["stance"]),
        choice=choice_text(kind, str(row["option_key"])),
        side_rank=-1 if kind == ABSTAIN else ranks.rank(question_id, option_id),
        source_url=str(row["source_url"]),
        summary=str(row["summary"]),
    )


def _comparison(db: Database, matrix: PositionsMatrix, first: int, second: int, ranks: SideRanks) -> list[Comparison]:
    cells = compare_cells(matrix, first, second)
    if not cells:
        return []
    row_of = {int(a): r for r, a in enumerate(matrix.actor_ids)}
    ra, rb = row_of[first], row_of[second]
    question_ids = [int(matrix.question_ids[c]) for c, _ in cells]
    questions = question_catalog(db, question_ids)
    keys = {oid: key for oid, (_, key, _) in options_of_questions(db, question_ids).items()}
    behind = {c: (matrix.cell_positions(ra, c), matrix.cell_positions(rb, c)) for c, _ in cells}
    sources = position_sources(db, [p for a, b in behind.values() for p in (*a, *b)])

    def rank(row: int, column: int) -> int:
        if matrix.kind[row, column] == ABSTAIN:
            return -1
        return ranks.rank(int(matrix.question_ids[column]), int(matrix.option_id[row, column]))

    out = []
    for column, outcome in cells:
        question = questions.get(int(matrix.question_ids[column]), {})
        pa, pb = behind[column]
        out.append(
            Comparison(
                question_id=int(matrix.question_ids[column]),
                question_key=str(question.get("key", "")),
                question=str(question.get("text", "")),
                provision=str(question.get("provision_label", "")),
                choice_a=matrix.choice(ra, column, keys),
                choice_b=matrix.choice(rb, column, keys),
                rank_a=rank(ra, column),
                rank_b=rank(rb, column),
                against_a=bool(matrix.kind[ra, column] == AGAINST),
                against_b=bool(matrix.kind[rb, column] == AGAINST),
                outcome=outcome,
                positions_a=pa,
                positions_b=pb,
                sources_a=tuple(dict.fromkeys(sources[p] for p in pa)),
                sources_b=tuple(dict.fromkeys(sources[p] for p in pb)),
            )
        )
    return out


def profile_caption(db: Database, flt: PositionFilter, profile: ActorProfile) -> str:
    from explorer.charts.export import caption_text

    name, version = dataset_label(db, flt.with_(actors=()))
    extra = (
        f"allies and opponents among actors sharing {profile.min_shared}+ question(s); "
        "colours rank each question's options by support in the whole dataset"
    )
    return caption_text(
        dataset=name,
        version=version,
        filters=flt.with_(actors=()).describe(),
        metric=METRIC_LABELS.get(profile.metric, profile.metric),
        extra=extra,
    )


def actor_chart_for(
    db: Database,
    flt: PositionFilter,
    actor: str,
    other: str | None = None,
    *,
    metric: str = DEFAULT_METRIC,
    min_shared: int = 1,
    theme: Theme | None = None,
    figure: Figure | None = None,
) -> tuple[ActorProfile, ActorProfile | None, ActorChart]:
    """Compute and draw ``actor``'s profile (with ``other``: the two side by side)."""
    from explorer.charts.actor_chart import build_actor_chart
    from explorer.charts.style import LIGHT

    first, second = profile_for(db, flt, actor, other, metric=metric, min_shared=min_shared)
    title = first.name if second is None else f"{first.name} and {second.name}"
    chart = build_actor_chart(
        first,
        other=second,
        title=title,
        caption=profile_caption(db, flt, first),
        theme=theme or LIGHT,
        figure=figure,
    )
    return first, second, chart
