"""The ``negotiation-explorer`` entry point: the CLI, or the desktop window without a command.

Kept apart from :mod:`explorer.cli` so the headless core never imports Qt.
"""

from __future__ import annotations

from pathlib import Path


def _open_gui(db_path: Path | None) -> int:
    from explorer.ui.app import run_app

    return run_app(db_path)


def main(argv: list[str] | None = None) -> int:
    from explorer.cli import main as cli_main

    return cli_main(argv, open_gui=_open_gui)
