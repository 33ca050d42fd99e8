"""Negotiation Explorer: explore how a multilateral treaty was negotiated.

The package is split like Anki's ``anki``/``aqt``: everything except :mod:`explorer.ui`
runs headless (store, ingest, analysis, charts, cli) and never imports Qt.
"""

import sys

__version__ = "0.1.0"


def _import_sqlite_utils_lightly() -> None:
    """Import sqlite-utils without pandas and numpy.

    sqlite-utils imports both, when installed, only to recognise their value types in
    ``insert()``; we never pass such values. Importing them cost 0.3 s of every start of the
    app (pandas is installed for the benchmarks). They stay importable afterwards.
    """
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "import name" raises ImportError, as if not installed
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            del sys.modules[name]


_import_sqlite_utils_lightly()
