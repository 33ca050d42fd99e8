"""Where things live: the bundled dataset, the resources and the user's database.

A wheel maps the top-level ``sessions_data/`` and ``resources/`` folders into the package
(see ``pyproject.toml``); a source checkout finds them beside the package. The user's
database is never written inside the installed package.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "NegotiationExplorer"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _packaged_or_checkout(name: str) -> Path:
    for candidate in (_PACKAGE_DIR / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"cannot find the {name!r} folder next to {_PACKAGE_DIR}")


def bundled_data_dir() -> Path:
    """The folder holding the bundled dataset (``sessions_data/``)."""
    return _packaged_or_checkout("sessions_data")


def resources_dir() -> Path:
    """The folder holding icons and styles (``resources/``)."""
    return _packaged_or_checkout("resources")


def user_data_folder() -> Path:
    """Per-user data folder; ``NEGOTIATION_EXPLORER_HOME`` overrides it (tests, portable use)."""
    override = os.environ.get("NEGOTIATION_EXPLORER_HOME")
    if override:
        return Path(override)
    from platformdirs import user_data_dir  # only here: keeps it off the start-up path when overridden

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    """The user's database, holding the bundled dataset and everything they imported."""
    return user_data_folder() / "explorer.sqlite"
