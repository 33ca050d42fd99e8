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
from typing import ClassVar, TypeGuard

from explorer.state.events import Event
from explorer.state.history import NavigationHistory, Place, Selection
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import CompiledFilter, PositionFilter, compile_filter, resolve_dataset
from explorer.vocabulary import (
    COLOR_BY,
    DEFAULT_METRIC,
    DEFAULT_SEED,
    EVOLUTION_VIEWS,
    EVOLUTION_WINDOWS,
    MATRIX_COLUMNS,
    MATRIX_ROWS,
    METRIC_LABELS,
    TIMELINE_SIDES,
)


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
    show_conflict: bool = True  # dashed conflict ties drawn (a drawing option: nothing recomputed)
    all_ties: bool = False  # draw every tie of a dense network, not its backbone (pipeline.network)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> NetworkOptions:
        """Options from saved settings: unknown keys, unknown choices and wrong types are
        dropped (a settings file from another version must not stop the window opening)."""
        default = cls()
        metric, color_by = raw.get("metric"), raw.get("color_by")
        min_shared, min_weight, seed = raw.get("min_shared"), raw.get("min_weight"), raw.get("seed")
        show_conflict = raw.get("show_conflict")
        all_ties = raw.get("all_ties")
        return cls(
            metric=metric if isinstance(metric, str) and metric in METRIC_LABELS else default.metric,
            min_shared=min_shared if _is_int(min_shared) and min_shared >= 1 else default.min_shared,
            min_weight=float(min_weight) if _is_number(min_weight) and 0 <= min_weight <= 1 else default.min_weight,
            color_by=color_by if isinstance(color_by, str) and color_by in COLOR_BY else default.color_by,
            seed=seed if _is_int(seed) and 0 <= seed < 2**31 else default.seed,
            show_conflict=show_conflict if isinstance(show_conflict, bool) else default.show_conflict,
            all_ties=all_ties if isinstance(all_ties, bool) else default.all_ties,
        )

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class ChoiceOptions:
    """Options whose fields are each one of a few words (:attr:`CHOICES`, from the vocabulary)
    or a tuple of words; saved as a mapping and restored from one."""

    CHOICES: ClassVar[Mapping[str, tuple[str, ...]]] = {}

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> ChoiceOptions:
        """Options from saved settings: unknown keys, unknown words and wrong types are dropped."""
        values: dict[str, object] = {}
        for f in fields(cls):
            value, allowed = raw.get(f.name), cls.CHOICES.get(f.name)
            if allowed is not None and isinstance(value, str) and value in allowed:
                values[f.name] = value
            elif allowed is None and isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
                values[f.name] = tuple(value)
        return cls(**values)  # each value checked above, field by field

    def as_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class TimelineOptions(ChoiceOptions):
    """The timeline's controls: how markers are coloured when several questions are shown
    (rows grouped per question, colours ranked, or the most debated question alone)."""

    CHOICES: ClassVar[Mapping[str, tuple[str, ...]]] = {"sides": TIMELINE_SIDES}
    sides: str = TIMELINE_SIDES[0]


@dataclass(frozen=True)
class MatrixOptions(ChoiceOptions):
    """The positions matrix's controls: row and column order, and the chapters drawn as one
    column (keys). Communities use the network's min-shared and seed."""

    CHOICES: ClassVar[Mapping[str, tuple[str, ...]]] = {"rows": MATRIX_ROWS, "columns": MATRIX_COLUMNS}
    rows: str = MATRIX_ROWS[0]
    columns: str = MATRIX_COLUMNS[0]
    collapsed: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvolutionOptions(ChoiceOptions):
    """The evolution view's controls: networks or matrices, each session alone or cumulative,
    and the blocs of the bloc gap. Metric, min-shared and seed are the network's."""

    CHOICES: ClassVar[Mapping[str, tuple[str, ...]]] = {
        "view": EVOLUTION_VIEWS,
        "window": EVOLUTION_WINDOWS,
        "blocs": COLOR_BY,
    }
    view: str = EVOLUTION_VIEWS[0]
    window: str = EVOLUTION_WINDOWS[0]
    blocs: str = COLOR_BY[0]


