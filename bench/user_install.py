"""A user's install, emulated in a benchmark's child process: what only the dev environment has
cannot be imported there.

Users install the app with its dependencies (``[project] dependencies`` in pyproject.toml); the
dev ``.venv`` also has the ``test`` and ``bench`` extras. Of those, the app's own imports reach
only pandas: sqlite-utils imports it at module level whenever it is installed (to recognise its
value types in inserts), which a user's process never pays. So the benchmark runs
:data:`PRELUDE` first in our processes (the window of rows 1 and 7, the import of row 2, the
cold network of row 3) and in the hello-world baseline's, for the same footing; never in the
pandas baseline's. The emulation lives here, in the harness; the app never hides anything from
itself.
"""

from __future__ import annotations

import sys

DEV_ONLY = ("pandas",)  # the `bench` extra; nothing of the `test` extra is imported by the app


class _NotInstalled:
    """A meta path finder that answers for :data:`DEV_ONLY` as Python does for a module that is
    not installed: ``import pandas`` raises ModuleNotFoundError (the name is never looked up
    further)."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] in DEV_ONLY:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


def hide_dev_only_packages() -> None:
    """From now on, in this process, the dev-only packages cannot be imported."""
    if not any(isinstance(finder, _NotInstalled) for finder in sys.meta_path):
        sys.meta_path.insert(0, _NotInstalled())


PRELUDE = "from bench.user_install import hide_dev_only_packages\nhide_dev_only_packages()\n"
