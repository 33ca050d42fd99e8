"""From a filter to a result: the one path both the CLI and the GUI take to analyse and draw.

One module per view (``network``, ``timeline``, ``coverage``; new views add theirs), with what they share in
``common``. Functions take a database and a :class:`~explorer.store.filters.PositionFilter`, read
the store, run the analysis and call the chart builders; they never touch Qt, so the GUI runs
them on a worker thread and the CLI runs them directly. Chart modules are imported inside the
functions that draw, so computing a result never loads matplotlib.
"""

from explorer.pipeline.common import agreement_for, chart_title, choices_for, dataset_label
from explorer.pipeline.coverage import CoverageReport, coverage_for
from explorer.pipeline.network import NetworkRequest, network_caption, network_chart_for, network_for
from explorer.pipeline.timeline import session_spans, timeline_caption, timeline_chart_for, timeline_points

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
