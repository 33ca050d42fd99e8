"""Crash safety: an import killed with SIGKILL at a random moment leaves the database intact
and holding exactly what it held before that import (or, killed after the commit, all of it).

One 100,000-row CSV is generated once; each trial restores the same starting database, starts
``import_file`` in a child process and kills it. Most kills land mid-import: the parent waits
for the child's k-th progress line (k drawn at random) and then a random fraction of a batch's
time. That wait is the randomised kill moment, not a wait for a condition. The seed is fixed.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from explorer.ingest.importer import import_file
from explorer.store.database import open_database
from explorer.vocabulary import STANCES
from tests.conftest import DATA
from tests.table_checksums import table_checksums

ROWS = 100_000
TRIALS = 21
SEED = 20240607

CHILD = """
import sys
from explorer.store.database import open_database
from explorer.ingest.importer import import_file

db = open_database(sys.argv[1])
print("open", flush=True)
import_file(db, sys.argv[2], "big", progress=lambda done, total: print("progress", done, total, flush=True))
db.close()
print("done", flush=True)
"""

pytestmark = pytest.mark.slow


def database_state(path: Path) -> dict:
    """Checksums of every table, with the import's wall-clock time left out (it differs per run)."""
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        conn.execute("INSERT INTO positions_fts (positions_fts) VALUES ('integrity-check')")  # index == rows
        state = table_checksums(conn)
        imports = conn.execute("SELECT id, dataset_id, file, rows, origin FROM imports ORDER BY id").fetchall()
        state["imports"] = (len(imports), hashlib.sha256(repr(imports).encode()).hexdigest())
        return state
    finally:
        conn.close()


@pytest.fixture(scope="module")
def workload(tmp_path_factory):
    """The big file, the starting database (small.csv imported, checkpointed, closed) and the
    state after one uninterrupted import of the big file."""
    folder = tmp_path_factory.mktemp("crash")
    big = folder / "big.csv"
    with big.open("w", encoding="utf-8", newline="") as out:
        out.write("actor,question,option,stance,date,session,summary,source_url\n")
        for i in range(ROWS):
            out.write(
                f"Actor {i % 300},q{i % 500},opt{i % 3},{STANCES[i % len(STANCES)]},2020-{1 + i % 12:02d}-"
                f'{1 + i % 28:02d},s{i % 7},"summary {i}, on article {i % 60}",https://example.org/{i % 997}\n'
            )
    start = folder / "start.sqlite"
    db = open_database(start)
    import_file(db, DATA / "small.csv", "small")
    db.close()
    assert not Path(f"{start}-wal").exists()
    before = database_state(start)

    complete = folder / "complete.sqlite"
    shutil.copy(start, complete)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(complete), str(big)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stamps = [time.monotonic() for line in child.stdout if line.startswith("progress")]
    assert child.wait(timeout=300) == 0, child.stderr.read()
    child.stdout.close()
    child.stderr.close()
    after = database_state(complete)
    assert after["positions"][0] == before["positions"][0] + ROWS
    batch_seconds = (stamps[-1] - stamps[0]) / max(1, len(stamps) - 1)
    return big, start, before, after, len(stamps), batch_seconds


def run_trial(
    big: Path, start: Path, target: Path, rng: random.Random, plan: str, batches: int, batch_seconds: float
) -> tuple[int, int]:
    """Start an import of ``big`` into a copy of ``start`` and SIGKILL it as ``plan`` says;
    return the progress lines seen before the kill and the child's exit code."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copy(start, target)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(target), str(big)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    if plan == "mid-import":  # after batch k, within the next batch: the import is surely running
        wanted, k, delay = "progress", rng.randint(1, batches - 2), rng.uniform(0, 0.8 * batch_seconds)
    elif plan == "commit-window":  # after the last batch: the text index, ANALYZE and COMMIT
        wanted, k, delay = "progress", batches, rng.uniform(0, 3 * batch_seconds)
    elif plan == "early":  # opened, perhaps not yet writing
        wanted, k, delay = "open", 1, rng.uniform(0, 0.3)
    else:  # "after-done": committed and closed
        wanted, k, delay = "done", 1, 0.0
    seen: list[str] = []
    while seen.count(wanted) < k:
        line = child.stdout.readline()
        if not line:
            break
        seen.append(line.split()[0])
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(timeout=delay)  # the random kill moment (returns early if the child ends)
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    child.stdout.close()
    child.stderr.close()
    return seen.count("progress"), child.returncode


def test_sigkill_during_import_never_corrupts_or_half_writes(workload, tmp_path, capsys):
    big, start, before, after, batches, batch_seconds = workload
    assert batches >= 15, "the import must report progress often enough to aim kills inside it"
    rng = random.Random(SEED)
    plans = ["early", "after-done"] + ["commit-window"] * 3 + ["mid-import"] * (TRIALS - 5)
    rng.shuffle(plans)
    outcomes: Counter = Counter()
    started = time.monotonic()
    for trial, plan in enumerate(plans):
        target = tmp_path / f"trial{trial}.sqlite"
        seen_progress, returncode = run_trial(big, start, target, rng, plan, batches, batch_seconds)
        state = database_state(target)  # integrity_check ok, FTS index consistent
        if state == before:
            outcome = "rolled back"
        else:
            assert state == after, f"trial {trial} ({plan}): the database holds a partial import"
            outcome = "committed"
        outcomes[f"{plan}: {outcome}"] += 1
        if plan == "mid-import":
            assert outcome == "rolled back", f"trial {trial}: killed after {seen_progress} batches, yet committed"
            assert returncode == -signal.SIGKILL, "the child was still importing when it was killed"
        if plan == "after-done":
            assert outcome == "committed"
        db = open_database(target)  # and the app opens it as usual
        assert (
            db.execute("SELECT count(*) FROM positions").fetchone()[0]
            == (before if outcome == "rolled back" else after)["positions"][0]
        )
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    with capsys.disabled():
        print(
            f"\ncrash safety: {TRIALS} SIGKILL trials in {time.monotonic() - started:.0f} s "
            f"({batches} progress lines, {batch_seconds * 1000:.0f} ms a batch): {dict(outcomes)}"
        )
    assert sum(outcomes.values()) == TRIALS >= 20
    assert outcomes["mid-import: rolled back"] >= 15
