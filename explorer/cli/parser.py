"""The command line's grammar: commands, global options and the filter options they share.

Global options (``--db``, ``--dataset``) are accepted before or after the command and appear in
every command's ``--help``. ``docs/CLI.md`` is rendered from this parser
(:mod:`explorer.cli.reference`), so the documentation cannot drift from it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from explorer import __version__
from explorer.errors import EXIT_DATABASE, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR
from explorer.store.filters import PositionFilter
from explorer.vocabulary import (
    ACTOR_KINDS,
    COLOR_BY,
    CONFIDENCES,
    DEFAULT_METRIC,
    DEFAULT_SEED,
    EVOLUTION_VIEWS,
    EVOLUTION_WINDOWS,
    MATRIX_COLUMNS,
    MATRIX_ROWS,
    METRICS,
    SOURCE_KINDS,
    STANCES,
    TIMELINE_SIDES,
)

PROG = "negotiation-explorer"
GLOBAL_TITLE = "global options (before or after the command)"
FILTER_TITLE = "filters (shared by every command that reads positions)"
# code: (short name for --help, meaning for docs/CLI.md)
EXIT_CODES = {
    EXIT_OK: ("ok", "success"),
    EXIT_USER_ERROR: ("user error", "bad input file, unknown name in a filter, unwritable output, cancelled"),
    EXIT_USAGE: ("usage", "unknown command or option, missing or malformed argument"),
    EXIT_DATABASE: ("database busy or damaged", "another program holds the write lock, or the file is damaged"),
    EXIT_INTERNAL: ("internal error", "a bug: a short report with the traceback is printed; please report it"),
    EXIT_INTERRUPTED: ("interrupted", "Ctrl+C"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Explore how a treaty was negotiated. Without a command, opens the desktop app.",
        epilog="Exit codes: " + ", ".join(f"{code} {short}" for code, (short, _) in EXIT_CODES.items()) + ".",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _add_global_options(parser, before_command=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str, *, dataset: str | None = None) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".")
        _add_global_options(sub, before_command=False, dataset=dataset)
        sub.set_defaults(takes_dataset=dataset is not None)  # a --dataset before another command is refused
        return sub

    command(
        "stats",
        "count datasets, sessions, provisions, questions, actors, positions and sources",
        dataset="only this dataset (default: every dataset)",
    )
    p = command(
        "import",
        "import positions from a CSV, JSONL or JSON file (all or nothing)",
        dataset="target dataset, created if new (default: the bundled dataset)",
    )
    p.add_argument("file", type=Path, help="the positions file (docs/FORMAT.md)")
    p = command("validate", "check a positions file without importing it")
    p.add_argument("file", type=Path, help="the positions file (docs/FORMAT.md)")

    p = command(
        "export-chart",
        "draw a timeline, network, positions matrix, actor profile or evolution to PNG, SVG or PDF",
        dataset=_FILTER_DATASET,
    )
    p.add_argument(
        "--kind",
        choices=CHART_KINDS,
        required=True,
        help="actor: the profile of the (first) --actor; a second --actor adds the comparison",
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="FILE.png, FILE.svg or FILE.pdf")
    p.add_argument("--dpi", type=int, default=150, help="resolution of a PNG (default: %(default)s)")
    p.add_argument("--theme", choices=("light", "dark"), default="light")
    p.add_argument("--color-by", choices=COLOR_BY, default=COLOR_BY[0], help="network node colours")
    p.add_argument("--no-conflict", action="store_true", help="network: leave out the conflict ties (dashed lines)")
    p.add_argument(
        "--all-ties",
        action="store_true",
        help="network: draw every tie even of a dense network (default: its backbone, each actor's strongest ties)",
    )
    p.add_argument(
        "--sides",
        choices=TIMELINE_SIDES,
        default=TIMELINE_SIDES[0],
        help="timeline colours with several questions: rows grouped by question, colours ranked per question, "
        "or only the most debated question (default: %(default)s: grouped up to 4 questions)",
    )
    _add_matrix_options(p)
    _add_evolution_options(p)
    _add_network_options(p)
    _add_filters(p)

    p = command(
        "export-matrix",
        "write the positions matrix as CSV: one row per actor, one column per question, each cell the choice",
        dataset=_FILTER_DATASET,
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="FILE.csv")
    _add_matrix_options(p)
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed for communities (default: %(default)s)")
    p.add_argument(
        "--min-shared", type=int, default=1, metavar="N", help="communities: link actors sharing at least N questions"
    )
    _add_filters(p)

    p = command(
        "export-pairs",
        "write every pair of actors sharing enough questions as CSV, agreement 0 and negative kappa included",
        dataset=_FILTER_DATASET,
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="FILE.csv")
    p.add_argument(
        "--min-shared", type=int, default=1, metavar="N", help="only pairs sharing at least N questions (default: 1)"
    )
    p.add_argument(
        "--metric",
        choices=METRICS,
        default=DEFAULT_METRIC,
        help="order of the rows, highest first (default: %(default)s)",
    )
    _add_filters(p)

    p = command("export-network", "write the agreement network as GraphML, GEXF or CSV edges", dataset=_FILTER_DATASET)
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="FILE.graphml, FILE.gexf or FILE.csv")
    _add_network_options(p)
    _add_filters(p)

    p = command("export-data", "write the filtered positions as CSV or JSONL (re-importable)", dataset=_FILTER_DATASET)
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="FILE.csv or FILE.jsonl")
    _add_filters(p)
    return parser


_FILTER_DATASET = "the dataset to read (default: the bundled dataset, or the only one)"


def _add_global_options(parser: argparse.ArgumentParser, *, before_command: bool, dataset: str | None = None) -> None:
    """``--db`` everywhere, ``--dataset`` where it applies. After the command they default to
    SUPPRESS, so a value given before the command is not overwritten by the command's default."""
    group = parser.add_argument_group(GLOBAL_TITLE)
    default = None if before_command else argparse.SUPPRESS
    group.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        default=default,
        help="database file (default: your user database, holding the bundled dataset)",
    )
    if before_command or dataset:
        group.add_argument(
            "--dataset",
            metavar="NAME",
            default=default,
            help=dataset or "dataset name, for the commands that read or write one",
        )


