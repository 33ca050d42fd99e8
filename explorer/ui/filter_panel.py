"""The filter panel: every control edits one field of the state's :class:`PositionFilter`.

A control writes its field into the application state (text input is debounced so typing does
not refilter on every key); the panel shows whatever filter the state holds, however it got
there (Back, a click on a node, a session chosen). Nobody reads the filter out of the panel.
Choices come from the dataset's registries, reloaded when the dataset or its data changes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt, QTimer
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

from explorer.state import AppState, Dataset
from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import PositionFilter
from explorer.ui.state_binding import subscribe
from explorer.vocabulary import ACTOR_KINDS, CONFIDENCES, SOURCE_KINDS, STANCES, provision_subtree

TEXT_DEBOUNCE_MS = 250
PROVISION_KEY_ROLE = Qt.ItemDataRole.UserRole + 1


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


class FilterPanel(QWidget):
    def __init__(self, state: AppState, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.state, self.db = state, db
        self._quiet = 0
        self._actor_lookup: dict[str, str] = {}  # casefolded name, alias or completion text -> actor name
        self._questions: list[dict[str, Any]] = []
        self._provisions: list[dict[str, Any]] = []
        self._build()
        self.load(state.dataset)
        subscribe(self, state.dataset_changed, self.load)
        subscribe(self, state.filter_changed, lambda compiled: self.show_filter(compiled.filter))

    # construction --------------------------------------------------------------------------
    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
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
        self._completion = QStringListModel(self)
        completer = QCompleter(self._completion, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._completion_chosen)
        self.actor_search.setCompleter(completer)
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

        self.provision_model = QStandardItemModel(self)
        self.provision_tree = QTreeView(self)
        self.provision_tree.setModel(self.provision_model)
        self.provision_tree.setHeaderHidden(True)
        self.provision_tree.setAccessibleName("Provisions by chapter")
        self.provision_tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.provision_tree.setMinimumHeight(160)
        self.provision_tree.selectionModel().currentChanged.connect(self._provision_changed)
        form.addRow(self._label("&Provision:", self.provision_tree), self.provision_tree)

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
        layout.addLayout(form)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(clear)
        layout.addLayout(bottom)
        layout.addStretch(1)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        return label

    # loading choices from the database -------------------------------------------------------
    def load(self, dataset: Dataset) -> None:
        """Fill the choices from the dataset, then show the state's filter in them."""
        self._quiet += 1
        try:
            actors = queries.list_actors(self.db, dataset.id)
            completions: list[str] = []
            lookup: dict[str, str] = {}
            for actor in actors:
                completions.append(actor["name"])
                lookup.setdefault(actor["name"].casefold(), actor["name"])
            for actor in actors:  # aliases never shadow a name
                for alias in (actor["aliases"] or "").split(", "):
                    if alias and alias.casefold() not in lookup:
                        completions.append(f"{alias} → {actor['name']}")
                        lookup[alias.casefold()] = lookup[completions[-1].casefold()] = actor["name"]
            self._actor_lookup = lookup
            self._completion.setStringList(sorted(completions, key=str.casefold))
            regions = sorted({a["un_region"] for a in actors if a["un_region"]}, key=str.casefold)
            self._refill(self.region, [(r, r) for r in regions])
            self._refill(self.group, [(g["name"], g["name"]) for g in queries.list_groups(self.db, dataset.id)])
            self._provisions = queries.list_provisions(self.db, dataset.id)
            self._fill_provisions()
            self._questions = queries.list_questions(self.db, dataset.id)
            sessions = [(s["name"], s["key"]) for s in queries.list_sessions(self.db, dataset.id)]
            self._refill(self.session_from, sessions)
            self._refill(self.session_to, sessions)
        finally:
            self._quiet -= 1
        self.show_filter(self.state.filter)

    def _refill(self, combo: QComboBox, values: list[tuple[str, str]]) -> None:
        combo.clear()
        combo.addItem("Any", None)
        for label, value in values:
            combo.addItem(label, value)
            combo.setItemData(combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole)

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
            item = QStandardItem(f"{provision_label(p)} ({totals[p['key']]})")
            item.setEditable(False)
            item.setData(p["key"], PROVISION_KEY_ROLE)
            item.setToolTip(provision_label(p, full=True))
            parent.appendRow(item)
            for child in children.get(p["key"], []):
                add(item, child)

        roots = children.get(None, [])
        for p in roots:
            subtotal(p)
        for p in roots:
            add(self.provision_model.invisibleRootItem(), p)

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
            self._refill(self.question, [(q["text"], q["key"]) for q in self._questions_under(provision)])
            _set_combo(self.question, _first(flt.questions))
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
        """Add an actor by name or alias completion text; False if it names nobody."""
        found = self._actor_lookup.get(name.strip().casefold())
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


def provision_label(p: dict[str, Any], full: bool = False) -> str:
    """ "Art. 6 — Respect for human rights", "Chapter I — …" or a topic's title."""
    title = str(p.get("title") or p["key"])
    if p["kind"] == "article":
        head = f"Article {p['number'] or p['key']}" if full else f"Art. {p['number'] or p['key']}"
    elif p["kind"] == "chapter":
        head = f"Chapter {p['number'] or p['key']}"
    else:
        return title
    return f"{head} — {title}" if p.get("title") else head


def _one(combo: QComboBox) -> tuple[str, ...]:
    value = combo.currentData()
    return (value,) if value else ()


def _first(values: tuple[str, ...]) -> str | None:
    return values[0] if values else None
