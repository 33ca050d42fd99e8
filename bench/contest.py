"""Benchmarks of the contest views (issue #10), each beside a baseline measured in the same run.

* **matrix** — build + draw the positions matrix of 200 actors × 100 questions into an 11 × 8 in
  canvas, warm (target ≤ 300 ms). Baseline: a bare categorical ``imshow`` of the same codes,
  drawn into the same canvas (the least any matrix view costs).
* **pairs** — ``export-pairs`` of 200 actors × 6,000 roll calls (1.2M positions), warm: the
  dataset's columns are cached, as in the app after the first view (target ≤ 1 s). Baseline:
  reading those positions back with one SQL query into numpy (what any export pays first).

``python -m bench.contest`` (``--smoke``: 20 actors, for CI). Imports take a minute at 1.2M rows;
interim figures only: the lead runs the full bench on an idle machine.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from bench.run import timed

MATRIX_TARGET_S = 0.3
PAIRS_TARGET_S = 1.0


def _database(work: Path, shape: str, actors: int, questions: int) -> Path:
    from bench.contest_data import generate_contest
    from bench.generate import apply_actor_registry
    from explorer.ingest.importer import import_file
    from explorer.store.database import open_database

    csv_path, db_path = work / f"{shape}.csv", work / f"{shape}.sqlite"
    _, people = generate_contest(csv_path, shape=shape, actors=actors, questions=questions)
    db = open_database(db_path)
    import_file(db, csv_path, "bench")
    apply_actor_registry(db, "bench", people)
    db.close()
    csv_path.unlink()
    return db_path


def bench_matrix(work: Path, actors: int, questions: int, repeat: int) -> dict[str, float]:
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from explorer.charts.matrix_chart import matrix_colormap
    from explorer.charts.style import LIGHT
    from explorer.pipeline.matrix import matrix_chart_for, matrix_for
    from explorer.store.database import open_database
    from explorer.store.filters import PositionFilter

    db = open_database(_database(work, "options", actors, questions))
    flt = PositionFilter(dataset="bench")
    figure = Figure(figsize=(11, 8), dpi=100)
    FigureCanvasAgg(figure)

    def ours() -> None:
        matrix_chart_for(db, flt, figure=figure)
        figure.canvas.draw()

    ours()  # warm: columns cached, scipy loaded
    codes = matrix_for(db, flt).codes
    cmap, norm = matrix_colormap(LIGHT)

    def baseline() -> None:
        figure.clear()
        ax = figure.add_subplot()
        ax.imshow(np.asarray(codes), cmap=cmap, norm=norm, interpolation="nearest", aspect="auto")
        figure.canvas.draw()

    baseline()
    result = {"ours": timed(ours, repeat), "baseline": timed(baseline, repeat)}
    db.close()
    return result


def bench_pairs(work: Path, actors: int, questions: int, repeat: int) -> dict[str, float]:
    import numpy as np

    from explorer.pipeline.pairs import pairs_for, write_pairs_csv
    from explorer.store.database import open_database
    from explorer.store.filters import PositionFilter

    db = open_database(_database(work, "rollcall", actors, questions))
    flt = PositionFilter(dataset="bench")
    out = work / "pairs.csv"

    def ours() -> None:
        table, names = pairs_for(db, flt, min_shared=1)
        write_pairs_csv(table, names, out)

    def baseline() -> None:
        rows = db.execute("SELECT actor_id, question_id, option_id, stance FROM positions").fetchall()
        np.array([r[:3] for r in rows], dtype=np.int64)

    ours()  # warm: the dataset's columns are read once and cached
    result = {"ours": timed(ours, repeat), "baseline": timed(baseline, repeat)}
    db.close()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.contest", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="20 actors, small sizes, one repetition")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    actors = 20 if args.smoke else 200
    repeat = 1 if args.smoke else args.repeat
    work = Path(tempfile.mkdtemp(prefix="ne-contest-bench-"))
    started = time.perf_counter()
    try:
        matrix = bench_matrix(work, actors, 100 if not args.smoke else 20, repeat)
        pairs = bench_pairs(work, actors, 6000 if not args.smoke else 300, repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| what | size | ours | baseline | ratio | target |")
    print("|---|---|---|---|---|---|")
    for name, got, size, target in (
        ("matrix build + draw", matrix, f"{actors} × {100 if not args.smoke else 20}", MATRIX_TARGET_S),
        ("export-pairs, warm", pairs, f"{actors} × {6000 if not args.smoke else 300} roll calls", PAIRS_TARGET_S),
    ):
        verdict = "met" if got["ours"] <= target else "**missed**"
        print(
            f"| {name} | {size} | {got['ours'] * 1000:.0f} ms | {got['baseline'] * 1000:.0f} ms | "
            f"{got['ours'] / got['baseline']:.2f}× | ≤ {target * 1000:.0f} ms: {verdict} |"
        )
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
