"""The filter panel: every control edits one field of the state's :class:`PositionFilter`.

A control writes its field into the application state (text input is debounced so typing does
not refilter on every key); the panel shows whatever filter the state holds, however it got
there (Back, a click on a node, a session chosen). Nobody reads the filter out of the panel.
Choices come from the dataset's registries, reloaded when the dataset or its data changes.

Provisions have room and a search: typing "6" or "human rights" in "Find a provision" narrows the
tree to what :func:`explorer.labels.find_provisions` finds, Enter chooses the best match, Down
moves into the tree; every node shows its count of positions and its full title on hover.
Questions and sessions are listed by their short labels, their full texts in the tooltips.
Choices are read on a worker when the panel has a runner (at a million positions the registries
with their counts take ~0.4 s); the question list, thousands long, is a list model swapped in one step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.labels import find_provisions, provision_title
from explorer.names import names_containing, normalize_name
from explorer.state import AppState, Dataset
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import PositionFilter
from explorer.ui.state_binding import subscribe
from explorer.ui.workers import CancelCheck, Progress, TaskRunner
from explorer.vocabulary import ACTOR_KINDS, CONFIDENCES, SOURCE_KINDS, STANCES, provision_subtree

TEXT_DEBOUNCE_MS = 250
COMPLETIONS_SHOWN = 50  # names offered at most while typing in the actor box (the list scrolls)
PROVISION_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
PROVISION_TREE_MIN_PX = 240  # room for a chapter and its articles; the tree takes what the panel has left


def _combo(parent: QWidget, name: str, values: list[tuple[str, str]]) -> QComboBox:
    """A combo whose first entry means "no restriction"; item data is the filter value."""
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(14)
    combo.addItem("Any", None)
    for label, value in values:
        combo.addItem(label, value)
    return combo


def _set_combo(combo: QComboBox, value: str | None) -> None:
    index = combo.findData(value) if value is not None else 0
    combo.setCurrentIndex(max(index, 0))


class ChoiceListModel(QAbstractListModel):
    """A combo's entries as (label, value, tooltip): "Any" first, then ``choices``; one model swap
    replaces thousands of ``addItem`` calls, and a value is found by a dict lookup."""

    def __init__(self, choices: list[tuple[str, str, str]], parent: QObject | None = None):
        super().__init__(parent)
        self.choices: list[tuple[str, str | None, str]] = [("Any", None, "Any"), *choices]
        self._rows = {value: row for row, (_label, value, _full) in enumerate(self.choices) if value is not None}

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.choices)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.choices):
            return None
        label, value, full = self.choices[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return label
        if role == Qt.ItemDataRole.ToolTipRole:
            return full
        return value if role == Qt.ItemDataRole.UserRole else None

    def row_of(self, value: str | None) -> int:
        return self._rows.get(value, 0) if value is not None else 0


@dataclass(frozen=True)
class PanelChoices:
    """What the panel offers for one dataset, read in one go (on a worker)."""

    actors: list[dict[str, Any]]
    groups: list[dict[str, Any]]
    provisions: list[dict[str, Any]]
    questions: list[dict[str, Any]]
    sessions: list[dict[str, Any]]


def read_choices(db: Database, dataset_id: int) -> PanelChoices:
    return PanelChoices(
        actors=queries.list_actors(db, dataset_id),
        groups=queries.list_groups(db, dataset_id),
        provisions=queries.list_provisions(db, dataset_id),
        questions=queries.list_questions(db, dataset_id),
        sessions=queries.list_sessions(db, dataset_id),
    )


class FilterPanel(QWidget):
    def __init__(self, state: AppState, db: Database, parent: QWidget | None = None, runner: TaskRunner | None = None):
        super().__init__(parent)
        self.state, self.db, self.runner = state, db, runner
        self._quiet = 0
        self._actor_lookup: dict[str, str] = {}  # name, alias or completion text by the name rule -> actor name
        self._questions: list[dict[str, Any]] = []
        self._provisions: list[dict[str, Any]] = []
        self._questions_shown: list[tuple[str, str, str]] | None = None
        self._build()
        self.load(state.dataset)
        subscribe(self, state.dataset_changed, self.load)
        subscribe(self, state.filter_changed, lambda compiled: self.show_filter(compiled.filter))

    # construction --------------------------------------------------------------------------
    def _build(self) -> None:
        form = QFormLayout()  # the fields above the provisions
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._forms = [form]
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("Words in summaries and proposals")
        self.text.setClearButtonEnabled(True)
        self.text.setAccessibleName("Free text search")
        self.text_debounce = QTimer(self, singleShot=True, interval=TEXT_DEBOUNCE_MS)
        self.text_debounce.timeout.connect(lambda: self._write(text=self.text.text().strip()))
        self.text.textChanged.connect(lambda _text: self._quiet or self.text_debounce.start())
        form.addRow(self._label("&Text:", self.text), self.text)

        self.actor_search = QLineEdit(self)
        self.actor_search.setPlaceholderText("Name or alias, then Enter")
        self.actor_search.setAccessibleName("Add an actor to the filter")
        # The completion lists what names.names_containing finds (case, accents and spacing
        # ignored: "turki" offers Türkiye), so the completer shows its model unfiltered.
        self._spellings: list[tuple[str, str]] = []  # (name by the name rule, completion text), sorted
        self._completion = QStringListModel(self)
        self.actor_completer = QCompleter(self._completion, self)
        self.actor_completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.actor_completer.activated.connect(self._completion_chosen)
        self.actor_search.setCompleter(self.actor_completer)
        self.actor_search.textEdited.connect(self._actor_typed)
        self.actor_search.returnPressed.connect(lambda: self._completion_chosen(self.actor_search.text()))
        self.actor_list = QListWidget(self)
        self.actor_list.setAccessibleName("Chosen actors (Delete removes)")
        self.actor_list.setMaximumHeight(90)
        QShortcut(
            QKeySequence.StandardKey.Delete,
            self.actor_list,
            self.remove_selected_actors,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        remove = QPushButton("&Remove actor", self)
        remove.clicked.connect(self.remove_selected_actors)
        actors = QVBoxLayout()
        actors.addWidget(self.actor_search)
        actors.addWidget(self.actor_list)
        actors.addWidget(remove)
        form.addRow(self._label("A&ctors:", self.actor_search), actors)

        self.actor_kind = _combo(self, "Actor kind", [(k, k) for k in ACTOR_KINDS])
        form.addRow(self._label("Actor &kind:", self.actor_kind), self.actor_kind)
        self.region = _combo(self, "UN regional group", [])
        form.addRow(self._label("&Region:", self.region), self.region)
        self.group = _combo(self, "Group membership", [])
        form.addRow(self._label("&Group:", self.group), self.group)

        self.provision_search = QLineEdit(self)
        self.provision_search.setPlaceholderText("Find a provision: 6, human rights…")
        self.provision_search.setClearButtonEnabled(True)
        self.provision_search.setAccessibleName("Find a provision (Enter chooses the first match)")
        self.provision_search.textChanged.connect(self._search_provisions)
        self.provision_search.returnPressed.connect(self.choose_first_match)
        QShortcut(
            QKeySequence(Qt.Key.Key_Down),
            self.provision_search,
            self._search_down,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.provision_model = QStandardItemModel(self)
        self.provision_tree = QTreeView(self)
        self.provision_tree.setModel(self.provision_model)
        self.provision_tree.setHeaderHidden(True)
        self.provision_tree.setAccessibleName("Provisions by chapter")
        self.provision_tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.provision_tree.setMinimumHeight(PROVISION_TREE_MIN_PX)
        self.provision_tree.setUniformRowHeights(True)
        self.provision_tree.selectionModel().currentChanged.connect(self._provision_changed)
        provisions = QVBoxLayout()
        provisions.addWidget(self._label("&Provision:", self.provision_search))
        provisions.addWidget(self.provision_search)
        provisions.addWidget(self.provision_tree, 1)

        form = QFormLayout()  # the fields below the provisions
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._forms.append(form)
        self.question = _combo(self, "Question", [])
        form.addRow(self._label("&Question:", self.question), self.question)
        self.session_from = _combo(self, "From session", [])
        self.session_to = _combo(self, "To session", [])
        form.addRow(self._label("&From session:", self.session_from), self.session_from)
        form.addRow(self._label("T&o session:", self.session_to), self.session_to)
        self.stance = _combo(self, "Stance", [(s, s) for s in STANCES])
        form.addRow(self._label("&Stance:", self.stance), self.stance)
        self.source_kind = _combo(self, "Source kind", [(k, k) for k in SOURCE_KINDS])
        form.addRow(self._label("Source k&ind:", self.source_kind), self.source_kind)
        self.confidence = _combo(self, "Confidence", [(c, c) for c in CONFIDENCES])
        form.addRow(self._label("Confide&nce:", self.confidence), self.confidence)
        for combo, field in (
            (self.actor_kind, "actor_kinds"),
            (self.region, "regions"),
            (self.group, "groups"),
            (self.question, "questions"),
            (self.stance, "stances"),
            (self.source_kind, "source_kinds"),
            (self.confidence, "confidences"),
        ):
            combo.currentIndexChanged.connect(lambda _i, c=combo, f=field: self._write(**{f: _one(c)}))
        for combo, field in ((self.session_from, "session_from"), (self.session_to, "session_to")):
            combo.currentIndexChanged.connect(lambda _i, c=combo, f=field: self._write(**{f: c.currentData()}))

        clear = QPushButton("C&lear all filters", self)
        clear.clicked.connect(lambda: self.state.set_filter(PositionFilter()))
        layout = QVBoxLayout(self)
        layout.addLayout(self._forms[0])
        layout.addLayout(provisions, 1)
        layout.addLayout(form)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(clear)
        layout.addLayout(bottom)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    # loading choices from the database -------------------------------------------------------
    def load(self, dataset: Dataset) -> None:
        """Fill the choices from the dataset (read on a worker if there is a runner), then show
        the state's filter in them."""
        if self.runner is None:
            self._fill(read_choices(self.db, dataset.id))
            return

        def task(db: Database, _progress: Progress, _cancel: CancelCheck) -> PanelChoices:
            return read_choices(db, dataset.id)

        self.runner.submit("filter-choices", task, on_done=self._fill)

    def _fill(self, choices: PanelChoices) -> None:
        self._quiet += 1
        try:
            actors = choices.actors
            completions: list[str] = []
            lookup: dict[str, str] = {}
            for actor in actors:  # keyed by the importer's name rule: every spelling that imports
                completions.append(actor["name"])  # into an actor ("TURKIYE") also adds it here
                lookup.setdefault(normalize_name(actor["name"]), actor["name"])
            for actor in actors:  # aliases never shadow a name
                for alias in (actor["aliases"] or "").split(", "):
                    if alias and normalize_name(alias) not in lookup:
                        completions.append(f"{alias} → {actor['name']}")
                        lookup[normalize_name(alias)] = lookup[normalize_name(completions[-1])] = actor["name"]
            self._actor_lookup = lookup
            self._spellings = [(normalize_name(c), c) for c in sorted(completions, key=str.casefold)]
            self._completion.setStringList([])
            regions = sorted({a["un_region"] for a in actors if a["un_region"]}, key=str.casefold)
            self._refill(self.region, [(r, r) for r in regions])
            self._refill(self.group, [(g["name"], g["name"]) for g in choices.groups])
            self._provisions = choices.provisions
            self._fill_provisions()
            self._questions = choices.questions
            self._questions_shown = None
            sessions = [(s["label"], s["key"], s["name"]) for s in choices.sessions]
            self._refill(self.session_from, sessions)
            self._refill(self.session_to, sessions)
        finally:
            self._quiet -= 1
        self.show_filter(self.state.filter)

    def _refill(self, combo: QComboBox, values: list[tuple[str, str]] | list[tuple[str, str, str]]) -> None:
        """Choices ``(label, value)`` or ``(label, value, full text for the tooltip)``."""
        combo.clear()
        combo.addItem("Any", None)
        for label, value, *full in values:
            combo.addItem(label, value)
            combo.setItemData(combo.count() - 1, full[0] if full else label, Qt.ItemDataRole.ToolTipRole)

    def _show_questions(self, choices: list[tuple[str, str, str]]) -> None:
        """Offer ``choices`` in the question combo (unchanged lists are left as they are)."""
        if choices == self._questions_shown:
            return
        self.question.setModel(ChoiceListModel(choices, self.question))  # deletes the model it replaces
        self._questions_shown = choices

    def _fill_provisions(self) -> None:
        self.provision_model.clear()
        every = QStandardItem("All provisions")
        every.setEditable(False)
        self.provision_model.appendRow(every)
        totals: dict[str, int] = {}
        children: dict[str | None, list[dict[str, Any]]] = {}
        for p in self._provisions:
            children.setdefault(p["parent"], []).append(p)

        def subtotal(p: dict[str, Any]) -> int:
            totals[p["key"]] = p["positions"] + sum(subtotal(c) for c in children.get(p["key"], []))
            return totals[p["key"]]

        def add(parent: QStandardItem, p: dict[str, Any]) -> None:
            title = provision_title(p["kind"], p["number"], p["title"], p["key"])
            item = QStandardItem(f"{title} ({totals[p['key']]:,})")
            item.setEditable(False)
            item.setData(p["key"], PROVISION_KEY_ROLE)
            full = provision_title(p["kind"], p["number"], p["title"], p["key"], full=True)
            item.setToolTip(f"{full}\n{totals[p['key']]:,} position(s)")
            parent.appendRow(item)
            for child in children.get(p["key"], []):
                add(item, child)

        roots = children.get(None, [])
        for p in roots:
            subtotal(p)
        every.setText(f"All provisions ({sum(totals[p['key']] for p in roots):,})")
        for p in roots:
            add(self.provision_model.invisibleRootItem(), p)
        self._search_provisions(self.provision_search.text())

    # finding a provision ------------------------------------------------------------------------
    def provision_matches(self) -> list[str]:
        """Keys of the provisions the search box names, best first (all of them when it is empty)."""
        text = self.provision_search.text()
        return find_provisions(text, self._provisions) if text.strip() else [p["key"] for p in self._provisions]

    def _search_provisions(self, text: str) -> None:
        """Show only the provisions the search names, with the chapters above them (and a matched
        chapter's articles); everything when the search is empty."""
        matched = set(self.provision_matches()) if text.strip() else None
        parent_of = {p["key"]: p["parent"] for p in self._provisions}
        shown: set[str] | None = None
        if matched is not None:
            shown = set(matched)
            for key in matched:
                parent = parent_of.get(key)
                while parent is not None and parent not in shown:
                    shown.add(parent)
                    parent = parent_of.get(parent)
            shown.update(k for k, parent in parent_of.items() if parent in matched)

        def walk(parent: QModelIndex) -> None:
            for row in range(self.provision_model.rowCount(parent)):
                index = self.provision_model.index(row, 0, parent)
                key = index.data(PROVISION_KEY_ROLE)
                hidden = shown is not None and (key is None or key not in shown)
                self.provision_tree.setRowHidden(row, parent, hidden)
                walk(index)

        walk(QModelIndex())
        if shown is not None:
            self.provision_tree.expandAll()

    def choose_first_match(self) -> bool:
        """Choose the best match of the search (Enter in the search box); False when none."""
        matches = self.provision_matches() if self.provision_search.text().strip() else []
        if not matches:
            return False
        self.select_provision(matches[0])
        return True

    def _search_down(self) -> None:
        """Down in the search box moves into the tree, to the best match (keyboard navigation)."""
        matches = self.provision_matches()
        if matches and self.provision_search.text().strip():
            self.select_provision(matches[0])
        self.provision_tree.setFocus(Qt.FocusReason.TabFocusReason)

    def _questions_under(self, provision: str | None) -> list[dict[str, Any]]:
        if not provision:
            return self._questions
        keys = set(provision_subtree(((p["key"], p["parent"]) for p in self._provisions), [provision]))
        return [q for q in self._questions if q["provision"] in keys]

    # showing the state's filter ------------------------------------------------------------
    def show_filter(self, flt: PositionFilter) -> None:
        """Show ``flt`` in the controls without writing anything back."""
        self._quiet += 1
        try:
            self.actor_list.clear()
            for actor in flt.actors:
                self.actor_list.addItem(QListWidgetItem(actor))
            _set_combo(self.actor_kind, _first(flt.actor_kinds))
            _set_combo(self.region, _first(flt.regions))
            _set_combo(self.group, _first(flt.groups))
            provision = _first(flt.provisions)
            self._show_provision(provision)
            self._show_questions([(q["label"], q["key"], q["text"]) for q in self._questions_under(provision)])
            question = _first(flt.questions)
            model = self.question.model()
            self.question.setCurrentIndex(model.row_of(question) if isinstance(model, ChoiceListModel) else 0)
            _set_combo(self.session_from, flt.session_from)
            _set_combo(self.session_to, flt.session_to)
            _set_combo(self.stance, _first(flt.stances))
            _set_combo(self.source_kind, _first(flt.source_kinds))
            _set_combo(self.confidence, _first(flt.confidences))
            if not self.text_debounce.isActive():  # never overwrite what the user is typing
                self.text.setText(flt.text)
        finally:
            self._quiet -= 1

    def _show_provision(self, key: str | None) -> None:
        matches = self.provision_model.match(
            self.provision_model.index(0, 0),
            PROVISION_KEY_ROLE,
            key,
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        target = matches[0] if key and matches else self.provision_model.index(0, 0)
        self.provision_tree.setCurrentIndex(target)
        self.provision_tree.scrollTo(target)

    def selected_provision(self) -> str | None:
        index = self.provision_tree.currentIndex()
        return index.data(PROVISION_KEY_ROLE) if index.isValid() else None

    # writing into the state ------------------------------------------------------------------
    def _write(self, **changes: object) -> None:
        """Change fields of the state's filter (a FilterError reaches the window's error report)."""
        if not self._quiet:
            self.state.set_filter(self.state.filter.with_(**changes))

    def write_pending(self) -> None:
        """Write text still waiting for its debounce (the window is closing)."""
        if self.text_debounce.isActive():
            self.text_debounce.stop()
            self._write(text=self.text.text().strip())

    def select_provision(self, key: str | None) -> None:
        """Choose a provision as the user would in the tree (tests, the keyboard)."""
        self._show_provision(key)

    def add_actor(self, name: str) -> bool:
        """Add an actor by name, alias or completion text, spelt in any way the name rule
        (:func:`explorer.names.normalize_name`) equates; False if it names nobody."""
        found = self._actor_lookup.get(normalize_name(name))
        if found is None:
            return False
        self.actor_search.clear()
        if found not in self.state.filter.actors:
            self._write(actors=(*self.state.filter.actors, found))
        return True

    def remove_selected_actors(self) -> None:
        removed = {item.text() for item in self.actor_list.selectedItems()}
        self._write(actors=tuple(a for a in self.state.filter.actors if a not in removed))

    def focus_text(self) -> None:
        self.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text.selectAll()

    def _actor_typed(self, text: str) -> None:
        """Offer the names and aliases containing what was typed, by the name rule."""
        shown = names_containing(text, self._spellings, COMPLETIONS_SHOWN)
        self._completion.setStringList(shown)
        popup = self.actor_completer.popup()
        if shown:
            self.actor_completer.complete()
        elif popup is not None:
            popup.hide()

    def _completion_chosen(self, text: str) -> None:
        # QCompleter fills the line edit after this signal; clear once it has.
        if text.strip() and self.add_actor(text):
            QTimer.singleShot(0, self.actor_search.clear)

    def _provision_changed(self, *_args: object) -> None:
        if self._quiet:
            return
        provision = self.selected_provision()
        keys = {q["key"] for q in self._questions_under(provision)}
        questions = tuple(q for q in self.state.filter.questions if q in keys)
        self._write(provisions=(provision,) if provision else (), questions=questions)


def _one(combo: QComboBox) -> tuple[str, ...]:
    value = combo.currentData()
    return (value,) if value else ()


def _first(values: tuple[str, ...]) -> str | None:
    return values[0] if values else None
