"""What is selected, marked on a chart that is already drawn: rings around markers and nodes,
outlines around matrix cells.

The selection lives in the application state; every chart view marks it without recomputing
or rebuilding its chart. The (empty) mark layers are added by the view's draw function on the
worker, under the figure lock, like the rest of the figure; a worker moves them too, under the
same lock (:func:`set_rings`, :func:`set_outlines`, from the view's ``mark_selection``), and
renders the figure again: the GUI thread only shows the new picture.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from numpy.typing import ArrayLike

from explorer.charts.style import Theme

T = TypeVar("T")

RINGS_GID = "selection-rings"
OUTLINES_GID = "selection-outlines"
RING_PT = 15.0  # ring diameter around a marker (points); nodes get their own size plus a margin


def add_rings(ax: Axes, theme: Theme) -> None:
    """An empty ring layer on top of ``ax`` (call while drawing, on the worker)."""
    ax.scatter(
        np.empty(0),
        np.empty(0),
        s=RING_PT**2,
        marker="o",
        facecolors="none",
        edgecolors=theme.text,
        linewidths=2.2,
        zorder=20,
        gid=RINGS_GID,
    )


def add_outlines(ax: Axes, theme: Theme) -> None:
    """An empty outline layer on top of ``ax`` (cells: rectangles in data coordinates)."""
    ax.add_collection(LineCollection([], colors=theme.text, linewidths=2.0, zorder=20, gid=OUTLINES_GID), autolim=False)


def set_rings(ax: Axes, xy: ArrayLike, sizes: Iterable[float] | None = None) -> bool:
    """Put rings at ``xy`` (data coordinates) with areas ``sizes`` (pt², default RING_PT²);
    False when ``ax`` has no ring layer (a notice instead of a chart)."""
    layer = _layer(ax, RINGS_GID, PathCollection)
    if layer is None:
        return False
    points = np.asarray(xy, dtype=float).reshape(-1, 2)
    layer.set_offsets(points)
    areas = list(sizes) if sizes is not None else []
    layer.set_sizes(np.asarray(areas if len(areas) == len(points) else [RING_PT**2], dtype=float))
    return True


def set_outlines(ax: Axes, cells: Iterable[tuple[float, float, float, float]]) -> bool:
    """Outline the rectangles ``(x0, y0, x1, y1)`` (data coordinates); False without a layer."""
    layer = _layer(ax, OUTLINES_GID, LineCollection)
    if layer is None:
        return False
    layer.set_segments([[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)] for x0, y0, x1, y1 in cells])
    return True


def ring_area(marker_area: float, margin_pt: float = 6.0) -> float:
    """The area of a ring drawn ``margin_pt`` outside a marker of area ``marker_area`` (pt²)."""
    return float((np.sqrt(max(marker_area, 1.0)) + margin_pt) ** 2)


def _layer(ax: Axes, gid: str, kind: type[T]) -> T | None:
    for artist in ax.collections:
        if artist.get_gid() == gid and isinstance(artist, kind):
            return artist
    return None
