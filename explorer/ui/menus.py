"""The menu bar: standard shortcuts (QKeySequence.StandardKey where Qt has one).

The menus know nothing of the window: they call the plain callables of a :class:`MenuCommands`
(tests and later features can build the same menus on other commands).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

FALLBACK_KEYS = {
    QKeySequence.StandardKey.Open: "Ctrl+O",
    QKeySequence.StandardKey.Quit: "Ctrl+Q",
    QKeySequence.StandardKey.Find: "Ctrl+F",
    QKeySequence.StandardKey.Back: "Alt+Left",
    QKeySequence.StandardKey.Forward: "Alt+Right",
}
THEMES = (("system", "Follow the &system"), ("light", "&Light"), ("dark", "&Dark"))


@dataclass(frozen=True)
class DatasetChoice:
    name: str
    title: str
    current: bool


@dataclass(frozen=True)
class MenuCommands:
    """What each menu entry does."""

    ask_import: Callable[[], None]
    import_files: Callable[[list[str]], None]
    recent_imports: Callable[[], list[str]]
    export_chart: Callable[[], None]
    export_data: Callable[[], None]
    export_network: Callable[[], None]
    back: Callable[[], object]
    forward: Callable[[], object]
    quit: Callable[[], object]
    find: Callable[[], None]
    clear_filters: Callable[[], None]
    show_view: Callable[[str], None]
    datasets: Callable[[], list[DatasetChoice]]
    switch_dataset: Callable[[str], None]
    theme: Callable[[], str]
    set_theme: Callable[[str], None]
    about: Callable[[], None]


@dataclass(frozen=True)
class Menus:
    """The actions by name (tests trigger them like a user would) and the menus filled on opening."""

    actions: dict[str, QAction]
    recent: QMenu
    datasets: QMenu


def build_menus(bar: QMenuBar, commands: MenuCommands, views: Sequence[tuple[str, str]]) -> Menus:
    """Fill ``bar``; ``views`` are (name, menu text) of the views, in the order of their tabs."""
    actions: dict[str, QAction] = {}

    def add(
        menu: QMenu,
        name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence.StandardKey | str | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, bar)
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
        commands.ask_import,
        QKeySequence.StandardKey.Open,
        "Add positions from a CSV, JSON Lines or JSON file (docs/FORMAT.md)",
    )
    recent = file_menu.addMenu("&Recent imports")
    recent.aboutToShow.connect(lambda: fill_recent(recent, commands))
    file_menu.addSeparator()
    add(
        file_menu,
        "export_chart",
        "Export &chart…",
        commands.export_chart,
        "Ctrl+E",
        "Save the timeline or network as shown, with its caption (PNG, SVG, PDF)",
    )
    add(
        file_menu,
        "export_data",
        "Export &data…",
        commands.export_data,
        "Ctrl+Shift+E",
        "Save the filtered positions (CSV or JSON Lines; re-importable)",
    )
    add(
        file_menu,
        "export_network",
        "Export &network…",
        commands.export_network,
        None,
        "Save the agreement network for Gephi (GraphML, GEXF) or as a CSV edge list",
    )
    file_menu.addSeparator()
    add(file_menu, "quit", "&Quit", commands.quit, QKeySequence.StandardKey.Quit)

    edit_menu = bar.addMenu("&Edit")
    add(edit_menu, "find", "&Find…", commands.find, QKeySequence.StandardKey.Find, "Search the summaries and proposals")
    add(edit_menu, "clear_filters", "&Clear all filters", commands.clear_filters, "Ctrl+Shift+L")

    go_menu = bar.addMenu("&Go")
    add(
        go_menu,
        "back",
        "&Back",
        commands.back,
        QKeySequence.StandardKey.Back,
        "Return to the previous filter, view and selection",
    )
    add(
        go_menu,
        "forward",
        "&Forward",
        commands.forward,
        QKeySequence.StandardKey.Forward,
        "Go again where Back came from",
    )

    view_menu = bar.addMenu("&View")
    for index, (name, text) in enumerate(views):
        add(view_menu, f"show_{name}", text, partial(commands.show_view, name), f"Ctrl+{index + 1}")
    view_menu.addSeparator()
    datasets = view_menu.addMenu("&Dataset")
    datasets.aboutToShow.connect(lambda: fill_datasets(datasets, commands))
    theme_menu = view_menu.addMenu("T&heme")
    group = QActionGroup(bar)
    for choice, text in THEMES:
        action = add(theme_menu, f"theme_{choice}", text, partial(commands.set_theme, choice))
        action.setCheckable(True)
        action.setChecked(commands.theme() == choice)
        group.addAction(action)

    help_menu = bar.addMenu("&Help")
    add(help_menu, "about", "&About Negotiation Explorer", commands.about)
    return Menus(actions, recent, datasets)


def fill_datasets(menu: QMenu, commands: MenuCommands) -> None:
    """One checkable entry per negotiation in the database (the bundled one first)."""
    menu.clear()
    group = QActionGroup(menu)
    for dataset in commands.datasets():
        title = dataset.title or dataset.name
        action = QAction(f"{title} ({dataset.name})" if title != dataset.name else title, menu)
        action.setCheckable(True)
        action.setChecked(dataset.current)
        action.triggered.connect(lambda _checked=False, name=dataset.name: commands.switch_dataset(name))
        group.addAction(action)
        menu.addAction(action)


def fill_recent(menu: QMenu, commands: MenuCommands) -> None:
    menu.clear()
    paths = commands.recent_imports()
    if not paths:
        menu.addAction("(none yet)").setEnabled(False)
    for path in paths:
        action = menu.addAction(Path(path).name)
        action.setStatusTip(path)
        action.triggered.connect(lambda _checked=False, p=path: commands.import_files([p]))
