"""One runner for every row of issues 5 and 13: ``python -m bench.run`` (full table),
``python -m bench.run --smoke`` (tiny, for CI), ``--sizes 10000,100000,1000000``.

Each figure is the median of ``--repeat`` runs, printed beside a baseline measured in the same
run (the machines are noisy, so ratios are what compare across runs). Writes
bench/results/latest.md (gitignored); copy it into bench/README.md when it is the new reference.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.user_install import PRELUDE

RESULTS = Path(__file__).parent / "results"
ROWS = {
    1: "cold start to a shown, populated main window (bundled data)",
    2: "import positions from CSV into a new dataset",
    3: "agreement matrix + network (columns, choices, matrices, Louvain, layout), cold and warm",
    4: "filter change: table count + first page",
    5: "timeline / network redraw after a filter change (layout cached)",
    6: "export the network chart (PNG, SVG, PDF)",
    7: "memory of the running app with the positions in its database",
}
TARGETS = {
    1: "≤ 1.5× hello",
    2: "≤ 3× flat; ≤ 500 MB",
    3: "cold ≤ 1 s, ≥ 5× faster; warm ≤ 200 ms, ≥ 20× faster",
    4: "≤ 50 ms median",
    5: "≤ 150 ms median",
    6: "≤ 1 s each",
    7: "≤ 400 MB",
}


@dataclass
class Result:
    row: int
    size: int
    what: str
    ours: float  # seconds, or MB for memory rows
    baseline: float | None = None
    unit: str = "s"
    peak_mb: float | None = None
    met: bool | None = None
    note: str = ""
    target: str | None = None  # when this line has its own part of the row's target


@dataclass
class Bench:
    work: Path
    repeat: int
    smoke: bool
    results: list[Result] = field(default_factory=list)

    def add(self, result: Result) -> None:
        self.results.append(result)
        print(_line(result), flush=True)


def _env(work: Path) -> dict:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        MPLBACKEND="Agg",
        QT_API="pyside6",
        NEGOTIATION_EXPLORER_HOME=str(work / "home"),
        XDG_CONFIG_HOME=str(work / "config"),
    )
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")])
    return env


def child(bench: Bench, code: str, *args: str, timeout: float = 1800) -> dict:
    """Run ``code`` in a fresh interpreter; its ``KEY value`` lines come back as a dict."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=_env(bench.work),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({out.returncode}):\n{out.stderr[-3000:]}")
    values = {}
    for line in out.stdout.splitlines():
        key, _, value = line.partition(" ")
        if key.isupper():
            values[key] = float(value)
    return values


def median(values) -> float:
    return statistics.median(values)


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median(times)


# --- rows 2-6: the core -------------------------------------------------------------------------

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


def bench_import(bench: Bench, csv_path: Path, size: int) -> Path:
    """Row 2; returns the database our import wrote (used by rows 3-6)."""
    repeat = bench.repeat
    ours, flat, peaks, keep = [], [], [], None
    for i in range(repeat):
        db_path = bench.work / f"ours-{size}-{i}.sqlite"
        got = child(bench, as_user_install(IMPORT_OURS), str(csv_path), str(db_path), "bench")
        ours.append(got["SECONDS"])
        peaks.append(got["RSS_MB"])
        keep = keep or db_path
        if db_path != keep:
            db_path.unlink()
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
            met=(t <= 3 * b and peak <= 500) if size >= 1_000_000 else None,
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
        seconds, got = _launch(bench, as_user_install(NETWORK_OURS), str(db_path), str(bench.repeat))
        ours_cold.append(seconds)
        ours_warm.append(got["WARM"])
        seconds, got = _launch(bench, NETWORK_PANDAS, str(db_path), "1")
        base_cold.append(seconds)
        base_warm.append(got["WARM"])
    for what, ours, base, limit, times in (
        ("network, first in a fresh process", ours_cold, base_cold, 1.0, 5),
        ("network, again (columns cached)", ours_warm, base_warm, 0.2, 20),
    ):
        t, b = median(ours), median(base)
        met = (t <= limit and b / t >= times) if size >= 1_000_000 else None
        target = f"≤ {_fmt(limit, 's')}; ≥ {times}× faster"
        bench.add(Result(3, size, what, t, b, met=met, target=target))


def filter_changes(db) -> list:
    """Changes a user makes in the filter panel, each from the unfiltered view."""
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
            met=t <= 0.05 if size >= 1_000_000 else None,
            note=f"worst of {len(times)} filters {max(times) * 1000:.0f} ms",
        )
    )
    db.close()


