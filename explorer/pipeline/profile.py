"""The actor profile view: one actor's record, allies and opponents, and a comparison with a
second actor, each compared question with both actors' positions and sources (METHODS §9)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from explorer.analysis.agreement import agreement_matrices
from explorer.analysis.matrix import positions_matrix
from explorer.analysis.profile import allies_and_opponents, compare_cells
from explorer.analysis.sides import SideRanks
from explorer.errors import stop_if_cancelled
from explorer.pipeline.common import filter_caption
from explorer.pipeline.sides import side_ranks_for
from explorer.store import queries
from explorer.store.columns import position_arrays
from explorer.store.contest_queries import actor_record, options_of_questions, position_sources, question_catalog
from explorer.store.contest_records import (
    ABSTAIN,
    ABSTAINED,
    AGAINST,
    AGREE,
    DIFFER,
    FOR,
    ActorProfile,
    Comparison,
    Partner,
    PositionsMatrix,
    RecordEntry,
    choice_text,
)
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter, compile_filter, resolve_actor, resolve_dataset
from explorer.vocabulary import DEFAULT_METRIC, METRIC_LABELS, STANCE_SIDE

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from explorer.charts.actor_chart import ActorChart
    from explorer.charts.style import Theme

PARTNERS = 10  # allies and opponents listed
PROFILE_TITLE = "Actor profile"
OUTCOME_WORDS = {AGREE: "agree", DIFFER: "differ", ABSTAINED: "do not both take a side (one abstains)"}
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
    extra = (
        f"allies and opponents among actors sharing {profile.min_shared}+ question(s); "
        "colours rank each question's options by support in the whole dataset"
    )
    return filter_caption(db, flt.with_(actors=()), metric=profile.metric, extra=extra)


NO_ACTOR = "Choose an actor: type a name above, or pick one from a row of the table or a node of the network."


@dataclass(frozen=True)
class ProfileContent:
    """What the actor view shows: the profile (and a second one to compare), or, with no actor
    chosen, a message saying how to choose one."""

    first: ActorProfile | None
    second: ActorProfile | None
    title: str
    caption: str

    @property
    def status(self) -> str:
        """The line under the chart (and what the CLI reports)."""
        first = self.first
        if first is None:
            return NO_ACTOR
        text = (
            f"{first.name}: {len(first.record):,} position(s); {len(first.allies)} closest allies and "
            f"{len(first.opponents)} strongest opponents among actors sharing {first.min_shared}+ question(s)."
        )
        if self.second is not None:
            counts = first.outcome_counts()
            text += (
                f" With {self.second.name}: {len(first.comparison)} shared question(s), agree on {counts[AGREE]}, "
                f"differ on {counts[DIFFER]}, one abstains on {counts[ABSTAINED]}."
            )
        return text


def profile_content(
    db: Database,
    flt: PositionFilter | CompiledFilter,
    actor: str | None,
    other: str | None = None,
    *,
    metric: str = DEFAULT_METRIC,
    min_shared: int = 1,
    cancel: Callable[[], bool] | None = None,
) -> ProfileContent:
    """Everything the actor view of ``flt`` shows for ``actor`` (id, key, name or alias; None:
    nobody chosen yet), compared with ``other`` if given."""
    plain = flt.filter if isinstance(flt, CompiledFilter) else flt
    if actor is None:
        return ProfileContent(None, None, PROFILE_TITLE, "")
    first, second = profile_for(db, plain, actor, other, metric=metric, min_shared=min_shared)
    stop_if_cancelled(cancel)
    title = first.name if second is None else f"{first.name} and {second.name}"
    return ProfileContent(first, second, title, profile_caption(db, plain, first))


def draw_profile(content: ProfileContent, *, theme: Theme | None = None, figure: Figure | None = None) -> ActorChart:
    from explorer.charts.actor_chart import build_actor_chart, build_actor_notice
    from explorer.charts.style import LIGHT

    if content.first is None:
        return build_actor_notice(NO_ACTOR, title=content.title, theme=theme or LIGHT, figure=figure)
    return build_actor_chart(
        content.first,
        other=content.second,
        title=content.title,
        caption=content.caption,
        theme=theme or LIGHT,
        figure=figure,
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
    content = profile_content(db, flt, actor, other, metric=metric, min_shared=min_shared)
    assert content.first is not None  # an actor was given
    return content.first, content.second, draw_profile(content, theme=theme, figure=figure)


def describe_entry(entry: RecordEntry) -> str:
    """What hovering one of the actor's positions shows, as plain text."""
    option = f" ({entry.option})" if entry.option and entry.option != entry.option_key else ""
    lines = [
        f"{entry.date or 'undated'} · {entry.session}".strip(" ·"),
        f"{entry.provision} · {entry.question_key}: {entry.question}",
        f"{entry.stance}: {entry.choice}{option}",
    ]
    if entry.summary:
        lines += ["", entry.summary]
    lines.append(f"source: {entry.source_url}")
    return "\n".join(lines)


def describe_partner(partner: Partner, metric: str) -> str:
    """What hovering an ally or opponent shows: its numbers with the profiled actor."""
    return (
        f"{partner.name}: {METRIC_LABELS.get(metric, metric)} {partner.rate:.2f} over {partner.shared} shared "
        f"question(s); same side on {partner.congruence}, opposite sides on {partner.conflict}"
    )


def describe_comparison(row: Comparison, first: str, second: str) -> str:
    """What hovering a compared question shows: both choices, each with its sources."""

    def side(name: str, choice: str, sources: tuple[str, ...]) -> list[str]:
        return [f"{name}: {choice}", *(f"  source: {s}" for s in sources)]

    return "\n".join(
        [
            f"{row.provision} · {row.question_key}: {row.question}",
            f"they {OUTCOME_WORDS.get(row.outcome, row.outcome)}",
            *side(first, row.choice_a, row.sources_a),
            *side(second, row.choice_b, row.sources_b),
        ]
    )
