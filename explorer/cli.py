"""The ``negotiation-explorer`` command: without a subcommand it opens the desktop window,
with one it runs headless on the same core (docs/CLI.md)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from explorer import __version__

FILTER_HELP = "filters (shared by every command that reads positions)"


def _add_filters(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(FILTER_HELP)
    group.add_argument("--dataset", help="dataset name (default: the bundled dataset)")
    group.add_argument("--actor", action="append", default=[], help="actor id, name or alias (repeatable)")
    group.add_argument(
        "--actor-kind", action="append", default=[], help="state, group, stakeholder, chair or secretariat (repeatable)"
    )
    group.add_argument("--group", action="append", default=[], help="a group's members and the group (repeatable)")
    group.add_argument("--region", action="append", default=[], help="UN regional group (repeatable)")
    group.add_argument(
        "--provision", action="append", default=[], help="provision key: article number, chapter or topic (repeatable)"
    )
    group.add_argument("--question", action="append", default=[], help="question key or text (repeatable)")
    group.add_argument("--session", action="append", default=[], help="session key or name (repeatable)")
    group.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="positions on or after this date")
    group.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="positions on or before this date")
    group.add_argument("--stance", action="append", default=[], help="support, oppose, amend, reserve, neutral")
    group.add_argument("--source-kind", action="append", default=[], help="e.g. un-official, ai-meeting-summary")
    group.add_argument("--confidence", action="append", default=[], help="high, medium or low")
    group.add_argument("--text", default="", help="words in the summary or proposal (prefix match)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="negotiation-explorer",
        description="Explore how a treaty was negotiated. Without a command, opens the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", type=Path, help="database file (default: your user database with the bundled data)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser("stats", help="count datasets, sessions, provisions, questions, actors, positions, sources")
    p = commands.add_parser("import", help="import positions from a CSV, JSONL or JSON file (all or nothing)")
    p.add_argument("file", type=Path)
    p.add_argument("--dataset", help="target dataset (created if new; default: the bundled dataset)")
    p = commands.add_parser("validate", help="check a positions file without importing it")
    p.add_argument("file", type=Path)

    p = commands.add_parser("export-chart", help="draw a timeline or agreement network to PNG, SVG or PDF")
    p.add_argument("--kind", choices=("timeline", "network"), required=True)
    p.add_argument("--out", type=Path, required=True, help="FILE.png, FILE.svg or FILE.pdf")
    p.add_argument("--dpi", type=int, default=150)
    p.add_argument("--theme", choices=("light", "dark"), default="light")
    p.add_argument("--color-by", choices=("community", "region"), default="community")
    _add_network_options(p)
    _add_filters(p)

    p = commands.add_parser("export-network", help="write the agreement network as GraphML, GEXF or CSV edges")
    p.add_argument("--out", type=Path, required=True, help="FILE.graphml, FILE.gexf or FILE.csv")
    _add_network_options(p)
    _add_filters(p)

    p = commands.add_parser("export-data", help="write the filtered positions as CSV or JSONL (re-importable)")
    p.add_argument("--out", type=Path, required=True, help="FILE.csv or FILE.jsonl")
    _add_filters(p)
    return parser


def _add_network_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--metric", choices=("agreement", "kappa"), default="agreement")
    parser.add_argument(
        "--min-shared",
        type=int,
        default=1,
        metavar="N",
        help="only link actors who addressed at least N of the same questions",
    )
    parser.add_argument(
        "--min-weight", type=float, default=0.0, metavar="W", help="only draw edges whose metric value exceeds W"
    )
    parser.add_argument("--seed", type=int, default=42, help="seed for communities and layout")


def _filter_from(args: argparse.Namespace):
    from explorer.store.filters import PositionFilter

    return PositionFilter(
        dataset=args.dataset,
        actors=tuple(args.actor),
        actor_kinds=tuple(args.actor_kind),
        groups=tuple(args.group),
        regions=tuple(args.region),
        provisions=tuple(args.provision),
        questions=tuple(args.question),
        sessions=tuple(args.session),
        date_from=args.date_from,
        date_to=args.date_to,
        stances=tuple(args.stance),
        source_kinds=tuple(args.source_kind),
        confidences=tuple(args.confidence),
        text=args.text,
    )


def main(argv: list[str] | None = None, open_gui=None) -> int:
    """Run one command; without one, call ``open_gui(db_path)`` (the launcher passes the GUI)."""
    args = build_parser().parse_args(argv)
    if args.command is None:
        if open_gui is None:
            build_parser().print_help()
            return 0
        return open_gui(args.db)
    os.environ.setdefault("MPLBACKEND", "Agg")
    from explorer.files import ExportError
    from explorer.ingest.importer import ImportCancelled
    from explorer.ingest.rows import ValidationError
    from explorer.store.database import StoreError
    from explorer.store.filters import FilterError

    try:
        return COMMANDS[args.command](args)
    except (ValidationError, FilterError, StoreError, ExportError, ImportCancelled) as exc:
        print(f"negotiation-explorer {args.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def _open(args: argparse.Namespace):
    from explorer.store.database import open_database

    return open_database(args.db)


def cmd_stats(args) -> int:
    from explorer.store import queries

    db = _open(args)
    totals = queries.stats(db)
    for name, count in totals.items():
        print(f"{name:<11} {count:>9,}")
    for d in queries.dataset_stats(db):
        print(
            f"\ndataset {d['name']!r} ({d['origin']}{', version ' + d['version'] if d['version'] else ''}): "
            + ", ".join(
                f"{d[k]:,} {k}" for k in ("sessions", "provisions", "questions", "actors", "positions", "sources")
            )
        )
    return 0


def cmd_import(args) -> int:
    from explorer.ingest.importer import import_file

    report = import_file(_open(args), args.file, args.dataset)
    print(report.summary())
    return 0


def cmd_validate(args) -> int:
    from explorer.ingest.rows import read_positions

    result = read_positions(args.file)
    print(f"{args.file}: {len(result.rows)} position(s), no problems found.")
    for warning in result.warnings:
        print(warning)
    return 0


def cmd_export_chart(args) -> int:
    from explorer import pipeline
    from explorer.charts.export import save_figure
    from explorer.charts.style import DARK, LIGHT

    db, flt = _open(args), _filter_from(args)
    theme = DARK if args.theme == "dark" else LIGHT
    if args.kind == "timeline":
        chart = pipeline.timeline_chart_for(db, flt, theme=theme)
    else:
        _, chart = pipeline.network_chart_for(db, flt, _network_request(args), color_by=args.color_by, theme=theme)
    save_figure(chart.figure, args.out, dpi=args.dpi)
    print(f"wrote {args.out}")
    return 0


def _network_request(args):
    from explorer.pipeline import NetworkRequest

    return NetworkRequest(metric=args.metric, min_shared=args.min_shared, min_weight=args.min_weight, seed=args.seed)


def cmd_export_network(args) -> int:
    from explorer import pipeline
    from explorer.network_files import write_network

    result = pipeline.network_for(_open(args), _filter_from(args), _network_request(args))
    write_network(result, args.out)
    print(
        f"wrote {args.out}: {result.graph.number_of_nodes()} actors, {result.graph.number_of_edges()} edges "
        f"(metric {result.metric}, seed {result.seed})"
    )
    return 0


def cmd_export_data(args) -> int:
    from explorer.ingest.exporter import export_positions

    count = export_positions(_open(args), _filter_from(args), args.out)
    print(f"wrote {args.out}: {count} position(s)")
    return 0


COMMANDS = {
    "stats": cmd_stats,
    "import": cmd_import,
    "validate": cmd_validate,
    "export-chart": cmd_export_chart,
    "export-network": cmd_export_network,
    "export-data": cmd_export_data,
}


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
