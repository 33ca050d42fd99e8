"""The Overview, the first thing a new user sees: what was contested and by whom.

The questions of the filter that divided the actors most (divisiveness, METHODS §8), those on
the treaty's text (its articles, title and scope) first, then those around it (resolutions,
signature, the treaty as a whole), each with its camps — who backed which option, who stood
against it, who abstained — named by the short names every view uses. Everything the view
shows (the items, their wording, how many names a camp lists, the empty state, the status line)
is decided here, so the CLI and tests read the same overview the window draws.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from explorer.analysis.coverage import is_article_level
from explorer.analysis.sides import Division, SideRanks, cell_kind, cell_option, question_division
from explorer.charts.side_style import side_colour
from explorer.errors import stop_if_cancelled
from explorer.labels import shorten
from explorer.pipeline.common import choices_for
from explorer.pipeline.sides import side_ranks_for
from explorer.store import queries
from explorer.store.contest_queries import options_of_questions, provisions_of_questions, question_catalog
from explorer.store.contest_records import ABSTAIN, AGAINST
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter, compile_filter

OVERVIEW_TITLE = "What was contested, and by whom"
OVERVIEW_ITEMS = 8  # questions shown, most divisive first
# Of those, up to this many on the treaty's text come first (more if there are too few others):
# the questions around the text (a resolution's vote, the signature) involve every state, so by
# divisiveness alone they would hide the articles, which is what most users come to see.
TEXT_ITEMS = 5
TEXT_GROUP = "On the treaty's text: articles, title and scope"
OTHER_GROUP = "Around the text: resolutions, signature, the treaty as a whole"
CAMP_NAMES = 12  # names a camp lists before "and N more" (the tooltip lists all)
OPTION_CHARS = 60
EMPTY_MESSAGE = (
    "Nothing in this filter divided the actors: on every question, everyone who took a position "
    "took the same side. Widen the filter (Edit → Clear all filters) to see the contested questions."
)


@dataclass(frozen=True)
class Camp:
    """Actors on one side of a question: backing an option, against it, or abstaining."""

    side: str  # "for", "against" or "abstain" (explorer.vocabulary.STANCE_SIDE's words)
    option_key: str  # '' for an abstention or the proposal as a whole
    option_label: str
    rank: int  # the option's colour rank in the whole dataset (-1: abstain), as the charts colour it
    actors: tuple[str, ...]  # full names, sorted
    short_names: tuple[str, ...]  # the same actors' short names (explorer.labels), same order
    colour: str  # the option's colour in every chart (charts.side_style); drawn hollow when against

    @property
    def hollow(self) -> bool:
        return self.side == "against"

    @property
    def heading(self) -> str:
        """ "Backs ‘Keep the list of rights’ (12)", "Against ‘…’ (5)", "Abstained (3)"."""
        option = shorten(self.option_label or "the proposal as a whole", OPTION_CHARS)
        if self.side == "abstain":
            return f"Abstained or neutral ({len(self.actors)})"
        verb = "Backs" if self.side == "for" else "Against"
        return f"{verb} ‘{option}’ ({len(self.actors)})"

    def names_text(self, limit: int = CAMP_NAMES) -> str:
        """The first ``limit`` names (in full: a camp is read as a sentence), then how many more."""
        shown = ", ".join(self.actors[:limit])
        more = len(self.actors) - limit
        return f"{shown} and {more:,} more" if more > 0 else shown


@dataclass(frozen=True)
class ContestedQuestion:
    """One question of the Overview and where a click takes the user."""

    key: str
    label: str  # short label
    text: str  # full text
    provision: str  # "Art. 6", a chapter or a topic title ('' without provision)
    actors: int  # actors with a choice on it
    divisiveness: float  # share of all actor pairs of the filter on opposite sides (METHODS §8)
    opposed_pairs: int  # pairs of the actors who took part that stood on opposite sides
    camps: tuple[Camp, ...]  # largest first, abstentions last
    filter: PositionFilter  # the filter narrowed to this question (what a click shows)
    group: str = ""  # TEXT_GROUP or OTHER_GROUP when the overview holds both kinds, else ''

    @property
    def heading(self) -> str:
        return f"{self.provision} · {self.label}" if self.provision and self.provision not in self.label else self.label

    @property
    def measure(self) -> str:
        """What the ranking rests on, in words: among those who took part (a share of the whole
        filter's pairs would read "0%" for an article most actors never spoke on)."""
        pairs = self.actors * (self.actors - 1) // 2
        return (
            f"{self.actors:,} actors took a side or abstained; {self.opposed_pairs:,} of their {pairs:,} pairs "
            f"({self.opposed_pairs / pairs:.0%}) stood on opposite sides"
        )


@dataclass(frozen=True)
class OverviewContent:
    title: str
    items: tuple[ContestedQuestion, ...]
    contested: int  # questions of the filter on which at least two sides were taken
    questions: int  # questions of the filter with any choice
    message: str  # the empty state ('' when there are items)

    @property
    def status(self) -> str:
        if not self.items:
            return f"{self.questions:,} question(s) in the filter, none contested."
        return (
            f"{self.contested:,} of {self.questions:,} question(s) in the filter divided the actors; "
            f"the {len(self.items):,} most divisive are shown. Click one to see every actor's side on it."
        )


def overview_content(
    db: Database,
    flt: PositionFilter | CompiledFilter,
    *,
    limit: int = OVERVIEW_ITEMS,
    cancel: Callable[[], bool] | None = None,
) -> OverviewContent:
    """The ``limit`` most divisive questions of ``flt`` with their camps."""
    compiled = flt if isinstance(flt, CompiledFilter) else compile_filter(db, flt)
    choices = choices_for(db, compiled)
    stop_if_cancelled(cancel)
    division = question_division(choices)
    contested = np.flatnonzero(division.opposed_pairs > 0)
    ranked = [int(i) for i in division.ranking() if division.opposed_pairs[i] > 0]
    if not ranked:
        return OverviewContent(OVERVIEW_TITLE, (), 0, choices.n_questions, EMPTY_MESSAGE)
    order, groups = _text_first(
        ranked, provisions_of_questions(db, division.question_ids[ranked].tolist()), division, limit
    )
    question_ids = [int(division.question_ids[i]) for i in order]
    catalog = question_catalog(db, question_ids)
    options = options_of_questions(db, question_ids)
    ranks = side_ranks_for(db, compiled.dataset_id)
    kind, option = cell_kind(choices), cell_option(choices)
    wanted = np.isin(choices.question_index, order)
    actor_rows = queries.actor_attributes(db, np.unique(choices.actor_ids[choices.actor_index[wanted]]).tolist())
    stop_if_cancelled(cancel)
    cell_actor = choices.actor_ids[choices.actor_index]
    items = []
    for index, question_id, group in zip(order, question_ids, groups, strict=True):
        cells = np.flatnonzero(choices.question_index == index)
        info = catalog[question_id]
        items.append(
            ContestedQuestion(
                key=str(info["key"]),
                label=str(info["label"] or info["key"]),
                text=str(info["text"]),
                provision=str(info["provision_label"]),
                actors=int(division.actors[index]),
                divisiveness=float(division.divisiveness[index]),
                opposed_pairs=int(division.opposed_pairs[index]),
                camps=_camps(cells, cell_actor, kind, option, question_id, options, ranks, actor_rows),
                filter=compiled.filter.with_(questions=(str(info["key"]),)),
                group=group,
            )
        )
    return OverviewContent(OVERVIEW_TITLE, tuple(items), len(contested), choices.n_questions, "")


def _text_first(
    ranked: list[int], provisions: dict[int, tuple[str, str]], division: Division, limit: int
) -> tuple[list[int], list[str]]:
    """The questions shown (indices, most divisive first within each group) and their groups:
    up to TEXT_ITEMS on the treaty's text, then the others, filling ``limit`` from either."""
    on_text: list[int] = []
    around: list[int] = []
    for index in ranked:
        key, kind = provisions.get(int(division.question_ids[index]), ("", ""))
        (on_text if is_article_level(key, kind) else around).append(index)
    n_text = min(len(on_text), max(TEXT_ITEMS, limit - len(around)), limit)
    text, other = on_text[:n_text], around[: limit - n_text]
    if not text or not other:
        return text + other, [""] * (len(text) + len(other))
    return text + other, [TEXT_GROUP] * len(text) + [OTHER_GROUP] * len(other)


def _camps(
    cells: np.ndarray,
    cell_actor: np.ndarray,
    kind: np.ndarray,
    option: np.ndarray,
    question_id: int,
    options: dict[int, tuple[int, str, str]],
    ranks: SideRanks,
    actor_rows: dict[int, dict[str, object]],
) -> tuple[Camp, ...]:
    """The sides taken on one question (its ``cells`` of the choices), largest first."""
    groups: dict[tuple[int, int], list[int]] = {}
    for cell in cells.tolist():
        side = int(kind[cell])
        groups.setdefault((side, 0 if side == ABSTAIN else int(option[cell])), []).append(int(cell_actor[cell]))
    camps = []
    for (side, option_id), actor_ids in groups.items():
        names = sorted(
            ((str(actor_rows[a]["name"]), str(actor_rows[a]["short_name"])) for a in actor_ids if a in actor_rows),
            key=lambda n: (n[0].casefold(), n[0]),
        )
        _, key, label = options.get(option_id, (question_id, "", ""))
        rank = -1 if side == ABSTAIN else ranks.rank(question_id, option_id)
        camps.append(
            Camp(
                side="abstain" if side == ABSTAIN else "against" if side == AGAINST else "for",
                option_key=key,
                option_label=label or key,
                rank=rank,
                actors=tuple(full for full, _ in names),
                short_names=tuple(short for _, short in names),
                colour=side_colour(rank),
            )
        )
    side_order = {"for": 0, "against": 1, "abstain": 2}
    camps.sort(key=lambda c: (c.side == "abstain", -len(c.actors), c.rank, side_order[c.side], c.option_key))
    return tuple(camps)
