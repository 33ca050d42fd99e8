"""What each command does, on the same core the desktop app uses (one function per command)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from explorer.cli.parser import PROG, filter_from
from explorer.errors import FilterError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from explorer.charts.style import Theme
    from explorer.pipeline import NetworkRequest
    from explorer.pipeline.matrix import MatrixRequest
    from explorer.store.database import Database
    from explorer.store.filters import PositionFilter


def _open(args: argparse.Namespace) -> Database:
    from explorer.ingest.bundled import open_with_bundled

    return open_with_bundled(args.db)


def cmd_stats(args: argparse.Namespace) -> int:
    from explorer.store import queries
    from explorer.store.filters import resolve_dataset

    db = _open(args)
    datasets = queries.dataset_stats(db)
    if args.dataset is not None:
        resolve_dataset(db, args.dataset)  # an unknown name is an error, not an empty report
        datasets = [d for d in datasets if d["name"] == args.dataset]
    else:
        for name, count in queries.stats(db).items():
            print(f"{name:<11} {count:>9,}")
    for d in datasets:
        print(
            f"\ndataset {d['name']!r} ({d['origin']}{', version ' + d['version'] if d['version'] else ''}): "
            + ", ".join(
                f"{d[k]:,} {k}" for k in ("sessions", "provisions", "questions", "actors", "positions", "sources")
            )
        )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from explorer.ingest.importer import import_file

    report = import_file(_open(args), args.file, args.dataset, waiting=_waiting_notice(args.command))
    print(report.summary())
    return 0


def _waiting_notice(command: str) -> Callable[[float], None]:
    """Say on stderr that another writer holds the database: at once, then every 30 s."""
    next_notice = 0.0

    def waiting(seconds: float) -> None:
        nonlocal next_notice
        if seconds >= next_notice:
            still = f" (still waiting after {seconds:.0f} s)" if next_notice else ""
            print(f"{PROG} {command}: waiting for another import to finish…{still}", file=sys.stderr, flush=True)
            next_notice += 30.0

    return waiting


def cmd_validate(args: argparse.Namespace) -> int:
    from explorer.ingest.rows import read_positions

    result = read_positions(args.file)
    print(f"{args.file}: {len(result.rows)} position(s), no problems found.")
    for warning in result.warnings:
        print(warning)
    return 0


def cmd_export_chart(args: argparse.Namespace) -> int:
    from explorer import pipeline
    from explorer.charts.export import save_figure
    from explorer.charts.style import DARK, LIGHT

    db, flt = _open(args), filter_from(args)
    theme = DARK if args.theme == "dark" else LIGHT
    if args.kind == "timeline":
        figure = pipeline.timeline_chart_for(db, flt, theme=theme, sides=args.sides).figure
    elif args.kind == "network":
        request = _network_request(args)
        figure = pipeline.network_chart_for(
            db,
            flt,
            request,
            color_by=args.color_by,
            theme=theme,
            show_conflict=not args.no_conflict,
            all_ties=args.all_ties,
        )[1].figure
    else:
        figure = _contest_figure(args, db, flt, theme)
    save_figure(figure, args.out, dpi=args.dpi)
    print(f"wrote {args.out}")
    return 0


def _contest_figure(args: argparse.Namespace, db: Database, flt: PositionFilter, theme: Theme) -> Figure:
    """The matrix, actor profile or evolution chart of ``export-chart``."""
    if args.kind == "matrix":
        from explorer.pipeline.matrix import matrix_chart_for

        return matrix_chart_for(db, flt, _matrix_request(args), theme=theme, collapsed_chapters=args.collapse)[1].figure
    if args.kind == "actor":
        from explorer.pipeline.profile import actor_chart_for

        if not 1 <= len(flt.actors) <= 2:
            raise FilterError("--kind actor needs one --actor (two to compare them)")
        other = flt.actors[1] if len(flt.actors) == 2 else None
        return actor_chart_for(
            db, flt, flt.actors[0], other, metric=args.metric, min_shared=args.min_shared, theme=theme
        )[2].figure
    from explorer.pipeline.evolution import EvolutionRequest, evolution_chart_for

    request = EvolutionRequest(
        window=args.window, blocs=args.blocs, metric=args.metric, min_shared=args.min_shared, seed=args.seed
    )
    return evolution_chart_for(db, flt, request, view=args.view, theme=theme)[1].figure


def _matrix_request(args: argparse.Namespace) -> MatrixRequest:
    from explorer.pipeline.matrix import MatrixRequest

    return MatrixRequest(rows=args.rows, columns=args.columns, min_shared=args.min_shared, seed=args.seed)


def cmd_export_matrix(args: argparse.Namespace) -> int:
    from explorer.pipeline.matrix import matrix_for, write_matrix_csv

    result = matrix_for(_open(args), filter_from(args), _matrix_request(args))
    write_matrix_csv(result, args.out)
    n_rows, n_cols = result.matrix.shape
    print(f"wrote {args.out}: {n_rows} actor(s) × {n_cols} question(s)")
    return 0


def cmd_export_pairs(args: argparse.Namespace) -> int:
    from explorer.pipeline.pairs import pairs_for, write_pairs_csv

    table, names = pairs_for(_open(args), filter_from(args), min_shared=args.min_shared, metric=args.metric)
    write_pairs_csv(table, names, args.out)
    print(f"wrote {args.out}: {len(table):,} pair(s) sharing at least {max(args.min_shared, 1)} question(s)")
    return 0


def _network_request(args: argparse.Namespace) -> NetworkRequest:
    from explorer.pipeline import NetworkRequest

    return NetworkRequest(metric=args.metric, min_shared=args.min_shared, min_weight=args.min_weight, seed=args.seed)


def cmd_export_network(args: argparse.Namespace) -> int:
    from explorer import pipeline
    from explorer.analysis.network_files import write_network

    result = pipeline.network_for(_open(args), filter_from(args), _network_request(args))
    write_network(result, args.out)
    print(
        f"wrote {args.out}: {result.graph.number_of_nodes()} actors, {result.graph.number_of_edges()} edges "
        f"(metric {result.metric}, seed {result.seed})"
    )
    return 0


def cmd_export_data(args: argparse.Namespace) -> int:
    from explorer.ingest.exporter import export_positions

    count = export_positions(_open(args), filter_from(args), args.out)
    print(f"wrote {args.out}: {count} position(s)")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "stats": cmd_stats,
    "import": cmd_import,
    "validate": cmd_validate,
    "export-chart": cmd_export_chart,
    "export-network": cmd_export_network,
    "export-data": cmd_export_data,
    "export-matrix": cmd_export_matrix,
    "export-pairs": cmd_export_pairs,
}
