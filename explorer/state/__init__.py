"""The application state: what the user looks at, Qt-free, evented (see :mod:`.app_state`).

Layer: above the pipeline and the store, below ``explorer.ui`` (docs/ARCHITECTURE.md).
"""

from explorer.state.app_state import (
    AppState,
    ChoiceOptions,
    Dataset,
    EvolutionOptions,
    MatrixOptions,
    NetworkOptions,
    ProfileOptions,
    TimelineOptions,
)
from explorer.state.events import Event
from explorer.state.history import NavigationHistory, Place, Selection

__all__ = [
    "AppState",
    "ChoiceOptions",
    "Dataset",
    "Event",
    "EvolutionOptions",
    "MatrixOptions",
    "NavigationHistory",
    "NetworkOptions",
    "Place",
    "ProfileOptions",
    "Selection",
    "TimelineOptions",
]
