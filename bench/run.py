"""One runner for every row of issues 5, 10 and 13: ``python -m bench.run`` (full table),
``python -m bench.run --smoke`` (tiny, for CI), ``--sizes 10000,100000,1000000``,
``--rows 5,8`` (only those rows).

Each figure is the median of ``--repeat`` runs, printed beside a baseline measured in the same
run where one exists (the machines are noisy, so ratios are what compare across runs). Rows 2–6
and 8 are here (the core) and in bench/gui_rows.py (the window: 1, 7, 8); rows 9–10 in
bench/contest.py. Writes bench/results/latest.md (gitignored); copy it into bench/README.md
when it is the new reference.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from bench.contest import bench_matrix, bench_pairs, contest_shapes
from bench.gui_rows import bench_app_memory, bench_gui_thread, bench_startup
from bench.harness import Bench, as_user_install, child, launch, median, timed
from bench.report import HEADER, ROWS, Result, at_scale, fmt, report

__all__ = ["ROWS", "filter_changes", "main"]
GUI_ROWS = (1, 7, 8)  # rows that open the window (skipped by --no-gui)
RESULTS = Path(__file__).parent / "results"


# --- rows 2-6: the core, in this process or in fresh ones ------------------------------------------

IMPORT_OURS = """
import resource, sys, time
from explorer.ingest.bundled import open_with_bundled
from explorer.store.database import open_database
from explorer.ingest.importer import import_file
db = (open_with_bundled if sys.argv[3] == "bundled" else open_database)(sys.argv[2])
start = time.perf_counter()
report = import_file(db, sys.argv[1], None if sys.argv[3] == "bundled" else "bench")
print("SECONDS", time.perf_counter() - start)
print("ROWS", report.imported)
print("RSS_MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
IMPORT_FLAT = """
import resource, sys, time
from bench.baselines import flat_import
start = time.perf_counter()
rows = flat_import(sys.argv[1], sys.argv[2])
print("SECONDS", time.perf_counter() - start)
print("ROWS", rows)
print("RSS_MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def bench_import(bench: Bench, csv_path: Path, size: int, *, measured: bool = True) -> Path:
    """Row 2; returns the database our import wrote (used by rows 3-6 and 8). Without
    ``measured``, imports once and adds no line (another row needs the database)."""
    repeat = bench.repeat if measured else 1
    ours, flat, peaks, keep = [], [], [], None
    for i in range(repeat):
        db_path = bench.work / f"ours-{size}-{i}.sqlite"
        got = child(bench, as_user_install(IMPORT_OURS), str(csv_path), str(db_path), "bench")
        ours.append(got["SECONDS"])
        peaks.append(got["RSS_MB"])
        keep = keep or db_path
        if db_path != keep:
            db_path.unlink()
        if not measured:
            return keep
        flat_path = bench.work / f"flat-{size}-{i}.sqlite"
        flat.append(child(bench, IMPORT_FLAT, str(csv_path), str(flat_path))["SECONDS"])
        flat_path.unlink()
    t, b, peak = median(ours), median(flat), max(peaks)
    note = (
        f"each of {repeat}: " + ", ".join(f"{o / f:.2f}×" for o, f in zip(ours, flat, strict=True))
        if repeat > 1
        else ""
    )
    bench.add(
        Result(
            2,
            size,
            "import",
            t,
            b,
            peak_mb=peak,
            met=at_scale(size, t <= 3 * b and peak <= 500),
            note=note,
        )
    )
    return keep


# The first network in a fresh process (timed from outside, from launch to result) and then the
# same call again with the columns cached, for ours and for the pandas baseline.
NETWORK_OURS = """
import sys, time
from explorer import pipeline
from explorer.store.database import open_database
from explorer.store.filters import PositionFilter
db = open_database(sys.argv[1])
flt = PositionFilter(dataset="bench")
pipeline.network_for(db, flt)
print("READY", time.time(), flush=True)
warm = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    pipeline.network_for(db, flt)
    warm.append(time.perf_counter() - start)
print("WARM", sorted(warm)[len(warm) // 2])
"""
NETWORK_PANDAS = """
import sys, time
from bench.baselines import pandas_network
pandas_network(sys.argv[1], "bench")
print("READY", time.time(), flush=True)
warm = []
for _ in range(int(sys.argv[2])):
    start = time.perf_counter()
    pandas_network(sys.argv[1], "bench")
    warm.append(time.perf_counter() - start)
print("WARM", sorted(warm)[len(warm) // 2])
"""


def bench_network(bench: Bench, db_path: Path, size: int) -> None:
    """Row 3, cold and warm. Each cold run is a fresh process; the warm figure is the median of
    ``repeat`` further calls in that process."""
    ours_cold, ours_warm, base_cold, base_warm = [], [], [], []
    for _ in range(bench.repeat):
        seconds, got = launch(bench, as_user_install(NETWORK_OURS), str(db_path), str(bench.repeat))
        ours_cold.append(seconds)
        ours_warm.append(got["WARM"])
        seconds, got = launch(bench, NETWORK_PANDAS, str(db_path), "1")
        base_cold.append(seconds)
        base_warm.append(got["WARM"])
    for what, ours, base, limit, times in (
        ("network, first in a fresh process", ours_cold, base_cold, 1.0, 5),
        ("network, again (columns cached)", ours_warm, base_warm, 0.2, 20),
    ):
        t, b = median(ours), median(base)
        met = at_scale(size, t <= limit and b / t >= times)
        target = f"≤ {fmt(limit, 's')}; ≥ {times}× faster"
        bench.add(Result(3, size, what, t, b, met=met, target=target))


def filter_changes(db) -> list:
    """Changes a user makes in the filter panel, each from the unfiltered view (the first):
    row 4 times each alone, row 8 makes each in the window and then clears it."""
    from explorer.store.filters import PositionFilter

    base = PositionFilter(dataset="bench")
    actor = db.execute("SELECT name FROM actors ORDER BY id LIMIT 1").fetchone()[0]
    return [
        base,
        base.with_(provisions=("1",)),
        base.with_(stances=("oppose",)),
        base.with_(sessions=("s02",)),
        base.with_(actors=(actor,)),
        base.with_(date_from="2022-05-01"),
        base.with_(text="retention"),
    ]


def bench_filter(bench: Bench, db_path: Path, size: int) -> None:
    """Row 4: what the table needs after a filter change (the core's part, no window)."""
    from explorer.store import queries
    from explorer.store.database import open_database
    from explorer.store.filters import compile_filter

    db = open_database(db_path)
    times = []
    for flt in filter_changes(db):

        def change(flt=flt):
            compiled = compile_filter(db, flt)
            queries.count_positions(db, compiled)
            queries.position_page(db, compiled, limit=200)

        times.append(timed(change, bench.repeat))
    t = median(times)
    bench.add(
        Result(
            4,
            size,
            "filter change",
            t,
            met=at_scale(size, t <= 0.05),
            note=f"worst of {len(times)} filters {max(times) * 1000:.0f} ms",
        )
    )
    db.close()


REDRAW_TARGET_S = 0.15


def bench_redraw(bench: Bench, db_path: Path, size: int) -> None:
    """Row 5: each view computed from the store and drawn into an Agg canvas of the window's
    size, as its worker does after a filter change: the dataset's columns are cached, the view
    has drawn once before (its modules loaded), the network keeps the previous layout."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from explorer import pipeline
    from explorer.pipeline.matrix import matrix_chart_for
    from explorer.store.database import open_database
    from explorer.store.filters import PositionFilter

    db = open_database(db_path)
    base = PositionFilter(dataset="bench")
    filters = (("one article", base.with_(provisions=("1",))), ("one session", base.with_(sessions=("s02",))))
    figure = Figure(figsize=(11, 7), dpi=100)
    FigureCanvasAgg(figure)
    cached = pipeline.network_for(db, base).pos
    views = {
        "timeline": lambda flt: pipeline.timeline_chart_for(db, flt, figure=figure),
        "network": lambda flt: pipeline.network_chart_for(db, flt, figure=figure, previous_pos=cached)[1],
        "matrix": lambda flt: matrix_chart_for(db, flt, figure=figure)[1],
    }
    charts: list[object] = []  # the last chart drawn, for the note
    for view, draw in views.items():
        draw(filters[0][1])
        figure.canvas.draw()
        for label, flt in filters:
            t = timed(lambda draw=draw, flt=flt: (charts.append(draw(flt)), figure.canvas.draw()), bench.repeat)
            bench.add(
                Result(
                    5,
                    size,
                    f"{view} redraw, {label}",
                    t,
                    met=at_scale(size, t <= REDRAW_TARGET_S),
                    note=_drawn(view, charts[-1], _count(db, flt)),
                )
            )
            charts.clear()
    db.close()


def _drawn(view: str, chart: object, positions: int) -> str:
    """What a redraw drew, for the note: how many positions, and how the timeline showed them."""
    if view != "timeline":
        return f"{positions:,} positions"
    return f"{positions:,} positions as {'a density' if 'Density' in type(chart).__name__ else 'markers'}"


def _count(db, flt) -> int:
    from explorer.store import queries
    from explorer.store.filters import compile_filter

    return queries.count_positions(db, compile_filter(db, flt))


def bench_export(bench: Bench, db_path: Path, size: int) -> None:
    """Row 6: the whole dataset's network chart saved in each format (judged at 200 nodes)."""
    from explorer import pipeline
    from explorer.charts.export import save_figure
    from explorer.store.database import open_database
    from explorer.store.filters import PositionFilter

    db = open_database(db_path)
    result, chart = pipeline.network_chart_for(db, PositionFilter(dataset="bench"))
    nodes = result.graph.number_of_nodes()
    for kind in ("png", "svg", "pdf"):
        target = bench.work / f"network.{kind}"
        t = timed(lambda target=target: save_figure(chart.figure, target, dpi=150), bench.repeat)
        bench.add(
            Result(
                6,
                size,
                f"export {kind.upper()} ({nodes} nodes, {result.graph.number_of_edges():,} edges)",
                t,
                met=t <= 1.0 if nodes >= 200 else None,
            )
        )
    db.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one repetition (CI)")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rows", default="", help="only these rows, e.g. 5,8 (default: all)")
    parser.add_argument("--no-gui", action="store_true", help=f"skip rows {', '.join(map(str, GUI_ROWS))} (the window)")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.md")
    args = parser.parse_args(argv)
    rows = {int(r) for r in args.rows.split(",") if r.strip()} or set(ROWS)
    if unknown := rows - set(ROWS):
        parser.error(f"no row {', '.join(map(str, sorted(unknown)))}; rows are 1 to {max(ROWS)}")
    if args.no_gui:
        rows -= set(GUI_ROWS)
    sizes = [2_000] if args.smoke else [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="ne-bench-"))
    bench = Bench(work, 1 if args.smoke else args.repeat, args.smoke)
    started = time.perf_counter()
    print(HEADER, flush=True)
    try:
        run_all(bench, sizes, rows)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(bench.results, sizes, bench.repeat, time.perf_counter() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"wrote {args.out}")
    return 0


def run_all(bench: Bench, sizes: list[int], rows: set[int]) -> None:
    """Rows 1 (and 7 on the bundled data) first; then each size: import, the core's rows, the
    window's; then the contest views at their fixed shapes."""
    from bench.generate import apply_actor_registry, generate
    from explorer.store.database import open_database

    if 1 in rows or 7 in rows:
        bench_startup(bench, rows)
    for size in sizes:
        if not rows & {2, 3, 4, 5, 6, 7, 8}:
            break
        actors = 20 if bench.smoke else 200
        csv_path = bench.work / f"positions-{size}.csv"
        people = generate(csv_path, positions=size, actors=actors, questions=max(10, size // actors), seed=1)
        db_path = bench_import(bench, csv_path, size, measured=2 in rows)
        db = open_database(db_path)
        apply_actor_registry(db, "bench", people)
        db.close()
        for row, step in ((4, bench_filter), (3, bench_network), (5, bench_redraw), (6, bench_export)):
            if row in rows:
                step(bench, db_path, size)
        if 8 in rows:
            bench_gui_thread(bench, db_path, size)
        if 7 in rows:
            bench_app_memory(bench, csv_path, size, IMPORT_OURS)
        db_path.unlink()
        csv_path.unlink()
    actors, questions, roll_calls = contest_shapes(bench.smoke)
    if 9 in rows:
        bench_matrix(bench, actors, questions)
    if 10 in rows:
        bench_pairs(bench, actors, roll_calls)


if __name__ == "__main__":
    raise SystemExit(main())
