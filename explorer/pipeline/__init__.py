"""From a filter to a result: the one path both the CLI and the GUI take to analyse and draw.

One module per view (``network``, ``timeline``, ``positions``, ``coverage``; new views add theirs), with what
they share in ``common``. Functions take a database and a
:class:`~explorer.store.filters.PositionFilter` (or the :class:`~explorer.store.filters.CompiledFilter`
the GUI compiled once), read the store, run the analysis, decide what the view says (captions,
status lines, limits) and call the chart builders; they never touch Qt, so the GUI runs them on
a worker thread and the CLI runs them directly. Chart modules are imported inside the functions
that draw, so computing a result never loads matplotlib.

The names below are loaded on first use (PEP 562), so importing one view's module does not load
another's libraries: the window fills its table before networkx is imported.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.pipeline.common import agreement_for, chart_title, choices_for, dataset_label
    from explorer.pipeline.coverage import CoverageReport, coverage_for
    from explorer.pipeline.network import NetworkRequest, network_caption, network_chart_for, network_for
    from explorer.pipeline.timeline import session_spans, timeline_caption, timeline_chart_for, timeline_points

_HOMES = {
    "CoverageReport": "coverage",
    "coverage_for": "coverage",
    "agreement_for": "common",
    "chart_title": "common",
    "choices_for": "common",
    "dataset_label": "common",
    "NetworkRequest": "network",
    "network_caption": "network",
    "network_chart_for": "network",
    "network_for": "network",
    "session_spans": "timeline",
    "timeline_caption": "timeline",
    "timeline_chart_for": "timeline",
    "timeline_points": "timeline",
}
__all__ = [
    "CoverageReport",
    "NetworkRequest",
    "agreement_for",
    "chart_title",
    "choices_for",
    "coverage_for",
    "dataset_label",
    "network_caption",
    "network_chart_for",
    "network_for",
    "session_spans",
    "timeline_caption",
    "timeline_chart_for",
    "timeline_points",
]


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'explorer.pipeline' has no attribute {name!r}")
    return getattr(importlib.import_module(f"explorer.pipeline.{_HOMES[name]}"), name)
