"""How a side is drawn in every view: colour = the option backed, ranked per question.

An option's colour is its rank among its question's options by support across the whole
dataset (:mod:`explorer.analysis.sides`), so it keeps its colour in the timeline, the matrix,
the actor profile and every export. Okabe–Ito blue and vermillion go to the two leading
options (the pair colour-blind readers tell apart best). ``against:<option>`` is the same hue
drawn hollow (timeline) or as a tint with a cross (matrix); an abstention is grey. Stance stays
visible as the marker shape, so colour never carries the meaning alone.
"""

from __future__ import annotations

from matplotlib.colors import to_rgb

from explorer.store.contest_records import MAX_SIDE_RANK

from .style import GREY, OKABE_ITO, Theme

__all__ = [
    "ABSTAIN_COLOUR",
    "AGAINST_MARKER",
    "SIDE_COLOURS",
    "against_tint",
    "rank_name",
    "side_colour",
    "side_marker",
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


AGAINST_STANCES = ("oppose", "reserve")  # the stances whose choice is against:<option> (METHODS §1)


def side_marker(rank: int, stance: str, theme: Theme) -> tuple[str, str, float]:
    """(face colour, edge colour, edge width) of a marker for a position: filled in the
    option's colour when backing it, hollow in that colour when against it, grey when
    abstaining. The marker *shape* is the stance's (``style.stance_style``)."""
    if rank < 0:
        return ABSTAIN_COLOUR, theme.axes_bg, 0.6
    colour = side_colour(rank)
    if stance in AGAINST_STANCES:
        return theme.axes_bg, colour, 1.6
    return colour, theme.axes_bg, 0.6
