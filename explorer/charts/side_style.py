"""How a side is drawn in every view: colour = the option backed, ranked per question.

An option's colour is its rank among its question's options by support across the whole
dataset (:mod:`explorer.analysis.sides`), so it keeps its colour in the timeline, the matrix,
the actor profile and every export. Okabe–Ito blue and vermillion go to the two leading
options (the pair colour-blind readers tell apart best). ``against:<option>`` is the same hue
drawn hollow (timeline) or as a tint with a cross (matrix); an abstention is grey. Stance stays
visible as the marker shape, so colour never carries the meaning alone.
"""

from __future__ import annotations

import textwrap

from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D

from explorer.store.contest_records import MAX_SIDE_RANK
from explorer.vocabulary import STANCE_SIDE

from .style import GREY, OKABE_ITO, STANCE_STYLE, Theme

__all__ = [
    "ABSTAIN_COLOUR",
    "AGAINST_MARKER",
    "SIDE_COLOURS",
    "against_tint",
    "heading_handle",
    "legend_text",
    "option_handles",
    "rank_name",
    "side_colour",
    "side_marker",
    "stance_handles",
]

# Rank 0 (most backed) … rank 4, then one colour for every further option (MAX_SIDE_RANK).
SIDE_COLOURS: tuple[str, ...] = (
    OKABE_ITO["blue"],
    OKABE_ITO["vermillion"],
    OKABE_ITO["bluish_green"],
    OKABE_ITO["reddish_purple"],
    OKABE_ITO["orange"],
    OKABE_ITO["sky_blue"],
)
OTHER_RANK = MAX_SIDE_RANK
assert len(SIDE_COLOURS) == OTHER_RANK + 1
ABSTAIN_COLOUR = GREY
AGAINST_MARKER = "x"  # the cross drawn over an "against" cell of the matrix
_ORDINALS = ("most backed option", "2nd option", "3rd option", "4th option", "5th option")


def side_colour(rank: int) -> str:
    """Colour of the option ranked ``rank`` (0 = most backed) in its question; < 0 = abstain."""
    if rank < 0:
        return ABSTAIN_COLOUR
    return SIDE_COLOURS[min(rank, OTHER_RANK)]


def rank_name(rank: int) -> str:
    """Legend text for a rank when options of several questions share colours."""
    return _ORDINALS[rank] if 0 <= rank < OTHER_RANK else "other options"


def against_tint(colour: str, theme: Theme, amount: float = 0.55) -> tuple[float, float, float]:
    """``colour`` mixed towards the background: the fill of an "against" cell."""
    fg, bg = to_rgb(colour), to_rgb(theme.axes_bg)
    return tuple(f * (1 - amount) + b * amount for f, b in zip(fg, bg, strict=True))  # type: ignore[return-value]


def side_marker(rank: int, stance: str, theme: Theme) -> tuple[str, str, float]:
    """(face colour, edge colour, edge width) of a marker for a position: filled in the
    option's colour when backing it, hollow in that colour when against it, grey when
    abstaining. The marker *shape* is the stance's (``style.stance_style``)."""
    if rank < 0 or STANCE_SIDE.get(stance) == "abstain":
        return ABSTAIN_COLOUR, theme.axes_bg, 0.6
    colour = side_colour(rank)
    if STANCE_SIDE.get(stance) == "against":
        return theme.axes_bg, colour, 1.6
    return colour, theme.axes_bg, 0.6


def stance_handles(theme: Theme, counts: dict[str, int] | None = None) -> list[Line2D]:
    """Legend entries for the stance shapes, drawn in a neutral colour (colour is the option):
    filled when backing an option, hollow when against it, grey when abstaining; with
    ``counts``, each stance's number of positions."""
    handles = []
    for stance, style in STANCE_STYLE.items():
        count = f" ({counts.get(stance, 0)})" if counts is not None else ""
        if STANCE_SIDE.get(stance) == "abstain":
            face, edge, width = ABSTAIN_COLOUR, theme.axes_bg, 0.6
        elif STANCE_SIDE.get(stance) == "against":
            face, edge, width = theme.axes_bg, theme.muted_text, 1.6
        else:
            face, edge, width = theme.muted_text, theme.axes_bg, 0.6
        handles.append(_marker_handle(style.marker, face, edge, width, f"{style.label}{count}"))
    return handles


def option_handles(
    options: list[tuple[int, bool, str, int | None]], theme: Theme, *, label_chars: int = 34
) -> list[Line2D]:
    """Legend entries ``(rank, against, label, count)``: a filled square in the option's colour,
    or a hollow one for "against". Labels wrap on two lines of ``label_chars``; a count of None
    is not shown."""
    out = []
    for rank, against, label, count in options:
        text = legend_text(label, label_chars) + ("" if count is None else f" ({count})")
        colour = side_colour(rank)
        if against:
            out.append(_marker_handle("s", theme.axes_bg, colour, 1.6, f"against: {text}"))
        else:
            out.append(_marker_handle("s", colour, theme.axes_bg, 0.6, text))
    return out


def legend_text(label: str, width: int = 34, lines: int = 2) -> str:
    """``label`` wrapped on at most ``lines`` lines of ``width`` characters (then "…")."""
    wrapped = textwrap.wrap(label, width) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], wrapped[lines - 1][: width - 1].rstrip() + "…"]
    return "\n".join(wrapped)


def heading_handle(text: str) -> Line2D:
    """An entry without a symbol: a section heading inside a legend."""
    return Line2D([], [], linestyle="none", label=text)


def _marker_handle(marker: str, face: str, edge: str, width: float, label: str) -> Line2D:
    return Line2D(
        [],
        [],
        linestyle="none",
        marker=marker,
        markersize=7,
        markerfacecolor=face,
        markeredgecolor=edge,
        markeredgewidth=width,
        label=label,
    )
