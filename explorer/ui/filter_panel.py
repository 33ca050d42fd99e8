"""The filter panel: every control edits one :class:`PositionFilter`, the one home for filtering.

Choices come from the dataset's registries; the panel emits ``filter_changed`` with the new
filter (text input is debounced so typing does not refilter on every key).
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
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

from explorer.store import queries
from explorer.store.database import Database
from explorer.store.filters import PositionFilter
from explorer.vocabulary import ACTOR_KINDS, CONFIDENCES, SOURCE_KINDS, STANCES, provision_subtree

TEXT_DEBOUNCE_MS = 250
PROVISION_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
REGIONS = ("African", "Asia-Pacific", "Eastern European", "GRULAC", "WEOG")


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


def _set_combo(combo: QComboBox, value) -> None:
    index = combo.findData(value) if value is not None else 0
    combo.setCurrentIndex(max(index, 0))


class FilterPanel(QWidget):
    filter_changed = Signal(object)  # PositionFilter

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.dataset: str | None = None
        self._quiet = 0
        self._actor_lookup: dict[str, str] = {}  # casefolded name, alias or completion text -> actor name
        self._questions: list[dict] = []
        self._provisions: list[dict] = []
        self._sessions: list[dict] = []
        self._build()

    # construction --------------------------------------------------------------------------
    def _build(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.text = QLineEdit(self)
        self.text.setPlaceholderText("Words in summaries and proposals")
        self.text.setClearButtonEnabled(True)
        self.text.setAccessibleName("Free text search")
        self._debounce = QTimer(self, singleShot=True, interval=TEXT_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._emit)
        self.text.textChanged.connect(lambda _text: self._debounce.start())
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
        self.region = _combo(self, "UN regional group", [(r, r) for r in REGIONS])
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
        for combo in (
            self.actor_kind,
            self.region,
            self.group,
            self.question,
            self.session_from,
            self.session_to,
            self.stance,
            self.source_kind,
            self.confidence,
        ):
            combo.currentIndexChanged.connect(self._emit)

        clear = QPushButton("C&lear all filters", self)
        clear.clicked.connect(lambda: self.set_filter(PositionFilter(dataset=self.dataset)))
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
    def load(self, db: Database, dataset_id: int) -> None:
        """Fill the choices from the dataset, keeping the current filter where it still applies."""
        current = self.current_filter()
        self._quiet += 1
        try:
            actors = queries.list_actors(db, dataset_id)
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
            self._refill(self.group, [(g["name"], g["name"]) for g in queries.list_groups(db, dataset_id)])
            self._provisions = queries.list_provisions(db, dataset_id)
            self._fill_provisions()
            self._questions = queries.list_questions(db, dataset_id)
            self._sessions = queries.list_sessions(db, dataset_id)
            sessions = [(s["name"], s["key"]) for s in self._sessions]
            self._refill(self.session_from, sessions)
            self._refill(self.session_to, sessions)
        finally:
            self._quiet -= 1
        self.set_filter(current, emit=False)

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
        children: dict[str | None, list[dict]] = {}
        for p in self._provisions:
            children.setdefault(p["parent"], []).append(p)

        def subtotal(p: dict) -> int:
            totals[p["key"]] = p["positions"] + sum(subtotal(c) for c in children.get(p["key"], []))
            return totals[p["key"]]

        def add(parent: QStandardItem, p: dict) -> None:
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

    def _fill_questions(self, provision: str | None) -> None:
        keys = self._provision_subtree(provision) if provision else None
        self._quiet += 1
        try:
            chosen = self.question.currentData()
            self._refill(
                self.question,
                [(q["text"], q["key"]) for q in self._questions if keys is None or q["provision"] in keys],
            )
            _set_combo(self.question, chosen)
        finally:
            self._quiet -= 1

    def _provision_subtree(self, key: str) -> set[str]:
        return set(provision_subtree(((p["key"], p["parent"]) for p in self._provisions), [key]))

    # reading and writing the filter ----------------------------------------------------------
    def current_filter(self) -> PositionFilter:
        provision = self.selected_provision()
        return PositionFilter(
            dataset=self.dataset,
            actors=tuple(self.actor_list.item(i).text() for i in range(self.actor_list.count())),
            actor_kinds=_one(self.actor_kind),
            regions=_one(self.region),
            groups=_one(self.group),
            provisions=(provision,) if provision else (),
            questions=_one(self.question),
            sessions=self._session_range(),
            stances=_one(self.stance),
            source_kinds=_one(self.source_kind),
            confidences=_one(self.confidence),
            text=self.text.text().strip(),
        )

    def set_filter(self, flt: PositionFilter, *, emit: bool = True) -> None:
        """Show ``flt`` in the controls (values that name nothing here are dropped)."""
        self._quiet += 1
        try:
            self.dataset = flt.dataset or self.dataset
            self.actor_list.clear()
            for actor in flt.actors:
                self.actor_list.addItem(QListWidgetItem(actor))
            _set_combo(self.actor_kind, _first(flt.actor_kinds))
            _set_combo(self.region, _first(flt.regions))
            _set_combo(self.group, _first(flt.groups))
            self.select_provision(_first(flt.provisions), emit=False)
            _set_combo(self.question, _first(flt.questions))
            keys = [s["key"] for s in self._sessions if s["key"] in flt.sessions]
            _set_combo(self.session_from, keys[0] if keys else None)
            _set_combo(self.session_to, keys[-1] if keys else None)
            _set_combo(self.stance, _first(flt.stances))
            _set_combo(self.source_kind, _first(flt.source_kinds))
            _set_combo(self.confidence, _first(flt.confidences))
            self.text.blockSignals(True)
            self.text.setText(flt.text)
            self.text.blockSignals(False)
        finally:
            self._quiet -= 1
        if emit:
            self._emit()

    def selected_provision(self) -> str | None:
        index = self.provision_tree.currentIndex()
        return index.data(PROVISION_KEY_ROLE) if index.isValid() else None

    def select_provision(self, key: str | None, *, emit: bool = True) -> None:
        self._quiet += int(not emit)
        try:
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
            self._fill_questions(key if key and matches else None)
        finally:
            self._quiet -= int(not emit)

    def add_actor(self, name: str) -> bool:
        """Add an actor by name or alias completion text; False if it names nobody."""
        name = self._actor_lookup.get(name.strip().casefold())
        if name is None:
            return False
        if not self.actor_list.findItems(name, Qt.MatchFlag.MatchExactly):
            self.actor_list.addItem(name)
            self._emit()
        self.actor_search.clear()
        return True

    def set_actors(self, names: list[str]) -> None:
        self.set_filter(self.current_filter().with_(actors=tuple(names)))

    def set_session(self, key: str | None) -> None:
        self._quiet += 1
        _set_combo(self.session_from, key)
        _set_combo(self.session_to, key)
        self._quiet -= 1
        self._emit()

    def remove_selected_actors(self) -> None:
        for item in self.actor_list.selectedItems():
            self.actor_list.takeItem(self.actor_list.row(item))
        self._emit()

    def focus_text(self) -> None:
        self.text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text.selectAll()

    def _session_range(self) -> tuple[str, ...]:
        keys = [s["key"] for s in self._sessions]
        first, last = self.session_from.currentData(), self.session_to.currentData()
        if first is None and last is None:
            return ()
        lo = keys.index(first) if first in keys else 0
        hi = keys.index(last) if last in keys else len(keys) - 1
        lo, hi = min(lo, hi), max(lo, hi)
        return tuple(keys[lo : hi + 1])

    def _completion_chosen(self, text: str) -> None:
        # QCompleter fills the line edit after this signal; clear once it has.
        if text.strip() and self.add_actor(text):
            QTimer.singleShot(0, self.actor_search.clear)

    def _provision_changed(self, *_args) -> None:
        if self._quiet:
            return
        self._fill_questions(self.selected_provision())
        self._emit()

    def _emit(self, *_args) -> None:
        if not self._quiet:
            self._debounce.stop()
            self.filter_changed.emit(self.current_filter())


def provision_label(p: dict, full: bool = False) -> str:
    """ "Art. 6 — Respect for human rights", "Chapter I — …" or a topic's title."""
    title = p.get("title") or p["key"]
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
