"""What the user is looking at, in one Qt-free object that announces every change.

The window's widgets do not hold copies of the filter, the selection or the view: they write
into :class:`AppState` and render what its events announce (napari's viewer model, Qt-free so
it is tested without a display). A filter is compiled once, here, on every change; views and
workers receive the :class:`~explorer.store.filters.CompiledFilter`, which carries its filter.

Where the user is — filter, view, selection — is a :class:`Place`; changing the filter or the
view is a step in :attr:`AppState.history` that :meth:`AppState.back` and
:meth:`AppState.forward` retrace. Selecting amends the current step instead of adding one, so
moving through the table with the arrow keys does not bury the previous filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import TypeGuard

from explorer.state.events import Event
from explorer.state.history import NavigationHistory, Place, Selection
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter, compile_filter, resolve_dataset
from explorer.vocabulary import COLOR_BY, DEFAULT_METRIC, DEFAULT_SEED, METRIC_LABELS


@dataclass(frozen=True)
class Dataset:
    """The negotiation shown; imports go into it too."""

    id: int
    name: str


@dataclass(frozen=True)
class NetworkOptions:
    """The network view's controls (the analysis request plus how nodes are coloured)."""

    metric: str = DEFAULT_METRIC
    min_shared: int = 1
    min_weight: float = 0.0
    color_by: str = COLOR_BY[0]
    seed: int = DEFAULT_SEED

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> NetworkOptions:
        """Options from saved settings: unknown keys, unknown choices and wrong types are
        dropped (a settings file from another version must not stop the window opening)."""
        default = cls()
        metric, color_by = raw.get("metric"), raw.get("color_by")
        min_shared, min_weight, seed = raw.get("min_shared"), raw.get("min_weight"), raw.get("seed")
        return cls(
            metric=metric if isinstance(metric, str) and metric in METRIC_LABELS else default.metric,
            min_shared=min_shared if _is_int(min_shared) and min_shared >= 1 else default.min_shared,
            min_weight=float(min_weight) if _is_number(min_weight) and 0 <= min_weight <= 1 else default.min_weight,
            color_by=color_by if isinstance(color_by, str) and color_by in COLOR_BY else default.color_by,
            seed=seed if _is_int(seed) and 0 <= seed < 2**31 else default.seed,
        )

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class TimelineOptions:
    """The timeline's controls. None yet: the question whose options colour the markers
    (issue #10) goes here, so it is saved, restored and retraced like the network's."""


