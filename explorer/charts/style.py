"""Palettes, stance glyphs and light/dark themes shared by every chart.

Colours come from colour-blind-safe palettes (Okabe–Ito, then tableau-colorblind10) and every
category also gets a marker shape, so no chart relies on colour alone.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Text

from explorer.vocabulary import STANCE_LABELS, STANCES

__all__ = [
    "CATEGORY_COLOURS",
    "DARK",
    "LIGHT",
    "MARKERS_CYCLE",
    "MUTED_GID",
    "STANCE_STYLE",
    "StanceStyle",
    "Theme",
    "add_title_and_caption",
    "apply_theme",
    "category_style",
    "draw_message",
    "stance_style",
    "wrap_caption",
]

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}
GREY = "#999999"
# matplotlib's 'tableau-colorblind10' style cycle, in its order.
TABLEAU_COLORBLIND10 = (
    "#006BA4",
    "#FF800E",
    "#ABABAB",
    "#595959",
    "#5F9ED1",
    "#C85200",
    "#898989",
    "#A2C8EC",
    "#FFBC79",
    "#CFCFCF",
)


@dataclass(frozen=True)
class StanceStyle:
    """How one stance is drawn: colour, a distinct marker shape, and a display label."""

    colour: str
    marker: str
    label: str


# Ordered from agreement to opposition; green/blue vs orange/vermillion, plus shapes that differ
# even in greyscale (circle, diamond, square, down-triangle, cross).
_STANCE_GLYPHS = {
    "support": (OKABE_ITO["bluish_green"], "o"),
    "amend": (OKABE_ITO["blue"], "D"),
    "neutral": (GREY, "s"),
    "reserve": (OKABE_ITO["orange"], "v"),
    "oppose": (OKABE_ITO["vermillion"], "X"),
}
STANCE_STYLE: dict[str, StanceStyle] = {s: StanceStyle(*_STANCE_GLYPHS[s], STANCE_LABELS[s]) for s in STANCES}
_UNKNOWN_STANCE = StanceStyle(OKABE_ITO["reddish_purple"], "*", "Other")


def stance_style(stance: str) -> StanceStyle:
    """Style for a stance; an unexpected value gets a visible 'Other' star, not an error."""
    return STANCE_STYLE.get(stance, _UNKNOWN_STANCE)


# Categories (communities, UN regional groups): Okabe–Ito first, tableau-colorblind10 after.
CATEGORY_COLOURS: tuple[str, ...] = tuple(OKABE_ITO.values()) + TABLEAU_COLORBLIND10
# 11 shapes against 18 colours: the (colour, marker) pair only repeats after 198 categories,
# and the first 11 categories differ by shape alone.
MARKERS_CYCLE: tuple[str, ...] = ("o", "s", "^", "D", "v", "P", "X", "h", "<", ">", "p")


def category_style(index: int) -> tuple[str, str]:
    """Deterministic (colour, marker) for the index-th category of a sorted category list."""
    return (CATEGORY_COLOURS[index % len(CATEGORY_COLOURS)], MARKERS_CYCLE[index % len(MARKERS_CYCLE)])


@dataclass(frozen=True)
class Theme:
    """Colours of everything that is not data; `session_bands` alternate between sessions."""

    name: str
    figure_bg: str
    axes_bg: str
    text: str
    muted_text: str
    grid: str
    edge: str
    session_bands: tuple[str, str]
    halo: str


LIGHT = Theme(
    name="light",
    figure_bg="#FFFFFF",
    axes_bg="#FFFFFF",
    text="#1A1A1A",
    muted_text="#555555",
    grid="#DDDDDD",
    edge="#7C828C",
    session_bands=("#EEF1F5", "#E1E6EE"),
    halo="#FFFFFF",
)

DARK = Theme(
    name="dark",
    figure_bg="#1E1F22",
    axes_bg="#26282C",
    text="#E8E8E8",
    muted_text="#A8A8A8",
    grid="#3A3D42",
    edge="#B8BCC4",
    session_bands=("#30343A", "#3A3F47"),
    halo="#26282C",
)

# Texts with this gid (captions, notes) are drawn in `Theme.muted_text` by apply_theme.
MUTED_GID = "explorer-muted"


def apply_theme(figure: Figure, theme: Theme) -> None:
    """Recolour backgrounds, spines, ticks, legends and texts of `figure` for `theme`.

    Data colours (markers, edges, bands) are left alone; the builders pick them from the theme.
    """
    figure.patch.set_facecolor(theme.figure_bg)
    for ax in figure.axes:
        ax.set_facecolor(theme.axes_bg)
        for spine in ax.spines.values():
            spine.set_edgecolor(theme.grid)
        ax.tick_params(colors=theme.text, which="both")
        for axis in (ax.xaxis, ax.yaxis):
            axis.label.set_color(theme.text)
    for legend in figure.findobj(Legend):
        frame = legend.get_frame()
        frame.set_facecolor(theme.axes_bg)
        frame.set_edgecolor(theme.grid)
    for text in figure.findobj(Text):
        text.set_color(theme.muted_text if text.get_gid() == MUTED_GID else theme.text)


def wrap_caption(text: str, figure: Figure, fontsize: float) -> str:
    """Wrap `text` to the figure width (about 0.55 em per character), keeping given breaks."""
    width_pt = figure.get_figwidth() * 72 * 0.96
    chars = max(30, int(width_pt / (fontsize * 0.55)))
    return "\n".join(textwrap.fill(line, chars) for line in text.splitlines() or [""])


def add_title_and_caption(figure: Figure, title: str, caption: str, theme: Theme) -> None:
    """Title on top and a small wrapped caption at the bottom, both reserved by the layout."""
    if title:
        figure.suptitle(title, fontsize=12, fontweight="bold", color=theme.text)
    if caption:
        figure.supxlabel(
            wrap_caption(caption, figure, 7),
            x=0.01,
            ha="left",
            fontsize=7,
            color=theme.muted_text,
            gid=MUTED_GID,
            linespacing=1.3,
        )


def draw_message(ax: Axes, message: str, theme: Theme) -> None:
    """An empty chart says why it is empty instead of showing bare axes."""
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.text(
        0.5,
        0.5,
        message,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=11,
        color=theme.muted_text,
        gid=MUTED_GID,
    )
