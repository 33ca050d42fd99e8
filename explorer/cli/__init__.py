"""The ``negotiation-explorer`` command: without a command it opens the desktop window, with one
it runs headless on the same core. The reference is docs/CLI.md, rendered from the parser.

Errors are caught here and only here: a user error (:class:`~explorer.errors.ExplorerError`)
prints one line and exits with its code; anything else is a bug and prints a short report with
the traceback (exit code :data:`~explorer.errors.EXIT_INTERNAL`).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from explorer import __version__
from explorer.cli.parser import PROG, build_parser
from explorer.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, user_error

__all__ = ["build_parser", "main"]


def main(argv: list[str] | None = None, open_gui: Callable[[Path | None], int] | None = None) -> int:
    """Run one command and return its exit code; without a command, call ``open_gui(db_path)``
    (the launcher passes the GUI). Usage errors return 2, as argparse exits."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if args.command is not None and args.dataset is not None and not args.takes_dataset:
            parser.error(f"--dataset does not apply to {args.command}")
    except SystemExit as exc:  # argparse: --help, --version (0) or a usage error (2)
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if args.command is None:
        if open_gui is None:
            parser.print_help()
            return 0
        return open_gui(args.db)
    os.environ.setdefault("MPLBACKEND", "Agg")
    from explorer.cli.commands import COMMANDS

    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - the one place every error is reported
        error = user_error(exc, args.db or "the database")
        if error is None:
            _report_bug(args.command, exc)
            return EXIT_INTERNAL
        print(f"{PROG} {args.command}: error: {error}", file=sys.stderr)
        return error.exit_code


def _report_bug(command: str, exc: Exception) -> None:
    print(
        f"{PROG} {command}: internal error (a bug, not something you did): {type(exc).__name__}: {exc}\n"
        f"Please report it with the lines below (version {__version__}, Python {sys.version.split()[0]}).\n",
        file=sys.stderr,
    )
    traceback.print_exception(exc, file=sys.stderr)
