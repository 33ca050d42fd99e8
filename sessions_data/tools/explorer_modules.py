"""Load a standard-library-only module of the app (``explorer/names.py``,
``explorer/analysis/coverage.py``) by its file path, so the dataset tools share the app's rules
without importing the ``explorer`` package (whose ``__init__`` needs the installed dependencies)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parent.parent.parent


def load(relative_path: str) -> ModuleType:
    """The module at ``REPO_ROOT / relative_path``, loaded once (it must import only the stdlib)."""
    name = "explorer_for_tools_" + relative_path.replace("/", "_").removesuffix(".py")
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, REPO_ROOT / relative_path)
        assert spec is not None and spec.loader is not None, relative_path
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up while the class is built
        spec.loader.exec_module(module)
    return sys.modules[name]