def bench_redraw(bench: Bench, db_path: Path, size: int) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from explorer import pipeline
    from explorer.store.database import open_database
    from explorer.store.filters import PositionFilter

    db = open_database(db_path)
    base = PositionFilter(dataset="bench")
    narrow, broad = base.with_(provisions=("1",)), base.with_(sessions=("s02",))
    figure = Figure(figsize=(11, 7), dpi=100)
    FigureCanvasAgg(figure)
    for label, flt in (("one article", narrow), ("one session", broad)):
        t = timed(
            lambda flt=flt: (pipeline.timeline_chart_for(db, flt, figure=figure), figure.canvas.draw()), bench.repeat
        )
        bench.add(
            Result(
                5,
                size,
                f"timeline redraw, {label}",
                t,
                met=t <= 0.15 if size >= 1_000_000 else None,
                note=f"{_count(db, flt):,} positions",
            )
        )
    cached = pipeline.network_for(db, base).pos
    for label, flt in (("one article", narrow), ("one session", broad)):
        t = timed(
            lambda flt=flt: (
                pipeline.network_chart_for(db, flt, figure=figure, previous_pos=cached),
                figure.canvas.draw(),
            ),
            bench.repeat,
        )
        bench.add(Result(5, size, f"network redraw, {label}", t, met=t <= 0.15 if size >= 1_000_000 else None))
    db.close()


def _count(db, flt) -> int:
    from explorer.store import queries
    from explorer.store.filters import compile_filter

    return queries.count_positions(db, compile_filter(db, flt))


def bench_export(bench: Bench, db_path: Path, size: int) -> None:
    from explorer import pipeline
    from explorer.charts.export import save_figure
    from explorer.store.database import open_database
    from explorer.store.filters import PositionFilter

    db = open_database(db_path)
    result, chart = pipeline.network_chart_for(db, PositionFilter(dataset="bench"))
    nodes = result.graph.number_of_nodes()
    for fmt in ("png", "svg", "pdf"):
        target = bench.work / f"network.{fmt}"
        t = timed(lambda target=target: save_figure(chart.figure, target, dpi=150), bench.repeat)
        bench.add(
            Result(
                6,
                size,
                f"export {fmt.upper()} ({nodes} nodes, {result.graph.number_of_edges():,} edges)",
                t,
                met=t <= 1.0 if nodes >= 200 else None,
            )
        )
    db.close()


# --- rows 1 and 7: the GUI process ---------------------------------------------------------------

APP_CHILD = """
import resource, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
linger_ms = int(float(sys.argv[2]) * 1000)

def rss_now():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

def finish():
    print("RSS_NOW_MB", rss_now())
    app.quit()

def poll():
    for w in app.topLevelWidgets():
        if w.objectName() == "MainWindow" and w.isVisible() and w.model.rowCount() > 0:
            print("READY", time.time(), flush=True)
            QTimer.singleShot(linger_ms, finish)
            return
    QTimer.singleShot(2, poll)

QTimer.singleShot(0, poll)
from explorer.ui.app import run_app
run_app(sys.argv[1])
print("RSS_MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
HELLO_CHILD = (
    """
