"""Matplotlib Figure builders for the timeline and agreement network, plus export.

Pure matplotlib (no pyplot, no Qt): the CLI renders them headless with Agg and the GUI draws
them into its own canvas's Figure by passing `figure=`.

Importing this package loads matplotlib whole (Agg included). Python's import locks are per
module, so two threads importing matplotlib's mutually importing modules at once can see one
half-initialised ("cannot import name 'Transform' from partially initialized module"): the app's
workers import matplotlib through this package, and the window imports this package before any
Qt backend of matplotlib, so the second thread waits for the first.
"""

import matplotlib.backends.backend_agg  # noqa: F401  (see above)

from .export import EXPORT_FORMATS, caption_text, save_figure
from .network_chart import NetworkChart, build_network_chart
from .style import CATEGORY_COLOURS, DARK, LIGHT, MARKERS_CYCLE, STANCE_STYLE, StanceStyle, Theme, apply_theme
from .timeline_chart import TimelineChart, build_timeline_chart

__all__ = [
    "CATEGORY_COLOURS",
    "DARK",
    "EXPORT_FORMATS",
    "LIGHT",
    "MARKERS_CYCLE",
    "STANCE_STYLE",
    "NetworkChart",
    "StanceStyle",
    "Theme",
    "TimelineChart",
    "apply_theme",
    "build_network_chart",
    "build_timeline_chart",
    "caption_text",
    "save_figure",
]
