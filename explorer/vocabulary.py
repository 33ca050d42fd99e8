"""The one home of the project's words: stances, the choice rule, kinds, metrics, UN symbols.

Everything above (store, ingest, analysis, charts, CLI, GUI) imports these instead of spelling
them out, so a stance or a metric means the same everywhere. Standard library only: this module
sits at the bottom of the layers (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from typing import Final, Literal, TypeVar

# -- stances -----------------------------------------------------------------------------------

# Display order, from agreement to opposition: legends, filter choices and tables follow it.
STANCES: Final = ("support", "amend", "neutral", "reserve", "oppose")
STANCE_LABELS: Final[Mapping[str, str]] = {s: s.capitalize() for s in STANCES}
# Small integer codes for the numeric analysis (they fit in 3 bits; only held in memory).
STANCE_CODES: Final[Mapping[str, int]] = {s: i for i, s in enumerate(STANCES)}

CONFIDENCES: Final = ("high", "medium", "low")
DEFAULT_CONFIDENCE: Final = "medium"
ACTOR_KINDS: Final = ("state", "group", "stakeholder", "chair", "secretariat")
SOURCE_KINDS: Final = (
    "un-official",
    "ai-meeting-summary",
    "ngo-analysis",
    "news",
    "academic",
    "government",
    "other",
)
# Session kinds that name a stretch of time rather than a meeting (docs/FORMAT.md): they are not
# drawn as bands, and positions dated only by them have no place on a time axis.
PERIOD_SESSION_KINDS: Final = ("interval", "undated")

# -- the choice rule (docs/METHODS.md §1) ------------------------------------------------------

Side = Literal["for", "against", "abstain"]
STANCE_SIDE: Final[Mapping[str, Side]] = {
    "support": "for",
    "amend": "for",  # supports the option with changes
    "neutral": "abstain",
    "reserve": "against",
    "oppose": "against",
}
ABSTAIN: Final = "abstain"
AGAINST_PREFIX: Final = "against:"


def choice_label(side: Side, option_key: str) -> str:
    """The comparable choice for one side of an option: ``key``, ``against:key`` or ``abstain``."""
    if side == "abstain":
        return ABSTAIN
    return f"{AGAINST_PREFIX}{option_key}" if side == "against" else option_key


def choice_of(stance: str, option_key: str) -> str:
    """The choice a position makes: support/amend → the option key, oppose/reserve →
    ``against:<key>``, neutral → ``abstain`` (a position without an option has key "")."""
    return choice_label(STANCE_SIDE[stance], option_key)


def stance_codes_on(side: Side) -> tuple[int, ...]:
    """The integer codes of the stances that take ``side`` (for vectorised analysis)."""
    return tuple(STANCE_CODES[s] for s in STANCES if STANCE_SIDE[s] == side)


# -- metrics and seeds -------------------------------------------------------------------------

METRICS: Final = ("agreement", "kappa")
METRIC_LABELS: Final[Mapping[str, str]] = {
    "agreement": "agreement rate (abstain = ½)",
    "kappa": "Cohen's kappa",
}
DEFAULT_METRIC: Final = "agreement"
# Community detection and layouts are random; this seed is part of every result and export.
DEFAULT_SEED: Final = 42
# What the colour (and marker) of a network node shows; the first is the default.
COLOR_BY_LABELS: Final[Mapping[str, str]] = {"community": "Community", "region": "UN regional group"}
COLOR_BY: Final = tuple(COLOR_BY_LABELS)
# The same blocs in the plural, for captions ("agreement within − between communities").
COLOR_BY_PLURALS: Final[Mapping[str, str]] = {"community": "communities", "region": "UN regional groups"}

# -- what the contest views' controls choose: the CLI's flags and the window's boxes ------------
# (the first of each is the default; docs/METHODS.md §7-§10 say what each does)

# Timeline colours with several questions: rows grouped per question (up to 4 questions in
# "auto"), colours ranked per question, or the filter's most debated question alone.
TIMELINE_SIDES_LABELS: Final[Mapping[str, str]] = {
    "auto": "Automatic (grouped up to 4 questions)",
    "grouped": "Rows grouped per question",
    "ranked": "Colours ranked per question",
    "most-debated": "Most debated question only",
}
TIMELINE_SIDES: Final = tuple(TIMELINE_SIDES_LABELS)
MATRIX_ROW_LABELS: Final[Mapping[str, str]] = {
    "seriation": "Similarity (seriation)",
    "community": "Community, then similarity",
    "region": "UN regional group, then similarity",
}
MATRIX_ROWS: Final = tuple(MATRIX_ROW_LABELS)
MATRIX_COLUMN_LABELS: Final[Mapping[str, str]] = {
    "provision": "Treaty order (by provision)",
    "divisiveness": "Most divisive first",
}
MATRIX_COLUMNS: Final = tuple(MATRIX_COLUMN_LABELS)
EVOLUTION_VIEW_LABELS: Final[Mapping[str, str]] = {"network": "Network per session", "matrix": "Matrix per session"}
EVOLUTION_VIEWS: Final = tuple(EVOLUTION_VIEW_LABELS)
EVOLUTION_WINDOW_LABELS: Final[Mapping[str, str]] = {
    "session": "Each session alone",
    "cumulative": "Everything up to each session",
}
EVOLUTION_WINDOWS: Final = tuple(EVOLUTION_WINDOW_LABELS)
# The blocs of the bloc gap are what network nodes can be coloured by: COLOR_BY.

# -- sources -----------------------------------------------------------------------------------

# A UN document symbol such as A/RES/79/243 or A/AC.291/L.15.
UN_SYMBOL: Final = re.compile(r"^[A-Z][A-Za-z0-9.]*(/[A-Za-z0-9.()\-]+)+$")
# Control and invisible/bidi characters: raw in a URL they can make a link read as another.
_URL_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_SPACE = re.compile(r"\s")  # the same characters as str.isspace(), found in C


def is_un_symbol(value: str) -> bool:
    return UN_SYMBOL.match(value) is not None


def is_web_url(value: str) -> bool:
    """An http(s) URL without spaces or invisible characters."""
    return (
        value.lower().startswith(("http://", "https://"))
        and _SPACE.search(value) is None
        and _URL_CONTROL.search(value) is None
    )


def is_valid_source(value: str) -> bool:
    """What a position may cite: an http(s) URL, or a UN document symbol such as ``A/RES/79/243``."""
    return is_web_url(value) if "://" in value else is_un_symbol(value)


# -- provisions --------------------------------------------------------------------------------

Node = TypeVar("Node", bound=Hashable)


def provision_subtree(parent_of: Iterable[tuple[Node, Node | None]], roots: Iterable[Node]) -> list[Node]:
    """Each root and every provision below it: a chapter includes its articles.

    ``parent_of`` lists ``(provision, parent)`` pairs (ids or keys alike); the result lists each
    root before its descendants, each provision once.
    """
    children: dict[Node | None, list[Node]] = {}
    for node, parent in parent_of:
        children.setdefault(parent, []).append(node)
    found: dict[Node, None] = {}
    for root in roots:
        stack = [root]
        while stack:
            node = stack.pop()
            if node not in found:
                found[node] = None
                stack.extend(reversed(children.get(node, [])))
    return list(found)