import time
from PySide6.QtCore import QTimer
"""
    "QTimer.singleShot(0, lambda: print('READY', time.time(), flush=True))\n"
)


def _launch(bench: Bench, code: str, *args: str) -> tuple[float, dict]:
    start = time.time()
    got = child(bench, code, *args)
    return got["READY"] - start, got


def as_user_install(code: str) -> str:
    """``code`` run as in a user's install, where the dev environment's pandas cannot be imported
    (bench/user_install.py): for our own processes and the hello-world, never the pandas baseline."""
    return PRELUDE + code


def bench_startup(bench: Bench) -> None:
    from bench.baselines import HELLO_QT

    db_path = bench.work / "home" / "startup.sqlite"
    child(
        bench,
        "import sys\nfrom explorer.ingest.bundled import open_with_bundled\nopen_with_bundled(sys.argv[1]).close()",
        str(db_path),
    )  # the bundled data is loaded once, as on every start after the first
    hello_code = HELLO_QT.replace("window.show()\n", "window.show()\n" + HELLO_CHILD.split("\n", 3)[3])
    hello_code = "import time\n" + hello_code
    ours, hello, rss_ours, rss_hello = [], [], [], []
    for _ in range(bench.repeat):
        seconds, got = _launch(bench, as_user_install(hello_code))
        hello.append(seconds)
        rss_hello.append(got["RSS_MB"])
        seconds, got = _launch(bench, as_user_install(APP_CHILD), str(db_path), "0")
        ours.append(seconds)
        rss_ours.append(got["RSS_MB"])
    t, b = median(ours), median(hello)
    bench.add(Result(1, 1037, "cold start (bundled data)", t, b, met=t <= 1.5 * b))
    bench.hello_rss = median(rss_hello)
    bench.add(Result(7, 1037, "app memory, bundled data (peak RSS)", median(rss_ours), bench.hello_rss, unit="MB"))


def bench_app_memory(bench: Bench, csv_path: Path, size: int) -> None:
    db_path = bench.work / f"app-{size}.sqlite"
    child(bench, IMPORT_OURS, str(csv_path), str(db_path), "bundled")  # into the dataset the window shows
    linger = 3 if bench.smoke else 30
    seconds, got = _launch(bench, as_user_install(APP_CHILD), str(db_path), str(linger))
    peak = got["RSS_MB"]
    bench.add(
        Result(
            7,
            size,
            "app memory (peak RSS)",
            peak,
            getattr(bench, "hello_rss", None),
            unit="MB",
            met=peak <= 400 if size >= 1_000_000 else None,
            note=f"shown + populated in {seconds:.2f} s; RSS {got['RSS_NOW_MB']:.0f} MB after {linger} s",
        )
    )
    db_path.unlink()


# --- the table -----------------------------------------------------------------------------------


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def _ratio(r: Result) -> str:
    if r.baseline is None or not r.ours:
        return "—"
    if r.row == 3:
        return f"{r.baseline / r.ours:.1f}× faster"
    return f"{r.ours / r.baseline:.2f}×"


def _line(r: Result) -> str:
    met = {True: "met", False: "**missed**", None: ""}[r.met]
    peak = f"{r.peak_mb:.0f} MB" if r.peak_mb is not None else ""
    return (
        f"| {r.row} | {r.what} | {r.size:,} | {_fmt(r.ours, r.unit)} | {_fmt(r.baseline, r.unit)} | "
        f"{_ratio(r)} | {peak} | {r.target or TARGETS[r.row]} | {met} | {r.note} |"
    )


HEADER = (
    "| # | what | positions | ours | baseline | ratio | peak memory | target | at 1M | note |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def machine() -> str:
    def run(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False).stdout.strip()
        except OSError:
            return "?"

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "?",
    )
    mem = run(["free", "-h"]).splitlines()
    import sqlite3

    import matplotlib
    import networkx
    import numpy
    import PySide6

    try:
        import pandas

        pandas_version = pandas.__version__
    except ImportError:
        pandas_version = "not installed"
    return "\n".join(
        [
            f"- CPU: {cpu}, `nproc` = {run(['nproc'])}",
            f"- memory (`free -h`): {mem[1].split()[1] if len(mem) > 1 else '?'} total",
            (
                f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, numpy {numpy.__version__}, "
                f"pandas {pandas_version}, networkx {networkx.__version__}, matplotlib {matplotlib.__version__}, "
                f"PySide6 {PySide6.__version__}"
            ),
        ]
    )


def report(bench: Bench, sizes: list[int], seconds: float) -> str:
    rows = sorted(bench.results, key=lambda r: (r.row, r.what.split(",")[0], r.size))
    return "\n".join(
        [
            (
                f"Run {time.strftime('%Y-%m-%d %H:%M')} · sizes {', '.join(f'{s:,}' for s in sizes)} · "
                f"median of {bench.repeat} · {seconds:.0f} s in all"
            ),
            "",
            machine(),
            "",
            HEADER,
            *(_line(r) for r in rows),
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, one repetition (CI)")
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-gui", action="store_true", help="skip rows 1 and 7")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.md")
    args = parser.parse_args(argv)
    sizes = [2_000] if args.smoke else [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="ne-bench-"))
    bench = Bench(work, 1 if args.smoke else args.repeat, args.smoke)
    started = time.perf_counter()
    print(HEADER, flush=True)
    try:
        run_all(bench, sizes, gui=not args.no_gui)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = report(bench, sizes, time.perf_counter() - started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"wrote {args.out}")
    return 0


def run_all(bench: Bench, sizes: list[int], gui: bool) -> None:
    from bench.generate import apply_actor_registry, generate

    if gui:
        bench_startup(bench)
    for size in sizes:
        actors = 20 if bench.smoke else 200
        csv_path = bench.work / f"positions-{size}.csv"
        people = generate(csv_path, positions=size, actors=actors, questions=max(10, size // actors), seed=1)
        db_path = bench_import(bench, csv_path, size)
        from explorer.store.database import open_database

        db = open_database(db_path)
        apply_actor_registry(db, "bench", people)
        db.close()
        bench_filter(bench, db_path, size)
        bench_network(bench, db_path, size)
        bench_redraw(bench, db_path, size)
        bench_export(bench, db_path, size)
        if gui:
            bench_app_memory(bench, csv_path, size)
        db_path.unlink()
        csv_path.unlink()


if __name__ == "__main__":
    raise SystemExit(main())
