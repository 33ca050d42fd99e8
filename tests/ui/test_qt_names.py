"""No attribute of ours replaces a Qt method: a widget stored as ``self.metric`` hides the C++
virtual ``QWidget.metric()``, and Qt's next call of it (``grab()``, painting) crashes the process."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil

from PySide6.QtCore import QObject, Signal, SignalInstance

import explorer.ui
from tests.ui.conftest import wait_idle


def qt_names(cls: type) -> set[str]:
    """Every attribute the PySide6 classes in ``cls``'s ancestry define (methods, signals, enums)."""
    return {name for base in cls.__mro__ if base.__module__.startswith("PySide6") for name in vars(base)}


def qobject_classes() -> list[type]:
    classes = []
    for info in pkgutil.iter_modules(explorer.ui.__path__):
        module = importlib.import_module(f"explorer.ui.{info.name}")
        classes += [
            cls
            for cls in vars(module).values()
            if inspect.isclass(cls) and issubclass(cls, QObject) and cls.__module__ == module.__name__
        ]
    return classes


def assigned_attributes(cls: type) -> set[str]:
    """Names assigned as ``self.NAME = …`` anywhere in the class, plus its plain class attributes
    (the signals it declares and the metaobject PySide6 adds are meant to be there)."""
    tree = ast.parse(inspect.getsource(cls))
    names = {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Store)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
    }
    names |= {
        name
        for name, value in vars(cls).items()
        if not callable(value) and not isinstance(value, Signal) and not name.startswith("__")
    }
    names.discard("staticMetaObject")
    return names


def test_the_walk_finds_the_widget_classes():
    names = {cls.__name__ for cls in qobject_classes()}
    assert {"MainWindow", "NetworkView", "TimelineView", "FilterPanel", "PositionsTableModel"} <= names


def test_no_attribute_of_a_ui_class_shadows_a_qt_method():
    shadowed = sorted(
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in qobject_classes()
        for name in assigned_attributes(cls) & qt_names(cls)
    )
    assert not shadowed, f"rename these attributes (e.g. metric -> metric_box): {shadowed}"


def test_no_live_object_of_the_window_shadows_a_qt_method(window):
    """The same rule on the real window and every QObject it owns, as they are at run time."""
    shadowed = []
    assert window.network_view is not None  # built on first use
    for obj in [window, *window.findChildren(QObject)]:
        if not type(obj).__module__.startswith("explorer."):
            continue
        # PySide6 caches bound signals in the instance dict: those are Qt's own, not ours
        names = {n for n, v in vars(obj).items() if not isinstance(v, SignalInstance)} & qt_names(type(obj))
        shadowed += [f"{type(obj).__name__}.{name}" for name in sorted(names)]
    assert not shadowed


def test_grabbing_the_network_view_paints_it(qtbot, window):
    """grab() calls QWidget::metric(); with a combo box in its place the process died (exit 139)."""
    window.filter_panel.select_provision("6")
    wait_idle(qtbot, window)
    window.state.set_view("network")
    view = window.network_view
    qtbot.waitUntil(view.canvas.isVisible)
    assert "metric" not in vars(view), "grab() would kill the test run with a segfault"
    pixmap = view.grab()
    assert not pixmap.isNull() and pixmap.width() == view.width()
    image = pixmap.toImage()
    assert len({image.pixel(x, image.height() // 2) for x in range(0, image.width(), 7)}) > 3  # not blank
