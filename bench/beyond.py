"""Measured figures for bench/README's "beyond one machine" section (issue #13, target 6).

``python -m bench.beyond --positions 10000000`` synthesises the analysis columns of that many
positions (seeded; no CSV, no positions table: what a 10M import would leave in
``position_columns``), stores them in a scratch database, then times, each in a fresh process:
reading them with one query, and the choices + agreement matrices at that size. With
``--db FILE`` (a database the bench wrote, dataset "bench") it also reports the bytes one
position takes on disk, and, when Datasette is installed, the latency of one aggregate query
served read-only by ``datasette serve --immutable`` on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

READ_CHILD = """
import resource, sys, time
start = time.perf_counter()
from explorer.store.columns import dataset_columns
from explorer.store.database import open_database
db = open_database(sys.argv[1])
columns = dataset_columns(db, 1)
print("READ", time.perf_counter() - start)
from explorer.analysis.agreement import agreement_matrices
from explorer.analysis.choices import reduce_choices
start = time.perf_counter()
choices = reduce_choices(columns.actor_id, columns.question_id, columns.option_id, columns.stance)
print("CHOICES", time.perf_counter() - start)
start = time.perf_counter()
agreement_matrices(choices)
print("AGREEMENT", time.perf_counter() - start)
print("RSS_MB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def synthesise(path: Path, positions: int, actors: int, questions: int, seed: int = 1) -> None:
    """A database holding one dataset whose stored columns are ``positions`` seeded positions."""
    import numpy as np

    from explorer.store.columns import PositionArrays, save_dataset_columns
    from explorer.store.database import open_database

    rng = np.random.default_rng(seed)
    db = open_database(path)
    with db.atomic():
        db.execute("INSERT INTO datasets (id, name, origin) VALUES (1, 'synthetic', 'user')")
        db.execute(
            "INSERT INTO imports (dataset_id, file, imported_at, rows, origin) VALUES (1, 'synthetic', '', ?, 'user')",
            [positions],
        )
        day = np.sort(rng.integers(2_459_000, 2_461_000, size=positions)).astype(np.int32)
        arrays = PositionArrays(
            position_id=np.arange(1, positions + 1, dtype=np.int64),
            day=day,
            actor_id=rng.integers(1, actors + 1, size=positions).astype(np.int32),
            question_id=rng.integers(1, questions + 1, size=positions).astype(np.int32),
            option_id=rng.integers(0, 4 * questions + 1, size=positions).astype(np.int32),
            stance=rng.integers(0, 5, size=positions).astype(np.int8),
        )
        save_dataset_columns(db, 1, arrays, import_id=1, had_positions=False)
    db.close()


def child(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return {k: float(v) for k, _, v in (line.partition(" ") for line in out.stdout.splitlines()) if k.isupper()}


def bytes_per_position(db_path: Path) -> float:
    import sqlite3

    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT count(*) FROM positions").fetchone()[0]
    pages = conn.execute("PRAGMA page_count").fetchone()[0] * conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    return pages / max(rows, 1)


def datasette_latency(db_path: Path, repeat: int = 5) -> float | None:
    """Median seconds for one aggregate query over HTTP on loopback, or None without Datasette."""
    exe = shutil.which("datasette") or str(Path(sys.executable).with_name("datasette"))
    if not Path(exe).exists():
        return None
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [exe, "serve", "--immutable", str(db_path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    sql = "SELECT stance, count(*) FROM positions GROUP BY stance"
    url = f"http://127.0.0.1:{port}/{db_path.stem}.json?" + urllib.parse.urlencode({"sql": sql, "_shape": "array"})
    try:
        for _ in range(100):  # wait until it answers (at most ~10 s)
            try:
                urllib.request.urlopen(url, timeout=30).read()
                break
            except OSError:
                time.sleep(0.1)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            json.loads(urllib.request.urlopen(url, timeout=60).read())
            times.append(time.perf_counter() - start)
        return statistics.median(times)
    finally:
        server.terminate()
        server.wait(timeout=10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.beyond", description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=10_000_000)
    parser.add_argument("--actors", type=int, default=200)
    parser.add_argument("--questions", type=int, default=50_000)
    parser.add_argument("--db", type=Path, help="a database the bench wrote (dataset 'bench')")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="ne-beyond-"))
    os.environ["NEGOTIATION_EXPLORER_HOME"] = str(work / "home")
    try:
        path = work / "synthetic.sqlite"
        start = time.perf_counter()
        synthesise(path, args.positions, args.actors, args.questions)
        print(
            f"- stored columns of {args.positions:,} positions: written in {time.perf_counter() - start:.1f} s, "
            f"{path.stat().st_size / 1e6:.0f} MB in the database"
        )
        got = child(READ_CHILD, str(path))
        print(
            f"- fresh process: read with one query {got['READ']:.2f} s (imports included); choices "
            f"{got['CHOICES']:.2f} s; agreement matrices {got['AGREEMENT']:.2f} s; peak RSS {got['RSS_MB']:.0f} MB"
        )
        if args.db:
            print(f"- positions table on disk: {bytes_per_position(args.db):.0f} bytes a position (indexes and FTS in)")
            latency = datasette_latency(args.db)
            shown = f"{latency * 1000:.0f} ms" if latency is not None else "Datasette not installed"
            print(f"- Datasette (--immutable, loopback), stance counts over every position: {shown}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
