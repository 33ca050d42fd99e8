"""Where the record is thin (issue #11): positions per provision and session, the share of them
taken from machine-written summaries, which UN member states have a position of their own on an
article, the title or the scope, and the depth targets.

Pure standard-library functions over plain "facts" rows, so the data card (built by stdlib tools
from the JSON files) and the app (rows grouped in SQL by :mod:`explorer.store.coverage`) count the
same way. A position counts under its question's provision.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

MACHINE_WRITTEN = frozenset({"ai-meeting-summary"})
# Topics that count as "article-level" besides the numbered articles.
ARTICLE_LEVEL_TOPICS = frozenset({"title", "scope"})
# The contested articles whose depth issue #11 measures, and its targets.
DEPTH_ARTICLES = ("6", "14", "16", "23", "24", "28", "29", "35", "36", "40", "54", "65")
TARGET_MEMBER_STATES = 70
TARGET_MEDIAN_ACTORS = 12


@dataclass(frozen=True)
class Fact:
    """``count`` positions of one actor, under one provision (its question's), in one session,
    from one kind of source."""

    actor: str
    actor_kind: str
    un_region: str | None
    provision: str
    provision_kind: str
    session: str
    source_kind: str | None
    via_group: bool = False  # said through a joint statement or an alignment (on_behalf_of set)
    count: int = 1


@dataclass(frozen=True)
class Cell:
    positions: int = 0
    machine_written: int = 0

    @property
    def machine_share(self) -> float:
        """Share of the cell's positions taken from machine-written summaries (0 when empty)."""
        return self.machine_written / self.positions if self.positions else 0.0


@dataclass(frozen=True)
class Depth:
    states_with: tuple[str, ...]
    states_without: tuple[str, ...]
    actors_per_article: dict[str, int] = field(default_factory=dict)
    # of states_with, those whose article-level positions all come through a joint statement or alignment
    states_only_via_group: tuple[str, ...] = ()

    @property
    def median_actors(self) -> float:
        return float(statistics.median(self.actors_per_article.values())) if self.actors_per_article else 0.0

    @property
    def targets_met(self) -> bool:
        return len(self.states_with) >= TARGET_MEMBER_STATES and self.median_actors >= TARGET_MEDIAN_ACTORS


def is_member_state(kind: str, un_region: str | None) -> bool:
    """A UN member state: a state in a UN regional group (the two observer States have none)."""
    return kind == "state" and bool(un_region)


def is_article_level(provision: str, provision_kind: str) -> bool:
    return provision_kind == "article" or provision in ARTICLE_LEVEL_TOPICS


def cells(facts: Iterable[Fact]) -> dict[tuple[str, str], Cell]:
    """(provision, session) -> positions and how many of them come from machine-written summaries."""
    totals: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for f in facts:
        cell = totals[(f.provision, f.session)]
        cell[0] += f.count
        if f.source_kind in MACHINE_WRITTEN:
            cell[1] += f.count
    return {key: Cell(n, m) for key, (n, m) in totals.items()}


def matrix(
    facts: Iterable[Fact], provision_order: Sequence[str], session_order: Sequence[str]
) -> tuple[list[str], list[str], dict[tuple[str, str], Cell]]:
    """The provisions × sessions table: only rows and columns that hold positions, in the given
    reading and time orders (provisions or sessions missing from an order go last, sorted)."""
    table = cells(facts)
    rows = _ordered({p for p, _ in table}, provision_order)
    columns = _ordered({s for _, s in table}, session_order)
    return rows, columns, table


def member_states_with_article_positions(
    facts: Iterable[Fact], states: Mapping[str, tuple[str, str | None]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """UN member states with / without a position of their own (not through a group or a chair)
    on a numbered article, the title or the scope. ``states``: actor key -> (kind, un_region)."""
    members = {key for key, (kind, region) in states.items() if is_member_state(kind, region)}
    having = {f.actor for f in facts if f.actor in members and is_article_level(f.provision, f.provision_kind)}
    return tuple(sorted(having)), tuple(sorted(members - having))


def actors_per_article(facts: Iterable[Fact], articles: Sequence[str] = DEPTH_ARTICLES) -> dict[str, int]:
    """Distinct actors (any kind) with a position on each article."""
    seen: dict[str, set[str]] = {a: set() for a in articles}
    for f in facts:
        if f.provision in seen:
            seen[f.provision].add(f.actor)
    return {a: len(seen[a]) for a in articles}


def depth(facts: Iterable[Fact], states: Mapping[str, tuple[str, str | None]]) -> Depth:
    facts = list(facts)
    with_, without = member_states_with_article_positions(facts, states)
    alone, _ = member_states_with_article_positions([f for f in facts if not f.via_group], states)
    only_via_group = tuple(sorted(set(with_) - set(alone)))
    return Depth(with_, without, actors_per_article(facts), only_via_group)


def facts_from_records(
    positions: Iterable[Mapping[str, Any]],
    questions: Iterable[Mapping[str, Any]],
    provisions: Iterable[Mapping[str, Any]],
    actors: Iterable[Mapping[str, Any]],
) -> list[Fact]:
    """Facts from records in the bundled dataset's format (docs/FORMAT.md), one per position."""
    provision_of = {q["key"]: q["provision"] for q in questions}
    kind_of = {p["key"]: p["kind"] for p in provisions}
    actor_of = {a["id"]: a for a in actors}
    out = []
    for p in positions:
        actor = actor_of[p["actor"]]
        provision = provision_of[p["question"]]
        out.append(
            Fact(
                actor=p["actor"],
                actor_kind=actor["kind"],
                un_region=actor.get("un_region"),
                provision=provision,
                provision_kind=kind_of.get(provision, "topic"),
                session=p["session"],
                source_kind=p.get("source_kind"),
                via_group=bool(p.get("on_behalf_of")),
            )
        )
    return out


def _ordered(keys: set[str], order: Sequence[str]) -> list[str]:
    rank = {key: i for i, key in enumerate(order)}
    return sorted(keys, key=lambda k: (rank.get(k, len(rank)), k))
