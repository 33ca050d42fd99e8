"""Rows 9 and 10: the contest views (issue #10), each beside a baseline measured in the same run.

* **row 9, matrix** — build + draw the positions matrix of 200 actors × 100 questions into an
  11 × 8 in canvas, warm (target ≤ 300 ms). Baseline: a bare categorical ``imshow`` of the same
  codes, drawn into the same canvas (the least any matrix view costs).
* **row 10, pairs** — ``export-pairs`` of 200 actors × 6,000 roll calls (1.2M positions), warm:
  the dataset's columns are cached, as in the app after the first view (target ≤ 1 s).
  Baseline: reading those positions back with one SQL query into numpy (what any export pays
  first).

Their shapes are fixed (not ``--sizes``): ``python -m bench.run`` runs them once, at 20 actors
with ``--smoke``; ``--rows 9,10`` runs them alone. The import of the 1.2M roll calls takes a
minute or more.
"""

from __future__ import annotations

from pathlib import Path

from bench.harness import Bench, timed
from bench.report import Result

MATRIX_TARGET_S = 0.3
PAIRS_TARGET_S = 1.0


def _database(work: Path, shape: str, actors: int, questions: int) -> tuple[Path, int]:
    """A database of the ``shape`` (bench.contest_data) with its actor registry; and its positions."""
    from bench.contest_data import generate_contest
    from bench.generate import apply_actor_registry
    from explorer.ingest.importer import import_file
    from explorer.store.database import open_database

    csv_path, db_path = work / f"{shape}.csv", work / f"{shape}.sqlite"
    written, people = generate_contest(csv_path, shape=shape, actors=actors, questions=questions)
    db = open_database(db_path)
    import_file(db, csv_path, "bench")
    apply_actor_registry(db, "bench", people)
    db.close()
    csv_path.unlink()
    return db_path, written


def contest_shapes(smoke: bool) -> tuple[int, int, int]:
    """Actors, matrix questions and roll calls: the issue's shapes, or tiny ones for CI."""
    return (20, 20, 300) if smoke else (200, 100, 6000)


def bench_matrix(bench: Bench, actors: int, questions: int) -> None:
    """Row 9."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from explorer.charts.matrix_chart import matrix_colormap
    from explorer.charts.style import LIGHT
    from explorer.pipeline.matrix import matrix_chart_for, matrix_for
    from explorer.store.database import open_database
    from explorer.store.filters import PositionFilter

    db_path, written = _database(bench.work, "options", actors, questions)
    db = open_database(db_path)
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
    t, b = timed(ours, bench.repeat), timed(baseline, bench.repeat)
    db.close()
    db_path.unlink()
    bench.add(
        Result(
            9,
            written,
            f"matrix build + draw, {actors} × {questions}",
            t,
            b,
            met=None if bench.smoke else t <= MATRIX_TARGET_S,
            note="baseline: a bare imshow of the same codes",
        )
    )


def bench_pairs(bench: Bench, actors: int, questions: int) -> None:
    """Row 10."""
    import numpy as np

    from explorer.pipeline.pairs import pairs_for, write_pairs_csv
    from explorer.store.database import open_database
    from explorer.store.filters import PositionFilter

    db_path, written = _database(bench.work, "rollcall", actors, questions)
    db = open_database(db_path)
    flt = PositionFilter(dataset="bench")
    out = bench.work / "pairs.csv"

    def ours() -> None:
        table, names = pairs_for(db, flt, min_shared=1)
        write_pairs_csv(table, names, out)

    def baseline() -> None:
        rows = db.execute("SELECT actor_id, question_id, option_id, stance FROM positions").fetchall()
        np.array([r[:3] for r in rows], dtype=np.int64)

    ours()  # warm: the dataset's columns are read once and cached
    t, b = timed(ours, bench.repeat), timed(baseline, bench.repeat)
    db.close()
    db_path.unlink()
    bench.add(
        Result(
            10,
            written,
            f"export-pairs, warm, {actors} × {questions:,} roll calls",
            t,
            b,
            met=None if bench.smoke else t <= PAIRS_TARGET_S,
            note="baseline: the positions read back by one query into numpy",
        )
    )