class AppState:
    """The one source of truth for the window. Change it through its methods; subscribe to
    its events (each is called with the new value):

    ``dataset_changed(Dataset)``
        another dataset is shown, or the data of this one changed (an import): reload
        registries (actors, sessions, provisions). ``filter_changed`` follows.
    ``filter_changed(CompiledFilter)``
        the filter changed (``compiled.filter`` is the :class:`PositionFilter`).
    ``selection_changed(Selection)``
        other positions or another actor are selected.
    ``view_changed(str)``
        another view is shown (``"sessions"``, ``"timeline"``, ``"network"``, …).
    ``network_options_changed(NetworkOptions)``, ``timeline_options_changed(TimelineOptions)``
    ``history_changed(NavigationHistory)``
        Back or Forward became possible or impossible.
    """

    def __init__(
        self,
        db: Database,
        dataset: str | None = None,
        *,
        filter: PositionFilter | None = None,
        view: str = "sessions",
        network_options: NetworkOptions | None = None,
        timeline_options: TimelineOptions | None = None,
    ):
        """Start on ``filter`` (default: none) in ``dataset`` (default: the bundled or only one);
        a filter naming something unknown raises :class:`~explorer.errors.FilterError`."""
        self._db = db
        self.dataset = self._dataset(dataset)
        flt = (filter or PositionFilter()).with_(dataset=self.dataset.name)
        self.compiled: CompiledFilter = compile_filter(db, flt)
        self.view = view
        self.selection = Selection()
        self.network_options = network_options or NetworkOptions()
        self.timeline_options = timeline_options or TimelineOptions()
        self.history = NavigationHistory()
        self.dataset_changed: Event[Dataset] = Event("dataset_changed")
        self.filter_changed: Event[CompiledFilter] = Event("filter_changed")
        self.selection_changed: Event[Selection] = Event("selection_changed")
        self.view_changed: Event[str] = Event("view_changed")
        self.network_options_changed: Event[NetworkOptions] = Event("network_options_changed")
        self.timeline_options_changed: Event[TimelineOptions] = Event("timeline_options_changed")
        self.history_changed: Event[NavigationHistory] = Event("history_changed")

    # what is shown ---------------------------------------------------------------------------
    @property
    def filter(self) -> PositionFilter:
        return self.compiled.filter

    @property
    def place(self) -> Place:
        return Place(self.filter, self.view, self.selection)

    # changing it -----------------------------------------------------------------------------
    def navigate(
        self, *, filter: PositionFilter | None = None, view: str | None = None, selection: Selection | None = None
    ) -> None:
        """Go to another filter and/or view (one step of the history). The filter is compiled
        first: a :class:`~explorer.errors.FilterError` leaves everything as it was. A new filter
        clears the selected positions unless ``selection`` is given; the actor stays."""
        step = self._step(filter, view, selection)
        moved = step.compiled is not self.compiled or step.view != self.view
        if moved:
            self.history.record(self.place)
        self._go(step, history_moved=moved)

    def set_filter(self, flt: PositionFilter) -> None:
        self.navigate(filter=flt)

    def set_view(self, view: str) -> None:
        self.navigate(view=view)

    def select_positions(self, position_ids: Iterable[int]) -> None:
        """Select positions (amends the current step of the history)."""
        self._select(replace(self.selection, positions=tuple(position_ids)))

    def select_actor(self, actor_id: int | None) -> None:
        self._select(replace(self.selection, actor=actor_id))

    def set_dataset(self, name: str) -> None:
        """Show another dataset, unfiltered (a step of the history)."""
        if name != self.dataset.name:
            self.navigate(filter=PositionFilter(dataset=name), selection=Selection())

    def reload(self) -> None:
        """The data changed (an import): recompile the same filter against it and tell everyone."""
        self.dataset_changed.emit(self.dataset)
        self.compiled = compile_filter(self._db, self.filter)
        self.filter_changed.emit(self.compiled)

    def set_network_options(self, options: NetworkOptions) -> None:
        if options != self.network_options:
            self.network_options = options
            self.network_options_changed.emit(options)

    def set_timeline_options(self, options: TimelineOptions) -> None:
        if options != self.timeline_options:
            self.timeline_options = options
            self.timeline_options_changed.emit(options)

    def back(self) -> bool:
        """Return to the previous place; False when there is none."""
        place = self.history.previous
        if place is None:
            return False
        step = self._step(place.filter, place.view, place.selection)  # may raise: nothing moved yet
        self.history.back(self.place)
        self._go(step, history_moved=True)
        return True

    def forward(self) -> bool:
        """Go again where :meth:`back` came from; False when there is nothing ahead."""
        place = self.history.next
        if place is None:
            return False
        step = self._step(place.filter, place.view, place.selection)
        self.history.forward(self.place)
        self._go(step, history_moved=True)
        return True

    # internals --------------------------------------------------------------------------------
    def _dataset(self, name: str | None) -> Dataset:
        dataset_id = resolve_dataset(self._db, name)
        return Dataset(dataset_id, queries.dataset_name_version(self._db, dataset_id)[0])

    def _step(self, flt: PositionFilter | None, view: str | None, selection: Selection | None) -> _Step:
        """Everything the new place needs, resolved (and compiled) before anything changes."""
        dataset, compiled = self.dataset, self.compiled
        if flt is not None:
            if flt.dataset is not None and flt.dataset != dataset.name:
                dataset = self._dataset(flt.dataset)
            flt = flt.with_(dataset=dataset.name)
            if flt != self.filter:
                compiled = compile_filter(self._db, flt)
                if selection is None:
                    selection = replace(self.selection, positions=())
        return _Step(
            dataset, compiled, self.view if view is None else view, self.selection if selection is None else selection
        )

    def _go(self, step: _Step, *, history_moved: bool) -> None:
        if step.dataset != self.dataset:
            self.dataset = step.dataset
            self.dataset_changed.emit(step.dataset)
        if step.compiled is not self.compiled:
            self.compiled = step.compiled
            self.filter_changed.emit(step.compiled)
        if step.view != self.view:
            self.view = step.view
            self.view_changed.emit(step.view)
        self._select(step.selection)
        if history_moved:
            self.history_changed.emit(self.history)

    def _select(self, selection: Selection) -> None:
        if selection != self.selection:
            self.selection = selection
            self.selection_changed.emit(selection)


@dataclass(frozen=True)
class _Step:
    dataset: Dataset
    compiled: CompiledFilter
    view: str
    selection: Selection