@dataclass(frozen=True)
class ProfileOptions:
    """The actor view's second actor (id), to compare with the selected one; not saved, since
    ids belong to one database. Allies use the network's metric and min-shared."""

    other: int | None = None


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
    ``network_options_changed(NetworkOptions)``, ``timeline_options_changed(TimelineOptions)``,
    ``matrix_options_changed(MatrixOptions)``, ``evolution_options_changed(EvolutionOptions)``,
    ``profile_options_changed(ProfileOptions)``
        a view's controls changed (options are not places: Back does not undo them).
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
        matrix_options: MatrixOptions | None = None,
        evolution_options: EvolutionOptions | None = None,
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
        self.matrix_options = matrix_options or MatrixOptions()
        self.evolution_options = evolution_options or EvolutionOptions()
        self.profile_options = ProfileOptions()
        self.history = NavigationHistory()
        self.dataset_changed: Event[Dataset] = Event("dataset_changed")
        self.filter_changed: Event[CompiledFilter] = Event("filter_changed")
        self.selection_changed: Event[Selection] = Event("selection_changed")
        self.view_changed: Event[str] = Event("view_changed")
        self.network_options_changed: Event[NetworkOptions] = Event("network_options_changed")
        self.timeline_options_changed: Event[TimelineOptions] = Event("timeline_options_changed")
        self.matrix_options_changed: Event[MatrixOptions] = Event("matrix_options_changed")
        self.evolution_options_changed: Event[EvolutionOptions] = Event("evolution_options_changed")
        self.profile_options_changed: Event[ProfileOptions] = Event("profile_options_changed")
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
        """Go to another filter, view and/or actor (one step of the history). The filter is
        compiled first: a :class:`~explorer.errors.FilterError` leaves everything as it was. A
        new filter clears the selected positions unless ``selection`` is given; the actor stays.
        Another actor is a step too (an actor's profile opened from another's is a place to
        come back to); other positions alone are not (see :meth:`select_positions`)."""
        step = self._step(filter, view, selection)
        moved = (
            step.compiled is not self.compiled or step.view != self.view or step.selection.actor != self.selection.actor
        )
        if moved:
            self.history.record(self.place)
        self._go(step, history_moved=moved)

    def set_filter(self, flt: PositionFilter) -> None:
        self.navigate(filter=flt)

    def set_view(self, view: str) -> None:
        self.navigate(view=view)

    def select_positions(self, position_ids: Iterable[int]) -> None:
        """Select positions, and the actor of the first one, so that every view marks the same
        actor (amends the current step of the history: moving through the table with the
        arrow keys does not bury the previous filter)."""
        ids = tuple(position_ids)
        actor = queries.actor_of_position(self._db, ids[0]) if ids else None
        self._select(Selection(ids, self.selection.actor if actor is None else actor))

    def select_actor(self, actor_id: int | None) -> None:
        """Select an actor (amends the current step); positions of another actor are unselected."""
        if actor_id != self.selection.actor:
            self._select(Selection(actor=actor_id))

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
        self._set_options("network_options", options)

    def set_timeline_options(self, options: TimelineOptions) -> None:
        self._set_options("timeline_options", options)

    def set_matrix_options(self, options: MatrixOptions) -> None:
        self._set_options("matrix_options", options)

    def set_evolution_options(self, options: EvolutionOptions) -> None:
        self._set_options("evolution_options", options)

    def set_profile_options(self, options: ProfileOptions) -> None:
        self._set_options("profile_options", options)

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

    def _set_options(self, name: str, options: object) -> None:
        """Keep a view's new options and announce them on ``<name>_changed`` (if they changed)."""
        if options != getattr(self, name):
            setattr(self, name, options)
            getattr(self, f"{name}_changed").emit(options)

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
