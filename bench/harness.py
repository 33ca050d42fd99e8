"""What every benchmark row uses: the run's state, fresh child processes, medians."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.report import Result, line
from bench.user_install import PRELUDE


@dataclass
class Bench:
    work: Path
    repeat: int
    smoke: bool
    results: list[Result] = field(default_factory=list)
    hello_rss: float | None = None  # the hello-world's peak RSS (row 1), the baseline of row 7

    def add(self, result: Result) -> None:
        self.results.append(result)
        print(line(result), flush=True)


def _env(work: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        MPLBACKEND="Agg",
        QT_API="pyside6",
        NEGOTIATION_EXPLORER_HOME=str(work / "home"),
        XDG_CONFIG_HOME=str(work / "config"),
    )
    env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")])
    env.update(extra or {})
    return env


def child(
    bench: Bench, code: str, *args: str, timeout: float = 1800, env: dict[str, str] | None = None
) -> dict[str, float | str]:
    """Run ``code`` in a fresh interpreter; its ``KEY value`` lines come back as a dict (numbers
    as floats, anything else as text). ``env`` adds to the benchmark's environment."""
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=_env(bench.work, env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"benchmark child failed ({out.returncode}):\n{out.stderr[-3000:]}")
    values: dict[str, float | str] = {}
    for text in out.stdout.splitlines():
        key, _, value = text.partition(" ")
        if key.isupper():
            try:
                values[key] = float(value)
            except ValueError:
                values[key] = value
    return values


def launch(bench: Bench, code: str, *args: str) -> tuple[float, dict]:
    """Run ``code`` in a fresh process; seconds from launch to its ``READY`` line, and its values."""
    start = time.time()
    got = child(bench, code, *args)
    return float(got["READY"]) - start, got


def as_user_install(code: str) -> str:
    """``code`` run as in a user's install, where the dev environment's pandas cannot be imported
    (bench/user_install.py): for our own processes and the hello-world, never the pandas baseline."""
    return PRELUDE + code


def median(values: Iterable[float]) -> float:
    return statistics.median(values)


def timed(fn: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median(times)
