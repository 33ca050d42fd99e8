"""The desktop window: the only package that imports PySide6.

Every view is a thin client of the headless core (``explorer.store``, ``explorer.pipeline``);
heavy work runs on workers (:mod:`explorer.ui.workers`) and comes back by signal.
"""

import os

# matplotlib tries PyQt6 before PySide6 unless told; this package never wants PyQt.
os.environ.setdefault("QT_API", "pyside6")
