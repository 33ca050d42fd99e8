"""The application state without Qt: compiled once per change, events in order, Back/Forward."""

from __future__ import annotations

import pytest

from explorer.errors import FilterError
from explorer.ingest.importer import import_file
from explorer.state import (
    AppState,
    Event,
    EvolutionOptions,
    MatrixOptions,
    NavigationHistory,
    NetworkOptions,
    Place,
    ProfileOptions,
    Selection,
    TimelineOptions,
)
from explorer.store.filters import CompiledFilter, PositionFilter
from explorer.store.queries import count_positions
from tests.conftest import DATA


class Recorder:
    """Subscribes to every event of a state and keeps (event name, value) in order."""

    NAMES = (
        "dataset_changed",
        "filter_changed",
        "selection_changed",
        "view_changed",
        "network_options_changed",
        "timeline_options_changed",
        "matrix_options_changed",
        "evolution_options_changed",
        "profile_options_changed",
        "history_changed",
    )

    def __init__(self, state: AppState):
        self.calls: list[tuple[str, object]] = []
        for name in self.NAMES:
            getattr(state, name).connect(lambda value, name=name: self.calls.append((name, value)))

    def names(self) -> list[str]:
        names = [name for name, _ in self.calls]
        self.calls.clear()
        return names


ATLANTIS, BORDURIA = 1, 2  # actor ids in tests/data/small.csv (positions 1, 4, 7 are Atlantis's)


@pytest.fixture
def state(small_db) -> AppState:
    return AppState(small_db, "small")


def test_event_calls_callbacks_in_order_and_disconnects():
    event: Event[int] = Event("changed")
    seen: list[tuple[str, int]] = []
    first = event.connect(lambda v: seen.append(("first", v)))
    event.connect(lambda v: seen.append(("second", v)))
    event.emit(1)
    event.disconnect(first)
    event.disconnect(first)  # twice: ignored
    event.emit(2)
    assert seen == [("first", 1), ("second", 1), ("second", 2)]
    assert len(event) == 1


def test_a_failing_callback_is_not_hidden():
    event: Event[int] = Event("changed")
    after: list[int] = []

    def fails(_value: int) -> None:
        raise RuntimeError("boom")

    event.connect(fails)
    event.connect(after.append)
    with pytest.raises(RuntimeError, match="boom"):
        event.emit(1)
    assert after == []


def test_starts_on_the_whole_dataset(state, small_db):
    assert state.dataset.name == "small"
    assert state.filter == PositionFilter(dataset="small")
    assert count_positions(small_db, state.compiled) == 11
    assert state.view == "sessions" and state.selection == Selection()


def test_a_filter_is_compiled_once_and_carries_its_filter(state, small_db, monkeypatch):
    import explorer.state.app_state as module

    compiled_calls = []
    real = module.compile_filter
    monkeypatch.setattr(module, "compile_filter", lambda db, f: compiled_calls.append(f) or real(db, f))
    events = Recorder(state)
    state.set_filter(PositionFilter(actors=("Atlantis",)))
    assert len(compiled_calls) == 1
    (name, compiled), (history, _) = events.calls
    events.calls.clear()
    assert (name, history) == ("filter_changed", "history_changed")
    assert isinstance(compiled, CompiledFilter) and compiled is state.compiled
    assert compiled.filter == PositionFilter(dataset="small", actors=("Atlantis",))  # the dataset is filled in
    assert count_positions(small_db, compiled) == 3  # Atlantis: art6-list, threshold, whole
    state.set_filter(PositionFilter(actors=("Atlantis",)))  # the same filter again: nothing happens
    assert len(compiled_calls) == 1 and events.names() == []


def test_a_bad_filter_changes_nothing(state):
    events = Recorder(state)
    before = state.compiled
    with pytest.raises(FilterError, match="Nowhere"):
        state.set_filter(PositionFilter(actors=("Nowhere",)))
    assert state.compiled is before and events.names() == [] and not state.history.can_go_back


def test_a_new_filter_clears_the_selected_positions_but_keeps_the_actor(state):
    state.select_positions([4, 7])  # Atlantis's
    events = Recorder(state)
    state.set_filter(PositionFilter(stances=("support",)))
    assert state.selection == Selection(positions=(), actor=ATLANTIS)
    assert events.names() == ["filter_changed", "selection_changed", "history_changed"]


def test_selecting_positions_selects_their_actor_and_another_actor_unselects_them(state):
    state.select_positions([2, 1])  # Borduria's, then Atlantis's: the first one's actor
    assert state.selection == Selection((2, 1), actor=BORDURIA)
    state.select_positions([])  # nothing: the actor stays
    assert state.selection == Selection((), actor=BORDURIA)
    state.select_positions([5])
    state.select_actor(BORDURIA)  # the same actor: the positions stay
    assert state.selection == Selection((5,), actor=BORDURIA)
    state.select_actor(ATLANTIS)
    assert state.selection == Selection(actor=ATLANTIS)
    assert not state.history.can_go_back  # selecting is not a step


def test_going_to_another_actor_is_a_step(state):
    state.navigate(view="actor", selection=Selection(actor=ATLANTIS))
    state.navigate(selection=Selection(actor=BORDURIA))  # an ally's profile opened from Atlantis's
    state.navigate(selection=Selection(actor=BORDURIA))  # the same place again: no step
    assert len(state.history) == 2
    assert state.back() and state.place == Place(PositionFilter(dataset="small"), "actor", Selection(actor=ATLANTIS))
    assert state.back() and state.place == Place(PositionFilter(dataset="small"), "sessions", Selection())


