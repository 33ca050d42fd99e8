"""The menu bar: standard shortcuts (QKeySequence.StandardKey where Qt has one)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QActionGroup, QKeySequence

from explorer.ui import export_actions

if TYPE_CHECKING:
    from explorer.ui.main_window import MainWindow


FALLBACK_KEYS = {
    QKeySequence.StandardKey.Open: "Ctrl+O",
    QKeySequence.StandardKey.Quit: "Ctrl+Q",
    QKeySequence.StandardKey.Find: "Ctrl+F",
}


def build_menus(window: MainWindow) -> dict[str, QAction]:
    """Create the menus; returns the actions by name (tests trigger them like a user would)."""
    bar = window.menuBar()
    actions: dict[str, QAction] = {}

    def add(menu, name: str, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, window)
        if isinstance(shortcut, QKeySequence.StandardKey):
            # Some platforms bind no key to a standard action (offscreen has no Quit): fall back.
            action.setShortcuts(QKeySequence.keyBindings(shortcut) or [QKeySequence(FALLBACK_KEYS[shortcut])])
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        actions[name] = action
        return action

    file_menu = bar.addMenu("&File")
    add(
        file_menu,
        "import",
        "&Import positions…",
        window.ask_import,
        QKeySequence.StandardKey.Open,
        "Add positions from a CSV, JSON Lines or JSON file (docs/FORMAT.md)",
    )
    window.recent_menu = file_menu.addMenu("&Recent imports")
    window.recent_menu.aboutToShow.connect(lambda: fill_recent(window))
    file_menu.addSeparator()
    add(
        file_menu,
        "export_chart",
        "Export &chart…",
        lambda: export_actions.export_chart(window),
        "Ctrl+E",
        "Save the timeline or network as shown, with its caption (PNG, SVG, PDF)",
    )
    add(
        file_menu,
        "export_data",
        "Export &data…",
        lambda: export_actions.export_data(window),
        "Ctrl+Shift+E",
        "Save the filtered positions (CSV or JSON Lines; re-importable)",
    )
    add(
        file_menu,
        "export_network",
        "Export &network…",
        lambda: export_actions.export_network(window),
        None,
        "Save the agreement network for Gephi (GraphML, GEXF) or as a CSV edge list",
    )
    file_menu.addSeparator()
    add(file_menu, "quit", "&Quit", window.close, QKeySequence.StandardKey.Quit)

    edit_menu = bar.addMenu("&Edit")
    add(
        edit_menu,
        "find",
        "&Find…",
        window.filter_panel.focus_text,
        QKeySequence.StandardKey.Find,
        "Search the summaries and proposals",
    )
    add(edit_menu, "clear_filters", "&Clear all filters", window.clear_filters, "Ctrl+Shift+L")

    view_menu = bar.addMenu("&View")
    for index, (name, text) in enumerate(
        (("sessions", "&Sessions"), ("timeline", "&Timeline"), ("network", "&Network"))
    ):
        add(view_menu, f"show_{name}", text, lambda i=index: window.tabs.setCurrentIndex(i), f"Ctrl+{index + 1}")
    view_menu.addSeparator()
    window.dataset_menu = view_menu.addMenu("&Dataset")
    window.dataset_menu.aboutToShow.connect(lambda: fill_datasets(window))
    theme_menu = view_menu.addMenu("T&heme")
    group = QActionGroup(window)
    for choice, text in (("system", "Follow the &system"), ("light", "&Light"), ("dark", "&Dark")):
        action = add(theme_menu, f"theme_{choice}", text, lambda c=choice: window.set_theme_choice(c))
        action.setCheckable(True)
        action.setChecked(window.theme.choice == choice)
        group.addAction(action)

    help_menu = bar.addMenu("&Help")
    add(help_menu, "about", "&About Negotiation Explorer", window.show_about)
    return actions


def fill_datasets(window: MainWindow) -> None:
    """One checkable entry per negotiation in the database (the bundled one first)."""
    from explorer.store import queries

    menu = window.dataset_menu
    menu.clear()
    group = QActionGroup(menu)
    for dataset in queries.list_datasets(window.db):
        title = dataset["title"] or dataset["name"]
        action = QAction(f"{title} ({dataset['name']})" if title != dataset["name"] else title, menu)
        action.setCheckable(True)
        action.setChecked(dataset["name"] == window.dataset_name)
        action.triggered.connect(lambda _checked=False, name=dataset["name"]: window.switch_dataset(name))
        group.addAction(action)
        menu.addAction(action)


def fill_recent(window: MainWindow) -> None:
    menu = window.recent_menu
    menu.clear()
    paths = window.settings.recent_imports()
    if not paths:
        menu.addAction("(none yet)").setEnabled(False)
    for path in paths:
        action = menu.addAction(Path(path).name)
        action.setStatusTip(path)
        action.triggered.connect(lambda _checked=False, p=path: window.import_files([p]))