CHART_KINDS = ("timeline", "network", "matrix", "actor", "evolution")


def _add_matrix_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("matrix options")
    group.add_argument(
        "--rows",
        choices=MATRIX_ROWS,
        default=MATRIX_ROWS[0],
        help="order of the actors: by similarity, or grouped by community or UN regional group (default: %(default)s)",
    )
    group.add_argument(
        "--columns",
        choices=MATRIX_COLUMNS,
        default=MATRIX_COLUMNS[0],
        help="order of the questions: treaty order, or most divisive first (default: %(default)s)",
    )


def _add_evolution_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("evolution options")
    group.add_argument(
        "--window",
        choices=EVOLUTION_WINDOWS,
        default=EVOLUTION_WINDOWS[0],
        help="each session's positions, or all positions up to its end (default: %(default)s)",
    )
    group.add_argument(
        "--blocs",
        choices=COLOR_BY,
        default=COLOR_BY[0],
        help="the blocs of the bloc gap: communities or UN regional groups (default: %(default)s)",
    )
    group.add_argument(
        "--view",
        choices=EVOLUTION_VIEWS,
        default=EVOLUTION_VIEWS[0],
        help="small multiples of each session's network or matrix (default: %(default)s)",
    )
    group.add_argument(
        "--collapse",
        action="append",
        default=[],
        metavar="CHAPTER",
        help="matrix: draw this chapter (key, e.g. chapter-2) as one column (repeatable)",
    )


def _add_network_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("network options")
    group.add_argument("--metric", choices=METRICS, default=DEFAULT_METRIC, help="edge weight (default: %(default)s)")
    group.add_argument(
        "--min-shared",
        type=int,
        default=1,
        metavar="N",
        help="only link actors who addressed at least N of the same questions",
    )
    group.add_argument(
        "--min-weight", type=float, default=0.0, metavar="W", help="only draw edges whose metric value exceeds W"
    )
    group.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help="seed for communities and layout (default: %(default)s)"
    )


def _add_filters(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(FILTER_TITLE)
    group.add_argument("--actor", action="append", default=[], help="actor id, name or alias (repeatable)")
    _add_choice(group, "--actor-kind", ACTOR_KINDS)
    group.add_argument("--group", action="append", default=[], help="a group's members and the group (repeatable)")
    group.add_argument("--region", action="append", default=[], help="UN regional group (repeatable)")
    group.add_argument(
        "--provision", action="append", default=[], help="provision key: article number, chapter or topic (repeatable)"
    )
    group.add_argument("--question", action="append", default=[], help="question key or text (repeatable)")
    group.add_argument("--session", action="append", default=[], help="session key or name (repeatable)")
    group.add_argument(
        "--from-session", dest="session_from", metavar="SESSION", help="sessions from this one on (key or name)"
    )
    group.add_argument(
        "--to-session", dest="session_to", metavar="SESSION", help="sessions up to this one (key or name)"
    )
    group.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="positions on or after this date")
    group.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="positions on or before this date")
    _add_choice(group, "--stance", STANCES)
    _add_choice(group, "--source-kind", SOURCE_KINDS)
    _add_choice(group, "--confidence", CONFIDENCES)
    group.add_argument("--text", default="", help="words in the summary or proposal (prefix match)")


def _add_choice(group: argparse._ArgumentGroup, flag: str, values: tuple[str, ...]) -> None:
    """A repeatable option with a fixed vocabulary, listed in the help rather than the usage line."""
    metavar = flag.removeprefix("--").replace("-", "_").upper()
    group.add_argument(
        flag, action="append", default=[], choices=values, metavar=metavar, help=f"{', '.join(values)} (repeatable)"
    )


def filter_from(args: argparse.Namespace) -> PositionFilter:
    """The :class:`PositionFilter` the command line asks for."""
    return PositionFilter(
        dataset=args.dataset,
        actors=tuple(args.actor),
        actor_kinds=tuple(args.actor_kind),
        groups=tuple(args.group),
        regions=tuple(args.region),
        provisions=tuple(args.provision),
        questions=tuple(args.question),
        sessions=tuple(args.session),
        session_from=args.session_from,
        session_to=args.session_to,
        date_from=args.date_from,
        date_to=args.date_to,
        stances=tuple(args.stance),
        source_kinds=tuple(args.source_kind),
        confidences=tuple(args.confidence),
        text=args.text,
    )
