"""The timeline above its marker budget: one row per actor, one cell per few days, coloured by
how many positions it holds, over the same session bands as the marker timeline.

Drawn as one image (``imshow``) with hand-placed axes: a 200 × 120 grid renders in a few
milliseconds, and placing the axes from measured margins instead of a layout engine keeps the
whole chart well under the 150 ms a redraw may take at a million positions (issue #13). The
colour scale is cividis (readable with every colour-vision deficiency), with its numbers beside
it; empty cells stay empty, so the session bands show where nobody spoke.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import MouseEvent
from matplotlib.colors import LogNorm, Normalize
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.image import AxesImage

from explorer.store.records import SessionSpan, TimelineDensity

from .style import LIGHT, Theme, add_title_and_caption, apply_theme, draw_message, wrap_caption
from .timeline_chart import EMPTY_MESSAGE, FIG_WIDTH_IN, LABEL_CHARS, _draw_sessions, _short, _text_width

__all__ = ["TimelineDensityChart", "build_timeline_density_chart"]

MIN_LABEL_PT, MAX_LABEL_PT = 6.0, 9.0
TITLE_PT, CAPTION_PT, TICK_PT = 12.0, 7.0, 8.0
SESSION_LABELS_PT = 36.0  # room above the axes for three rows of session labels
COLOUR_BAR_PT = 10.0
MAX_LABELS = 40  # each text costs ~1 ms to lay out and render; the hover names every row
LOG_SCALE_FROM = 20  # a colour scale over counts that differ more than this many times is logarithmic


@dataclass
class TimelineDensityChart:
    """A drawn density; :meth:`cell_at` maps the mouse to (actor row, bin) for hover and click."""

    figure: Figure
    axes: Axes
    density: TimelineDensity
    image: AxesImage | None = None

    @property
    def actors(self) -> list[str]:
        """Each actor once, in row order (as ``TimelineChart.actors``)."""
        return list(self.density.actors)

    def cell_at(self, event: MouseEvent) -> tuple[int, int] | None:
        """(row, bin) of the cell under the mouse if it holds positions, else None."""
        if event.inaxes is not self.axes or event.xdata is None or event.ydata is None:
            return None
        row = round(event.ydata)
        index = math.floor((event.xdata - mdates.date2num(self.density.start)) / self.density.bin_days)
        counts = self.density.counts
        if 0 <= row < counts.shape[0] and 0 <= index < counts.shape[1] and counts[row, index]:
            return row, index
        return None

    def row_box(self, actor_id: int | None) -> tuple[float, float, float, float] | None:
        """The row of ``actor_id`` as (x0, y0, x1, y1) in data coordinates, or None if it has no
        row: what outlines the selected actor."""
        if actor_id not in self.density.actor_ids:
            return None
        row = self.density.actor_ids.index(actor_id)
        x0 = float(mdates.date2num(self.density.start))
        return x0, row - 0.5, x0 + self.density.bins * self.density.bin_days, row + 0.5


def build_timeline_density_chart(
    density: TimelineDensity,
    sessions: list[SessionSpan],
    *,
    title: str,
    caption: str,
    theme: Theme = LIGHT,
    figure: Figure | None = None,
) -> TimelineDensityChart:
    """Draw ``density`` over the session bands. Pass ``figure`` to draw into an existing figure
    (cleared, used at its size); a new one grows with the rows like the marker timeline."""
    rows = len(density.actors)
    if figure is None:
        figure = Figure(figsize=(FIG_WIDTH_IN, min(30.0, max(4.5, 2.9 + 0.13 * rows))), dpi=100)
    figure.clear()
    figure.set_layout_engine("none")
    add_title_and_caption(figure, title, caption, theme)
    width_pt, height_pt = figure.get_figwidth() * 72, figure.get_figheight() * 72
    if not rows or not density.placed:
        ax = figure.add_axes((0.05, 0.15, 0.9, 0.7))
        draw_message(ax, EMPTY_MESSAGE, theme)
        apply_theme(figure, theme)
        return TimelineDensityChart(figure, ax, density)

    caption_lines = wrap_caption(caption, figure, CAPTION_PT).count("\n") + 1 if caption else 0
    bottom = 8 + caption_lines * CAPTION_PT * 1.3 + 2.6 * TICK_PT + 8
    top = (TITLE_PT * 1.6 if title else 6) + SESSION_LABELS_PT
    row_pt = max(1.0, (height_pt - top - bottom) / rows)
    label_pt = min(MAX_LABEL_PT, max(MIN_LABEL_PT, row_pt * 0.72))
    labels = [_short(label, LABEL_CHARS) for label in density.labels]
    widest = max(labels, key=len)
    left = _text_width(widest, FontProperties(size=label_pt)) * 1.05 + 10
    right = 4 * TICK_PT + 3 * TICK_PT + COLOUR_BAR_PT + 12  # ticks, their numbers, the bar's label
    ax = figure.add_axes(
        (left / width_pt, bottom / height_pt, 1 - (left + right) / width_pt, 1 - (top + bottom) / height_pt)
    )
    bar = figure.add_axes(
        (1 - (right - 6) / width_pt, bottom / height_pt, COLOUR_BAR_PT / width_pt, 1 - (top + bottom) / height_pt)
    )

    x0 = float(mdates.date2num(density.start))
    x1 = x0 + density.bins * density.bin_days
    xlim = _x_range(x0, x1, sessions)
    ax.set_xlim(*xlim)
    ax.set_ylim(rows - 0.5, -0.5)  # busiest actor on top
    axes_width_pt = ax.get_position().width * width_pt
    _draw_sessions(ax, sessions, theme, xlim, axes_width_pt)
    counts = density.counts
    low, peak = int(counts[counts > 0].min()), int(counts.max())
    # the scale spans the counts there are (uniformly busy actors still differ in colour)
    norm = LogNorm(vmin=low, vmax=peak) if peak > LOG_SCALE_FROM * low else Normalize(vmin=low - 1, vmax=peak)
    image = ax.imshow(
        np.ma.masked_equal(counts, 0),
        cmap="cividis_r" if theme.name == "light" else "cividis",  # more positions: further from the background
        norm=norm,
        extent=(x0, x1, rows - 0.5, -0.5),
        origin="upper",
        aspect="auto",
        interpolation="nearest",
        zorder=2,
    )
    image.set_gid("density")
    colour_bar = figure.colorbar(image, cax=bar)
    days = "day" if density.bin_days == 1 else f"{density.bin_days} days"
    colour_bar.set_label(f"positions per actor and {days}", fontsize=TICK_PT)
    colour_bar.ax.tick_params(labelsize=TICK_PT - 1)

    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelsize=TICK_PT)
    ax.set_yticks([])
    _label_rows(ax, labels, row_pt, label_pt, theme)
    apply_theme(figure, theme)
    return TimelineDensityChart(figure, ax, density, image)


def _label_rows(ax: Axes, labels: list[str], row_pt: float, label_pt: float, theme: Theme) -> None:
    """Name the rows that have room for a label, at most MAX_LABELS of them (the hover names
    every row). Plain texts, not ticks: a matplotlib tick is five artists, most of a redraw."""
    step = max(1, math.ceil(label_pt * 1.15 / row_pt), math.ceil(len(labels) / MAX_LABELS))
    where = ax.get_yaxis_transform()  # x in axes fraction, y in rows
    for row in range(0, len(labels), step):
        text = ax.text(-0.006, row, labels[row], transform=where, ha="right", va="center", fontsize=label_pt)
        text.set_parse_math(False)
        text.set_color(theme.text)
        text.set_gid("row-label")


def _x_range(x0: float, x1: float, sessions: list[SessionSpan]) -> tuple[float, float]:
    """The bins' days, widened by the sessions they overlap (as the marker timeline), padded."""
    lo, hi = x0, x1
    for s in sessions:
        start, end = mdates.date2num(s.start), mdates.date2num(s.end + dt.timedelta(days=1))
        if end >= x0 and start <= x1:
            lo, hi = min(lo, start), max(hi, end)
    pad = max(1.0, (hi - lo) * 0.02)
    return lo - pad, hi + pad