def test_selection_amends_the_present_place(state):
    state.set_filter(PositionFilter(stances=("oppose",)))
    state.select_positions([3])
    state.select_positions([4])
    assert len(state.history) == 1  # only the filter change is a step
    assert state.place == Place(
        PositionFilter(dataset="small", stances=("oppose",)), "sessions", Selection((4,), actor=ATLANTIS)
    )


def test_back_and_forward_restore_filter_view_and_selection(state):
    state.select_positions([2])
    state.set_filter(PositionFilter(provisions=("6",)))
    state.set_view("network")
    state.select_positions([5])
    events = Recorder(state)

    assert state.back()  # to provision 6 on the sessions view
    assert (state.filter.provisions, state.view, state.selection.positions) == (("6",), "sessions", ())
    assert events.names() == ["view_changed", "selection_changed", "history_changed"]
    assert state.back()  # to the start, with the position selected there
    assert (state.filter, state.view, state.selection.positions) == (PositionFilter(dataset="small"), "sessions", (2,))
    assert events.names() == ["filter_changed", "selection_changed", "history_changed"]
    assert not state.back() and not state.history.can_go_back

    assert state.forward() and state.forward()
    assert (state.filter.provisions, state.view, state.selection.positions) == (("6",), "network", (5,))
    assert not state.forward()
    assert state.back()
    state.set_filter(PositionFilter(stances=("amend",)))  # a new step drops what was ahead
    assert not state.history.can_go_forward and state.history.can_go_back


def test_switching_dataset_resets_filter_and_selection(state, small_db):
    import_file(small_db, DATA / "small.csv", "second")
    state.set_filter(PositionFilter(actors=("Borduria",)))
    state.select_actor(2)
    events = Recorder(state)
    state.set_dataset("second")
    assert state.dataset.name == "second" and state.filter == PositionFilter(dataset="second")
    assert state.compiled.dataset_id == state.dataset.id and state.selection == Selection()
    assert events.names() == ["dataset_changed", "filter_changed", "selection_changed", "history_changed"]
    assert state.back()  # Back crosses the switch
    assert state.dataset.name == "small" and state.filter.actors == ("Borduria",)
    with pytest.raises(FilterError):
        state.set_dataset("missing")
    assert state.dataset.name == "small"


def test_reload_recompiles_after_an_import(state, small_db):
    state.set_filter(PositionFilter(provisions=("6",)))
    before = count_positions(small_db, state.compiled)
    events = Recorder(state)
    import_file(small_db, DATA / "small.csv", "small")  # same rows: skipped, but the data may change
    state.reload()
    assert events.names() == ["dataset_changed", "filter_changed"]
    assert count_positions(small_db, state.compiled) == before
    assert not state.history.can_go_forward and len(state.history) == 1


def test_network_options_from_saved_settings_drop_what_they_do_not_know():
    raw = {"metric": "kappa", "seed": 9, "min_shared": True, "min_weight": 2.0, "color_by": "shoe", "x": 1}
    assert NetworkOptions.from_mapping(raw) == NetworkOptions(metric="kappa", seed=9)
    assert NetworkOptions.from_mapping({"min_weight": 1}).min_weight == 1.0
    options = NetworkOptions(min_shared=3)
    assert NetworkOptions.from_mapping(options.as_dict()) == options


def test_options_change_once(state):
    events = Recorder(state)
    state.set_network_options(NetworkOptions(seed=7))
    state.set_network_options(NetworkOptions(seed=7))
    state.set_matrix_options(MatrixOptions(rows="region"))
    state.set_evolution_options(EvolutionOptions(view="matrix"))
    state.set_timeline_options(TimelineOptions(sides="most-debated"))
    state.set_profile_options(ProfileOptions(other=BORDURIA))
    state.set_profile_options(ProfileOptions(other=BORDURIA))
    assert events.calls == [
        ("network_options_changed", NetworkOptions(seed=7)),
        ("matrix_options_changed", MatrixOptions(rows="region")),
        ("evolution_options_changed", EvolutionOptions(view="matrix")),
        ("timeline_options_changed", TimelineOptions(sides="most-debated")),
        ("profile_options_changed", ProfileOptions(other=BORDURIA)),
    ]
    assert state.matrix_options.rows == "region" and state.profile_options.other == BORDURIA
    assert not state.history.can_go_back  # options are not places


def test_view_options_from_saved_settings_drop_what_they_do_not_know():
    raw = {"rows": "community", "columns": "shoe", "collapsed": ["chapter-2", 3], "extra": 1}
    assert MatrixOptions.from_mapping(raw) == MatrixOptions(rows="community")
    saved = MatrixOptions(columns="divisiveness", collapsed=("chapter-2",))
    assert MatrixOptions.from_mapping(saved.as_dict()) == saved
    assert EvolutionOptions.from_mapping({"view": "matrix", "blocs": 1}) == EvolutionOptions(view="matrix")
    assert TimelineOptions.from_mapping({"sides": "ranked"}).sides == "ranked"
    assert NetworkOptions.from_mapping({"show_conflict": False}).show_conflict is False
    assert NetworkOptions.from_mapping({"show_conflict": "no"}).show_conflict is True


def test_history_forgets_the_oldest_places():
    history = NavigationHistory(limit=3)
    places = [Place(PositionFilter(text=str(i)), "sessions") for i in range(5)]
    for place in places[:4]:
        history.record(place)
    assert len(history) == 3 and history.previous == places[3]
    assert history.back(places[4]) == places[3] and history.next == places[4]
