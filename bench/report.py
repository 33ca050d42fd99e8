"""The results table of ``python -m bench.run``: its rows, their targets, one line per figure.

Each row says which target it checks (``goal``: issue and item); rows 2–5, 7 and 8 are issue
13's, judged at 1M positions; rows 9–10 (issue 10's contest views) at their full shape; row 1
(start-up, bundled data) and row 6 (exports of a 200-node network) whenever they run.
"""

from __future__ import annotations

import platform
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

ROWS = {
    1: "cold start to a shown, populated main window (bundled data)",
    2: "import positions from CSV into a new dataset (peak RSS of the importing process)",
    3: "first agreement network in a fresh process (cold), then again in that process (warm)",
    4: "filter change: table count + first page",
    5: "redraw of the timeline, network and matrix after a filter on one article or one session",
    6: "export the network chart (PNG, SVG, PDF)",
    7: "memory of the running app with the positions in its database",
    8: "GUI thread: longest blocking call during the filter changes, real window, views idle after each",
    9: "positions matrix, 200 actors × 100 questions: build + draw, warm",
    10: "export-pairs, 200 actors × 6,000 roll calls, warm",
}
GOALS = {1: "#5", 2: "#13.1, .5", 3: "#13.2", 4: "#5", 5: "#13.3", 6: "#5", 7: "#13.5", 8: "#13.4", 9: "#10", 10: "#10"}
TARGETS = {
    1: "≤ 1.5× hello",
    2: "≤ 3× flat; ≤ 500 MB",
    3: "cold ≤ 1 s, ≥ 5× faster; warm ≤ 200 ms, ≥ 20× faster",
    4: "≤ 50 ms median",
    5: "≤ 150 ms median",
    6: "≤ 1 s each",
    7: "≤ 400 MB",
    8: "≤ 16 ms",
    9: "≤ 300 ms",
    10: "≤ 1 s",
}
FASTER_ROWS = (3,)  # the baseline is the slower one: the ratio says how many times faster ours is
MILLION = 1_000_000  # rows 2–5, 7 and 8 are judged at this size


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


def at_scale(size: int, met: bool) -> bool | None:
    """The verdict of a row judged at 1M positions; none below."""
    return met if size >= MILLION else None


def fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def ratio(r: Result) -> str:
    if r.baseline is None or not r.ours:
        return "—"
    if r.row in FASTER_ROWS:
        return f"{r.baseline / r.ours:.1f}× faster"
    return f"{r.ours / r.baseline:.2f}×"


def line(r: Result) -> str:
    met = {True: "met", False: "**missed**", None: ""}[r.met]
    peak = f"{r.peak_mb:.0f} MB" if r.peak_mb is not None else ""
    return (
        f"| {r.row} | {GOALS[r.row]} | {r.what} | {r.size:,} | {fmt(r.ours, r.unit)} | {fmt(r.baseline, r.unit)} | "
        f"{ratio(r)} | {peak} | {r.target or TARGETS[r.row]} | {met} | {r.note} |"
    )


HEADER = (
    "| # | goal | what | positions | ours | baseline | ratio | peak memory | target | verdict | note |\n"
    "|---|---|---|---|---|---|---|---|---|---|---|"
)


def machine() -> str:
    def run(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=10, check=False).stdout.strip()
        except OSError:
            return "?"

    cpu = next(
        (
            text.split(":", 1)[1].strip()
            for text in Path("/proc/cpuinfo").read_text().splitlines()
            if text.startswith("model name")
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


def report(results: list[Result], sizes: list[int], repeat: int, seconds: float) -> str:
    rows = sorted(results, key=lambda r: (r.row, r.what.split(",")[0], r.size))
    return "\n".join(
        [
            (
                f"Run {time.strftime('%Y-%m-%d %H:%M')} · sizes {', '.join(f'{s:,}' for s in sizes)} · "
                f"median of {repeat} · {seconds:.0f} s in all"
            ),
            "",
            machine(),
            "",
            HEADER,
            *(line(r) for r in rows),
            "",
        ]
    )
